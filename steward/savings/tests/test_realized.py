"""Realized savings from later spend: by hand on the ledger, and by property on the arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from steward.savings.choices import BaselineMethod, SavingsStatus
from steward.savings.models import SavingsInitiative
from steward.savings.realized import (
    NO_DATE,
    NO_MONTHS,
    NO_SCOPE,
    NOT_STARTED,
    _measure_one,
    measure,
    measure_one,
    measured_months,
    register_totals,
)
from steward.savings.tests.factories import SavingsInitiativeFactory, month_ago
from steward.spend.money import month_of
from steward.spend.scope import NOTHING, SpendScope
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal
EVERYTHING = SpendScope(supplier_ids=None, cost_centers=True)


def test_measured_months_are_whole_months_before_this_one() -> None:
    today = dt.date(2026, 5, 20)
    assert measured_months(dt.date(2026, 1, 1), None, today) == [202601, 202602, 202603, 202604]
    # A date inside a month starts the measure with the next month
    assert measured_months(dt.date(2026, 1, 2), None, today) == [202602, 202603, 202604]
    # The end date's month counts only when the end date is its last day
    assert measured_months(dt.date(2026, 1, 1), dt.date(2026, 2, 28), today) == [202601, 202602]
    assert measured_months(dt.date(2026, 1, 1), dt.date(2026, 2, 27), today) == [202601]
    # Nothing has passed yet
    assert measured_months(dt.date(2026, 5, 1), None, today) == []
    assert measured_months(dt.date(2025, 12, 1), None, dt.date(2026, 1, 1)) == [202512]


@pytest.fixture
def ledger() -> dict[str, object]:
    vendor, steel, tubes = SupplierFactory(), CategoryFactory(), CategoryFactory()
    other = SupplierFactory()
    store(
        [
            # Before the effective date: not measured
            Line(vendor, month_ago(4, day=10), D("5000"), category=steel, quantity=D(100), key=1),
            # Three months under the new terms (10.00 and 11.00 a unit against 12.00)
            Line(vendor, month_ago(3, day=10), D("1000"), category=steel, quantity=D(100), key=2),
            Line(vendor, month_ago(2, day=10), D("550"), category=steel, quantity=D(50), key=3),
            # A month without units (a service charge, say): no price to compare
            Line(vendor, month_ago(1, day=11), D("300"), category=steel, key=4),
            Line(vendor, month_ago(2, day=12), D("999"), category=tubes, quantity=D(9), key=5),
            # This month is still running: not measured
            Line(vendor, timezone.localdate().replace(day=1), D("100"), category=steel, key=6),
            Line(other, month_ago(2, day=3), D("4000"), category=steel, quantity=D(400), key=7),
        ]
    )
    return {"vendor": vendor, "other": other, "steel": steel, "tubes": tubes}


def test_unit_price_savings_by_hand(ledger: dict[str, object]) -> None:
    # Given a unit-price initiative on the vendor and category, effective three months ago
    initiative = SavingsInitiativeFactory(
        status=SavingsStatus.DELIVERED,
        supplier=ledger["vendor"],
        category=ledger["steel"],
        baseline_method=BaselineMethod.UNIT_PRICE,
        baseline_unit_price=D("12"),
        effective_date=month_ago(3),
    )
    # When it is measured
    realized = measure_one(initiative, scope=EVERYTHING, today=timezone.localdate())
    # Then (12 - 1,550 / 150) x 150 = 250: 200 in the first month, 50 in the second, 0 since
    assert realized.realized == D("250.00")
    assert realized.quantity == D(150)
    assert realized.amount == D("1550")
    assert realized.average_unit_price == D("10.3333")
    assert [f.month for f in realized.months] == [month_of(month_ago(n)) for n in (3, 2, 1)]
    assert [f.realized for f in realized.months] == [D("200"), D("50"), D("0")]
    assert realized.cumulative == (D("200.00"), D("250.00"), D("250.00"))


def test_a_charge_without_units_in_a_priced_month_is_part_of_the_price() -> None:
    # The ledger sums per vendor, category and month: a surcharge on the same invoices as the
    # units is part of what the units cost.
    vendor = SupplierFactory()
    store(
        [
            Line(vendor, month_ago(1, day=3), D("1000"), quantity=D(100), key=31),
            Line(vendor, month_ago(1, day=4), D("50"), key=32),
        ]
    )
    initiative = SavingsInitiativeFactory(
        status=SavingsStatus.DELIVERED,
        supplier=vendor,
        baseline_method=BaselineMethod.UNIT_PRICE,
        baseline_unit_price=D("11"),
        effective_date=month_ago(1),
    )
    realized = measure_one(initiative, scope=EVERYTHING, today=timezone.localdate())
    assert realized.average_unit_price == D("10.5000")
    assert realized.realized == D("50.00")


def test_annual_spend_savings_by_hand(ledger: dict[str, object]) -> None:
    # Given 12,000 a year (1,000 a month) as baseline, effective in the middle of a month
    initiative = SavingsInitiativeFactory(
        status=SavingsStatus.IN_PROGRESS,
        supplier=ledger["vendor"],
        baseline_annual_spend=D("12000"),
        effective_date=month_ago(3, day=15),
    )
    realized = measure_one(initiative, scope=EVERYTHING, today=timezone.localdate())
    # Then the two whole months after it count: 2 x 1,000 - (550 + 999 + 300)
    assert len(realized.months) == 2
    assert realized.amount == D("1849")
    assert realized.realized == D("151.00")


def test_a_category_alone_takes_every_vendor_in_it(ledger: dict[str, object]) -> None:
    initiative = SavingsInitiativeFactory(
        status=SavingsStatus.IN_PROGRESS,
        category=ledger["steel"],
        baseline_method=BaselineMethod.UNIT_PRICE,
        baseline_unit_price=D("11"),
        effective_date=month_ago(2),
        end_date=month_ago(1) - dt.timedelta(days=1),  # the last day of two months ago
    )
    realized = measure_one(initiative, scope=EVERYTHING, today=timezone.localdate())
    # 11 x (50 + 400) - (550 + 4,000), the month before last only (the end date's)
    assert realized.realized == D("400.00")
    # Over the spend of the first vendor only, as its manager sees it: 11 x 50 - 550
    mine = SpendScope(supplier_ids=frozenset({ledger["vendor"].pk}), cost_centers=False)
    assert measure_one(initiative, scope=mine, today=timezone.localdate()).realized == D("0.00")


def test_what_cannot_be_measured_says_why(ledger: dict[str, object]) -> None:
    today = timezone.localdate()
    vendor = ledger["vendor"]
    identified = SavingsInitiativeFactory(supplier=vendor, baseline_annual_spend=D(1))
    undated = SavingsInitiativeFactory(
        status=SavingsStatus.IN_PROGRESS, supplier=vendor, baseline_annual_spend=D(1)
    )
    fresh = SavingsInitiativeFactory(
        status=SavingsStatus.IN_PROGRESS,
        supplier=vendor,
        baseline_annual_spend=D(1),
        effective_date=today.replace(day=1),
    )
    chosen: list[Any] = [identified, undated, fresh]
    found = measure(chosen, scope=EVERYTHING, today=today)
    assert [found[i.pk].reason for i in (identified, undated, fresh)] == [
        NOT_STARTED,
        NO_DATE,
        NO_MONTHS,
    ]
    assert all(found[i.pk].realized is None for i in (identified, undated, fresh))
    assert measure_one(fresh, scope=NOTHING, today=today).reason == NO_SCOPE


def test_a_list_is_measured_in_one_query(ledger: dict[str, object]) -> None:
    initiatives = [
        SavingsInitiativeFactory(
            status=SavingsStatus.DELIVERED,
            supplier=ledger["vendor"] if n % 2 else None,
            category=ledger["steel"],
            baseline_annual_spend=D(1200 * n),
            effective_date=month_ago(3),
        )
        for n in range(1, 7)
    ]
    with CaptureQueriesContext(connection) as queries:
        found = measure(initiatives, scope=EVERYTHING, today=timezone.localdate())
    assert len(queries) == 1
    assert all(found[i.pk].realized is not None for i in initiatives)


def test_register_totals_leave_cancelled_out() -> None:
    kept = SavingsInitiative(
        pk=1,
        status=SavingsStatus.IDENTIFIED,
        baseline_annual_spend=D("100"),
        estimated_annual_savings=D("10"),
        negotiated_annual_savings=D("8"),
    )
    cancelled = SavingsInitiative(
        pk=2, status=SavingsStatus.CANCELLED, baseline_annual_spend=D("900")
    )
    totals = register_totals([kept, cancelled], {})
    assert (totals.initiatives, totals.baseline, totals.estimated, totals.negotiated) == (
        1,
        D("100"),
        D("10"),
        D("8"),
    )
    assert totals.realized == 0


# --- the arithmetic, by property ---------------------------------------------------------------

MONTHS = [202601, 202602, 202603, 202604]
cents = st.integers(min_value=0, max_value=10**9)
units = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
cells = st.dictionaries(
    st.tuples(st.sampled_from([1, 2]), st.sampled_from([None, 7, 8]), st.sampled_from(MONTHS)),
    st.tuples(cents, units),
    max_size=20,
)
prices = st.decimals(
    min_value=D("0.0001"), max_value=10_000, places=4, allow_nan=False, allow_infinity=False
)


def _ledger_cells(drawn: dict) -> dict:
    # (amount, quantity, amount of priced segments): a segment is priced when it has units
    return {key: (amount, qty, amount if qty > 0 else 0) for key, (amount, qty) in drawn.items()}


@given(cells, prices)
def test_unit_price_savings_are_baseline_times_units_less_paid(drawn: dict, price: D) -> None:
    initiative = SavingsInitiative(
        pk=1,
        supplier_id=1,
        category_id=7,
        baseline_method=BaselineMethod.UNIT_PRICE,
        baseline_unit_price=price,
    )
    realized = _measure_one(initiative, MONTHS, _ledger_cells(drawn))
    mine = [(a, q) for (s, c, _), (a, q) in drawn.items() if s == 1 and c == 7 and q > 0]
    quantity = sum((q for _, q in mine), D(0))
    paid = D(sum(a for a, _ in mine)) / 100
    assert realized.realized == (price * quantity - paid).quantize(D("0.01"), ROUND_HALF_UP)
    assert realized.quantity == quantity
    if quantity:
        average = paid / quantity
        assert abs((price - average) * quantity - (price * quantity - paid)) < D("0.000001")


@given(cells, st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_annual_savings_are_prorated_baseline_less_paid(drawn: dict, baseline: D) -> None:
    initiative = SavingsInitiative(
        pk=1, supplier_id=2, baseline_method=BaselineMethod.ANNUAL_SPEND,
        baseline_annual_spend=baseline,
    )  # fmt: skip
    realized = _measure_one(initiative, MONTHS, _ledger_cells(drawn))
    paid = D(sum(a for (s, _, _), (a, _) in drawn.items() if s == 2)) / 100
    assert realized.realized == (baseline / 12 * len(MONTHS) - paid).quantize(
        D("0.01"), ROUND_HALF_UP
    )
    assert realized.cumulative[-1] == realized.realized
