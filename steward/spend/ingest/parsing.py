# ruff: noqa: S608 - SQL is built from this module's constants; user text is quoted by sql_text
"""Checking and converting every cell of the file at once, in DuckDB: set-based, no loop per row.

The result is the table ``parsed`` (one row per line of the file, typed) and the problems found,
one per row and field, in the table ``problems``.

Rules (each refusal names the row and the field):

- date: the source's ``date_format`` (strftime codes, e.g. %d/%m/%Y) or an ISO date; years
  1900 to 2199.
- amount: a number with "." as decimal mark and "," between thousands (1,234.56), or the
  reverse when the source has ``decimal_comma``; at most 4 decimal places; more than zero (a
  credit note or refund is refused: the ledger holds what was paid) and at most 10^12.
- quantity (optional): read like an amount, more than zero.
- currency: an ISO 4217 code; an empty cell or no column means the source's default currency,
  else the base currency.
- text cells: a cell starting with =, @, or with + or - not followed by a plain number, is a
  spreadsheet formula and refused; a reference, item, GL account, cost center, category or
  contract longer than the ledger keeps is refused; a description is cut to 255 characters.
- the vendor: a name or a tax id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from steward.spend.ingest.currencies import ISO_4217
from steward.spend.ingest.engine import load_table
from steward.spend.ingest.mapping import FIELDS, MAX_LENGTH, TEXT_FIELDS
from steward.spend.ingest.reading import RawTable

MAX_AMOUNT = 10**12
MIN_YEAR, MAX_YEAR = 1900, 2199
QUOTED_CHARACTERS = 40
# Characters a cell is trimmed of (spaces, tabs, line ends, no-break spaces).
_BLANK = "' \t\r\n\u00a0'"
_BLANK_CODES = "(9, 10, 13, 32, 160)"
# Extra problem "fields" after the Steward fields, in the order problems are listed.
FIELD_ORDER: tuple[str, ...] = (*FIELDS, "vendor", "line")


@dataclass(frozen=True)
class Settings:
    date_format: str
    decimal_comma: bool
    default_currency: str


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def parse(
    con: duckdb.DuckDBPyConnection, raw: RawTable, found: dict[str, int], settings: Settings
) -> int:
    """Create ``parsed`` and ``problems`` from ``raw`` (dropped once read, so the memory limit
    holds the file about once); return the number of non-blank rows."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problems (row INTEGER, field VARCHAR, message VARCHAR)"
    )
    _refuse_values_without_a_column_name(con, raw)
    load_table(con, "iso_currency", [("code", "VARCHAR")], [(code,) for code in ISO_4217])
    load_table(
        con,
        "field_order",
        [("field", "VARCHAR"), ("position", "INTEGER")],
        [(field, index) for index, field in enumerate(FIELD_ORDER)],
    )
    con.execute(_parsed_sql(settings, _cells_sql(raw, found)))
    con.execute("DROP TABLE raw")
    # Blank rows (a spreadsheet's empty rows saved as ",,,"): every named column is mapped to a
    # field, so a row whose fields are all empty is blank.
    con.execute("DELETE FROM parsed WHERE _blank")
    columns = ", ".join(f"e_{field} AS {field}" for field in FIELDS)
    con.execute(
        f"""INSERT INTO problems
        SELECT _row, field, message FROM (
            UNPIVOT (SELECT _row, {columns} FROM parsed)
            ON COLUMNS(* EXCLUDE _row) INTO NAME field VALUE message)"""
    )
    (rows,) = con.execute("SELECT count(*) FROM parsed").fetchone() or (0,)
    return int(rows)


def _cells_sql(raw: RawTable, found: dict[str, int]) -> str:
    """The row number and each field's cell, trimmed, empty as NULL."""
    selected = ", ".join(
        f"{_cleaned(raw.columns[found[field]])} AS {field}"
        if field in found
        else f"NULL::VARCHAR AS {field}"
        for field in FIELDS
    )
    return f"(SELECT {raw.row_number} AS _row, {selected} FROM raw)"


