"""The permission matrix of the visits app (issue 9): every role of the cast, through the UI and
the API, on the pre-visit brief and the post-visit notes.

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy (``Visit.access_spec``: parent = the
account) and the app's rules (``steward/visits/rules.py``); every role acts on the same starting
state (its writes are rolled back); an allowed role gets the page, the row or the change, a
denied role gets neither and the database is untouched.

The rules, as written:

- the brief and the notes are read like the account: its owner (``owner``), its team
  (``member`` edits, ``reviewer`` reads), the managers of its owner (``manager``,
  ``director``), auditors and administrators; a peer (``outsider``) and portal users see
  nothing;
- a note is recorded by who may change the account: its owner, an editing team member and
  administrators; managers, reviewers and auditors read only;
- a note is kept as recorded: nobody changes or deletes it (no such page or endpoint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from steward.parties.tests.cast import ROLES, Cast
from steward.visits.models import Visit
from steward.visits.tests.factories import VisitWorld, days, note, visit_world
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset({"admin", "auditor", "director", "manager", "owner", "member", "reviewer"})
ACCOUNT_EDITORS = frozenset({"admin", "owner", "member"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("visit", "list"): READERS,
    ("visit", "detail"): READERS,
    ("visit", "create"): ACCOUNT_EDITORS,
    ("brief", "detail"): READERS,
}


@dataclass
class Matrix:
    cast: Cast
    vw: VisitWorld
    visit: Visit

    def user(self, role: str) -> Any:
        return self.cast.user(role)


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    vw = visit_world(cast)
    return Matrix(cast=cast, vw=vw, visit=note(cast.owner, vw, done_actions=[]))


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    return Outcome(
        allowed=response.status_code == 200 and marker in response.content.decode(),
        detail=str(response.status_code),
    )


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "brief":
        return None  # one brief per account: see detail
    client = _client(channel, m.user(role))
    if channel == "ui":
        # the notes are listed on the account's brief
        return _shown(client.get(f"/accounts/{m.vw.account.pk}/brief/"), f'id="visit-{m.visit.pk}"')
    response = client.get("/api/v1/visits/", {"page_size": 200})
    if response.status_code != 200:
        assert response.status_code == 403, response.content[:300]
        return Outcome(allowed=False, detail="403")
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == m.visit.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    account = m.vw.account.pk
    if model == "brief":
        if channel == "ui":
            return _shown(client.get(f"/accounts/{account}/brief/"), 'data-testid="visit-brief"')
        response = client.get(f"/api/v1/accounts/{account}/brief/")
    else:
        if channel == "ui":
            return None  # a note is shown on its account's brief (the list above)
        response = client.get(f"/api/v1/visits/{m.visit.pk}/")
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "brief":
        return None
    client = _client(channel, m.user(role))
    vw = m.vw
    if channel == "ui":
        body: dict[str, Any] = {
            "visited_on": days(0).isoformat(),
            "kind": "meeting",
            "face_to_face": "on",
            "summary": "Matrix visit",
            f"met_{vw.sponsor.pk}": "on",
            **{f"new_{row}_side": "ours" for row in range(3)},
        }
        response = client.post(f"/accounts/{vw.account.pk}/visits/new/", body)
    else:
        body = {
            "relationship": vw.account.pk,
            "visited_on": days(0).isoformat(),
            "summary": "Matrix visit",
            "attendees": [{"contact": vw.sponsor.pk}],
        }
        response = client.post("/api/v1/visits/", body, format="json")
    made = Visit.objects.filter(activity__summary="Matrix visit").exists()
    return _outcome(response, made, (302, 201))


def check_unsupported(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "visit" and channel == "api":
        client = _client(channel, m.user(role))
        url = f"/api/v1/visits/{m.visit.pk}/"
        for response in (client.patch(url, {"version": 1}, format="json"), client.delete(url)):
            assert response.status_code in (403, 404, 405), response.status_code
        assert Visit.objects.filter(pk=m.visit.pk, archived_at__isnull=True).exists()
    return None


CHECKS: dict[str, Callable[[str, str, Matrix, str], Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_unsupported,
    "delete": check_unsupported,
}
MODELS = ("visit", "brief")
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]
# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({Visit})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_visits_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action), frozenset())
    mismatches, tried = [], 0
    for role in ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(MODELS)
