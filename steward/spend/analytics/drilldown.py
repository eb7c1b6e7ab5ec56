# ruff: noqa: S608 - SQL is built from this module's constants; values are parameters
"""From a total to its lines, a page at a time, without scanning the lines.

The segments that match the filters (found in the columnar copy) are a month's lines of one
import for one vendor x category x contract, stored as the contiguous id range
``first_line_id..last_line_id``; adjacent matching segments of a month merge into one range.
Their line counts give the total with no COUNT over lines, and a page reads only the few ranges
that hold it.

Cost center is not a segment dimension: with a cost-center filter the lines of the matching
ranges are filtered by cost center. The cost-center cells say in which months and categories
the cost centers have lines, and how many: only the segments of those categories are read, and
the count needs no line unless a vendor or contract narrows it too (then the lines of the
ranges are counted, in chunks of ranges); a page is read from the ranges of the months that
hold it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, transaction

from steward.core.errors import DomainError
from steward.spend.analytics import copy
from steward.spend.analytics.columnar import SOURCE, where
from steward.spend.analytics.period import NO_FILTERS, Filters, Period
from steward.spend.models import SpendLine
from steward.spend.scope import SpendScope

MAX_PER_PAGE = 500
_RANGES_PER_QUERY = 10_000  # two parameters each: SQLite takes 32,766 per statement
_FIRST_CHUNK = 200  # ranges read first for a page of one cost center's lines

# The matching segments merged into runs of adjacent ids within a month.
_RUNS = """
WITH matching AS (
    SELECT month, first_line_id, last_line_id, lines,
        CASE WHEN month = lag(month) OVER by_id
            AND first_line_id = lag(last_line_id) OVER by_id + 1 THEN 0 ELSE 1 END AS starts
    FROM segment WHERE {condition}
    WINDOW by_id AS (ORDER BY first_line_id)
), numbered AS (
    SELECT *, sum(starts) OVER (ORDER BY first_line_id) AS run FROM matching
)
SELECT month, min(first_line_id) AS first, max(last_line_id) AS last,
    sum(lines)::BIGINT AS lines
FROM numbered GROUP BY run, month
"""
_NEWEST_FIRST = "month DESC, first DESC"


@dataclass(frozen=True)
class LinePage:
    lines: list[SpendLine]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class IdRange(NamedTuple):
    month: int
    first: int
    last: int
    lines: int


def lines(
    scope: SpendScope,
    period: Period,
    filters: Filters = NO_FILTERS,
    *,
    page: int = 1,
    per_page: int = 50,
) -> LinePage:
    """The lines behind a figure, newest first: by month descending, then by id descending
    (within a month, the order they were stored in, last first)."""
    _check(scope, filters, page, per_page)
    if scope.nothing:
        return LinePage(lines=[], total=0, page=page, per_page=per_page)
    offset = (page - 1) * per_page
    segments = dataclasses.replace(filters, cost_centers=())
    copy.current()  # brought up to date outside the transaction below, so it can be extended
    with _without_jit():
        if filters.cost_centers:
            found, total = _cost_center_page(scope, period, filters, offset, per_page)
        else:
            found, total = _page(scope, period, segments, offset, per_page)
    return LinePage(lines=found, total=total, page=page, per_page=per_page)


def matching_ranges(
    scope: SpendScope, period: Period, filters: Filters, *, months: Sequence[int] = ()
) -> list[IdRange]:
    """The id ranges of the segments that match (cost centers aside), newest first; only
    those of ``months`` when given."""
    condition, params = where(scope, period, dataclasses.replace(filters, cost_centers=()))
    if months:
        condition += " AND month IN (SELECT unnest(?::INTEGER[]))"
        params.append(list(months))
    query = f"SELECT * FROM ({_RUNS.format(condition=condition)}) ORDER BY {_NEWEST_FIRST}"
    return [IdRange._make(row) for row in _rows(query, params)]


def _check(scope: SpendScope, filters: Filters, page: int, per_page: int) -> None:
    if filters.cost_centers and not (scope.cost_centers and scope.everything):
        raise DomainError(
            "Spend by cost center is for those who see all spend.",
            code="forbidden",
            field="cost_center",
        )
    if page < 1:
        raise DomainError("Pages start at 1.", field="page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise DomainError(f"A page holds 1 to {MAX_PER_PAGE} lines.", field="per_page")


def _page(
    scope: SpendScope, period: Period, filters: Filters, offset: int, per_page: int
) -> tuple[list[SpendLine], int]:
    """The page from the few ranges that hold it, picked by their running line counts; a
    range's ids are consecutive, so the lines of the page are id ranges too."""
    condition, params = where(scope, period, filters)
    total_row = _rows(f"SELECT sum(lines)::BIGINT FROM segment WHERE {condition}", params)
    total = int(total_row[0][0] or 0)
    if offset >= total:
        return [], total
    holding = _rows(
        f"""SELECT month, first, last, lines, upto FROM (
            SELECT *, sum(lines) OVER (ORDER BY {_NEWEST_FIRST} ROWS UNBOUNDED PRECEDING) AS upto
            FROM ({_RUNS.format(condition=condition)}))
        WHERE upto > ? AND upto - lines < ? ORDER BY {_NEWEST_FIRST}""",
        [*params, offset, offset + per_page],
    )
    wanted = []
    for month, first, last, count, upto in holding:
        skip = max(0, offset - (upto - count))  # the newest lines of the range before the page
        take = min(count - skip, offset + per_page - (upto - count) - skip)
        wanted.append(IdRange(month, max(first, last - skip - take + 1), last - skip, take))
    return _read(wanted, "", [], limit=per_page), total