def _refuse_values_without_a_column_name(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    for index, name in enumerate(raw.header):
        if not name:
            con.execute(
                f"""INSERT INTO problems
                SELECT {raw.row_number}, 'column {index + 1}',
                    'holds a value, but the header gives its column no name.'
                FROM raw WHERE {_cleaned(raw.columns[index])} IS NOT NULL"""
            )


def _cleaned(column: str) -> str:
    # Trimming every cell costs more than all the checks together; most cells need none.
    edge = f"ascii({column}) IN {_BLANK_CODES} OR ascii(right({column}, 1)) IN {_BLANK_CODES}"
    return f"""CASE WHEN {column} = '' THEN NULL
        WHEN {edge} THEN nullif(trim({column}, {_BLANK}), '') ELSE {column} END"""


def _parsed_sql(settings: Settings, cells: str) -> str:
    """Each step in its own subquery: DuckDB inlines a column alias wherever it is used, so a
    value computed once per step is not recomputed by every check that reads it."""
    fmt = settings.date_format.strip()
    date_value = "try_strptime(date, '%Y-%m-%d')::DATE"
    expected = "2026-12-31"
    if fmt and fmt != "%Y-%m-%d":
        date_value = f"coalesce(try_strptime(date, {sql_text(fmt)})::DATE, {date_value})"
        expected = f"{_example(fmt)} or 2026-12-31"
    plain_text = [field for field in TEXT_FIELDS if field not in {"currency", "description"}]
    comma = settings.decimal_comma
    first = [
        "*",
        f"{date_value} AS date_value",
        _plain("amount", comma),
        _plain("quantity", comma),
        f"coalesce(upper(currency), {sql_text(settings.default_currency)}) AS currency_code",
    ]
    mapped = ", ".join(FIELDS)
    second = [
        "*",
        _places("amount"),
        _places("quantity"),
        f"coalesce({mapped}) IS NULL AS _blank",
    ]
    third = ["*", _wide("amount"), _wide("quantity")]
    last = [
        "_row",
        "_blank",
        "date AS date_text",
        "amount AS amount_text",
        "quantity AS quantity_text",
        "date_value",
        _number("amount"),
        _number("quantity"),
        "currency_code",
        *plain_text,
        "left(description, 255) AS description",
        _date_error(expected),
        _number_error("amount", comma, required=True),
        _number_error("quantity", comma, required=False),
        f"""CASE WHEN currency IS NOT NULL AND {_is_formula("currency")}
                THEN {_formula_message("currency")}
            WHEN currency_code NOT IN (SELECT code FROM iso_currency)
                THEN '“' || left(currency_code, {QUOTED_CHARACTERS})
                    || '” is not an ISO 4217 currency code.'
            END AS e_currency""",
        f"""CASE WHEN vendor_name IS NULL AND vendor_tax_id IS NULL
                THEN 'is missing: the line names no vendor (neither a name nor a tax id).'
            ELSE {_text_error("vendor_name", 0)} END AS e_vendor_name""",
        *(
            f"{_text_error(field, MAX_LENGTH.get(field, 0) if field != 'description' else 0)} "
            f"AS e_{field}"
            for field in TEXT_FIELDS
            if field not in {"currency", "vendor_name"}
        ),
    ]
    query = cells
    for step in (first, second, third):
        query = f"(SELECT {', '.join(step)} FROM {query})"
    return f"CREATE OR REPLACE TEMP TABLE parsed AS SELECT {', '.join(last)} FROM {query}"


def _date_error(expected: str) -> str:
    quoted = f"'“' || left(date, {QUOTED_CHARACTERS}) || '”'"
    return f"""CASE WHEN date IS NULL THEN 'is missing.'
        WHEN ascii(date) IN (61, 64) THEN {_formula_message("date")}
        WHEN date_value IS NULL
            THEN {quoted} || ' is not a date (expected a date such as {expected}).'
        WHEN year(date_value) < {MIN_YEAR} OR year(date_value) > {MAX_YEAR}
            THEN {quoted} || ' is out of range (years {MIN_YEAR} to {MAX_YEAR}).'
        END AS e_date"""


def _text_error(field: str, longest: int) -> str:
    too_long = (
        f"WHEN length({field}) > {longest} THEN 'is longer than {longest} characters.'"
        if longest
        else ""
    )
    return f"""CASE WHEN {field} IS NULL THEN NULL
        WHEN {_is_formula(field)} THEN {_formula_message(field)}
        {too_long}
        END"""


def _is_formula(column: str) -> str:
    return (
        f"(ascii({column}) IN (61, 64) OR (ascii({column}) IN (43, 45) "
        f"AND NOT regexp_full_match({column}, '[+-][0-9][0-9 .,/]*')))"
    )


def _formula_message(column: str) -> str:
    return (
        f"'“' || left({column}, {QUOTED_CHARACTERS}) || '” is a spreadsheet formula; "
        "Steward imports values, not formulas.'"
    )


def _number_pattern(decimal_comma: bool) -> str:
    if decimal_comma:
        return "[+-]?([0-9]{1,3}(\\.[0-9]{3})+|[0-9]+)(,[0-9]+)?"
    return "[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?"


def _plain(field: str, decimal_comma: bool) -> str:
    """The digits with "." as the decimal mark, or NULL when the cell is not a number."""
    if decimal_comma:
        plain = f"replace(replace({field}, '.', ''), ',', '.')"
    else:
        plain = f"replace({field}, ',', '')"
    pattern = sql_text(_number_pattern(decimal_comma))
    return f"CASE WHEN regexp_full_match({field}, {pattern}) THEN {plain} END AS {field}_plain"


def _places(field: str) -> str:
    return f"length(split_part({field}_plain, '.', 2)) AS {field}_places"


def _wide(field: str) -> str:
    return (
        f"CASE WHEN {field}_places <= 4 THEN try_cast({field}_plain AS DECIMAL(38,4)) END "
        f"AS {field}_wide"
    )


def _number(field: str) -> str:
    return (
        f"CASE WHEN {field}_wide > 0 AND {field}_wide <= {MAX_AMOUNT} "
        f"THEN {field}_wide::DECIMAL(18,4) END AS {field}_number"
    )


def _number_error(field: str, decimal_comma: bool, *, required: bool) -> str:
    written = "1.234,56" if decimal_comma else "1,234.56"
    quoted = f"'“' || left({field}, {QUOTED_CHARACTERS}) || '”'"
    noun = "amount" if field == "amount" else "quantity"
    refused_sign = (
        "' must be more than zero: credit notes and refunds are not imported.'"
        if field == "amount"
        else "' must be more than zero.'"
    )
    missing = "WHEN {f} IS NULL THEN 'is missing.'" if required else "WHEN {f} IS NULL THEN NULL"
    return f"""CASE {missing.format(f=field)}
        WHEN ascii({field}) IN (61, 64) THEN {_formula_message(field)}
        WHEN {field}_plain IS NULL
            THEN {quoted} || ' is not a number (the source writes numbers as {written}).'
        WHEN {field}_places > 4 THEN {quoted} || ' has more than 4 decimal places.'
        WHEN {field}_wide IS NULL OR {field}_wide > {MAX_AMOUNT}
            THEN {quoted} || ' is too large for a {noun} (at most {MAX_AMOUNT:,}).'
        WHEN {field}_wide <= 0 THEN {quoted} || {refused_sign}
        END AS e_{field}"""


def _example(fmt: str) -> str:
    try:
        return dt.date(2026, 12, 31).strftime(fmt)
    except ValueError:
        return fmt
