"""Spend figures on small ledgers whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract
from steward.core.errors import DomainError
from steward.people.tests.factories import UserFactory
from steward.spend import analytics
from steward.spend.analytics import Filters, Period, figures, naive
from steward.spend.analytics.figures import concentration_row, pareto_rows
from steward.spend.models import ExchangeRate
from steward.spend.scope import NOTHING, SpendScope
from steward.spend.tests.factories import CostCenterFactory, Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal
ALL = SpendScope(supplier_ids=None, cost_centers=True)
YEAR = Period.year(2026)
MODULES = pytest.mark.parametrize("figures", [analytics, naive], ids=["columnar", "naive"])


def contract(supplier: Any, **fields: Any) -> Contract:
    values: dict[str, Any] = {
        "relationship": supplier.relationship,
        "title": "Supply agreement",
        "kind": ContractKind.MASTER,
        "owner": UserFactory(),
        "status": ContractStatus.ACTIVE,
    }
    values.update(fields)
    return Contract.objects.create(**values)


def day(month: int, number: int = 1) -> dt.date:
    return dt.date(2026, month, number)


# --- arithmetic on given totals ------------------------------------------------------------------


def test_pareto_classes_turn_at_80_and_95_percent_of_the_cumulative_share_before_a_row() -> None:
    # Given shares of 50, 29, 6, 10, 4, 1 % (total 10,000 cents)
    rows = pareto_rows([(1, 5000), (2, 2900), (3, 600), (4, 1000), (5, 400), (6, 100)])
    # Then largest first; A while < 80 % comes before, B while < 95 %, then C
    assert [row.key for row in rows] == [1, 2, 4, 3, 5, 6]
    # (10 % starts at 79 %: still A; 6 % starts at 89 %: B; 4 % starts at 95 %: C)
    assert [row.abc for row in rows] == ["A", "A", "A", "B", "C", "C"]
    assert [row.cumulative_share for row in rows] == [D(50), D(79), D(89), D(95), D(99), D(100)]
    assert rows[2].share == D("10.00")


def test_a_row_that_starts_exactly_at_80_percent_is_b() -> None:
    rows = pareto_rows([(1, 8000), (2, 1500), (3, 500)])
    assert [row.abc for row in rows] == ["A", "B", "C"]


def test_credit_only_keys_are_class_c_and_shares_are_of_the_positive_total() -> None:
    rows = pareto_rows([(1, 1000), (2, -200), (None, 0)])
    assert [(row.key, row.abc, row.share) for row in rows] == [
        (1, "A", D(100)),
        (None, "C", D(0)),
        (2, "C", D(-20)),
    ]


def test_hhi_of_50_30_20_is_3800_and_single_source_is_one_vendor_with_spend() -> None:
    row = concentration_row(7, [(1, 5000), (2, 3000), (3, 2000)])
    assert row is not None
    assert (row.hhi, row.vendors, row.top_supplier_id, row.top_share) == (3800, 3, 1, D(50))
    assert not row.single_source
    single = concentration_row(7, [(4, 900), (5, -100), (6, 0)])
    assert single is not None
    assert (single.single_source, single.hhi, single.vendors, single.amount_cents) == (
        True,
        10000,
        1,
        800,
    )
    assert concentration_row(7, [(4, -1)]) is None


# --- over a stored ledger ------------------------------------------------------------------------


@MODULES
def test_trend_has_every_month_with_the_prior_year(figures: Any) -> None:
    a = SupplierFactory()
    store(
        [
            Line(a, dt.date(2025, 3, 9), D("40.00")),
            Line(a, day(3, 2), D("100.00")),
            Line(a, day(3, 20), D("25.50")),
            Line(a, day(5), D("10.00")),
        ]
    )
    points = figures.trend(ALL, Period(first=202602, last=202605))
    assert [(p.month, p.amount_cents, p.lines, p.prior_year_cents) for p in points] == [
        (202602, 0, 0, 0),
        (202603, 12550, 2, 4000),
        (202604, 0, 0, 0),
        (202605, 1000, 1, 0),
    ]
    # Year over year for the vendor tab: the same through supplier_monthly
    assert figures.supplier_monthly(ALL, Period(first=202602, last=202605), a.pk) == points
    assert figures.supplier_monthly(ALL, YEAR, SupplierFactory().pk)[2].amount_cents == 0


@MODULES
def test_cube_by_supplier_and_category_sorted_by_amount_then_keys(figures: Any) -> None:
    a, b = SupplierFactory(), SupplierFactory()
    it = CategoryFactory()
    store(
        [
            Line(a, day(1), D("5.00"), category=it),
            Line(a, day(2), D("5.00")),
            Line(b, day(1), D("7.00"), category=it),
            Line(b, day(3), D("3.00"), category=it),
        ]
    )
    rows = figures.cube(ALL, YEAR, ["supplier", "category"])
    assert [(row.keys, row.amount_cents, row.lines) for row in rows] == [
        ((b.pk, it.pk), 1000, 2),
        ((a.pk, None), 500, 1),
        ((a.pk, it.pk), 500, 1),
    ]
    assert [(r.keys, r.amount_cents) for r in figures.cube(ALL, YEAR, [])] == [((), 2000)]
    only_a = SpendScope(supplier_ids=frozenset({a.pk}), cost_centers=False)
    assert [r.keys for r in figures.cube(only_a, YEAR, ["supplier"])] == [(a.pk,)]
    assert figures.cube(NOTHING, YEAR, ["supplier"]) == []


@MODULES
def test_cost_centers_only_for_those_who_see_all_and_only_with_months_and_categories(
    figures: Any,
) -> None:
    a = SupplierFactory()
    it = CategoryFactory()
    north, south = CostCenterFactory(), CostCenterFactory()
    store(
        [
            Line(a, day(1), D("1.00"), category=it, cost_center=north),
            Line(a, day(1), D("2.00"), category=it, cost_center=south),
            Line(a, day(2), D("4.00"), cost_center=north),
        ]
    )
    rows = figures.cube(ALL, YEAR, ["cost_center"], Filters(categories=(it.pk,)))
    assert [(r.keys, r.amount_cents) for r in rows] == [((south.pk,), 200), ((north.pk,), 100)]
    assert [p.amount_cents for p in figures.trend(ALL, YEAR, Filters(cost_centers=(north.pk,)))][
        :2
    ] == [100, 400]
    restricted = SpendScope(supplier_ids=frozenset({a.pk}), cost_centers=False)
    with pytest.raises(DomainError) as refused:
        figures.cube(restricted, YEAR, ["cost_center"])
    assert (refused.value.field, refused.value.code) == ("cost_center", "forbidden")
    with pytest.raises(DomainError) as mixed:
        figures.cube(ALL, YEAR, ["cost_center", "supplier"])
    assert mixed.value.field == "cost_center"
    with pytest.raises(DomainError) as unknown:
        figures.cube(ALL, YEAR, ["colour"])
    assert unknown.value.field == "dims"


@MODULES
def test_tail_maverick_and_pareto_by_category(figures: Any) -> None:
    big, middle, small = SupplierFactory(), SupplierFactory(), SupplierFactory()
    it, office = CategoryFactory(), CategoryFactory()
    deal = contract(big)
    store(
        [
            Line(big, day(1), D("800.00"), category=it, contract=deal),
            Line(middle, day(2), D("150.00"), category=office),
            Line(small, day(3), D("30.00"), category=office),
            Line(small, day(4), D("20.00"), category=office),
        ]
    )
    pareto = figures.pareto(ALL, YEAR, "supplier")
    assert [(r.key, r.abc) for r in pareto] == [(big.pk, "A"), (middle.pk, "B"), (small.pk, "C")]
    # the top rows alone keep the shares of the whole ranking
    second = figures.pareto(ALL, YEAR, "supplier", limit=2)[1]
    assert (second.key, second.share, second.cumulative_share) == (middle.pk, D(15), D(95))
    with pytest.raises(DomainError) as no_rows:
        figures.pareto(ALL, YEAR, "supplier", limit=0)
    assert no_rows.value.field == "limit"
    tail = figures.tail(ALL, YEAR)
    assert (tail.vendors, tail.amount_cents, tail.share) == (1, 5000, D("5.00"))
    by_category = figures.pareto(ALL, YEAR, "category")
    assert [(r.key, r.amount_cents) for r in by_category] == [(it.pk, 80000), (office.pk, 20000)]
    summary = figures.maverick(ALL, YEAR)
    assert (summary.amount_cents, summary.total_cents, summary.share) == (20000, 100000, D(20))
    assert summary.by_supplier == [(middle.pk, 15000, 1), (small.pk, 5000, 2)]
    assert summary.by_category == [(office.pk, 20000, 3)]
    first = figures.maverick(ALL, YEAR, limit=1)
    assert (first.amount_cents, first.share, first.by_supplier) == (
        20000,
        D(20),
        [(middle.pk, 15000, 1)],
    )
    with pytest.raises(DomainError) as no_rows:
        figures.maverick(ALL, YEAR, limit=0)
    assert no_rows.value.field == "limit"
    on_contract = figures.maverick(ALL, YEAR, Filters(maverick=False))
    assert (on_contract.amount_cents, on_contract.total_cents) == (0, 80000)
    with pytest.raises(DomainError):
        figures.pareto(ALL, YEAR, "contract")


@MODULES
def test_concentration_and_consolidation(figures: Any) -> None:
    vendors = [SupplierFactory() for _ in range(6)]
    fragmented, single = CategoryFactory(), CategoryFactory()
    lines = [Line(v, day(1), D("100.00"), category=fragmented) for v in vendors]
    lines.append(Line(vendors[0], day(2), D("50.00"), category=single))
    lines.append(Line(vendors[1], day(2), D("70.00")))  # no category: left out
    store(lines)
    rows = figures.concentration(ALL, YEAR)
    assert [(r.category_id, r.vendors, r.hhi, r.single_source) for r in rows] == [
        (fragmented.pk, 6, 1667, False),
        (single.pk, 1, 10000, True),
    ]
    assert figures.consolidation(ALL, YEAR) == []  # 1667 is not below 1500
    store([Line(SupplierFactory(), day(3), D("100.00"), category=fragmented, key=99)])
    assert [r.category_id for r in figures.consolidation(ALL, YEAR)] == [fragmented.pk]
    assert figures.consolidation(ALL, YEAR, min_vendors=8) == []


@MODULES
def test_utilization_prorates_the_annual_value_and_converts_it(figures: Any) -> None:
    a, b = SupplierFactory(), SupplierFactory()
    annual = contract(a, annual_value=D("12000.00"), start_date=dt.date(2025, 7, 1))
    spread = contract(
        a, total_value=D("2400.00"), start_date=day(10, 15), end_date=dt.date(2028, 9, 30)
    )
    dollars = contract(b, annual_value=D("1200.00"), currency="USD")
    no_rate = contract(b, annual_value=D("1.00"), currency="CHF")
    contract(b, status=ContractStatus.DRAFT, annual_value=D("999.00"))  # not in force
    ExchangeRate.objects.create(currency="USD", rate_date=day(1), rate=D("0.5"))
    ExchangeRate.objects.create(currency="USD", rate_date=day(6), rate=D("0.9"))
    store(
        [
            Line(a, day(2), D("3000.00"), contract=annual),
            Line(b, day(2), D("270.00"), contract=dollars),
        ]
    )
    rows = {row.contract_id: row for row in figures.utilization(ALL, YEAR)}
    assert set(rows) == {annual.pk, spread.pk, dollars.pk, no_rate.pk}
    assert (rows[annual.pk].committed_cents, rows[annual.pk].utilization) == (1_200_000, D(25))
    # 2,400 over 24 months, of which Oct..Dec 2026 fall in the year
    assert (rows[spread.pk].committed_cents, rows[spread.pk].actual_cents) == (30_000, 0)
    assert rows[spread.pk].utilization == D(0)
    assert (rows[dollars.pk].committed_cents, rows[dollars.pk].utilization) == (108_000, D(25))
    assert (rows[no_rate.pk].committed_cents, rows[no_rate.pk].utilization) == (None, None)
    assert rows[dollars.pk].supplier_id == b.pk
    only_a = SpendScope(supplier_ids=frozenset({a.pk}), cost_centers=False)
    assert {row.contract_id for row in figures.utilization(only_a, YEAR)} == {
        annual.pk,
        spread.pk,
    }


@MODULES
def test_price_variance_largest_overpayment_first(figures: Any) -> None:
    a, b = SupplierFactory(), SupplierFactory()
    deal_a, deal_b = contract(a), contract(b)
    store(
        [
            Line(a, day(1), D("10.00"), contract=deal_a, price_variance=D("1.50")),
            Line(a, day(2), D("10.00"), contract=deal_a, price_variance=D("0.50")),
            Line(a, day(2), D("10.00"), contract=deal_a),
            Line(b, day(3), D("10.00"), contract=deal_b, price_variance=D("-4.00")),
            Line(b, day(3), D("10.00"), contract=deal_b, price_variance=D("9.00")),
        ]
    )
    rows = figures.price_variance(ALL, YEAR)
    assert [(r.supplier_id, r.contract_id, r.variance_cents, r.priced_lines) for r in rows] == [
        (b.pk, deal_b.pk, 500, 2),
        (a.pk, deal_a.pk, 200, 2),
    ]


def test_the_copy_follows_a_new_import() -> None:
    a = SupplierFactory()
    store([Line(a, day(1), D("1.00"))])
    assert analytics.cube(ALL, YEAR, [])[0].amount_cents == 100
    store([Line(a, day(1), D("2.00"), key=2)])
    assert analytics.cube(ALL, YEAR, [])[0].amount_cents == 300


@given(part=st.integers(-(10**15), 10**15), whole=st.integers(-(10**15), 10**15))
def test_a_pareto_share_is_the_percentage_rounded_as_everywhere(part: int, whole: int) -> None:
    assert figures._share(part, whole) == figures.percent(part, whole)
