"""The spend figures, computed from grouped totals that a *source* answers.

Two sources answer the same questions: the columnar copy of the ledger's aggregates
(``steward.spend.analytics``) and a plain GROUP BY over the lines (``...analytics.naive``, the
oracle and the benchmark's baseline). Everything here — validation, shares, ABC classes, HHI —
is shared, so the two can differ only in how they add up the ledger.

Definitions:
- Shares are of the *positive* total (the sum of the keys whose net spend is above zero), so a
  vendor with only credit notes cannot push others' shares above 100 %; such keys are class C.
- Pareto ABC: a row is A while the cumulative share *before* it is below 80 %, B below 95 %,
  else C.
- Maverick spend: lines without a contract.
- Concentration per category (lines without a category are left out): the vendors with positive
  spend, the top vendor's share of them, HHI = sum of the squared shares in percent (0..10000),
  single source = exactly one vendor with spend.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple, Protocol

from steward.core.errors import DomainError
from steward.spend.analytics.commitments import contract_commitments
from steward.spend.analytics.period import NO_FILTERS, Filters, Period
from steward.spend.analytics.results import (
    AbcClass,
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

DIMENSIONS = ("month", "supplier", "category", "contract", "cost_center")
# Cost centers are kept in their own cells (month x cost center x category): a figure that
# involves them can use only those dimensions.
COST_CENTER_DIMENSIONS = frozenset({"month", "category", "cost_center"})
A_LIMIT, B_LIMIT = 80, 95  # percent
CONSOLIDATION_HHI = 1500

Keys = tuple[int | None, ...]
Total = CubeRow  # keys, amount_cents, lines: what a source answers is a cube row already


class CategorySums(NamedTuple):
    """A category's spend by vendor, summed: ``vendors``, ``top_*``, ``positive_cents`` and
    ``squares`` count only the vendors with positive spend (``top_supplier_id`` is None
    without one)."""

    category_id: int
    amount_cents: int
    vendors: int
    top_supplier_id: int | None
    top_cents: int
    positive_cents: int
    squares: int  # the sum of the squared amounts, in cents squared


class Ranking(NamedTuple):
    """The first totals of a dimension, largest first, and sums over all of its keys."""

    rows: list[Total]
    positive_cents: int  # the sum of the keys' totals above zero
    total_cents: int  # the sum of all the keys' totals


class Source(Protocol):
    def totals(
        self, scope: SpendScope, period: Period, dims: tuple[str, ...], filters: Filters
    ) -> list[Total]:
        """Sum amount and lines per combination of ``dims`` (only combinations with lines;
        none at all without lines), largest amount first, then by the keys in order (None
        first)."""

    def variances(
        self, scope: SpendScope, period: Period
    ) -> list[tuple[int, int | None, int, int]]:
        """(supplier, contract, variance cents, priced lines) where lines were priced."""

    def category_sums(self, scope: SpendScope, period: Period) -> list[CategorySums]:
        """Per category (lines without one left out), the sums its concentration needs."""

    def ranked(
        self,
        scope: SpendScope,
        period: Period,
        dim: str,
        filters: Filters,
        limit: int | None,
    ) -> Ranking:
        """The first ``limit`` (all for None) totals of ``dim`` in the order of ``totals``, and
        the sums over all of its keys."""


def uses_cost_centers(dims: Sequence[str], filters: Filters) -> bool:
    return "cost_center" in dims or bool(filters.cost_centers)


def check(scope: SpendScope, dims: Sequence[str], filters: Filters) -> tuple[str, ...]:
    """The dimensions, validated against what the scope may see and the aggregates can answer."""
    dims = tuple(dims)
    unknown = [dim for dim in dims if dim not in DIMENSIONS]
    if unknown:
        raise DomainError(
            f"Unknown dimension {unknown[0]!r}; use {', '.join(DIMENSIONS)}.", field="dims"
        )
    if len(set(dims)) != len(dims):
        raise DomainError("A dimension is named twice.", field="dims")
    if uses_cost_centers(dims, filters):
        if not (scope.cost_centers and scope.everything):
            raise DomainError(
                "Spend by cost center is for those who see all spend.",
                code="forbidden",
                field="cost_center",
            )
        if not COST_CENTER_DIMENSIONS.issuperset(dims) or filters.suppliers or filters.contracts:
            raise DomainError(
                "Cost centers combine with months, categories and maverick spend only.",
                field="cost_center",
            )
    return dims


def cube(
    source: Source,
    scope: SpendScope,
    period: Period,
    dims: Sequence[str],
    filters: Filters = NO_FILTERS,
) -> list[CubeRow]:
    dims = check(scope, dims, filters)
    if scope.nothing:
        return []
    with without_gc_pauses():
        return _totals(source, scope, period, dims, filters)


def trend(
    source: Source, scope: SpendScope, period: Period, filters: Filters = NO_FILTERS
) -> list[TrendPoint]:
    check(scope, ("month",), filters)
    both = Period(first=period.prior_year().first, last=period.last)
    totals = (
        {}
        if scope.nothing
        else {
            keys[0]: (amount, lines)
            for keys, amount, lines in _totals(source, scope, both, ("month",), filters)
        }
    )
    return [
        TrendPoint(
            month=month,
            amount_cents=totals.get(month, (0, 0))[0],
            lines=totals.get(month, (0, 0))[1],
            prior_year_cents=totals.get(prior, (0, 0))[0],
        )
        for month, prior in zip(period.months(), period.prior_year().months(), strict=True)
    ]


def supplier_monthly(
    source: Source, scope: SpendScope, period: Period, supplier_id: int
) -> list[TrendPoint]:
    return trend(source, scope, period, Filters(suppliers=(supplier_id,)))


def pareto(
    source: Source,
    scope: SpendScope,
    period: Period,
    by: str = "supplier",
    filters: Filters = NO_FILTERS,
    *,
    limit: int | None = None,
) -> list[ParetoRow]:
    """The keys by spend, largest first; the first ``limit`` of them (all for None), their
    shares and classes as in the whole list."""
    if by not in {"supplier", "category"}:
        raise DomainError("Pareto is by supplier or by category.", field="by")
    if limit is not None and limit < 1:
        raise DomainError("Ask for at least one row.", field="limit")
    check(scope, (by,), filters)
    if scope.nothing:
        return []
    with without_gc_pauses():
        ranking = source.ranked(scope, period, by, filters, limit)
        return _pareto_of_ordered(
            [(keys[0], amount) for keys, amount, _ in ranking.rows], ranking.positive_cents
        )


def ranked_of(totals: Sequence[Total], limit: int | None) -> Ranking:
    """``Source.ranked`` from all the totals of a dimension, for a source without a query of
    its own for it."""
    return Ranking(
        rows=list(totals if limit is None else totals[:limit]),
        positive_cents=sum(amount for _, amount, _ in totals if amount > 0),
        total_cents=sum(amount for _, amount, _ in totals),
    )


def pareto_rows(amounts: Sequence[tuple[int | None, int]]) -> list[ParetoRow]:
    """ABC classes of keys by amount, largest first (equal amounts by key)."""
    return _pareto_of_ordered(sorted(amounts, key=lambda pair: (-pair[1], _sortable((pair[0],)))))


def _pareto_of_ordered(
    ordered: Sequence[tuple[int | None, int]], positive: int | None = None
) -> list[ParetoRow]:
    """ABC classes of the first keys of a ranking; ``positive`` is the positive total of the
    whole ranking (None: ``ordered`` is all of it)."""
    if positive is None:
        positive = sum(amount for _, amount in ordered if amount > 0)
    a_limit, b_limit = A_LIMIT * positive, B_LIMIT * positive
    rows: list[ParetoRow] = []
    before = 0
    for key, amount in ordered:
        if amount <= 0:
            abc: AbcClass = "C"
        elif before * 100 < a_limit:
            abc = "A"
        elif before * 100 < b_limit:
            abc = "B"
        else:
            abc = "C"
        rows.append(
            ParetoRow(key, amount, _share(amount, positive), _share(before + amount, positive), abc)
        )
        before += amount
    return rows


def _share(part: int, whole: int) -> Decimal:
    """``percent`` for a Pareto of ten thousand vendors (twenty thousand shares): one integer
    division for the usual part, 0 <= part <= whole, rounded half up as ``percent`` does."""
    if 0 <= part <= whole and whole > 0:
        return _PERCENTS[(20_000 * part + whole) // (2 * whole)]
    return percent(part, whole)


def tail(source: Source, scope: SpendScope, period: Period) -> TailSummary:
    rows = pareto(source, scope, period, "supplier")
    positive = sum(row.amount_cents for row in rows if row.amount_cents > 0)
    tail_rows = [row for row in rows if row.abc == "C"]
    amount = sum(row.amount_cents for row in tail_rows)
    return TailSummary(vendors=len(tail_rows), amount_cents=amount, share=percent(amount, positive))


def maverick(
    source: Source,
    scope: SpendScope,
    period: Period,
    filters: Filters = NO_FILTERS,
    *,
    limit: int | None = None,
) -> MaverickSummary:
    """Off-contract spend in total, and by the first ``limit`` vendors and categories (all for
    None)."""
    if limit is not None and limit < 1:
        raise DomainError("Ask for at least one row.", field="limit")
    check(scope, (), filters)
    if filters.cost_centers:
        raise DomainError("Maverick spend cannot be cut by cost center.", field="cost_center")
    if scope.nothing:
        return MaverickSummary(0, 0, percent(0, 0), [], [])
    total = sum(amount for _, amount, _ in _totals(source, scope, period, (), filters))
    if filters.maverick is False:
        by_supplier: list[KeyTotal] = []
        by_category: list[KeyTotal] = []
        amount = 0
    else:
        off_contract = dataclasses.replace(filters, maverick=True)
        with without_gc_pauses():
            vendors = source.ranked(scope, period, "supplier", off_contract, limit)
            categories = source.ranked(scope, period, "category", off_contract, limit)
        by_supplier, by_category = _key_totals(vendors.rows), _key_totals(categories.rows)
        amount = vendors.total_cents  # every line has a vendor
    return MaverickSummary(
        amount_cents=amount,
        total_cents=total,
        share=percent(amount, total),
        by_supplier=by_supplier,
        by_category=by_category,
    )


def concentration(source: Source, scope: SpendScope, period: Period) -> list[ConcentrationRow]:
    if scope.nothing:
        return []
    rows = [
        row
        for sums in source.category_sums(scope, period)
        if (row := row_of_sums(sums)) is not None
    ]
    return sorted(rows, key=lambda row: (-row.amount_cents, row.category_id))


def category_sums(totals: Sequence[Total]) -> list[CategorySums]:
    """The concentration sums from (category, supplier) totals, for a source that has no
    query of its own for them."""
    by_category: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (category, supplier), amount, _ in totals:
        if category is not None and supplier is not None:
            by_category[category].append((supplier, amount))
    return [sums_of(category, amounts) for category, amounts in by_category.items()]


def sums_of(category: int, amounts: Sequence[tuple[int, int]]) -> CategorySums:
    positive = [(supplier, amount) for supplier, amount in amounts if amount > 0]
    top_supplier, top_amount = min(
        positive, key=lambda pair: (-pair[1], pair[0]), default=(None, 0)
    )
    return CategorySums(
        category_id=category,
        amount_cents=sum(amount for _, amount in amounts),
        vendors=len(positive),
        top_supplier_id=top_supplier,
        top_cents=top_amount,
        positive_cents=sum(amount for _, amount in positive),
        squares=sum(amount * amount for _, amount in positive),
    )


def concentration_row(category: int, amounts: Sequence[tuple[int, int]]) -> ConcentrationRow | None:
    """The concentration of one category from its (supplier, amount) pairs; None without any
    vendor with positive spend."""
    return row_of_sums(sums_of(category, amounts))


def row_of_sums(sums: CategorySums) -> ConcentrationRow | None:
    if sums.top_supplier_id is None:  # no vendor with positive spend
        return None
    total = sums.positive_cents
    numerator, denominator = 10_000 * sums.squares, total * total
    return ConcentrationRow(
        category_id=sums.category_id,
        amount_cents=sums.amount_cents,
        vendors=sums.vendors,
        top_supplier_id=sums.top_supplier_id,
        top_share=percent(sums.top_cents, total),
        hhi=(2 * numerator + denominator) // (2 * denominator),  # rounded half up
        single_source=sums.vendors == 1,
    )


def consolidation(
    source: Source, scope: SpendScope, period: Period, min_vendors: int = 5
) -> list[ConcentrationRow]:
    """Categories spread over at least ``min_vendors`` vendors with no dominant one (HHI below
    1500), largest spend first."""
    return [
        row
        for row in concentration(source, scope, period)
        if row.vendors >= min_vendors and row.hhi < CONSOLIDATION_HHI
    ]


def utilization(source: Source, scope: SpendScope, period: Period) -> list[UtilizationRow]:
    """Contracts with spend in the period, and the live contracts of the scope's vendors that
    commit a value for it; committed is prorated to the whole months the contract covers."""
    if scope.nothing:
        return []
    actual: dict[int, int] = {}
    for (contract,), amount, _ in _totals(
        source, scope, period, ("contract",), Filters(maverick=False)
    ):
        if contract is not None:
            actual[contract] = amount
    commitments = contract_commitments(scope, period, with_spend=actual.keys())
    rows = []
    for contract, commitment in commitments.items():
        committed = commitment.committed_cents
        spent = actual.get(contract, 0)
        rows.append(
            UtilizationRow(
                contract_id=contract,
                supplier_id=commitment.supplier_id,
                committed_cents=committed,
                actual_cents=spent,
                utilization=percent(spent, committed) if committed else None,
            )
        )
    return sorted(
        rows, key=lambda row: (-row.actual_cents, -(row.committed_cents or 0), row.contract_id)
    )


def price_variance(source: Source, scope: SpendScope, period: Period) -> list[VarianceRow]:
    if scope.nothing:
        return []
    rows = [
        VarianceRow(
            supplier_id=supplier, contract_id=contract, variance_cents=variance, priced_lines=priced
        )
        for supplier, contract, variance, priced in source.variances(scope, period)
        if priced
    ]
    return sorted(
        rows,
        key=lambda row: (-row.variance_cents, row.supplier_id, _sortable((row.contract_id,))),
    )


# --- arithmetic ----------------------------------------------------------------------------------


def percent(part: int, whole: int | None) -> Decimal:
    """``part`` as a percentage of ``whole``, two places, half away from zero; 0 of nothing."""
    if not whole or whole <= 0:
        return _PERCENTS[0]
    hundredths, remainder = divmod(abs(part) * 10_000, whole)
    if 2 * remainder >= whole:
        hundredths += 1
    if part >= 0 and hundredths <= 10_000:
        return _PERCENTS[hundredths]
    return Decimal(-hundredths if part < 0 else hundredths).scaleb(-2)


_PERCENTS = [Decimal(hundredths).scaleb(-2) for hundredths in range(10_001)]


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Build a few hundred thousand rows without the cyclic garbage collector walking them over
    and over (it triples the time of a full cube); rows of ints make no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _totals(
    source: Source, scope: SpendScope, period: Period, dims: tuple[str, ...], filters: Filters
) -> list[Total]:
    return source.totals(scope, period, dims, filters)


def _key_totals(totals: Sequence[Total]) -> list[KeyTotal]:
    return [KeyTotal(keys[0], amount, lines) for keys, amount, lines in totals]


def _sortable(keys: Keys) -> tuple[tuple[bool, int], ...]:
    """Keys in order, None first."""
    return tuple((key is not None, key or 0) for key in keys)
