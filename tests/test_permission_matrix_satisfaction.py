"""The permission matrix of the satisfaction app (issue 9): every role of the cast, through the
UI and the API, on its records.

A satisfaction response and a survey request follow their account
(``AccessSpec(parent="relationship")``): the account's owner (``owner``) and editing team
member (``member``) read and change them; the owner's managers (``manager``, ``director``),
the reviewing team member (``reviewer``) and the auditor read them; ``outsider`` (a peer of the
owner) and portal users see nothing. The satisfaction standard and the meeting cadence are
administered reference data: every inside user reads them, only administrators change them;
portal users do not reach them. The public survey page is reached by its token only (see
``steward/satisfaction/tests/test_views.py``). Expectations are written out by hand; each role
acts on the same starting state (its writes are rolled back); a denied write leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import ROLES, Cast
from steward.satisfaction.models import (
    MeetingCadence,
    SatisfactionResponse,
    SatisfactionStandard,
    SurveyRequest,
)
from steward.satisfaction.services.requests import survey_request_send
from steward.satisfaction.services.responses import response_record
from steward.satisfaction.services.standard import standard_current
from tests.test_permission_matrix import INTERNAL, Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset({"admin", "auditor", "director", "manager", "owner", "member", "reviewer"})
CHANGERS = frozenset({"admin", "owner", "member"})
ADMINS = frozenset({"admin"})
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("response", "list"): READERS,
    ("response", "detail"): READERS,
    ("response", "create"): CHANGERS,
    ("response", "update"): CHANGERS,
    ("response", "delete"): CHANGERS,
    ("request", "list"): READERS,
    ("request", "detail"): READERS,
    ("request", "create"): CHANGERS,
    ("request", "delete"): CHANGERS,
    ("standard", "list"): INTERNAL,
    ("standard", "detail"): INTERNAL,
    ("standard", "update"): ADMINS,
    ("cadence", "list"): INTERNAL,
    ("cadence", "detail"): INTERNAL,
    ("cadence", "update"): ADMINS,
}


@dataclass
class Matrix:
    cast: Cast
    world: DemandWorld
    response: SatisfactionResponse
    request: SurveyRequest
    standard: SatisfactionStandard
    cadence: MeetingCadence


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    made = response_record(
        actor=cast.owner,
        relationship=world.account_a,
        kind="nps",
        score=7,
        answered_on=timezone.localdate(),
        comment="Matrix comment",
    )
    request, _link = survey_request_send(
        actor=cast.owner, relationship=world.account_a, contact=cast.contact_a_private
    )
    return Matrix(
        cast=cast,
        world=world,
        response=made,
        request=request,
        standard=standard_current(),
        cadence=MeetingCadence.objects.get_or_create(tier=1, defaults={"days": 30})[0],
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "response": lambda m: m.response,
    "request": lambda m: m.request,
    "standard": lambda m: m.standard,
    "cadence": lambda m: m.cadence,
}
API_BASE = {
    "response": "satisfaction-responses",
    "request": "survey-requests",
    "standard": "satisfaction-standard",
    "cadence": "meeting-cadences",
}


def _fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(
        allowed=response.status_code == 200 and marker in response.content.decode(),
        detail=str(response.status_code),
    )


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        page, marker = {
            "response": ("/satisfaction/responses/", "Matrix comment"),
            "request": (None, ""),
            "standard": ("/satisfaction/standard/", "The company's satisfaction standard"),
            "cadence": ("/satisfaction/standard/", f'id="cadence-{target.pk}"'),
        }[model]
        if page is None:
            return None  # survey requests are listed through the API only
        return _shown(client.get(page), marker)
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    if response.status_code != 200:
        assert response.status_code in (403, 404)
        return Outcome(allowed=False, detail=str(response.status_code))
    return Outcome(
        allowed=any(row["id"] == target.pk for row in response.json()["results"]), detail="200"
    )


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        if model != "response":
            return None  # shown on the lists above
        return _shown(client.get(f"/satisfaction/responses/{target.pk}/"), "Matrix comment")
    response = client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404)
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model in ("standard", "cadence"):
        return None  # one record each, made by the data migration
    client = _client(channel, m.cast.user(role))
    account = m.world.account_a
    model_class = type(TARGETS[model](m))
    before = model_class.objects.count()
    day = timezone.localdate().isoformat()
    if channel == "ui":
        url, body = {
            "response": (
                f"/satisfaction/accounts/{account.pk}/responses/new/",
                {"kind": "csat", "score": 4, "answered_on": day},
            ),
            "request": (
                f"/satisfaction/accounts/{account.pk}/survey/",
                {
                    "contact": m.cast.contact_a_shared.pk,
                    "kinds": ["nps", "csat"],
                    "expires_in_days": 30,
                },
            ),
        }[model]
        response = client.post(url, body)
    else:
        body = {
            "response": {
                "relationship": account.pk,
                "kind": "csat",
                "score": 4,
                "answered_on": day,
            },
            "request": {"relationship": account.pk, "contact": m.cast.contact_a_shared.pk},
        }[model]
        response = client.post(f"/api/v1/{API_BASE[model]}/", body, format="json")
    return _outcome(response, model_class.objects.count() > before, (201, 302))


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "request":
        return None  # a sent request is not edited; it is withdrawn
    target = _fresh(TARGETS[model](m))
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        change = {
            "response": {"comment": "Changed by the matrix"},
            "standard": {"nps_minimum": 55},
            "cadence": {"days": 45},
        }[model]
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {**change, "version": target.version},
            format="json",
        )
    elif model == "cadence":
        url = f"/satisfaction/cadence/{target.pk}/"
        field = f"cadence-{target.pk}"
        response = client.post(url, {f"{field}-days": 45, f"{field}-version": target.version})
    elif model == "response":
        url = f"/satisfaction/responses/{target.pk}/edit/"
        body = {
            "score": target.score,
            "answered_on": target.answered_on.isoformat(),
            "comment": "Changed by the matrix",
        }
    else:
        url = "/satisfaction/standard/"
        body = {
            "nps_minimum": 55,
            "csat_minimum_pct": "80",
            "minimum_responses": 3,
            "window_months": 12,
        }
    if channel == "ui" and model != "cadence":
        response = client.post(url, {**body, "version": target.version})
    fresh = _fresh(target)
    changed = {
        "response": lambda: fresh.comment == "Changed by the matrix",
        "standard": lambda: fresh.nps_minimum == 55,
        "cadence": lambda: fresh.days == 45,
    }[model]()
    return _outcome(response, changed, (200, 302))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model in ("standard", "cadence"):
        return None  # reference data is changed, never archived
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    elif model == "request":
        return None  # withdrawn through the API
    else:
        response = client.post(f"/satisfaction/responses/{target.pk}/archive/")
    made = _fresh(target).archived_at is not None
    return _outcome(response, made, (204, 302))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in TARGETS
    for action in CHECKS
]

COVERED_MODELS = frozenset(
    {SatisfactionResponse, SurveyRequest, SatisfactionStandard, MeetingCadence}
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_satisfaction_permission_matrix(
    matrix: Matrix, channel: str, model: str, action: str
) -> None:
    expected = EXPECTED.get((model, action), frozenset())
    mismatches, tried = [], 0
    for role in ROLES:
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
