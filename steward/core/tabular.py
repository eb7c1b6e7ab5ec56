"""Reading a CSV or XLSX upload into numbered rows, for imports that take all rows or none.

An import reads its file here, checks every row, and refuses the whole file with an error per
problem (`ImportRefused`) when any row is bad. Rows are numbered as a spreadsheet shows them:
the header is row 1; row 0 stands for the file as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import load_workbook

from steward.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1; 0 is the file as a whole
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.row else self.column
        return f"{where}: {self.reason}"


class ImportRefused(DomainError):  # noqa: N818 - the name the callers were promised
    """The file was refused as a whole; ``errors`` says why, row by row."""

    code = "import_refused"

    def __init__(self, errors: list[RowError]) -> None:
        count = len(errors)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file.",
            field="file",
        )
        self.errors = errors


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, Any]


def refuse(reason: str) -> ImportRefused:
    """The whole file refused for one reason."""
    return ImportRefused([RowError(row=0, column="file", reason=reason)])


def read_table(
    file: IO[bytes],
    filename: str,
    *,
    columns: Sequence[str],
    required: Iterable[str],
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> list[Row]:
    """The file's rows below its header, each cell under its (lower-cased) column name.

    Columns the header does not name are None; columns not in ``columns`` are dropped; blank
    rows are skipped. Refuses a file too large, of another type, empty, unreadable, without a
    required column in its header, or with more than ``max_rows`` rows.
    """
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(f"The file is larger than {_size(max_bytes)}.")
    name = filename.lower()
    if name.endswith(".csv"):
        table = _csv_rows(data)
    elif name.endswith(".xlsx"):
        table = _xlsx_rows(data)
    else:
        raise refuse("Import a .csv or .xlsx file.")
    if not table:
        raise refuse("The file is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise refuse(f"The first row must name the columns; missing: {', '.join(missing)}.")
    if len(table) - 1 > max_rows:
        raise refuse(f"Import at most {max_rows} rows at a time.")
    rows: list[Row] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        known = {header[i]: cell for i, cell in enumerate(cells) if i < len(header)}
        rows.append(Row(number=number, cells={column: known.get(column) for column in columns}))
    return rows


def _size(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    if megabytes >= 1 and megabytes == int(megabytes):
        return f"{int(megabytes)} MB"
    return f"{limit} bytes"


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refuse("The CSV file is not UTF-8 text.") from error
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise refuse("The CSV file cannot be read.") from error


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise refuse("The XLSX file cannot be read.") from error
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


# --- cells -----------------------------------------------------------------------------------


def text(raw: object) -> str:
    """A cell as trimmed text; an empty cell is ''."""
    return str(raw if raw is not None else "").strip()


def parse_date(raw: object) -> dt.date | None:
    """An ISO date, or a spreadsheet's date cell (a datetime at midnight); None otherwise."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


def parse_decimal(raw: object, *, places: int, limit: Decimal) -> Decimal:
    """A cell as a Decimal of at most ``places`` decimal places and below ``limit`` in size.

    Floats are read through their shortest text, so a spreadsheet's 99.95 stays 99.95.
    Raises ValueError with a reason that reads after the column name ("is not a number").
    """
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, float):
        raw = repr(raw)
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        raise ValueError("is missing")
    try:
        number = Decimal(raw)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValueError("is not a number") from error
    if not number.is_finite():
        raise ValueError("is not a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise ValueError(f"has more than {places} decimal places")
    if abs(number) >= limit:
        raise ValueError("is too large")
    return number


def sort_errors(errors: list[RowError], columns: Sequence[str]) -> list[RowError]:
    """Errors in row order, then in the order of the columns."""
    order = {column: index for index, column in enumerate(columns)}
    return sorted(errors, key=lambda error: (error.row, order.get(error.column, len(order))))
