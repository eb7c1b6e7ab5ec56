"""Writes on the register and TCO comparisons: rules, refusals naming the field, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from steward.contracts.models import Contract
from steward.core.errors import DomainError, DuplicateError, StaleVersionError, TransitionError
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.savings.services.initiatives import (
    TRANSITIONS,
    savings_initiative_archive,
    savings_initiative_create,
    savings_initiative_restore,
    savings_initiative_transition,
    savings_initiative_update,
)
from steward.savings.services.tco import (
    tco_comparison_archive,
    tco_comparison_create,
    tco_comparison_update,
    tco_option_add,
    tco_option_archive,
    tco_option_restore,
    tco_option_update,
)
from steward.savings.tests.factories import SavingsInitiativeFactory, TcoComparisonFactory
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def vendor(cast: Cast) -> Any:
    return SupplierFactory(relationship=cast.rel_a)


def measurable(cast: Cast, vendor: Any, **fields: Any) -> SavingsInitiative:
    values: dict[str, Any] = {
        "title": "Steel price",
        "kind": SavingsKind.NEGOTIATION,
        "supplier": vendor,
        "baseline_method": BaselineMethod.UNIT_PRICE,
        "baseline_unit_price": D("12"),
        "negotiated_unit_price": D("10.80"),
        "baseline_annual_spend": D("120000"),
        "effective_date": dt.date(2026, 1, 1),
    }
    values.update(fields)
    return savings_initiative_create(actor=cast.owner, **values)


# --- initiatives --------------------------------------------------------------------------------


def test_create_records_history_and_derives_the_negotiated_saving(cast: Cast, vendor: Any) -> None:
    initiative = measurable(cast, vendor, title="  Steel price  ")
    assert initiative.title == "Steel price"
    assert initiative.owner == cast.owner
    assert initiative.status == SavingsStatus.IDENTIFIED
    # 120,000 a year bought 10 % cheaper
    assert initiative.negotiated_savings == D("12000.00")
    record = initiative.history.get()
    assert (record.history_user, record.history_type) == (cast.owner, "+")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "bribery"}, "kind"),
        ({"baseline_method": "vibes"}, "baseline_method"),
        ({"baseline_unit_price": D(-1)}, "baseline_unit_price"),
        ({"baseline_unit_price": D(0)}, "baseline_unit_price"),
        ({"negotiated_annual_savings": D("-5")}, "negotiated_annual_savings"),
        ({"end_date": dt.date(2025, 12, 31)}, "end_date"),
        ({"status": SavingsStatus.CANCELLED}, "status"),
        ({"status": SavingsStatus.DELIVERED, "effective_date": None}, "effective_date"),
        ({"status": SavingsStatus.DELIVERED, "baseline_unit_price": None}, "baseline_unit_price"),
        ({"status": SavingsStatus.IN_PROGRESS, "supplier": None}, "supplier"),
    ],
)
def test_create_refuses_naming_the_field(
    cast: Cast, vendor: Any, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        measurable(cast, vendor, **fields)
    assert refused.value.field == field
    assert not SavingsInitiative.objects.exists()


def test_links_must_be_ones_the_actor_may_name(cast: Cast, vendor: Any) -> None:
    other_vendor = SupplierFactory(relationship=cast.rel_b)
    with pytest.raises(DomainError) as refused:
        measurable(cast, other_vendor)
    assert refused.value.field == "supplier"
    theirs = Contract.objects.create(
        relationship=cast.rel_b, title="B's", kind="master", owner=cast.outsider
    )
    with pytest.raises(DomainError) as refused:
        measurable(cast, vendor, contract=theirs)
    assert refused.value.field == "contract"  # not visible to the owner
    mine_elsewhere = Contract.objects.create(
        relationship=cast.rel_a, title="A's", kind="master", owner=cast.owner
    )
    with pytest.raises(DomainError) as refused:
        measurable(cast, None, contract=mine_elsewhere)
    assert refused.value.field == "supplier"
    assert measurable(cast, vendor, contract=mine_elsewhere).contract == mine_elsewhere
    # The owner must be an inside person
    with pytest.raises(DomainError) as refused:
        measurable(cast, vendor, owner=cast.portal_a)
    assert refused.value.field == "owner"


def test_finance_names_any_vendor_and_auditors_write_nothing(cast: Cast) -> None:
    finance = UserFactory(profile__function=Function.FINANCE)
    anyone = SupplierFactory(relationship=cast.rel_b)
    created = savings_initiative_create(
        actor=finance, title="Freight", kind=SavingsKind.SOURCING_AWARD, supplier=anyone
    )
    assert created.supplier == anyone
    for reader in (cast.auditor, cast.portal_a):
        with pytest.raises(PermissionDenied):
            savings_initiative_create(actor=reader, title="No", kind=SavingsKind.OTHER)


def test_update_is_versioned_and_checks_the_changed_links_only(cast: Cast, vendor: Any) -> None:
    initiative = measurable(cast, vendor)
    changed = savings_initiative_update(
        actor=cast.owner,
        initiative=initiative,
        expected_version=1,
        negotiated_annual_savings=D("11000"),
        notes="Signed",
    )
    assert (changed.version, changed.negotiated_savings) == (2, D("11000"))
    with pytest.raises(StaleVersionError):
        savings_initiative_update(
            actor=cast.owner, initiative=changed, expected_version=1, title="Late"
        )
    with pytest.raises(DomainError) as refused:
        savings_initiative_update(
            actor=cast.owner, initiative=changed, expected_version=2, lever_key="x"
        )
    assert "lever_key" in refused.value.message
    # The outsider sees neither the vendor nor the initiative: no change
    with pytest.raises(PermissionDenied):
        savings_initiative_update(
            actor=cast.outsider, initiative=changed, expected_version=2, title="Mine"
        )
    # Once the vendor is out of the owner's sight, editing the title still works
    changed.supplier_id = SupplierFactory(relationship=cast.rel_b).pk
    changed.save()
    renamed = savings_initiative_update(
        actor=cast.owner, initiative=changed, expected_version=2, title="Steel, renamed"
    )
    assert renamed.title == "Steel, renamed"


@pytest.mark.parametrize("start", SavingsStatus.values)
@pytest.mark.parametrize("target", SavingsStatus.values)
def test_every_pair_of_statuses(cast: Cast, vendor: Any, start: str, target: str) -> None:
    initiative = SavingsInitiativeFactory(
        owner=cast.owner,
        supplier=vendor,
        status=start,
        baseline_annual_spend=D(1000),
        effective_date=dt.date(2026, 1, 1),
    )
    allowed = target == start or target in TRANSITIONS[start]
    if allowed:
        moved = savings_initiative_transition(
            actor=cast.owner, initiative=initiative, to_status=target, reason="because"
        )
        assert moved.status == target
    else:
        with pytest.raises(TransitionError) as refused:
            savings_initiative_transition(
                actor=cast.owner, initiative=initiative, to_status=target, reason="because"
            )
        assert refused.value.field == "to_status"
        initiative.refresh_from_db()
        assert initiative.status == start


def test_transitions_need_what_they_need(cast: Cast, vendor: Any) -> None:
    initiative = SavingsInitiativeFactory(owner=cast.owner, supplier=vendor)
    with pytest.raises(DomainError) as refused:
        savings_initiative_transition(
            actor=cast.owner, initiative=initiative, to_status=SavingsStatus.CANCELLED
        )
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        savings_initiative_transition(
            actor=cast.owner, initiative=initiative, to_status=SavingsStatus.IN_PROGRESS
        )
    assert refused.value.field == "effective_date"
    cancelled = savings_initiative_transition(
        actor=cast.owner,
        initiative=initiative,
        to_status=SavingsStatus.CANCELLED,
        reason="The vendor left the market",
    )
    assert cancelled.history.order_by("-history_id")[0].history_change_reason == (
        "The vendor left the market"
    )
    with pytest.raises(PermissionDenied):
        savings_initiative_transition(
            actor=cast.auditor, initiative=cancelled, to_status=SavingsStatus.IDENTIFIED
        )


def test_archive_and_restore(cast: Cast, vendor: Any) -> None:
    initiative = measurable(cast, vendor)
    archived = savings_initiative_archive(actor=cast.owner, initiative=initiative)
    assert archived.is_archived
    assert archived.archived_by == cast.owner
    with pytest.raises(DomainError):
        savings_initiative_update(
            actor=cast.owner, initiative=archived, expected_version=archived.version, title="x"
        )
    restored = savings_initiative_restore(actor=cast.owner, initiative=archived)
    assert not restored.is_archived
    with pytest.raises(PermissionDenied):
        savings_initiative_archive(actor=cast.outsider, initiative=restored)


# --- TCO ----------------------------------------------------------------------------------------


def test_comparisons_are_checked(cast: Cast) -> None:
    steel = CategoryFactory()
    comparison = tco_comparison_create(
        actor=cast.owner, title=" Steel coil ", annual_quantity=D(500), category=steel
    )
    assert (comparison.title, comparison.horizon_years, comparison.owner) == (
        "Steel coil",
        3,
        cast.owner,
    )
    for fields, field in (
        ({"annual_quantity": D(0)}, "annual_quantity"),
        ({"horizon_years": 0}, "horizon_years"),
        ({"horizon_years": 31}, "horizon_years"),
        ({"title": ""}, "title"),
    ):
        with pytest.raises(DomainError) as refused:
            tco_comparison_update(
                actor=cast.owner, comparison=comparison, expected_version=1, **fields
            )
        assert refused.value.field == field
    assert TcoComparison.objects.get().version == 1
    with pytest.raises(PermissionDenied):
        tco_comparison_update(
            actor=cast.outsider, comparison=comparison, expected_version=1, title="Mine"
        )
    with pytest.raises(PermissionDenied):
        tco_comparison_create(actor=cast.auditor, title="No", annual_quantity=D(1))


def test_options_are_checked(cast: Cast, vendor: Any) -> None:
    comparison = TcoComparisonFactory(owner=cast.owner)
    option = tco_option_add(
        actor=cast.owner, comparison=comparison, supplier=vendor, unit_price=D("9.5")
    )
    with pytest.raises(DuplicateError) as duplicate:
        tco_option_add(actor=cast.owner, comparison=comparison, supplier=vendor, unit_price=D(1))
    assert duplicate.value.field == "supplier"
    for fields, field in (
        ({"duties_pct": D(101)}, "duties_pct"),
        ({"freight_per_unit": D(-1)}, "freight_per_unit"),
    ):
        with pytest.raises(DomainError) as refused:
            tco_option_update(actor=cast.owner, option=option, expected_version=1, **fields)
        assert refused.value.field == field
    with pytest.raises(DomainError):
        tco_option_update(actor=cast.owner, option=option, expected_version=1, supplier=vendor)
    # Someone else's comparison: the outsider may not add to it
    with pytest.raises(PermissionDenied):
        tco_option_add(actor=cast.outsider, comparison=comparison, supplier=vendor)
    # Taken out and put back; not while the vendor was added again
    tco_option_archive(actor=cast.owner, option=option)
    again = tco_option_add(
        actor=cast.owner, comparison=comparison, supplier=vendor, unit_price=D(9)
    )
    with pytest.raises(DuplicateError):
        tco_option_restore(actor=cast.owner, option=option)
    tco_option_archive(actor=cast.owner, option=again)
    assert not tco_option_restore(actor=cast.owner, option=option).is_archived
    # An archived comparison takes no more vendors
    tco_comparison_archive(actor=cast.owner, comparison=comparison)
    comparison.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        tco_option_add(
            actor=cast.owner,
            comparison=comparison,
            supplier=SupplierFactory(relationship__owner=cast.owner),
            unit_price=D(1),
        )
    assert refused.value.field == "comparison"
    assert TcoOption.objects.filter(archived_at__isnull=True).count() == 1
