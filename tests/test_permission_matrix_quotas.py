"""The permission matrix of the quotas app (issue 9): every role of the cast, through the UI and
the API, on its records.

The same approach as tests/test_permission_matrix.py: expectations are written out by hand from
the policy (access.py and the models' access specs), every role acts on the same starting state
(its writes are rolled back), an allowed role gets the row or the change, a denied role gets
neither and the database is untouched.

The cast has no finance person: this module adds ``finance`` (profile function finance, no job
role) and walks ``ROLES + ("finance",)``.

The rules, as the policy states them:

- a quota and a training objective are about a person (``owner`` here): the person and their
  managers (``manager``, ``director``) read them, with auditors and administrators; only the
  managers and administrators set, change and archive them; peers (``outsider``), team members,
  reviewers, finance and portal users see nothing;
- revenue and costs to serve follow the account (``account_a``, owned by ``owner``, ``member``
  edits, ``reviewer`` reads): whoever reads the account reads them, whoever may change it changes
  them, and finance reads and changes every row; portal users see nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import ROLES, Cast
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective
from steward.quotas.tests.factories import (
    QuotaFactory,
    RevenueFactory,
    ServiceCostFactory,
    TrainingFactory,
    finance_user,
)
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "finance")
SUBJECT_READERS = frozenset({"admin", "auditor", "director", "manager", "owner"})
SUBJECT_CHANGERS = frozenset({"admin", "director", "manager"})
ACCOUNT_READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer", "finance"}
)
ACCOUNT_CHANGERS = frozenset({"admin", "owner", "member", "finance"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    **{("quota", a): SUBJECT_READERS for a in ("list", "detail")},
    **{("quota", a): SUBJECT_CHANGERS for a in ("create", "update", "delete")},
    **{("training", a): SUBJECT_READERS for a in ("list", "detail")},
    **{("training", a): SUBJECT_CHANGERS for a in ("create", "update", "delete")},
    **{("revenue", a): ACCOUNT_READERS for a in ("list", "detail")},
    **{("revenue", a): ACCOUNT_CHANGERS for a in ("create", "update", "delete")},
    **{("cost", a): ACCOUNT_READERS for a in ("list", "detail")},
    **{("cost", a): ACCOUNT_CHANGERS for a in ("create", "update", "delete")},
}


@dataclass
class Matrix:
    cast: Cast
    world: DemandWorld
    finance: Any
    quota: Quota
    training: TrainingObjective
    revenue: AccountRevenue
    cost: ServiceCost

    def user(self, role: str) -> Any:
        return self.finance if role == "finance" else self.cast.user(role)


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    return Matrix(
        cast=cast,
        world=world,
        finance=finance_user(),
        quota=QuotaFactory(person=cast.owner),
        training=TrainingFactory(person=cast.owner, title="Matrix course"),
        revenue=RevenueFactory(relationship=world.account_a),
        cost=ServiceCostFactory(relationship=world.account_a),
    )


API_BASE = {
    "quota": "quotas",
    "training": "training-objectives",
    "revenue": "account-revenue",
    "cost": "service-costs",
}
UI_LIST = {
    "quota": "/quotas/list/",
    "training": "/quotas/training/",
    "revenue": "/quotas/revenue/",
    "cost": "/quotas/service-costs/",
}


def _target(m: Matrix, model: str) -> Any:
    record = getattr(m, model)
    return type(record).objects.get(pk=record.pk)


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        response = client.get(UI_LIST[model])
        assert response.status_code in (200, 404), response.status_code
        marker = f'id="{model}-{target.pk}"'
        return Outcome(response.status_code == 200 and marker in response.content.decode(), "")
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code in (200, 403), response.status_code
    rows = response.json().get("results", []) if response.status_code == 200 else []
    return Outcome(any(row["id"] == target.pk for row in rows), str(response.status_code))


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if channel == "ui":
        return None  # these records are read in their lists
    target = _target(m, model)
    response = _client(channel, m.user(role)).get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(response.status_code == 200, str(response.status_code))


def _create_calls(m: Matrix, channel: str) -> dict[str, tuple[type[Any], str, dict[str, Any]]]:
    account = m.world.account_a.pk
    if channel == "ui":
        return {
            "quota": (
                Quota,
                "/quotas/new/",
                {
                    "person": m.cast.owner.pk,
                    "starts_on": "2027-01-01",
                    "ends_on": "2027-03-31",
                    "currency": "EUR",
                    "sales_target": "100",
                    "margin_target": "10",
                },
            ),
            "training": (
                TrainingObjective,
                "/quotas/training/new/",
                {
                    "person": m.cast.owner.pk,
                    "title": "New",
                    "due_on": "2027-01-01",
                    "required": "on",
                },
            ),
            "revenue": (
                AccountRevenue,
                "/quotas/revenue/new/",
                {"relationship": account, "month": "2026-05-01", "currency": "EUR", "revenue": "5"},
            ),
            "cost": (
                ServiceCost,
                "/quotas/service-costs/new/",
                {
                    "relationship": account,
                    "month": "2026-05-01",
                    "kind": "logistics",
                    "currency": "EUR",
                    "amount": "5",
                },
            ),
        }
    api = "/api/v1/"
    return {
        "quota": (
            Quota,
            f"{api}quotas/",
            {
                "person": m.cast.owner.pk,
                "starts_on": "2027-01-01",
                "ends_on": "2027-03-31",
                "currency": "EUR",
                "sales_target": "100.00",
                "margin_target": "10.00",
            },
        ),
        "training": (
            TrainingObjective,
            f"{api}training-objectives/",
            {"person": m.cast.owner.pk, "title": "New", "due_on": "2027-01-01"},
        ),
        "revenue": (
            AccountRevenue,
            f"{api}account-revenue/",
            {"relationship": account, "month": "2026-05-01", "currency": "EUR", "revenue": "5.00"},
        ),
        "cost": (
            ServiceCost,
            f"{api}service-costs/",
            {
                "relationship": account,
                "month": "2026-05-01",
                "kind": "logistics",
                "currency": "EUR",
                "amount": "5.00",
            },
        ),
    }


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    model_class, url, data = _create_calls(m, channel)[model]
    before = model_class.objects.count()
    response = client.post(url, data, format="json") if channel == "api" else client.post(url, data)
    return _outcome(response, model_class.objects.count() > before, (302, 201))


UPDATES: dict[str, tuple[str, Any]] = {
    "quota": ("sales_target", "12345.00"),
    "training": ("title", "Changed by the matrix"),
    "revenue": ("revenue", "4321.00"),
    "cost": ("amount", "321.00"),
}


def _updated(model: str, target: Any) -> bool:
    name, value = UPDATES[model]
    fresh = getattr(type(target).objects.get(pk=target.pk), name)
    return str(fresh) == str(value) if not isinstance(fresh, Decimal) else fresh == Decimal(value)


UI_EDIT = {
    "quota": "/quotas/{pk}/edit/",
    "revenue": "/quotas/revenue/{pk}/edit/",
    "cost": "/quotas/service-costs/{pk}/edit/",
}
UI_ARCHIVE = {
    "quota": "/quotas/{pk}/archive/",
    "revenue": "/quotas/revenue/{pk}/archive/",
    "cost": "/quotas/service-costs/{pk}/archive/",
}


def _ui_update(model: str, target: Any) -> dict[str, Any]:
    name, value = UPDATES[model]
    if model == "quota":
        data = {"starts_on": "2026-01-01", "ends_on": "2026-03-31", "margin_target": "30000"}
    elif model == "revenue":
        data = {"month": target.month.isoformat()}
    else:
        data = {"month": target.month.isoformat(), "kind": target.kind}
    return data | {"currency": "EUR", name: value, "version": target.version}


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    name, value = UPDATES[model]
    if channel == "ui":
        if model == "training":
            return None  # objectives are corrected through the API
        response = client.post(UI_EDIT[model].format(pk=target.pk), _ui_update(model, target))
    else:
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {name: value, "version": target.version},
            format="json",
        )
    return _outcome(response, _updated(model, target), (302, 200))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "training":
            return None
        response = client.post(UI_ARCHIVE[model].format(pk=target.pk))
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    made = type(target).objects.get(pk=target.pk).archived_at is not None
    return _outcome(response, made, (302, 204))


CHECKS: dict[str, Callable[[str, str, Matrix, str], Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in API_BASE
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({Quota, AccountRevenue, ServiceCost, TrainingObjective})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_quotas_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED[(model, action)]
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
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
