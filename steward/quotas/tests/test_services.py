"""The quotas services: who may set a quota, overlaps, imports all or nothing and idempotent,
revenue and costs, training completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.accounts.tests.world import DemandWorld
from steward.core.errors import DomainError, StaleVersionError
from steward.core.tabular import ImportRefused
from steward.parties.tests.cast import Cast
from steward.quotas import services
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective
from steward.quotas.tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db
D = Decimal
Q1 = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 3, 31)}


def _set(actor: Any, person: Any, **more: Any) -> Quota:
    values = {**Q1, "currency": "EUR", "sales_target": D(90000), "margin_target": D(30000), **more}
    return services.quota_set(actor=actor, person=person, **values)


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("manager", True),
        ("director", True),
        ("admin", True),
        ("owner", False),
        ("outsider", False),
        ("auditor", False),
        ("member", False),
    ],
)
def test_who_may_set_owners_quota(cast: Cast, role: str, allowed: bool) -> None:
    if allowed:
        quota = _set(cast.user(role), cast.owner)
        assert quota.history.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _set(cast.user(role), cast.owner)
        assert not Quota.objects.exists()


def test_overlapping_periods_are_refused(cast: Cast) -> None:
    _set(cast.manager, cast.owner)
    with pytest.raises(DomainError, match="2026-01-01 to 2026-03-31") as refused:
        _set(cast.manager, cast.owner, starts_on=dt.date(2026, 3, 31), ends_on=dt.date(2026, 6, 30))
    assert refused.value.code == "overlap"
    # the next quarter, starting the day after, is fine; another person's Q1 too
    _set(cast.manager, cast.owner, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30))
    _set(cast.admin, cast.outsider)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": dt.date(2025, 12, 1)}, "ends_on"),
        ({"currency": "EURO"}, "currency"),
        ({"sales_target": D(-1)}, "sales_target"),
        ({"margin_target": D("1.234")}, "margin_target"),
    ],
)
def test_bad_values_name_their_field(cast: Cast, change: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        _set(cast.manager, cast.owner, **change)
    assert refused.value.field == field
    assert not Quota.objects.exists()


def test_update_checks_the_version_and_archive_frees_the_period(cast: Cast) -> None:
    quota = _set(cast.manager, cast.owner)
    updated = services.quota_update(
        actor=cast.manager, quota=quota, expected_version=1, sales_target=D(100000)
    )
    assert updated.version == 2
    with pytest.raises(StaleVersionError):
        services.quota_update(actor=cast.manager, quota=quota, expected_version=1, notes="late")
    with pytest.raises(PermissionDenied):
        services.quota_update(
            actor=cast.owner, quota=updated, expected_version=2, sales_target=D(1)
        )
    services.quota_archive(actor=cast.manager, quota=updated)
    _set(cast.manager, cast.owner)  # the period is free again


QUOTA_FILE = (
    "username,start,end,currency,sales_target,gross_profit_target\n"
    "owner,2026-01-01,2026-03-31,EUR,90000,30000\n"
    "member,2026-01-01,2026-03-31,USD,50000,10000\n"
)


def test_the_quota_import_is_idempotent(cast: Cast) -> None:
    cast.member.profile.manager = cast.manager
    cast.member.profile.save()
    from steward.core.access import forget_principal

    forget_principal(cast.manager)
    assert services.quotas_import(actor=cast.manager, upload=_csv("q.csv", QUOTA_FILE)) == 2
    assert services.quotas_import(actor=cast.manager, upload=_csv("q.csv", QUOTA_FILE)) == 0
    changed = QUOTA_FILE.replace("90000", "95000")
    assert services.quotas_import(actor=cast.manager, upload=_csv("q.csv", changed)) == 1
    quota = Quota.objects.get(person=cast.owner)
    assert quota.sales_target == D(95000)
    assert quota.version == 2


def test_a_bad_row_refuses_the_whole_quota_file(cast: Cast) -> None:
    bad = (
        QUOTA_FILE + "outsider,2026-01-01,2026-03-31,EUR,1,1\nowner,2026-02-01,2026-02-28,EUR,x,1\n"
    )
    with pytest.raises(ImportRefused) as refused:
        services.quotas_import(actor=cast.manager, upload=_csv("q.csv", bad))
    reasons = [str(e) for e in refused.value.errors]
    assert any("row 3, username" in r for r in reasons)  # member is not manager's report
    assert any("row 4, username" in r for r in reasons)  # outsider neither
    assert any("row 5, sales_target" in r for r in reasons)
    assert not Quota.objects.exists()


def test_revenue_and_costs_follow_the_account(cast: Cast, world: DemandWorld, finance: Any) -> None:
    account = world.account_a
    row = services.account_revenue_record(
        actor=cast.owner,
        relationship=account,
        month=dt.date(2026, 1, 17),
        currency="eur",
        revenue=D(1000),
        cost=D(600),
    )
    assert (row.month, row.currency) == (dt.date(2026, 1, 1), "EUR")
    with pytest.raises(DomainError) as twice:
        services.account_revenue_record(
            actor=finance,
            relationship=account,
            month=dt.date(2026, 1, 1),
            currency="EUR",
            revenue=D(1),
        )
    assert twice.value.code == "duplicate"
    with pytest.raises(PermissionDenied):
        services.account_revenue_record(
            actor=cast.outsider,
            relationship=account,
            month=dt.date(2026, 2, 1),
            currency="EUR",
            revenue=D(1),
        )
    with pytest.raises(DomainError, match="vendor"):
        services.account_revenue_record(
            actor=cast.admin,
            relationship=cast.rel_a,
            month=dt.date(2026, 2, 1),
            currency="EUR",
            revenue=D(1),
        )
    cost = services.service_cost_record(
        actor=finance,
        relationship=world.account_b,
        month=dt.date(2026, 1, 1),
        kind="support",
        currency="EUR",
        amount=D(90),
    )
    assert cost.history.count() == 1


def test_the_revenue_import_all_or_nothing_and_idempotent(world: DemandWorld, finance: Any) -> None:
    a, b = world.account_a.pk, world.account_b.pk
    text = (
        "account,month,product,currency,revenue,cost\n"
        f"{a},2026-01-01,,EUR,1000,600\n{b},2026-01-15,,USD,500,\n"
    )
    assert services.account_revenue_import(actor=finance, upload=_csv("r.csv", text)) == 2
    assert services.account_revenue_import(actor=finance, upload=_csv("r.csv", text)) == 0
    assert AccountRevenue.objects.get(relationship_id=b).cost == 0
    bad = text + f"{a},2026-01-01,,EUR,5,\n999999,2026-01-01,,EUR,5,\n"
    with pytest.raises(ImportRefused) as refused:
        services.account_revenue_import(
            actor=finance, upload=_csv("r.csv", bad.replace("1000", "2000"))
        )
    reasons = [str(e) for e in refused.value.errors]
    assert any("row 4" in r and "repeats row 2" in r for r in reasons)
    assert any("row 5, account" in r for r in reasons)
    assert AccountRevenue.objects.get(relationship_id=a).revenue == D(1000)  # nothing written


def test_the_cost_import_only_takes_accounts_the_importer_keeps(
    cast: Cast, world: DemandWorld
) -> None:
    a, b = world.account_a.pk, world.account_b.pk
    text = (
        "account,month,kind,currency,amount,notes\n"
        f"{a},2026-01-01,support,EUR,90,\n{b},2026-01-01,support,EUR,5,\n"
    )
    with pytest.raises(ImportRefused):
        services.service_costs_import(actor=cast.owner, upload=_csv("c.csv", text))
    assert (
        services.service_costs_import(
            actor=cast.owner, upload=_csv("c.csv", text.rsplit("\n", 2)[0] + "\n")
        )
        == 1
    )
    assert ServiceCost.objects.count() == 1


def test_training_completion(cast: Cast) -> None:
    objective = services.training_objective_set(
        actor=cast.manager, person=cast.owner, title="Negotiation", due_on=dt.date(2026, 2, 1)
    )
    with pytest.raises(PermissionDenied):
        services.training_objective_set(
            actor=cast.owner, person=cast.owner, title="X", due_on=dt.date(2026, 2, 1)
        )
    with pytest.raises(PermissionDenied):
        services.training_objective_complete(actor=cast.outsider, objective=objective)
    done = services.training_objective_complete(
        actor=cast.owner, objective=objective, completed_on=dt.date(2026, 1, 30), evidence="CERT-1"
    )
    assert done.completed_in_time
    assert done.evidence == "CERT-1"
    late: Any = TrainingFactory(person=cast.owner, due_on=dt.date(2026, 1, 1))
    late = services.training_objective_complete(
        actor=cast.manager, objective=late, completed_on=dt.date(2026, 1, 2)
    )
    assert not late.completed_in_time
    with pytest.raises(DomainError) as future:
        services.training_objective_complete(
            actor=cast.owner, objective=late, completed_on=dt.date(2999, 1, 1)
        )
    assert future.value.code == "future"
    assert TrainingObjective.objects.count() == 2
