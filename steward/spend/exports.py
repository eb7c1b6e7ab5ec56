"""CSV and Excel exports of spend figures and lines.

Figures are lists (answers of the analytics), not querysets, and lines arrive page by page from
the drill-down; both go through ``steward.core.exports.export_response``, so every text cell is
neutralized against formula injection the same way as every other export in Steward.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from steward.core.exports import EXPORT_LIMIT, Column, export_response

EXPORT_PAGE = 500


class _Rows:
    """Just enough of a queryset for ``export_response``: slicing and ``iterator()``, lazily."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = rows

    def __getitem__(self, bounds: slice) -> _Rows:
        return _Rows(itertools.islice(self._rows, bounds.start, bounds.stop, bounds.step))

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        return iter(self._rows)


def rows_export(
    rows: Iterable[Any], columns: Sequence[Column], *, filename: str, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """Export ``rows`` (already scoped and filtered), at most ``EXPORT_LIMIT`` of them."""
    return export_response(
        cast("QuerySet[Any]", _Rows(rows)), columns, filename=filename, file_format=file_format
    )


def paged_rows(
    fetch: Callable[[int, int], Sequence[Any]], *, per_page: int = EXPORT_PAGE
) -> Iterator[Any]:
    """Every row of a paged reader ``fetch(page, per_page)``, one page in memory at a time."""
    page = 1
    fetched = 0
    while fetched < EXPORT_LIMIT:
        rows = fetch(page, per_page)
        yield from rows
        fetched += len(rows)
        if len(rows) < per_page:
            return
        page += 1
