"""Reading CSV and XLSX uploads into numbered rows, and the cell parsers imports share."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from steward.core.tabular import (
    ImportRefused,
    RowError,
    parse_date,
    parse_decimal,
    read_table,
    sort_errors,
)

COLUMNS = ("name", "date", "value", "note")
REQUIRED = ("name", "date", "value")


def read(content: bytes, name: str = "x.csv", **limits: int) -> list[tuple[int, dict]]:
    rows = read_table(io.BytesIO(content), name, columns=COLUMNS, required=REQUIRED, **limits)
    return [(row.number, row.cells) for row in rows]


def refused_reason(content: bytes, name: str = "x.csv", **limits: int) -> str:
    with pytest.raises(ImportRefused) as refused:
        read(content, name, **limits)
    [error] = refused.value.errors
    assert (error.row, error.column) == (0, "file")
    assert refused.value.field == "file"
    assert refused.value.code == "import_refused"
    return error.reason


def test_a_csv_is_read_into_numbered_rows_under_its_header() -> None:
    content = "\ufeffName,DATE,Value,extra\na,2026-01-02,1.5,x\n,,,\nb,2026-01-03,2,y\n".encode()
    assert read(content) == [
        (2, {"name": "a", "date": "2026-01-02", "value": "1.5", "note": None}),
        (4, {"name": "b", "date": "2026-01-03", "value": "2", "note": None}),
    ]


def test_an_xlsx_keeps_its_cell_types() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "date", "value", "note"])
    sheet.append(["a", dt.datetime(2026, 1, 2), 1.5, "n"])  # noqa: DTZ001 - a sheet's date cell
    content = io.BytesIO()
    book.save(content)
    [(number, cells)] = read(content.getvalue(), "Book.XLSX")
    assert number == 2
    assert cells["value"] == 1.5
    assert parse_date(cells["date"]) == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"name,date,value\n", "x.txt", ".csv or .xlsx"),
        (b"", "x.csv", "empty"),
        (b"name,value\na,1\n", "x.csv", "missing: date"),
        (b"\xff\xfe\x00garbage", "x.csv", "UTF-8"),
        (b"not a zip", "x.xlsx", "cannot be read"),
    ],
)
def test_an_unreadable_file_is_refused_whole(content: bytes, name: str, reason: str) -> None:
    assert reason in refused_reason(content, name)


def test_size_and_row_limits_refuse_the_file() -> None:
    content = b"name,date,value\n" + b"a,2026-01-01,1\n" * 3
    assert "larger than 20 bytes" in refused_reason(content, max_bytes=20)
    assert "at most 2 rows" in refused_reason(content, max_rows=2)
    assert len(read(content, max_rows=3)) == 3
    assert "larger than 5 MB" in refused_reason(b"x" * (5 * 1024 * 1024 + 1))


def test_dates_are_iso_or_date_cells() -> None:
    assert parse_date("2026-02-28") == dt.date(2026, 2, 28)
    assert parse_date(" 2026-02-28 ") == dt.date(2026, 2, 28)
    assert parse_date(dt.date(2026, 2, 28)) == dt.date(2026, 2, 28)
    assert parse_date(dt.datetime(2026, 2, 28)) == dt.date(2026, 2, 28)  # noqa: DTZ001
    for bad in ("2026-13-01", "28/02/2026", "", None, 5, dt.datetime(2026, 2, 28, 9)):  # noqa: DTZ001
        assert parse_date(bad) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("n/a", "is not a number"),
        (True, "is not a number"),
        ("", "is missing"),
        (None, "is missing"),
        ("NaN", "is not a finite number"),
        ("1.23456", "more than 4 decimal places"),
        ("1000", "is too large"),
    ],
)
def test_bad_numbers_say_why(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_decimal(raw, places=4, limit=Decimal(1000))


@given(st.decimals(min_value=-999, max_value=999, places=4, allow_nan=False))
def test_a_number_reads_back_as_itself(number: Decimal) -> None:
    assert parse_decimal(str(number), places=4, limit=Decimal(1000)) == number
    assert parse_decimal(float(number), places=4, limit=Decimal(1000)) == Decimal(
        repr(float(number))
    )


def test_errors_sort_by_row_then_column_and_read_like_sentences() -> None:
    errors = [RowError(3, "value", "v"), RowError(2, "note", "n"), RowError(3, "name", "m")]
    assert [(e.row, e.column) for e in sort_errors(errors, COLUMNS)] == [
        (2, "note"),
        (3, "name"),
        (3, "value"),
    ]
    assert str(RowError(4, "date", "is not a date")) == "row 4, date: is not a date"
    assert str(RowError(0, "file", "The file is empty.")) == "file: The file is empty."
    assert "2 problems" in ImportRefused(errors[:2]).message
    assert "1 problem in" in ImportRefused(errors[:1]).message
