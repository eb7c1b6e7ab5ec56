"""Every spend figure over the columnar copy equals the plain GROUP BY over the lines, and the
drill-down returns exactly the lines a plain filter does, on generated ledgers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract
from steward.people.tests.factories import UserFactory
from steward.spend import analytics
from steward.spend.analytics import Filters, Period, drilldown, naive
from steward.spend.scope import SpendScope
from steward.spend.tests.factories import CostCenterFactory, Line, SpendImportFactory, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

MONTHS = [202511, 202512, 202601, 202602, 202603, 202612, 202701]
PERIODS = [Period.year(2026), Period(first=202512, last=202602), Period(first=202511, last=202701)]
PLAIN_DIMS = [
    (),
    ("month",),
    ("supplier",),
    ("category",),
    ("contract",),
    ("supplier", "category", "month"),
    ("contract", "supplier"),
]
COST_CENTER_DIMS = [("cost_center",), ("cost_center", "category"), ("month", "cost_center")]


@dataclass
class World:
    suppliers: list[Any]
    categories: list[Any]
    contracts: list[Any]
    cost_centers: list[Any]


@pytest.fixture
def world() -> World:
    suppliers = [SupplierFactory() for _ in range(4)]
    owner = UserFactory()
    contracts = [
        Contract.objects.create(
            relationship=supplier.relationship,
            title=f"Agreement {index}",
            kind=ContractKind.MASTER,
            owner=owner,
            status=ContractStatus.ACTIVE,
            annual_value=Decimal(1200 * (index + 1)),
            start_date=dt.date(2026, 1, 1),
        )
        for index, supplier in enumerate(suppliers[:3])
    ]
    return World(
        suppliers=suppliers,
        categories=[CategoryFactory() for _ in range(3)],
        contracts=contracts,
        cost_centers=[CostCenterFactory() for _ in range(2)],
    )


def maybe(upper: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(min_value=0, max_value=upper)


raw_line = st.tuples(
    st.integers(min_value=0, max_value=3),  # supplier
    maybe(2),  # category
    maybe(2),  # contract
    maybe(1),  # cost center
    st.sampled_from(MONTHS),
    st.integers(min_value=1, max_value=28),  # day
    st.integers(min_value=-5_000, max_value=200_000),  # cents
    st.integers(min_value=1, max_value=25),  # key: repeats are skipped, as the ledger does
    st.none() | st.integers(min_value=-500, max_value=500),  # price variance cents
)
batches = st.lists(st.lists(raw_line, max_size=25), min_size=1, max_size=3)


def to_line(world: World, raw: tuple[Any, ...]) -> Line:
    supplier, category, contract, cost_center, month, day, cents, key, variance = raw
    return Line(
        world.suppliers[supplier],
        dt.date(month // 100, month % 100, day),
        Decimal(cents) / 100,
        category=None if category is None else world.categories[category],
        contract=None if contract is None else world.contracts[contract],
        cost_center=None if cost_center is None else world.cost_centers[cost_center],
        key=key,
        price_variance=None if variance is None else Decimal(variance) / 100,
    )


def lines_of(world: World, batch: list[Any]) -> list[Line]:
    """A batch's lines, each (month, key) once: an import refuses a file that repeats one; a
    later batch repeating it is skipped by the ledger."""
    first_of_key = {(raw[4], raw[7]): index for index, raw in reversed(list(enumerate(batch)))}
    return [
        to_line(world, raw)
        for index, raw in enumerate(batch)
        if first_of_key[(raw[4], raw[7])] == index
    ]


def scopes(world: World) -> list[SpendScope]:
    return [
        SpendScope(supplier_ids=None, cost_centers=True),  # finance
        SpendScope(
            supplier_ids=frozenset({world.suppliers[0].pk, world.suppliers[2].pk}),
            cost_centers=False,
        ),
    ]


def filter_sets(world: World) -> list[Filters]:
    return [
        Filters(),
        Filters(suppliers=(world.suppliers[0].pk, world.suppliers[1].pk)),
        Filters(categories=(world.categories[1].pk,), maverick=True),
        Filters(contracts=(world.contracts[0].pk,)),
        Filters(maverick=False),
    ]


def assert_figures_equal(world: World, scope: SpendScope, period: Period) -> None:
    dims_to_ask = PLAIN_DIMS + (COST_CENTER_DIMS if scope.cost_centers else [])
    for dims in dims_to_ask:
        assert analytics.cube(scope, period, dims) == naive.cube(scope, period, dims), dims
    for filters in filter_sets(world):
        assert analytics.cube(scope, period, ["supplier", "month"], filters) == naive.cube(
            scope, period, ["supplier", "month"], filters
        )
        assert analytics.trend(scope, period, filters) == naive.trend(scope, period, filters)
        whole_maverick = naive.maverick(scope, period, filters)
        assert analytics.maverick(scope, period, filters) == whole_maverick
        top = analytics.maverick(scope, period, filters, limit=1)
        assert top == naive.maverick(scope, period, filters, limit=1)
        assert (top.amount_cents, top.total_cents, top.share) == (
            whole_maverick.amount_cents,
            whole_maverick.total_cents,
            whole_maverick.share,
        )
        assert top.by_supplier == whole_maverick.by_supplier[:1]
        assert top.by_category == whole_maverick.by_category[:1]
        for by in ("supplier", "category"):
            whole = naive.pareto(scope, period, by, filters)
            assert analytics.pareto(scope, period, by, filters) == whole
            for limit in (1, 2):
                # the first rows keep the shares and classes they have in the whole list
                assert analytics.pareto(scope, period, by, filters, limit=limit) == whole[:limit]
                assert naive.pareto(scope, period, by, filters, limit=limit) == whole[:limit]
    if scope.cost_centers:
        center = (world.cost_centers[0].pk,)
        for by_center in (
            Filters(cost_centers=center),
            Filters(cost_centers=center, maverick=True),
            Filters(cost_centers=center, maverick=False),
        ):
            assert analytics.trend(scope, period, by_center) == naive.trend(
                scope, period, by_center
            )
            assert analytics.cube(scope, period, ["category"], by_center) == naive.cube(
                scope, period, ["category"], by_center
            )
    assert analytics.tail(scope, period) == naive.tail(scope, period)
    assert analytics.concentration(scope, period) == naive.concentration(scope, period)
    assert analytics.consolidation(scope, period, 2) == naive.consolidation(scope, period, 2)
    assert analytics.utilization(scope, period) == naive.utilization(scope, period)
    assert analytics.price_variance(scope, period) == naive.price_variance(scope, period)
    supplier = world.suppliers[1].pk
    assert analytics.supplier_monthly(scope, period, supplier) == naive.supplier_monthly(
        scope, period, supplier
    )


def assert_drilldown_equal(world: World, scope: SpendScope, period: Period) -> None:
    filter_list = filter_sets(world)
    if scope.cost_centers:
        center = (world.cost_centers[1].pk,)
        filter_list += [
            Filters(cost_centers=center),
            Filters(cost_centers=center, maverick=True),
            Filters(cost_centers=center, maverick=False, categories=(world.categories[0].pk,)),
            Filters(cost_centers=center, categories=(world.categories[0].pk,)),
            Filters(cost_centers=center, suppliers=(world.suppliers[2].pk,)),
        ]
    for filters in filter_list:
        expected = list(
            naive.lines(scope, period, filters)
            .order_by("-month", "-id")
            .values_list("id", flat=True)
        )
        for per_page in (1, 7, 50):
            for page in range(1, len(expected) // per_page + 3):
                found = drilldown.lines(scope, period, filters, page=page, per_page=per_page)
                start = (page - 1) * per_page
                assert found.total == len(expected), filters
                assert [line.id for line in found.lines] == expected[start : start + per_page], (
                    filters,
                    page,
                    per_page,
                )
            if per_page == 1 and len(expected) > 12:
                break  # enough single-line pages for one ledger


# Each example stores a ledger and reads every figure of every scope and period (seconds on a
# busy machine); a dozen random ledgers a run keep the whole suite within CI's time.
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=batches)
def test_every_figure_equals_the_plain_group_by(world: World, data: list[list[Any]]) -> None:
    with transaction.atomic():
        for batch in data:
            store(lines_of(world, batch), batch=SpendImportFactory())
        for scope in scopes(world):
            for period in PERIODS:
                assert_figures_equal(world, scope, period)
        transaction.set_rollback(True)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=batches)
def test_the_drilldown_returns_exactly_the_lines_a_plain_filter_does(
    world: World, data: list[list[Any]]
) -> None:
    with transaction.atomic():
        for batch in data:
            store(lines_of(world, batch), batch=SpendImportFactory())
        for scope in scopes(world):
            for period in PERIODS[1:]:
                assert_drilldown_equal(world, scope, period)
        transaction.set_rollback(True)
