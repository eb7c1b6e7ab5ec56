"""The spend figures by a plain GROUP BY over the lines — how ERP purchase reports compute
them. The oracle the columnar analytics are tested against, and the benchmark's baseline.

Same names, arguments and results as ``steward.spend.analytics``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from steward.spend.analytics import figures
from steward.spend.analytics.figures import Total
from steward.spend.analytics.period import NO_FILTERS, Filters, Period
from steward.spend.analytics.results import (
    ConcentrationRow,
    CubeRow,
    MaverickSummary,
    ParetoRow,
    TailSummary,
    TrendPoint,
    UtilizationRow,
    VarianceRow,
)
from steward.spend.models import SpendLine
from steward.spend.scope import SpendScope

FIELDS = {
    "month": "month",
    "supplier": "supplier_id",
    "category": "category_id",
    "contract": "contract_id",
    "cost_center": "cost_center_id",
}


def lines(scope: SpendScope, period: Period, filters: Filters = NO_FILTERS) -> QuerySet[SpendLine]:
    """The lines of the scope in the period that match the filters."""
    conditions = Q(month__gte=period.first, month__lte=period.last)
    if scope.supplier_ids is not None:
        conditions &= Q(supplier_id__in=scope.supplier_ids)
    for field, ids in (
        ("supplier_id", filters.suppliers),
        ("category_id", filters.categories),
        ("contract_id", filters.contracts),
        ("cost_center_id", filters.cost_centers),
    ):
        if ids:
            conditions &= Q(**{f"{field}__in": ids})
    if filters.maverick is not None:
        conditions &= Q(contract_id__isnull=filters.maverick)
    return SpendLine.objects.filter(conditions).order_by()


class LineSource:
    def totals(
        self, scope: SpendScope, period: Period, dims: tuple[str, ...], filters: Filters
    ) -> list[Total]:
        matching = lines(scope, period, filters)
        if not dims:
            row = matching.aggregate(amount=Sum("amount_base_cents"), lines=Count("id"))
            return [CubeRow((), int(row["amount"]), int(row["lines"]))] if row["lines"] else []
        fields = [FIELDS[dim] for dim in dims]
        grouped: Any = (
            matching.values(*fields)
            .annotate(amount=Sum("amount_base_cents"), lines=Count("id"))
            .order_by(F("amount").desc(), *(F(field).asc(nulls_first=True) for field in fields))
        )
        return [
            CubeRow(tuple(row[field] for field in fields), int(row["amount"]), int(row["lines"]))
            for row in grouped
        ]

    def variances(
        self, scope: SpendScope, period: Period
    ) -> list[tuple[int, int | None, int, int]]:
        grouped = (
            lines(scope, period)
            .filter(price_variance_cents__isnull=False)
            .values("supplier_id", "contract_id")
            .annotate(variance=Sum("price_variance_cents"), priced=Count("id"))
        )
        return [
            (row["supplier_id"], row["contract_id"], int(row["variance"]), int(row["priced"]))
            for row in grouped
        ]

    def category_sums(self, scope: SpendScope, period: Period) -> list[figures.CategorySums]:
        return figures.category_sums(
            self.totals(scope, period, ("category", "supplier"), NO_FILTERS)
        )

    def ranked(
        self, scope: SpendScope, period: Period, dim: str, filters: Filters, limit: int | None
    ) -> figures.Ranking:
        return figures.ranked_of(self.totals(scope, period, (dim,), filters), limit)


SOURCE = LineSource()


def cube(
    scope: SpendScope, period: Period, dims: Sequence[str], filters: Filters = NO_FILTERS
) -> list[CubeRow]:
    return figures.cube(SOURCE, scope, period, dims, filters)


def trend(scope: SpendScope, period: Period, filters: Filters = NO_FILTERS) -> list[TrendPoint]:
    return figures.trend(SOURCE, scope, period, filters)


def pareto(
    scope: SpendScope,
    period: Period,
    by: str = "supplier",
    filters: Filters = NO_FILTERS,
    *,
    limit: int | None = None,
) -> list[ParetoRow]:
    return figures.pareto(SOURCE, scope, period, by, filters, limit=limit)


def tail(scope: SpendScope, period: Period) -> TailSummary:
    return figures.tail(SOURCE, scope, period)


def maverick(
    scope: SpendScope, period: Period, filters: Filters = NO_FILTERS, *, limit: int | None = None
) -> MaverickSummary:
    return figures.maverick(SOURCE, scope, period, filters, limit=limit)


def concentration(scope: SpendScope, period: Period) -> list[ConcentrationRow]:
    return figures.concentration(SOURCE, scope, period)


def consolidation(
    scope: SpendScope, period: Period, min_vendors: int = 5
) -> list[ConcentrationRow]:
    return figures.consolidation(SOURCE, scope, period, min_vendors)


def utilization(scope: SpendScope, period: Period) -> list[UtilizationRow]:
    return figures.utilization(SOURCE, scope, period)


def price_variance(scope: SpendScope, period: Period) -> list[VarianceRow]:
    return figures.price_variance(SOURCE, scope, period)


def supplier_monthly(scope: SpendScope, period: Period, supplier_id: int) -> list[TrendPoint]:
    return figures.supplier_monthly(SOURCE, scope, period, supplier_id)
