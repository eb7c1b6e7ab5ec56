"""The reading rules of the import, checked on the DuckDB expressions themselves: amounts in
either decimal convention, dates in a source's format, formulas, and conversion to cents."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.spend.ingest import engine, mapping, parsing
from steward.spend.ingest.enrich import base_cents
from steward.spend.ingest.reading import RawTable, column_names
from steward.spend.money import to_cents

HEADER = ("date", "amount", "vendor_name", "quantity", "description", "vendor_tax_id")
ISO = parsing.Settings(date_format="", decimal_comma=False, default_currency="EUR")

amounts = st.decimals(
    min_value=Decimal("0.0001"), max_value=Decimal(10**12), places=4, allow_nan=False
)
rates = st.decimals(
    min_value=Decimal("0.0000000001"), max_value=Decimal(1_000_000), places=10, allow_nan=False
)


def parse(
    cells: Sequence[dict[str, Any]], how: parsing.Settings = ISO
) -> tuple[list[dict[str, Any]], set[tuple[int, str]]]:
    """Parse rows of cells (by field, default a valid line); the parsed rows and the problems."""
    default = {"date": "2026-01-05", "amount": "1", "vendor_name": "Acme"}
    rows = [
        (number, *({**default, **row}.get(field) for field in HEADER))
        for number, row in enumerate(cells, start=2)
    ]
    with engine.session() as con:
        columns = column_names(HEADER)
        engine.load_table(
            con, "raw", [("_row", "INTEGER"), *((c, "VARCHAR") for c in columns)], rows
        )
        raw = RawTable(header=HEADER, columns=columns, row_number="_row", rows=len(rows))
        parsing.parse(con, raw, mapping.resolve({}, HEADER), how)
        parsed = con.execute("SELECT * FROM parsed ORDER BY _row").fetchall()
        names = [d[0] for d in con.description or ()]
        problems = con.execute("SELECT row, field FROM problems").fetchall()
    return [dict(zip(names, row, strict=True)) for row in parsed], set(problems)


def grouped(number: Decimal, *, thousands: str, decimal: str) -> str:
    whole, _, fraction = f"{number:f}".partition(".")
    digits = f"{int(whole):,}".replace(",", thousands)
    return digits + (decimal + fraction if fraction else "")


@settings(max_examples=60, deadline=None)
@given(amount=amounts, separated=st.booleans(), decimal_comma=st.booleans())
def test_amounts_read_back_exactly_in_either_convention(
    amount: Decimal, separated: bool, decimal_comma: bool
) -> None:
    thousands = ("." if decimal_comma else ",") if separated else ""
    text = grouped(amount, thousands=thousands, decimal="," if decimal_comma else ".")
    how = parsing.Settings(date_format="", decimal_comma=decimal_comma, default_currency="EUR")

    [row], problems = parse([{"amount": text}], how)

    assert problems == set()
    assert row["amount_number"] == amount


@settings(max_examples=40, deadline=None)
@given(amount=amounts, extra=st.integers(min_value=1, max_value=9))
def test_more_than_four_decimal_places_are_refused(amount: Decimal, extra: int) -> None:
    text = f"{amount:.4f}{extra}"

    _, problems = parse([{"amount": text}])

    assert problems == {(2, "amount")}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0", "more than zero"),
        ("-12.50", "more than zero"),
        ("1000000000000.01", "too large"),
        ("12,5", "is not a number"),
        ("1.234.5", "is not a number"),
        ("12 EUR", "is not a number"),
        ("=A1*2", "formula"),
        ("", "is missing"),
    ],
)
def test_amounts_that_are_not_a_positive_number_are_refused(text: str, words: str) -> None:
    with engine.session() as con:
        problems = _problem_messages(con, {"amount": text})

    assert list(problems) == ["amount"]
    assert words in problems["amount"]


def _problem_messages(con: Any, row: dict[str, Any]) -> dict[str, str]:
    default = {"date": "2026-01-05", "amount": "1", "vendor_name": "Acme"}
    values = {**default, **row}
    columns = column_names(HEADER)
    engine.load_table(
        con,
        "raw",
        [("_row", "INTEGER"), *((c, "VARCHAR") for c in columns)],
        [(2, *(values.get(field) or None for field in HEADER))],
    )
    raw = RawTable(header=HEADER, columns=columns, row_number="_row", rows=1)
    parsing.parse(con, raw, mapping.resolve({}, HEADER), ISO)
    return dict(con.execute("SELECT field, message FROM problems").fetchall())


FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%m/%d/%Y", "%d %b %Y", "%Y%m%d")


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)),
    fmt=st.sampled_from(FORMATS),
    iso=st.booleans(),
)
def test_dates_read_in_the_source_format_or_as_iso(day: dt.date, fmt: str, iso: bool) -> None:
    how = parsing.Settings(date_format=fmt, decimal_comma=False, default_currency="EUR")
    text = day.isoformat() if iso else day.strftime(fmt)

    [row], problems = parse([{"date": text}], how)

    assert problems == set()
    assert row["date_value"] == day


@pytest.mark.parametrize("text", ["2026-02-30", "31/12/2026", "1899-12-31", "yesterday"])
def test_impossible_or_unexpected_dates_are_refused(text: str) -> None:
    _, problems = parse([{"date": text}])

    assert problems == {(2, "date")}


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("=HYPERLINK(1)", True),
        ("@SUM(A1)", True),
        ("+cmd", True),
        ("- Consulting", True),
        ("+49 30 1234", False),
        ("-15", False),
        ("Consulting = advice", False),
    ],
)
def test_text_cells_that_are_spreadsheet_formulas_are_refused(text: str, refused: bool) -> None:
    _, problems = parse([{"description": text}])

    assert ((2, "description") in problems) is refused


def test_cells_are_trimmed_and_blank_rows_left_out() -> None:
    rows, problems = parse(
        [
            {"vendor_name": "  Acme\t", "amount": " 5 "},
            {"date": None, "amount": None, "vendor_name": " "},
        ]
    )

    assert problems == set()
    assert [(row["_row"], row["vendor_name"], row["amount_number"]) for row in rows] == [
        (2, "Acme", Decimal(5))
    ]


def test_a_line_needs_a_vendor_name_or_tax_id() -> None:
    _, problems = parse([{"vendor_name": None}, {"vendor_name": None, "vendor_tax_id": "DE1"}])

    assert problems == {(2, "vendor_name")}


@settings(max_examples=80, deadline=None)
@given(amount=amounts, rate=rates)
def test_conversion_to_cents_rounds_half_away_from_zero_as_the_ledger_does(
    amount: Decimal, rate: Decimal
) -> None:
    with engine.session() as con:
        [(cents,)] = con.execute(
            f"SELECT {base_cents('$1::DECIMAL(18,4)', '$2::DECIMAL(20,10)')}",
            [str(amount), str(rate)],
        ).fetchall()

    exact = to_cents(amount * rate)
    assert cents == (exact if abs(exact) < 2**63 else None)


def test_a_line_key_is_the_md5_of_its_identity_so_any_machine_computes_the_same(
    db: Any,
) -> None:
    from steward.spend.models import SpendLine
    from steward.spend.tests.test_import_helpers import csv_bytes, make_world, run_import

    world = make_world()
    run_import(world, csv_bytes([("2026-01-05", "1", "EUR", "Acme Industrial", "INV-1", 7, "")]))

    identity = "\x1f".join(["reference", str(world.source.pk), "INV-1", "7"])
    expected = int(hashlib.md5(identity.encode()).hexdigest()[:15], 16)  # noqa: S324 - an id
    assert SpendLine.objects.get().line_key == expected
