# ruff: noqa: S608 - SQL is built from generated column names; values are parameters
"""Reading a CSV or XLSX file into the DuckDB table ``raw``: one text column per header column.

Rows are numbered as a spreadsheet shows them (the header is row 1; a blank row keeps its
number), so every problem can name the row a person will look for.

- CSV goes through DuckDB's own reader (parallel, in C): the header is read here to choose the
  delimiter and name the columns, DuckDB reads the rest as text and records the rows it cannot
  read (not UTF-8, too many or too few cells, an unclosed quote) with their numbers. DuckDB
  drops blank lines, which would shift the numbers of the rows after them, so a file with blank
  lines inside it is read by Python's csv module instead (slower, rare).
- XLSX is streamed row by row by openpyxl in read-only mode (formulas as written, never their
  cached results, so a formula is seen and refused) and inserted in chunks.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import duckdb
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from steward.spend.ingest.engine import CHUNK_ROWS, create_table, insert_columns
from steward.spend.ingest.problems import KEPT_PROBLEMS, FileRefused, Problem, refuse

HEAD_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
NOT_UTF8 = "is not UTF-8 text; save the file as UTF-8 (“CSV UTF-8”) and import it again."
_SURROGATES = re.compile("[\udc80-\udcff]")

# Rows read so far, and how many the file holds when known (an XLSX sheet says so).
RowsRead = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RawTable:
    """The file in DuckDB: ``raw`` with ``columns[i]`` holding the header's ``header[i]``."""

    header: tuple[str, ...]
    columns: tuple[str, ...]
    row_number: str  # SQL expression of a row's number in the file
    rows: int


def read_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    kind: str,
    decimal_comma: bool = False,
    rows_read: RowsRead | None = None,
) -> RawTable:
    if path.stat().st_size == 0:
        raise refuse("The file is empty (0 bytes).")
    if kind == "xlsx":
        return _read_xlsx(con, path, decimal_comma=decimal_comma, rows_read=rows_read)
    return _read_csv(con, path, rows_read=rows_read)


def column_names(header: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"c{index}" for index, _ in enumerate(header))


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, *, rows_read: RowsRead | None
) -> RawTable:
    header_line = _header_line(path)
    delimiter = max(DELIMITERS, key=header_line.count)
    header = tuple(cell.strip() for cell in next(csv.reader([header_line], delimiter=delimiter)))
    _check_header(header)
    if _has_blank_lines(path):
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            records = csv.reader(handle, delimiter=delimiter)
            next(records)
            return _load_rows(con, header, _csv_records(records, len(header)), rows_read)
    columns = column_names(header)
    spec = "{" + ", ".join(f"'{column}': 'VARCHAR'" for column in columns) + "}"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(
            ?, header = false, skip = 1, auto_detect = false, delim = ?, quote = '"',
            escape = '"', columns = {spec}, strict_mode = true, store_rejects = true)""",
        [str(path), delimiter],
    )
    _refuse_rejected_rows(con, len(header))
    (rows,) = con.execute("SELECT count(*) FROM raw").fetchone() or (0,)
    if rows_read:
        rows_read(int(rows), int(rows))
    return RawTable(header=header, columns=columns, row_number="(rowid + 2)", rows=int(rows))


def _header_line(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        cut_short = len(head) == HEAD_BYTES and error.start >= len(head) - 3
        if not cut_short:
            row = head[: error.start].count(b"\n") + 1
            raise refuse(NOT_UTF8, row=row) from error
        text = head[: error.start].decode("utf-8-sig")
    if "\x00" in text:
        raise refuse(f"The file {NOT_UTF8}")
    if not text.strip():
        raise refuse("The file is empty: it has no header row.")
    if text.startswith(("\n", "\r")):
        raise refuse("The first row must be the header; the file starts with a blank line.", row=1)
    return text.split("\n", 1)[0].rstrip("\r")


def _check_header(header: tuple[str, ...]) -> None:
    """Names must differ. A column without a name may stand in the header (an export that ends
    every line with a delimiter) as long as it stays empty; ``parsing`` checks that."""
    if not any(header):
        raise refuse("The first row must name the columns; it is empty.", row=1)
    problems = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        key = name.casefold()
        if key and key in seen:
            problems.append(
                Problem(
                    row=1,
                    field=name,
                    message=f"is the name of columns {seen[key]} and {index}; "
                    "each column needs its own name.",
                )
            )
        seen.setdefault(key, index)
    if problems:
        raise FileRefused(problems)


def _has_blank_lines(path: Path) -> bool:
    """Whether a blank line stands between the header and the last row (blank lines at the end
    of the file are harmless)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
        end = size - (len(tail) - len(tail.rstrip(b"\r\n")))
        handle.seek(0)
        previous = b""
        offset = 0
        while block := handle.read(1 << 22):
            window = previous + block
            for pattern in (b"\n\n", b"\n\r\n"):
                found = window.find(pattern)
                if found != -1 and offset - len(previous) + found + len(pattern) < end:
                    return True
            previous = window[-2:]
            offset += len(block)
    return False


def _csv_records(records: Iterator[list[str]], width: int) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    while True:
        number += 1
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error as error:
            raise refuse(f"cannot be read as CSV ({error}).", row=number) from error
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if _SURROGATES.search("".join(cells)):
            raise refuse(NOT_UTF8, row=number)
        if len(cells) != width:
            yield number, _WrongWidth(len(cells), width)
            continue
        yield number, cells