def _cost_center_page(
    scope: SpendScope, period: Period, filters: Filters, offset: int, per_page: int
) -> tuple[list[SpendLine], int]:
    # The cells (month x cost center x category x maverick) say in which months and
    # categories the cost centers have lines: only those segments can hold them.
    cells = dataclasses.replace(filters, suppliers=(), contracts=())
    bought: dict[int, set[int | None]] = {}
    counts: dict[int, int] = {}
    for (month, category), _, found in SOURCE.totals(scope, period, ("month", "category"), cells):
        if month is not None:  # every cell has its month
            bought.setdefault(month, set()).add(category)
            counts[month] = counts.get(month, 0) + found
    if filters.suppliers or filters.contracts:
        counts = _count_by_month(matching_ranges(scope, period, filters), filters.cost_centers)
    total = sum(counts.values())
    found_lines: list[SpendLine] = []
    before = 0
    for month in sorted(counts, reverse=True):
        if before + counts[month] <= offset:
            before += counts[month]
            continue
        categories = bought.get(month, set())
        narrowed = (
            filters
            if None in categories  # uncategorized lines: no category filter selects them
            else dataclasses.replace(filters, categories=tuple(sorted(filter(None, categories))))
        )
        of_month = matching_ranges(scope, period, narrowed, months=[month])
        skip = offset - before if not found_lines else 0
        found_lines += _lines_of(of_month, filters.cost_centers, skip, per_page - len(found_lines))
        before += counts[month]
        if len(found_lines) >= per_page:
            break
    return found_lines, total


def _count_by_month(ranges: Sequence[IdRange], centers: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for chunk in _chunks(ranges):
        join, params = _join(chunk)
        condition, more = _of_centers(centers)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT l.month, count(*) {join} AND {condition} GROUP BY l.month",
                [*params, *more],
            )
            for month, found in cursor.fetchall():
                counts[month] = counts.get(month, 0) + found
    return counts


def _lines_of(
    ranges: Sequence[IdRange], centers: Sequence[int], skip: int, wanted: int
) -> list[SpendLine]:
    """``wanted`` lines of one month's ranges that are of ``centers``, after the first
    ``skip``, last first."""
    found: list[SpendLine] = []
    condition, params = _of_centers(centers)
    for chunk in _chunks(ranges, first=_FIRST_CHUNK):
        rows = _read(chunk, f"AND {condition}", params, limit=wanted - len(found), skip=skip)
        if not rows and skip:
            join, join_params = _join(chunk)  # the page starts in a later chunk
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) {join} AND {condition}", [*join_params, *params])
                skip -= cursor.fetchone()[0]
            continue
        found += rows
        skip = 0
        if len(found) >= wanted:
            break
    return found


def _read(
    ranges: Sequence[IdRange], condition: str, params: list[Any], *, limit: int, skip: int = 0
) -> list[SpendLine]:
    join, join_params = _join(ranges)
    query = f"""SELECT l.* {join} {condition}
        ORDER BY l.month DESC, l.id DESC LIMIT {int(limit)} OFFSET {int(skip)}"""
    return list(SpendLine.objects.raw(query, [*join_params, *params]))


def _join(ranges: Sequence[IdRange]) -> tuple[str, list[int]]:
    """FROM the lines whose ids fall in ``ranges``, read by one primary-key range per range."""
    values = ", ".join(["(%s, %s)"] * len(ranges))
    params = [bound for item in ranges for bound in (item.first, item.last)]
    table = SpendLine._meta.db_table
    if connection.vendor == "postgresql":
        # Joined plainly, PostgreSQL walks the whole (month, line_key) index to honour ORDER BY
        # month ... LIMIT and filters by the ranges (seconds on ten million lines); OFFSET 0
        # keeps each range a lateral primary-key read of its own.
        return (
            f"""FROM (VALUES {values}) AS r (lo, hi) CROSS JOIN LATERAL (
                SELECT * FROM {table} WHERE id BETWEEN r.lo AND r.hi OFFSET 0) AS l
            WHERE TRUE""",
            params,
        )
    return (
        f"""FROM (VALUES {values}) AS r CROSS JOIN {table} AS l
        WHERE l.id BETWEEN r.column1 AND r.column2""",
        params,
    )


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL would compile the range reads (their estimates are large) for longer than
    they take: no JIT for this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _of_centers(centers: Sequence[int]) -> tuple[str, list[int]]:
    # SQLite would otherwise build a throwaway index on cost_center_id over the whole table
    # (a full scan) instead of reading the ranges: the unary plus keeps the column unindexed.
    column = "+l.cost_center_id" if connection.vendor == "sqlite" else "l.cost_center_id"
    return f"{column} IN ({', '.join(['%s'] * len(centers))})", list(centers)


def _chunks(
    ranges: Sequence[IdRange], *, first: int = _RANGES_PER_QUERY
) -> Iterator[Sequence[IdRange]]:
    """Up to _RANGES_PER_QUERY ranges at a time; from ``first`` growing fourfold, when a page
    is likely found in the newest few."""
    start, size = 0, first
    while start < len(ranges):
        yield ranges[start : start + size]
        start += size
        size = min(size * 4, _RANGES_PER_QUERY)


def _rows(query: str, params: list[Any]) -> list[Any]:
    with copy.cursor() as cursor:
        return cursor.execute(query, params).fetchall()
