"""The permission matrix of the awards app (issue 8): every role of the cast, through the UI and
the API, on criterion scores, awards and award lines.

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy's rules (access.py, the models' access
specs and the award services' four eyes), every role acts on the same starting state (its writes
are rolled back), an allowed role gets the row or the change, a denied role gets neither and the
database is untouched.

The cast gains a procurement buyer (``buyer``): procurement runs every sourcing event. The
events are the cast ``owner``'s (``manager`` and ``director`` are above the owner), weighted,
closed, with bids of vendor A (``portal_a``), vendor B (``portal_b``) and a third vendor.

The rules, as the policy and the services state them:

- scores, awards and their lines follow the event: its owner, the owner's managers, procurement,
  administrators and auditors read them; nobody on a vendor's relationship team does by that;
- whoever may change the event scores its bids and proposes its award: the owner, procurement,
  administrators;
- an award is approved by someone else than its proposer (the owner here): an administrator,
  a procurement buyer or a manager of the owner (directly or higher up);
- once approved, an award is shown to its vendor's portal users, who alone confirm it; vendor
  B's portal users see nothing of A's award.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from steward.awards import services
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.awards.tests.factories import World, build_world, three_bids
from steward.parties.tests.cast import ROLES, Cast
from steward.sourcing.choices import EventStatus
from steward.sourcing.models import EvaluationCriterion, SourcingEvent
from steward.sourcing.tests.factories import CriterionFactory, procurement_user
from tests.test_permission_matrix import Outcome, _client
from tests.test_permission_matrix_assessments import _outcome, _shown

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "buyer")
READERS = frozenset({"admin", "auditor", "owner", "manager", "director", "buyer"})
CHANGERS = frozenset({"admin", "owner", "buyer"})
APPROVERS = frozenset({"admin", "manager", "director", "buyer"})  # never the proposer (owner)
VENDOR_A = frozenset({"portal_a"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("criterion_score", "list"): READERS,
    ("criterion_score", "detail"): READERS,
    ("criterion_score", "create"): CHANGERS,
    ("criterion_score", "update"): CHANGERS,
    # "create" is proposing an award, "update" approving one
    ("award", "list"): READERS | VENDOR_A,
    ("award", "detail"): READERS | VENDOR_A,
    ("award", "create"): CHANGERS,
    ("award", "update"): APPROVERS,
    # the vendor's answer: only A's portal users confirm A's award
    ("award_response", "update"): VENDOR_A,
    ("award_line", "list"): READERS | VENDOR_A,
    ("award_line", "detail"): READERS | VENDOR_A,
}


@dataclass
class Matrix:
    cast: Cast
    buyer: Any
    awarded: World  # approved: A's award waits for A's confirmation
    closed: World  # closed, nothing proposed: to score and to propose
    proposed: World  # proposed by the owner: to approve
    criterion: EvaluationCriterion
    score: CriterionScore
    award: Award
    line: AwardLine

    def user(self, role: str) -> Any:
        return self.buyer if role == "buyer" else self.cast.user(role)


def _weighted(cast: Cast) -> tuple[World, EvaluationCriterion]:
    world = three_bids(build_world(cast, weighted=True))
    made = CriterionFactory(event=world.event, name="Quality", max_value=Decimal("0.1"))
    return world, EvaluationCriterion.objects.get(pk=made.pk)


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    buyer = procurement_user("buyer")
    awarded, criterion = _weighted(cast)
    score = services.criterion_score_set(
        actor=cast.owner, invitation=awarded.inv_a, criterion=criterion, value="0.07"
    )
    (award,) = services.award_propose(
        actor=cast.owner, event=awarded.event, allocations=awarded.inv_a, rationale="Best"
    )
    services.award_approve(actor=buyer, event=awarded.event)
    closed, closed_criterion = _weighted(cast)
    services.criterion_score_set(
        actor=cast.owner, invitation=closed.inv_a, criterion=closed_criterion, value="0.01"
    )
    closed.criteria = [closed_criterion]
    proposed = three_bids(build_world(cast))
    services.award_propose(
        actor=cast.owner, event=proposed.event, allocations=proposed.inv_a, rationale="Best"
    )
    return Matrix(
        cast=cast,
        buyer=buyer,
        awarded=awarded,
        closed=closed,
        proposed=proposed,
        criterion=criterion,
        score=score,
        award=Award.objects.get(pk=award.pk),
        line=AwardLine.objects.filter(award=award).order_by("line__number").first(),  # type: ignore[arg-type]
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "criterion_score": lambda m: m.score,
    "award": lambda m: m.award,
    "award_response": lambda m: m.award,
    "award_line": lambda m: m.line,
}
API_BASE = {
    "criterion_score": "sourcing-criterion-scores",
    "award": "awards",
    "award_line": "award-lines",
}


def _portal(role: str) -> bool:
    return role.startswith("portal_")


# --- reading -----------------------------------------------------------------------------------


def _ui_list(m: Matrix, model: str, role: str) -> tuple[str, str] | None:
    award = m.award
    if model == "criterion_score":
        return (f"/awards/events/{m.awarded.event.pk}/", "Quality 0.07")
    if model == "award":
        if _portal(role):
            return ("/portal/awards/", f"/portal/awards/{award.pk}/")
        return ("/awards/", f"/awards/{award.pk}/")
    if model == "award_line":
        url = f"/portal/awards/{award.pk}/" if _portal(role) else f"/awards/{award.pk}/"
        return (url, m.line.line.description)
    return None


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "award_response":
        return None
    target = TARGETS[model](m)
    client = _client(channel, m.user(role))
    if channel == "ui":
        page = _ui_list(m, model, role)
        return _shown(client.get(page[0]), page[1]) if page else None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "award_response":
        return None
    target = TARGETS[model](m)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model != "award":
            return None
        url = f"/portal/awards/{target.pk}/" if _portal(role) else f"/awards/{target.pk}/"
        return _shown(client.get(url), m.awarded.event.reference)
    response = client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


# --- writing -----------------------------------------------------------------------------------


def _score_post(client: Any, channel: str, world: World, invitation: Any, value: str) -> Any:
    criterion = world.criteria[0]
    if channel == "ui":
        prefix = f"s{invitation.pk}"
        return client.post(
            f"/awards/events/{world.event.pk}/scores/{invitation.pk}/",
            {f"{prefix}-criterion_{criterion.pk}": value},
        )
    return client.post(
        "/api/v1/sourcing-criterion-scores/",
        {"invitation": invitation.pk, "criterion": criterion.pk, "value": value},
        format="json",
    )


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    ok = (302,) if channel == "ui" else (201,)
    if model == "criterion_score":
        before = CriterionScore.objects.count()
        response = _score_post(client, channel, m.closed, m.closed.inv_b, "0.02")
        return _outcome(response, CriterionScore.objects.count() > before, ok)
    if model == "award":
        event = m.closed.event
        before = Award.objects.filter(event=event).count()
        data = {"invitation": m.closed.inv_a.pk, "rationale": "Matrix"}
        if channel == "ui":
            response = client.post(f"/awards/events/{event.pk}/propose/", data)
        else:
            response = client.post(
                f"/api/v1/sourcing-events/{event.pk}/award/", data, format="json"
            )
        return _outcome(response, Award.objects.filter(event=event).count() > before, ok)
    return None


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    ui = channel == "ui"
    if model == "criterion_score":
        response = _score_post(client, channel, m.closed, m.closed.inv_a, "0.09")
        made = CriterionScore.objects.filter(
            invitation=m.closed.inv_a, value=Decimal("0.09")
        ).exists()
        return _outcome(response, made, (302,) if ui else (201,))
    if model == "award":
        event = m.proposed.event
        url = (
            f"/awards/events/{event.pk}/approve/"
            if ui
            else f"/api/v1/sourcing-events/{event.pk}/award/approve/"
        )
        response = client.post(url)
        made = SourcingEvent.objects.get(pk=event.pk).status == EventStatus.AWARDED
        return _outcome(response, made, (302,) if ui else (200,))
    if model == "award_response":
        award = m.award
        url = f"/portal/awards/{award.pk}/confirm/" if ui else f"/api/v1/awards/{award.pk}/confirm/"
        response = client.post(url)
        made = Award.objects.get(pk=award.pk).status == "confirmed"
        return _outcome(response, made, (302,) if ui else (200,))
    return None


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    return None  # nothing of evaluation and award is ever deleted


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(TARGETS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({CriterionScore, Award, AwardLine})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_awards_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
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
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(MODELS)


# --- portal B: nothing of A's award, whatever it guesses -----------------------------------------


def test_portal_b_reaches_nothing_of_vendor_as_award(matrix: Matrix) -> None:
    m = matrix
    client = _client("ui", m.cast.portal_b)
    api = _client("api", m.cast.portal_b)
    award = m.award
    for url in (
        f"/portal/awards/{award.pk}/",
        f"/awards/{award.pk}/",
        f"/awards/events/{m.awarded.event.pk}/",
        f"/awards/events/{m.awarded.event.pk}/comparison/?format=csv",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/portal/awards/{award.pk}/decline/", {"reason": "x"}).status_code == 404
    for url in (
        f"/api/v1/awards/{award.pk}/",
        f"/api/v1/award-lines/{m.line.pk}/",
        f"/api/v1/sourcing-criterion-scores/{m.score.pk}/",
        f"/api/v1/sourcing-events/{m.awarded.event.pk}/comparison/",
    ):
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/awards/{award.pk}/confirm/").status_code == 404
    for url in (
        "/api/v1/awards/",
        f"/api/v1/awards/?event={m.awarded.event.pk}",
        "/api/v1/award-lines/",
        "/api/v1/sourcing-criterion-scores/",
    ):
        assert api.get(url).json()["results"] == [], url
    page = client.get("/portal/awards/").content.decode()
    assert f"/portal/awards/{award.pk}/" not in page
    search = client.get("/search/", {"q": m.awarded.event.reference})
    assert f"/portal/awards/{award.pk}/" not in search.content.decode()
    assert Award.objects.get(pk=award.pk).status == "awaiting_confirmation"
