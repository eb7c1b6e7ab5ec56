"""CSV and Excel exports of any list, with the same filters and the same access policy.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) are
prefixed with an apostrophe, so an exported name cannot run code on the reader's machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def neutralize(value: Any) -> Any:
    """Make a text cell inert for spreadsheet programs; leave numbers and dates as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | dt.date):
        return value
    return neutralize(str(value))


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read UTF-8
    yield writer.writerow([c.header for c in columns])
    for row in rows:
        yield writer.writerow([_cell(c.value(row)) for c in columns])


def export_response(
    rows: QuerySet[Any], columns: Sequence[Column], *, filename: str, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """Stream a CSV, or build an Excel workbook, of ``rows`` (already scoped and filtered)."""
    stamp = timezone.localdate().isoformat()
    batches = rows[:EXPORT_LIMIT].iterator(chunk_size=2000)
    if file_format == "csv":
        streamed = StreamingHttpResponse(
            _csv_lines(batches, columns), content_type="text/csv; charset=utf-8"
        )
        streamed["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        return streamed
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename[:31])
    sheet.append([c.header for c in columns])
    for row in batches:
        sheet.append([_cell(c.value(row)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
