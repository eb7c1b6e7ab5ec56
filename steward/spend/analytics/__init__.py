"""Spend analytics over a columnar copy of the ledger's aggregates.

Every figure starts from a ``SpendScope`` (``steward.spend.scope.scope_for(user)``) and a
``Period``; amounts are int cents of the base currency, shares Decimal percentages. The same
functions in ``steward.spend.analytics.naive`` answer by a plain GROUP BY over the lines, and a
property test keeps the two equal. Definitions: ``steward.spend.analytics.figures``.
"""

from __future__ import annotations

from collections.abc import Sequence

from steward.spend.analytics import figures
from steward.spend.analytics.columnar import SOURCE
from steward.spend.analytics.period import NO_FILTERS, Filters, Period
from steward.spend.analytics.results import (
    ConcentrationRow,
    CubeRow,
    KeyTotal,
    MaverickSummary,
    ParetoRow,
    TailSummary,
    TrendPoint,
    UtilizationRow,
    VarianceRow,
)
from steward.spend.scope import SpendScope

__all__ = [
    "ConcentrationRow",
    "CubeRow",
    "Filters",
    "KeyTotal",
    "MaverickSummary",
    "ParetoRow",
    "Period",
    "TailSummary",
    "TrendPoint",
    "UtilizationRow",
    "VarianceRow",
    "concentration",
    "consolidation",
    "cube",
    "maverick",
    "pareto",
    "price_variance",
    "supplier_monthly",
    "tail",
    "trend",
    "utilization",
]


def cube(
    scope: SpendScope, period: Period, dims: Sequence[str], filters: Filters = NO_FILTERS
) -> list[CubeRow]:
    """Spend and lines per combination of ``dims`` (month, supplier, category, contract,
    cost_center), largest first. Cost centers only for a scope with ``cost_centers``, and not
    with supplier or contract."""
    return figures.cube(SOURCE, scope, period, dims, filters)


def trend(scope: SpendScope, period: Period, filters: Filters = NO_FILTERS) -> list[TrendPoint]:
    """One point per month of the period (zeros included), with the same month a year before."""
    return figures.trend(SOURCE, scope, period, filters)


def pareto(
    scope: SpendScope,
    period: Period,
    by: str = "supplier",
    filters: Filters = NO_FILTERS,
    *,
    limit: int | None = None,
) -> list[ParetoRow]:
    """Every supplier (or category) by spend, largest first, with shares and ABC class; the
    first ``limit`` of them (their shares and classes are still of the whole list)."""
    return figures.pareto(SOURCE, scope, period, by, filters, limit=limit)


def tail(scope: SpendScope, period: Period) -> TailSummary:
    """The suppliers of class C."""
    return figures.tail(SOURCE, scope, period)


def maverick(
    scope: SpendScope, period: Period, filters: Filters = NO_FILTERS, *, limit: int | None = None
) -> MaverickSummary:
    """Spend on lines without a contract, in total and by supplier and category (the first
    ``limit`` of each, largest first)."""
    return figures.maverick(SOURCE, scope, period, filters, limit=limit)


def concentration(scope: SpendScope, period: Period) -> list[ConcentrationRow]:
    """Per category: vendors, top vendor and share, HHI, single source; largest first."""
    return figures.concentration(SOURCE, scope, period)


def consolidation(
    scope: SpendScope, period: Period, min_vendors: int = 5
) -> list[ConcentrationRow]:
    """Categories spread over at least ``min_vendors`` vendors with HHI below 1500."""
    return figures.consolidation(SOURCE, scope, period, min_vendors)


def utilization(scope: SpendScope, period: Period) -> list[UtilizationRow]:
    """Committed (prorated, converted) against actual spend per contract."""
    return figures.utilization(SOURCE, scope, period)


def price_variance(scope: SpendScope, period: Period) -> list[VarianceRow]:
    """Paid minus contracted price per supplier and contract, largest overpayment first."""
    return figures.price_variance(SOURCE, scope, period)


def supplier_monthly(scope: SpendScope, period: Period, supplier_id: int) -> list[TrendPoint]:
    """A vendor's monthly spend with the prior year (its spend tab)."""
    return figures.supplier_monthly(SOURCE, scope, period, supplier_id)
