# ruff: noqa: S608 - SQL is built from this module's constants; values are parameters
"""Grouped totals from the columnar copy: the source behind ``steward.spend.analytics``."""

from __future__ import annotations

from typing import Any

from steward.spend.analytics import copy
from steward.spend.analytics.figures import CategorySums, Ranking, Total, uses_cost_centers
from steward.spend.analytics.period import Filters, Period
from steward.spend.analytics.results import CubeRow
from steward.spend.scope import SpendScope

COLUMNS = {
    "month": "month",
    "supplier": "supplier_id",
    "category": "category_id",
    "contract": "contract_id",
    "cost_center": "cost_center_id",
}


def where(
    scope: SpendScope, period: Period, filters: Filters, *, table: str = "segment"
) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) selecting segments or cells (``table``)."""
    clauses = ["month BETWEEN ? AND ?"]
    params: list[Any] = [period.first, period.last]
    for column, ids in (
        ("supplier_id", None if scope.supplier_ids is None else sorted(scope.supplier_ids)),
        ("supplier_id", filters.suppliers or None),
        ("category_id", filters.categories or None),
        ("contract_id", filters.contracts or None),
        ("cost_center_id", filters.cost_centers or None),
    ):
        if ids is not None:
            clauses.append(f"{column} IN (SELECT unnest(?::INTEGER[]))")
            params.append(list(ids))
    if filters.maverick is not None:
        # a segment has its contract; a cell says whether its lines had none
        maverick = "maverick" if table == "cell" else "contract_id IS NULL"
        clauses.append(maverick if filters.maverick else f"NOT ({maverick})")
    return " AND ".join(clauses), params


def grouped(
    scope: SpendScope, period: Period, dims: tuple[str, ...], filters: Filters
) -> tuple[str, list[Any]]:
    """A query of the totals per combination of ``dims`` as ``Source.totals`` orders them:
    the keys, ``total`` and ``lines``."""
    table = "cell" if uses_cost_centers(dims, filters) else "segment"
    condition, params = where(scope, period, filters, table=table)
    keys = [COLUMNS[dim] for dim in dims]
    select = "".join(f"{key}, " for key in keys)
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    order = "".join(f", {key} NULLS FIRST" for key in keys)
    # BIGINT sums convert to Python ints several times faster than HUGEINT ones (and a sum
    # past 2^63 cents raises rather than wraps).
    query = f"""SELECT {select}sum(amount)::BIGINT AS total, sum(lines)::BIGINT AS lines
        FROM {table} WHERE {condition} {group} HAVING count(*) > 0 ORDER BY total DESC{order}"""
    return query, params


class ColumnarSource:
    def totals(
        self, scope: SpendScope, period: Period, dims: tuple[str, ...], filters: Filters
    ) -> list[Total]:
        query, params = grouped(scope, period, dims, filters)
        width = len(dims)
        with copy.cursor() as cursor:
            rows = cursor.execute(query, params).fetchall()
        return [CubeRow(row[:width], row[width], row[width + 1]) for row in rows]

    def ranked(
        self, scope: SpendScope, period: Period, dim: str, filters: Filters, limit: int | None
    ) -> Ranking:
        # The sums over all keys ride on every row, so the first rows come in one query.
        query, params = grouped(scope, period, (dim,), filters)
        top = "" if limit is None else f"LIMIT {int(limit)}"
        ranked = f"""SELECT *, sum(greatest(total, 0)) OVER ()::BIGINT,
                sum(total) OVER ()::BIGINT
            FROM ({query}) ORDER BY total DESC, {COLUMNS[dim]} NULLS FIRST {top}"""
        with copy.cursor() as cursor:
            rows = cursor.execute(ranked, params).fetchall()
        positive, total = (int(rows[0][3]), int(rows[0][4])) if rows else (0, 0)
        return Ranking([CubeRow((row[0],), row[1], row[2]) for row in rows], positive, total)

    def variances(
        self, scope: SpendScope, period: Period
    ) -> list[tuple[int, int | None, int, int]]:
        condition, params = where(scope, period, Filters())
        query = f"""SELECT supplier_id, contract_id, sum(variance)::BIGINT, sum(priced)::BIGINT
            FROM segment
            WHERE {condition} AND priced > 0 GROUP BY supplier_id, contract_id"""
        with copy.cursor() as cursor:
            rows = cursor.execute(query, params).fetchall()
        return [
            (supplier, contract, int(variance), int(priced))
            for supplier, contract, variance, priced in rows
        ]

    def category_sums(self, scope: SpendScope, period: Period) -> list[CategorySums]:
        # The vendors of a category ranked by spend (then id): the top one is rank 1. Squares
        # of cents pass 2^63, hence HUGEINT.
        condition, params = where(scope, period, Filters())
        query = f"""WITH by_vendor AS (
                SELECT category_id, supplier_id, sum(amount)::BIGINT AS amount FROM segment
                WHERE {condition} AND category_id IS NOT NULL AND supplier_id IS NOT NULL
                GROUP BY category_id, supplier_id
            ), ranked AS (
                SELECT *, row_number() OVER (
                    PARTITION BY category_id ORDER BY amount DESC, supplier_id) AS rank
                FROM by_vendor
            )
            SELECT category_id, sum(amount)::BIGINT,
                count(*) FILTER (WHERE amount > 0),
                min(supplier_id) FILTER (WHERE rank = 1 AND amount > 0),
                coalesce(max(amount) FILTER (WHERE amount > 0), 0),
                coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::BIGINT,
                coalesce(sum(amount::HUGEINT * amount) FILTER (WHERE amount > 0), 0)
            FROM ranked GROUP BY category_id"""
        with copy.cursor() as cursor:
            rows = cursor.execute(query, params).fetchall()
        return [CategorySums._make(int(value) if value is not None else None for value in row)
                for row in rows]  # fmt: skip


SOURCE = ColumnarSource()
