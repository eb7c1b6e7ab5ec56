"""Levers from the ledger: which vendors and categories are suggested, with what estimate, and
how one is taken up as an initiative."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from steward.contracts.models import Contract
from steward.core.errors import DomainError, DuplicateError
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.levers import (
    CONSOLIDATION_SAVING_RATE,
    LEVER_KINDS,
    OFF_CONTRACT_SAVING_RATE,
    STEADY_MAX_CV,
    VOLUME_COMMITMENT_SAVING_RATE,
    is_steady,
    lever_key,
    months_later,
    steadiness,
    suggest_levers,
)
from steward.savings.selectors import levers_for
from steward.savings.services.initiatives import (
    savings_initiative_archive,
    savings_initiative_from_lever,
)
from steward.savings.tests.factories import month_ago
from steward.spend.scope import SpendScope, scope_for
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal
ALL = SpendScope(supplier_ids=None, cost_centers=True)
_keys = itertools.count(1000)


def monthly(vendor: Any, amounts: list[int], **fields: Any) -> list[Line]:
    """One line per month, the last twelve whole months, oldest first (0: no line)."""
    return [
        Line(vendor, month_ago(12 - index, day=7), D(amount), key=next(_keys), **fields)
        for index, amount in enumerate(amounts)
        if amount
    ]


def contract(vendor: Any, owner: Any, ends: dt.date) -> Contract:
    return Contract.objects.create(
        relationship=vendor.relationship,
        title="Frame agreement",
        kind="master",
        owner=owner,
        status="active",
        start_date=ends - dt.timedelta(days=700),
        end_date=ends,
    )


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    today = timezone.localdate()
    bolts = CategoryFactory(name="Bolts")
    crowd = [SupplierFactory() for _ in range(8)]
    steady_free = SupplierFactory(relationship=cast.rel_a)
    steady_ending = SupplierFactory()
    steady_long = SupplierFactory()
    unsteady = SupplierFactory()
    volatile = SupplierFactory()
    ending = contract(steady_ending, cast.admin, today + dt.timedelta(days=90))
    lasting = contract(steady_long, cast.admin, today + dt.timedelta(days=700))
    lines = [
        Line(vendor, month_ago(3, day=2), D(5000), category=bolts, key=next(_keys))
        for vendor in crowd
    ]
    lines += monthly(
        steady_free, [2000, 2100, 1900, 2000, 2050, 1950, 2000, 2000, 2100, 1900, 2000, 2000]
    )
    lines += monthly(steady_ending, [3000] * 12, contract=ending)
    lines += monthly(steady_long, [3000] * 12, contract=lasting)
    lines += monthly(unsteady, [2000] * 9 + [0, 0, 0])
    lines += monthly(volatile, [500, 5000] * 6)
    store(lines)
    return {
        "bolts": bolts,
        "steady_free": steady_free,
        "steady_ending": steady_ending,
        "unsteady": unsteady,
        "volatile": volatile,
        "ending": ending,
    }


def test_the_levers_of_a_ledger(cast: Cast, world: dict[str, Any]) -> None:
    levers = suggest_levers(user=cast.admin, scope=ALL, today=timezone.localdate())
    found = {lever.key: lever for lever in levers}
    free, ending = world["steady_free"].pk, world["steady_ending"].pk
    assert set(found) == {
        lever_key(SavingsKind.CONSOLIDATION, "category", world["bolts"].pk),
        lever_key(SavingsKind.VOLUME_COMMITMENT, "supplier", free),
        lever_key(SavingsKind.LONGER_TERM, "supplier", ending),
        lever_key(SavingsKind.OFF_CONTRACT, "supplier", free),
        lever_key(SavingsKind.OFF_CONTRACT, "supplier", world["unsteady"].pk),
        lever_key(SavingsKind.OFF_CONTRACT, "supplier", world["volatile"].pk),
    }
    consolidate = found[lever_key(SavingsKind.CONSOLIDATION, "category", world["bolts"].pk)]
    assert consolidate.spend_cents == 4_000_000  # 8 vendors x 5,000
    assert consolidate.estimated_saving == D("40000") * CONSOLIDATION_SAVING_RATE
    assert ("HHI", "1250") in consolidate.figures
    assert consolidate.category_name == "Bolts"
    commit = found[lever_key(SavingsKind.VOLUME_COMMITMENT, "supplier", free)]
    assert commit.spend == D("24000.00")
    assert commit.estimated_saving == D("24000") * VOLUME_COMMITMENT_SAVING_RATE
    assert ("Months with spend", "12 of 12") in commit.figures
    assert commit.supplier_name == str(world["steady_free"])
    longer = found[lever_key(SavingsKind.LONGER_TERM, "supplier", ending)]
    assert longer.contract_id == world["ending"].pk
    off = found[lever_key(SavingsKind.OFF_CONTRACT, "supplier", world["volatile"].pk)]
    assert off.spend_cents == 3_300_000
    assert off.estimated_saving_cents == 198_000  # 6 % of 33,000
    assert D("0.06") == OFF_CONTRACT_SAVING_RATE
    # Ordered by kind, then by the largest saving
    kinds = [lever.kind for lever in levers]
    assert kinds == sorted(kinds, key=list(LEVER_KINDS).index)
    off_contract = [lever.estimated_saving_cents for lever in levers if lever.kind == off.kind]
    assert off_contract == sorted(off_contract, reverse=True)


def test_a_vendor_manager_sees_the_levers_of_their_vendors_only(
    cast: Cast, world: dict[str, Any]
) -> None:
    found = {lever.key for lever in levers_for(user=cast.owner, today=timezone.localdate())}
    free = world["steady_free"].pk
    assert found == {
        lever_key(SavingsKind.VOLUME_COMMITMENT, "supplier", free),
        lever_key(SavingsKind.OFF_CONTRACT, "supplier", free),
    }
    assert levers_for(user=cast.portal_a, today=timezone.localdate()) == []


def test_taking_up_a_lever_makes_one_initiative(cast: Cast, world: dict[str, Any]) -> None:
    key = lever_key(SavingsKind.VOLUME_COMMITMENT, "supplier", world["steady_free"].pk)
    initiative = savings_initiative_from_lever(actor=cast.owner, key=key)
    assert initiative.status == SavingsStatus.IDENTIFIED
    assert initiative.kind == SavingsKind.VOLUME_COMMITMENT
    assert initiative.owner == cast.owner
    assert initiative.supplier == world["steady_free"]
    assert initiative.baseline_method == BaselineMethod.ANNUAL_SPEND
    assert initiative.baseline_annual_spend == D("24000.00")
    assert initiative.estimated_annual_savings == D("1200.00")
    assert "Months with spend: 12 of 12" in initiative.notes
    assert initiative.history.get().history_change_reason == "Created from a lever"
    # The lever is now shown as taken up, with a link for those who see the initiative
    mine = {lever.key: lever for lever in levers_for(user=cast.owner, today=timezone.localdate())}
    assert mine[key].taken_up
    assert mine[key].initiative_id == initiative.pk
    # A second click makes nothing
    with pytest.raises(DuplicateError):
        savings_initiative_from_lever(actor=cast.owner, key=key)
    # Archived, the lever is offered again
    savings_initiative_archive(actor=cast.owner, initiative=initiative)
    again = savings_initiative_from_lever(actor=cast.owner, key=key)
    assert again.pk != initiative.pk


def test_a_longer_term_lever_names_the_contract_when_it_is_visible(
    cast: Cast, world: dict[str, Any]
) -> None:
    finance = UserFactory(profile__function=Function.FINANCE)
    key = lever_key(SavingsKind.LONGER_TERM, "supplier", world["steady_ending"].pk)
    by_finance = savings_initiative_from_lever(actor=finance, key=key)
    assert by_finance.contract is None  # finance does not see the vendor's contracts
    savings_initiative_archive(actor=finance, initiative=by_finance)
    by_admin = savings_initiative_from_lever(actor=cast.admin, key=key)
    assert by_admin.contract == world["ending"]


def test_a_lever_outside_ones_spend_cannot_be_taken_up(cast: Cast, world: dict[str, Any]) -> None:
    key = lever_key(SavingsKind.OFF_CONTRACT, "supplier", world["volatile"].pk)
    with pytest.raises(DomainError) as refused:
        savings_initiative_from_lever(actor=cast.outsider, key=key)
    assert (refused.value.field, refused.value.code) == ("lever", "unknown_lever")
    with pytest.raises(DomainError):
        savings_initiative_from_lever(actor=cast.owner, key="made-up-1")
    assert scope_for(cast.outsider).supplier_ids is not None


# --- steadiness ---------------------------------------------------------------------------------


def test_steadiness_by_hand() -> None:
    assert steadiness([1000] * 12) == (12, D("0.0000"))
    assert steadiness([0] * 12) == (0, None)
    assert steadiness([500, 1500] * 6) == (12, D("0.5000"))  # deviation 500 over mean 1000
    assert is_steady([1000] * 10 + [0, 0])
    assert not is_steady([1000] * 9 + [0, 0, 0])
    assert not is_steady([500, 1500] * 6)
    assert D("0.35") == STEADY_MAX_CV


amounts = st.lists(st.integers(min_value=-10_000, max_value=10**9), min_size=12, max_size=12)


@given(amounts, st.integers(min_value=1, max_value=1000))
def test_steadiness_does_not_depend_on_the_scale(series: list[int], factor: int) -> None:
    months, cv = steadiness(series)
    assert months == sum(1 for amount in series if amount > 0)
    scaled_months, scaled_cv = steadiness([amount * factor for amount in series])
    assert scaled_months == months
    if cv is None:
        assert scaled_cv is None
    else:
        assert scaled_cv is not None
        assert abs(scaled_cv - cv) <= D("0.0001")
        assert cv >= 0


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=10, max_value=12))
def test_even_spend_in_enough_months_is_steady(amount: int, months: int) -> None:
    assert is_steady([amount] * months + [0] * (12 - months))


def test_months_later_keeps_the_day_where_it_can() -> None:
    assert months_later(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert months_later(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
