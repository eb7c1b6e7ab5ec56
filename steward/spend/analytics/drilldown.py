# ruff: noqa: S608 - SQL is built from this module's constants; values are parameters
"""From a total to its lines, a page at a time, without scanning the lines.

The segments that match the filters (found in the columnar copy) are a month's lines of one
import for one vendor x category x contract, stored as the contiguous id range
``first_line_id..last_line_id``; adjacent matching segments of a month merge into one range.
Their line counts give the total with no COUNT over lines, and a page reads only the few ranges
that hold it.

Cost center is not a segment dimension: with a cost-center filter the lines of the matching
ranges are filtered by cost center. Per month, the matching lines are counted from the
cost-center cells when nothing but categories narrows them, else counted within the ranges
(in chunks of ranges); a page is read from the ranges of the months that hold it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.db.models import Count, Q

from steward.core.errors import DomainError
from steward.spend.analytics import copy
from steward.spend.analytics.columnar import SOURCE, where
from steward.spend.analytics.period import NO_FILTERS, Filters, Period
from steward.spend.models import SpendLine
from steward.spend.scope import SpendScope

MAX_PER_PAGE = 500
_RANGES_PER_QUERY = 300  # OR-ed id ranges per statement: SQLite's expression depth is 1000

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
    """The page from the few ranges that hold it, picked by their running line counts."""
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
    skip = offset - (holding[0][4] - holding[0][3])
    ranges = [IdRange._make(row[:4]) for row in holding]
    found = SpendLine.objects.filter(_ids_in(ranges)).order_by("-month", "-id")
    return list(found[skip : skip + per_page]), total


def _cost_center_page(
    scope: SpendScope, period: Period, filters: Filters, offset: int, per_page: int
) -> tuple[list[SpendLine], int]:
    centers = Q(cost_center_id__in=filters.cost_centers)
    narrowed_by_segments = filters.suppliers or filters.contracts or filters.maverick is not None
    if narrowed_by_segments:
        ranges = matching_ranges(scope, period, filters)
        counts = _count_by_month(ranges, centers)
    else:
        # Cells hold month x cost center x category: the counts need no line.
        counts = {
            int(keys[0] or 0): lines
            for keys, _, lines in SOURCE.totals(scope, period, ("month",), filters)
        }
        ranges = []
    total = sum(counts.values())
    found: list[SpendLine] = []
    before = 0
    for month in sorted(counts, reverse=True):
        if before + counts[month] <= offset:
            before += counts[month]
            continue
        of_month = [item for item in ranges if item.month == month] or matching_ranges(
            scope, period, filters, months=[month]
        )
        found += _lines_of(
            of_month, centers, offset - before if not found else 0, per_page - len(found)
        )
        before += counts[month]
        if len(found) >= per_page:
            break
    return found, total


def _count_by_month(ranges: Sequence[IdRange], centers: Q) -> dict[int, int]:
    counts: dict[int, int] = {}
    for chunk in _chunks(ranges):
        grouped = (
            SpendLine.objects.filter(_ids_in(chunk), centers)
            .order_by()
            .values("month")
            .annotate(found=Count("id"))
        )
        for row in grouped:
            counts[row["month"]] = counts.get(row["month"], 0) + row["found"]
    return counts


def _lines_of(ranges: Sequence[IdRange], centers: Q, skip: int, wanted: int) -> list[SpendLine]:
    """``wanted`` lines of one month's ranges that match ``centers``, after the first
    ``skip``, last first; chunks of ranges wholly before the page are counted, not read."""
    found: list[SpendLine] = []
    for chunk in _chunks(ranges):
        matching = SpendLine.objects.filter(_ids_in(chunk), centers)
        if skip:
            count = matching.count()
            if count <= skip:
                skip -= count
                continue
        found += list(matching.order_by("-id")[skip : skip + wanted - len(found)])
        skip = 0
        if len(found) >= wanted:
            break
    return found


def _chunks(ranges: Sequence[IdRange]) -> Iterator[Sequence[IdRange]]:
    for start in range(0, len(ranges), _RANGES_PER_QUERY):
        yield ranges[start : start + _RANGES_PER_QUERY]


def _ids_in(ranges: Sequence[IdRange]) -> Q:
    return reduce(or_, (Q(id__range=(item.first, item.last)) for item in ranges))


def _rows(query: str, params: list[Any]) -> list[Any]:
    with copy.cursor() as cursor:
        return cursor.execute(query, params).fetchall()
