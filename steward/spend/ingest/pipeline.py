# ruff: noqa: S608 - SQL is built from this module's constants
"""The import pipeline up to the ledger: read, check, match and resolve a file in DuckDB.

``prepare`` leaves the relation ``prepared`` (the shape ``steward.spend.ledger.store_lines``
reads) when the file is accepted, or the problems and unmatched vendors that refuse it. It
writes nothing to the database: the caller stores the lines in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from steward.spend.ingest import enrich, lookups, mapping, parsing, reading, vendors
from steward.spend.ingest.currencies import ISO_4217
from steward.spend.ingest.problems import KEPT_PROBLEMS, FileRefused, Problem, kept, refuse
from steward.spend.models import SpendSource
from steward.spend.money import base_currency

Progress = Callable[[int, str], None]
PREPARED = "prepared"
READ_START, READ_SPAN = 2, 18  # percent of the bar the reading fills


@dataclass
class Prepared:
    """What the pipeline made of a file: ``rows`` lines and, when refused, why."""

    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems and not self.unmatched


def kind_of(name: str) -> str:
    return "xlsx" if name.lower().endswith(".xlsx") else "csv"


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    kind: str,
    source: SpendSource,
    progress: Progress | None = None,
    rows_read: Callable[[int], None] | None = None,
) -> Prepared:
    def step(percent: int, stage: str) -> None:
        if progress:
            progress(percent, stage)

    def read_so_far(count: int, expected: int | None) -> None:
        if rows_read:
            rows_read(count)
        if expected:
            step(READ_START + READ_SPAN * min(count, expected) // expected, "Reading the file")

    step(READ_START, "Reading the file")
    try:
        raw = reading.read_file(
            con, path, kind=kind, decimal_comma=source.decimal_comma, rows_read=read_so_far
        )
        found = mapping.resolve(source.mapping or {}, raw.header)
        settings = _settings(source)
    except FileRefused as refusal:
        return Prepared(problems=kept(refusal.problems, refusal.total))
    step(20, f"Checking {raw.rows:,} rows")
    rows = parsing.parse(con, raw, found, settings)
    if rows_read:
        rows_read(rows)
    if rows == 0:
        return Prepared(problems=kept(refuse("The file has a header but no rows.").problems))
    step(35, "Matching vendors")
    unmatched, unmatched_total = vendors.match_vendors(con)
    step(45, "Finding categories, exchange rates and contracts")
    lookups.load_reference(con)
    enrich.enrich(con, source_id=source.pk, base_currency=base_currency())
    problems, total = _problems(con)
    if unmatched_total:
        names = "name matches" if unmatched_total == 1 else "names match"
        summary = Problem(
            row=None,
            field="vendor_name",
            message=f"{unmatched_total:,} vendor {names} no vendor: confirm each as one of "
            "your vendors (suggestions are listed) and import the file again.",
        )
        problems, total = [summary, *problems], total + 1
    if problems:
        return Prepared(rows=rows, problems=kept(problems, total), unmatched=unmatched)
    con.execute(enrich.PREPARED_VIEW)
    return Prepared(rows=rows)


def _settings(source: SpendSource) -> parsing.Settings:
    default = (source.default_currency or "").strip().upper() or base_currency()
    if default not in ISO_4217:
        raise refuse(
            f"The source's default currency “{default}” is not an ISO 4217 currency code.",
            field="currency",
        )
    return parsing.Settings(
        date_format=source.date_format or "",
        decimal_comma=source.decimal_comma,
        default_currency=default,
    )


def _problems(con: duckdb.DuckDBPyConnection) -> tuple[list[Problem], int]:
    rows = con.execute(
        f"""SELECT p.row, p.field, p.message FROM problems p
        LEFT JOIN field_order o ON o.field = p.field
        ORDER BY p.row NULLS FIRST, coalesce(o.position, 999), p.field, p.message
        LIMIT {KEPT_PROBLEMS}"""
    ).fetchall()
    (total,) = con.execute("SELECT count(*) FROM problems").fetchone() or (0,)
    problems = [Problem(row=row, field=name, message=message) for row, name, message in rows]
    return problems, int(total)