class _WrongWidth(list[Any]):
    def __init__(self, found: int, width: int) -> None:
        super().__init__()
        self.found = found
        self.width = width


def _refuse_rejected_rows(con: duckdb.DuckDBPyConnection, width: int) -> None:
    rejected = con.execute(
        f"""SELECT line, error_type, error_message FROM reject_errors
        ORDER BY line LIMIT {KEPT_PROBLEMS}"""
    ).fetchall()
    if not rejected:
        return
    (total,) = con.execute("SELECT count(*) FROM reject_errors").fetchone() or (0,)
    problems = []
    for line, error_type, message in rejected:
        if error_type == "INVALID ENCODING":
            text = NOT_UTF8
        elif error_type == "TOO MANY COLUMNS":
            text = f"has more cells than the header has columns ({width})."
        elif error_type == "MISSING COLUMNS":
            text = f"has fewer cells than the header has columns ({width})."
        elif error_type == "UNQUOTED VALUE":
            text = 'has a quote (") that is never closed.'
        else:
            text = f"cannot be read as CSV ({message.strip()})."
        problems.append(Problem(row=int(line), field="file", message=text))
    raise FileRefused(problems, total=int(total))


# --- XLSX ----------------------------------------------------------------------------------------

_DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ParseError)


def _read_xlsx(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    decimal_comma: bool,
    rows_read: RowsRead | None,
) -> RawTable:
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except _DAMAGED as error:
        raise refuse(
            "The XLSX file is damaged or truncated; save it again from the spreadsheet program."
        ) from error
    try:
        if not book.worksheets:
            raise refuse("The XLSX file has no worksheet.")
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        expected = sheet.max_row - 1 if sheet.max_row else None
        try:
            first = next(rows, None)
            header = _xlsx_header(first)
            cells = _xlsx_records(rows, len(header), decimal_comma=decimal_comma)
            return _load_rows(con, header, cells, rows_read, expected=expected)
        except _DAMAGED as error:
            raise refuse(
                "The XLSX file is damaged or truncated; save it again from the spreadsheet program."
            ) from error
    finally:
        book.close()


def _xlsx_header(first: tuple[Any, ...] | None) -> tuple[str, ...]:
    cells = [xlsx_text(cell, decimal_comma=False) or "" for cell in first or ()]
    while cells and not cells[-1].strip():
        cells.pop()
    if not cells:
        raise refuse("The file is empty: it has no header row.")
    header = tuple(cell.strip() for cell in cells)
    _check_header(header)
    return header


def _xlsx_records(
    rows: Iterator[tuple[Any, ...]], width: int, *, decimal_comma: bool
) -> Iterator[tuple[int, list[Any]]]:
    for number, values in enumerate(rows, start=2):
        cells = [xlsx_text(value, decimal_comma=decimal_comma) for value in values]
        if all(cell is None or not cell.strip() for cell in cells):
            continue
        beyond = [i for i, cell in enumerate(cells[width:], start=width + 1) if cell]
        if beyond:
            yield number, _Beyond(beyond[0])
            continue
        yield number, (cells + [None] * width)[:width]


class _Beyond(list[Any]):
    def __init__(self, column: int) -> None:
        super().__init__()
        self.column = column


def xlsx_text(value: Any, *, decimal_comma: bool) -> str | None:
    """A spreadsheet cell as the text a CSV export would hold.

    Numbers are written without exponent and with the source's decimal mark (the value typed
    is kept: a float is read through its shortest repr); dates as ISO dates (a date-time keeps
    its day); a formula as written, starting with "=".
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, ArrayFormula):
        return str(value.text or "=")
    return str(value)


# --- rows from Python ----------------------------------------------------------------------------


def _load_rows(
    con: duckdb.DuckDBPyConnection,
    header: tuple[str, ...],
    records: Iterator[tuple[int, list[Any]]],
    rows_read: RowsRead | None,
    *,
    expected: int | None = None,
) -> RawTable:
    """Insert numbered rows into ``raw`` in chunks; refuse rows of the wrong width."""
    columns = column_names(header)
    spec = [("_row", "INTEGER"), *((column, "VARCHAR") for column in columns)]
    create_table(con, "raw", spec)
    problems: list[Problem] = []
    refused = 0
    chunk: list[list[Any]] = []
    total = 0
    for number, cells in records:
        if isinstance(cells, _WrongWidth | _Beyond):
            refused += 1
            if len(problems) >= KEPT_PROBLEMS:
                continue
        if isinstance(cells, _WrongWidth):
            problems.append(
                Problem(
                    row=number,
                    field="file",
                    message=f"has {cells.found} cells; the header has {cells.width} columns.",
                )
            )
            continue
        if isinstance(cells, _Beyond):
            problems.append(
                Problem(
                    row=number,
                    field=f"column {cells.column}",
                    message="holds a value, but the header names no such column.",
                )
            )
            continue
        chunk.append([number, *cells])
        if len(chunk) >= CHUNK_ROWS:
            total += _flush(con, spec, chunk)
            chunk = []
            if rows_read:
                rows_read(total, expected)
    total += _flush(con, spec, chunk)
    if problems:
        raise FileRefused(problems, total=refused)
    if rows_read:
        rows_read(total, total)
    return RawTable(header=header, columns=columns, row_number="_row", rows=total)


def _flush(
    con: duckdb.DuckDBPyConnection, spec: list[tuple[str, str]], chunk: list[list[Any]]
) -> int:
    if chunk:
        insert_columns(con, "raw", spec, list(zip(*chunk, strict=True)))
    return len(chunk)
