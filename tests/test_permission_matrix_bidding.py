"""The permission matrix of the bidding app (issue 8): every role of the cast, through the UI and
the API, on bids, their lines, answers and files, before and after the event's closing time.

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy's rules (access.py and the bid models'
access specs), every role acts on the same starting state (its writes are rolled back), an
allowed role gets the row or the change, a denied role gets neither and the database is
untouched.

The cast gains a procurement buyer (``buyer``). The event is the cast ``owner``'s (``manager``
and ``director`` are above the owner), ``member`` is on the event's team; vendor A
(``portal_a``) and vendor B (``portal_b``) are invited, and A has bid.

The rules, as the policy states them:

- while the event is open (sealed), no inside user sees a bid or anything of it: not the
  owner, not procurement, not administrators or auditors; the bidder's own portal users do;
- from the closing time, bids follow the event: its owner, the owner's managers, its team,
  procurement, administrators and auditors read them; the bidder's portal users still read
  their own; nobody else, and never another vendor's portal users;
- only the invited vendor's portal users bid (and attach files), only while the event is open;
- nobody changes or deletes a submitted bid.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from steward.bidding.models import Bid, BidAnswer, BidAttachment, BidLine
from steward.bidding.services import bid_submit
from steward.bidding.tests.factories import BidWorld, build_bid_world, offer, pdf_file, unseal
from steward.parties.tests.cast import ROLES, Cast
from tests.test_permission_matrix import Outcome, _client
from tests.test_permission_matrix_assessments import _outcome, _shown

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "buyer")
NOBODY: frozenset[str] = frozenset()
VENDOR_A = frozenset({"portal_a"})
EVENT_READERS = frozenset({"admin", "auditor", "owner", "manager", "director", "member", "buyer"})
STATES = ("sealed", "closed")
PRICE = "4321.9876"
ANSWER = "Matrix answer: five years"
FILE_NAME = "matrix-offer.pdf"


def _expected(state: str) -> dict[tuple[str, str], frozenset[str]]:
    readers = VENDOR_A if state == "sealed" else EVENT_READERS | VENDOR_A
    bidders = VENDOR_A if state == "sealed" else NOBODY  # a closed event takes no bid
    return {
        ("bid", "list"): readers,
        ("bid", "detail"): readers,
        ("bid", "create"): bidders,
        ("bid", "update"): NOBODY,
        ("bid", "delete"): NOBODY,
        ("bid_line", "list"): readers,
        ("bid_line", "detail"): readers,
        ("bid_line", "update"): NOBODY,
        ("bid_answer", "list"): readers,
        ("bid_answer", "detail"): readers,
        ("bid_attachment", "list"): readers,
        ("bid_attachment", "detail"): readers,
        ("bid_attachment", "create"): bidders,
    }


EXPECTED = {state: _expected(state) for state in STATES}


@dataclass
class Matrix:
    world: BidWorld
    bid: Bid
    line: BidLine
    answer: BidAnswer
    attachment: BidAttachment

    @property
    def cast(self) -> Cast:
        return self.world.cast

    def user(self, role: str) -> Any:
        return self.world.buyer if role == "buyer" else self.cast.user(role)


def _build(cast: Cast, state: str) -> Matrix:
    world = build_bid_world(cast)
    bid = bid_submit(
        actor=cast.portal_a,
        invitation=world.invitation_a,
        currency="EUR",
        lines=[offer(world.line1, PRICE), offer(world.line2, "11.0000")],
        answers={world.question: ANSWER},
        attachments=[pdf_file(FILE_NAME, "matrix")],
    )
    if state == "closed":
        world.event = unseal(world.event)
    return Matrix(
        world=world,
        bid=bid,
        line=bid.lines.get(line__number=1),
        answer=bid.answers.get(),
        attachment=bid.attachments.get(),
    )


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(params=STATES)
def matrix(request: Any, cast: Cast) -> tuple[str, Matrix]:
    return request.param, _build(cast, request.param)


def _portal(role: str) -> bool:
    return role.startswith("portal_")


def _own_page(m: Matrix, role: str) -> str:
    """A portal user's own invitation page (where it reads its bids)."""
    invitation = m.world.invitation_a if role == "portal_a" else m.world.invitation_b
    return f"/portal/bids/{invitation.pk}/"


