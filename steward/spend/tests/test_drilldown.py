"""From a total to its lines: the matching segments' id ranges, paged newest first, counted
without scanning the lines unless a cost center is asked for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.errors import DomainError
from steward.spend.analytics import Filters, Period, drilldown, naive
from steward.spend.analytics import copy as columnar_copy
from steward.spend.scope import SpendScope
from steward.spend.tests.factories import CostCenterFactory, Line, SpendImportFactory, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

ALL = SpendScope(supplier_ids=None, cost_centers=True)
YEAR = Period.year(2026)


def expected(scope: SpendScope, filters: Filters) -> list[int]:
    found = naive.lines(scope, YEAR, filters).order_by("-month", "-id")
    return list(found.values_list("id", flat=True))


@pytest.fixture
def ledger() -> dict[str, Any]:
    """Two imports overlapping in months: 30 lines of a over three months, 12 of b."""
    a, b = SupplierFactory(), SupplierFactory()
    it = CategoryFactory()
    north, south = CostCenterFactory(), CostCenterFactory()
    first = [
        Line(
            a,
            dt.date(2026, 1 + n % 3, 1 + n % 27),
            Decimal(n + 1),
            category=it if n % 2 else None,
            cost_center=north if n % 3 else south,
            key=n,
        )
        for n in range(30)
    ]
    store(first)
    second = [
        Line(b, dt.date(2026, 2 + n % 2, 3), Decimal(7), cost_center=north, key=100 + n)
        for n in range(12)
    ]
    store(second, batch=SpendImportFactory())
    return {"a": a, "b": b, "it": it, "north": north}


def test_pages_walk_every_line_newest_first(ledger: dict[str, Any]) -> None:
    want = expected(ALL, Filters())
    seen: list[int] = []
    for page in range(1, 7):
        found = drilldown.lines(ALL, YEAR, page=page, per_page=8)
        assert found.total == 42
        assert found.pages == 6
        seen += [line.id for line in found.lines]
    assert seen == want
    months = [line.month for line in drilldown.lines(ALL, YEAR, per_page=50).lines]
    assert months == sorted(months, reverse=True)


def test_the_total_comes_from_the_segments_without_counting_lines(
    ledger: dict[str, Any],
) -> None:
    columnar_copy.current()  # loaded already, as on a warm server
    with CaptureQueriesContext(connection) as queries:
        found = drilldown.lines(ALL, YEAR, Filters(categories=(ledger["it"].pk,)), per_page=5)
    assert found.total == 15
    line_table = "spend_spendline"
    counted = [q["sql"] for q in queries if line_table in q["sql"] and "COUNT(" in q["sql"].upper()]
    assert counted == []
    assert [line.id for line in found.lines] == expected(
        ALL,
        Filters(categories=(ledger["it"].pk,)),
    )[:5]


def test_a_cost_center_filter_counts_the_matching_lines(ledger: dict[str, Any]) -> None:
    north = ledger["north"].pk
    for filters in (
        Filters(cost_centers=(north,)),
        Filters(cost_centers=(north,), suppliers=(ledger["b"].pk,)),
        Filters(cost_centers=(north,), maverick=True, categories=(ledger["it"].pk,)),
    ):
        want = expected(ALL, filters)
        found = [drilldown.lines(ALL, YEAR, filters, page=p, per_page=3) for p in (1, 2, 3, 4)]
        assert {page.total for page in found} == {len(want)}
        assert [line.id for page in found for line in page.lines] == want[:12]


def test_a_cost_center_page_is_found_across_growing_chunks_of_ranges(
    ledger: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the ranges are read one, then four, then sixteen at a time
    monkeypatch.setattr(drilldown, "_FIRST_CHUNK", 1)
    north = ledger["north"].pk
    for filters in (Filters(cost_centers=(north,)), Filters(cost_centers=(north,), maverick=True)):
        want = expected(ALL, filters)
        # When every page of two lines is read, then together they are the lines, in order
        pages = -(-len(want) // 2)
        found = [
            drilldown.lines(ALL, YEAR, filters, page=p, per_page=2) for p in range(1, pages + 1)
        ]
        assert [line.id for page in found for line in page.lines] == want
        assert len(want) > 2


def test_a_restricted_scope_sees_its_vendors_lines_only(ledger: dict[str, Any]) -> None:
    only_b = SpendScope(supplier_ids=frozenset({ledger["b"].pk}), cost_centers=False)
    found = drilldown.lines(only_b, YEAR, per_page=50)
    assert found.total == 12
    assert {line.supplier_id for line in found.lines} == {ledger["b"].pk}
    nothing = SpendScope(supplier_ids=frozenset(), cost_centers=False)
    assert drilldown.lines(nothing, YEAR).total == 0
    with pytest.raises(DomainError) as refused:
        drilldown.lines(only_b, YEAR, Filters(cost_centers=(1,)))
    assert (refused.value.field, refused.value.code) == ("cost_center", "forbidden")


@pytest.mark.parametrize(("page", "per_page", "field"), [(0, 10, "page"), (1, 0, "per_page")])
def test_bad_paging_is_refused(page: int, per_page: int, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        drilldown.lines(ALL, YEAR, page=page, per_page=per_page)
    assert refused.value.field == field