MARKERS: dict[str, Callable[[Matrix], str]] = {
    "bid": lambda m: f"/bids/{m.bid.pk}/",
    "bid_line": lambda m: PRICE,
    "bid_answer": lambda m: ANSWER,
    "bid_attachment": lambda m: f"/bids/files/{m.attachment.pk}/download/",
}


# --- reading -----------------------------------------------------------------------------------


def _ui_list(m: Matrix, model: str, role: str) -> tuple[str, str]:
    if _portal(role):
        marker = PRICE if model == "bid" else MARKERS[model](m)
        return (_own_page(m, role), marker)
    if model == "bid":
        return (f"/bids/?event={m.world.event.pk}", MARKERS[model](m))
    return (f"/bids/{m.bid.pk}/", MARKERS[model](m))


def _api_rows(client: Any, path: str) -> list[dict[str, Any]]:
    response = client.get(path, {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    return list(response.json()["results"])


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if channel == "ui":
        page, marker = _ui_list(m, model, role)
        return _shown(client.get(page), marker)
    if model == "bid_answer":
        rows = _api_rows(client, "/api/v1/bids/")
        found = any(a["text"] == ANSWER for row in rows for a in row["answers"])
        return Outcome(allowed=found, detail="200")
    base = {"bid": "bids", "bid_line": "bid-lines", "bid_attachment": "bid-attachments"}[model]
    target = {"bid": m.bid, "bid_line": m.line, "bid_attachment": m.attachment}[model]
    rows = _api_rows(client, f"/api/v1/{base}/")
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "bid":
            return _shown(client.get(f"/bids/{m.bid.pk}/"), PRICE)
        if model == "bid_attachment":
            return _shown(client.get(MARKERS[model](m)), "%PDF")
        return None  # lines and answers are shown on the bid's page
    urls = {
        "bid": [f"/api/v1/bids/{m.bid.pk}/"],
        "bid_line": [f"/api/v1/bid-lines/{m.line.pk}/"],
        "bid_answer": [f"/api/v1/bids/{m.bid.pk}/"],
        "bid_attachment": [
            f"/api/v1/bid-attachments/{m.attachment.pk}/",
            f"/api/v1/bid-attachments/{m.attachment.pk}/download/",
        ],
    }[model]
    seen = [client.get(url) for url in urls]
    codes = [response.status_code for response in seen]
    assert all(code in (200, 403, 404) for code in codes), codes
    assert len(set(codes)) == 1, f"mixed: {codes}"
    allowed = codes[0] == 200
    if allowed and model == "bid_answer":
        allowed = any(a["text"] == ANSWER for a in seen[0].json()["answers"])
    return Outcome(allowed=allowed, detail=str(codes[0]))


# --- writing -----------------------------------------------------------------------------------


def _form(m: Matrix, **more: Any) -> dict[str, Any]:
    w = m.world
    return {
        f"l-{w.line1.pk}-unit_price": "2.00",
        f"l-{w.line1.pk}-price_per": "1",
        f"l-{w.line1.pk}-lead_time_days": "5",
        f"a-{w.question.pk}": "One year.",
        "currency": "EUR",
        **more,
    }


def _json(m: Matrix) -> dict[str, Any]:
    w = m.world
    return {
        "invitation": w.invitation_a.pk,
        "lines": [{"line": w.line1.pk, "unit_price": "2.00", "lead_time_days": 5}],
        "answers": [{"question": w.question.pk, "text": "One year."}],
    }


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model not in ("bid", "bid_attachment"):
        return None  # lines and answers are made only as part of a bid
    client = _client(channel, m.user(role))
    counted = Bid if model == "bid" else BidAttachment
    before = counted.objects.count()
    url = f"/portal/bids/{m.world.invitation_a.pk}/"
    if channel == "ui":
        extra = {"files": pdf_file("new.pdf")} if model == "bid_attachment" else {}
        response = client.post(url, _form(m, **extra))
        return _outcome(response, counted.objects.count() > before, (302,))
    if model == "bid":
        response = client.post("/api/v1/bids/", _json(m), format="json")
    else:
        data = _json(m)
        response = client.post(
            "/api/v1/bids/with-files/",
            {
                "invitation": data["invitation"],
                "lines": json.dumps(data["lines"]),
                "answers": json.dumps(data["answers"]),
                "files": [pdf_file("new.pdf")],
            },
            format="multipart",
        )
    return _outcome(response, counted.objects.count() > before, (201,))


def _unchanged(m: Matrix) -> bool:
    bid = Bid.objects.get(pk=m.bid.pk)
    line = BidLine.objects.get(pk=m.line.pk)
    return bid.version == 1 and bid.archived_at is None and str(line.unit_price) == PRICE


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if channel == "ui" or model not in ("bid", "bid_line"):
        return None  # no page changes a bid, and no endpoint exists for it
    client = _client(channel, m.user(role))
    target = m.bid if model == "bid" else m.line
    base = "bids" if model == "bid" else "bid-lines"
    response = client.patch(f"/api/v1/{base}/{target.pk}/", {"notes": "x"}, format="json")
    assert response.status_code in (403, 404, 405), response.status_code
    return Outcome(allowed=not _unchanged(m), detail=str(response.status_code))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if channel == "ui" or model != "bid":
        return None
    client = _client(channel, m.user(role))
    response = client.delete(f"/api/v1/bids/{m.bid.pk}/")
    assert response.status_code in (403, 404, 405), response.status_code
    return Outcome(allowed=not _unchanged(m), detail=str(response.status_code))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(MARKERS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({Bid, BidLine, BidAnswer, BidAttachment})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_bidding_permission_matrix(
    matrix: tuple[str, Matrix], channel: str, model: str, action: str
) -> None:
    state, m = matrix
    expected = EXPECTED[state].get((model, action))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, m, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{state} {channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    for state in STATES:
        assert {model for model, _ in EXPECTED[state]} == set(MODELS)


# --- portal B: nothing of A's bid, whatever it guesses ---------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_portal_b_reaches_nothing_of_vendor_as_bid(cast: Cast, state: str) -> None:
    m = _build(cast, state)
    client = _client("ui", cast.portal_b)
    api = _client("api", cast.portal_b)
    for url in (
        f"/portal/bids/{m.world.invitation_a.pk}/",
        f"/bids/{m.bid.pk}/",
        f"/bids/files/{m.attachment.pk}/download/",
        "/bids/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/api/v1/bids/{m.bid.pk}/",
        f"/api/v1/bid-lines/{m.line.pk}/",
        f"/api/v1/bid-attachments/{m.attachment.pk}/",
        f"/api/v1/bid-attachments/{m.attachment.pk}/download/",
    ):
        assert api.get(url).status_code == 404, url
    for url in (
        "/api/v1/bids/",
        f"/api/v1/bids/?event={m.world.event.pk}",
        f"/api/v1/bids/?invitation={m.world.invitation_a.pk}",
        "/api/v1/bid-lines/",
        f"/api/v1/bid-lines/?bid={m.bid.pk}",
        "/api/v1/bid-attachments/",
    ):
        assert api.get(url).json()["results"] == [], url
    for url in ("/", "/portal/bids/", f"/portal/bids/{m.world.invitation_b.pk}/"):
        page = client.get(url).content.decode()
        assert PRICE not in page, url
        assert ANSWER not in page, url
        assert "Aurora" not in page, url
    search = client.get("/search/", {"q": m.world.event.reference}).content.decode()
    assert f"/bids/{m.bid.pk}/" not in search
    assert Bid.objects.count() == 1
