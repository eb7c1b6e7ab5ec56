# ruff: noqa: S608 - SQL is built from this module's constants and ids; values are parameters
"""Writing prepared spend lines into the ledger, with their aggregates, in one transaction.

The import (``steward.spend.ingest``) and the demo generator prepare lines in DuckDB; this
module stores them. The database's own bulk paths do the writing — multi-row ``INSERT`` on
SQLite, ``COPY`` on PostgreSQL — because the ORM's ``bulk_create`` is an order of magnitude
slower on a million lines (bench/spend_import.py measures both).

The caller holds ``transaction.atomic()``: a failure or a killed process anywhere leaves the
ledger as it was, and running the import again stores it once.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.db import connection
from django.utils import timezone

from steward.spend.models import (
    LedgerState,
    SpendCostCenterCell,
    SpendImport,
    SpendLine,
    SpendLineKey,
    SpendSegment,
)

# The columns a prepared relation must have, in this order, with these DuckDB types.
LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("month", "INTEGER"),
    ("line_key", "BIGINT"),
    ("date", "DATE"),
    ("supplier_id", "INTEGER"),
    ("category_id", "INTEGER"),
    ("cost_center_id", "INTEGER"),
    ("contract_id", "INTEGER"),
    ("currency", "VARCHAR"),
    ("amount", "DECIMAL(18,4)"),
    ("amount_base_cents", "BIGINT"),
    ("quantity", "DECIMAL(18,4)"),
    ("item", "VARCHAR"),
    ("description", "VARCHAR"),
    ("gl_account", "VARCHAR"),
    ("document", "VARCHAR"),
    ("price_variance_cents", "BIGINT"),
)
LINE_COLUMN_NAMES = tuple(name for name, _ in LINE_COLUMNS)
_SEGMENT_KEY = "month, supplier_id, category_id NULLS FIRST, contract_id NULLS FIRST"
_LOCK_KEY = 7_304_226  # PostgreSQL advisory lock: one import writes the ledger at a time
_SQLITE_MAX_PARAMS = 32_766  # the default limit of SQLite builds since 3.32
# Existing keys read at a time: 1 MB of text (5 times that cost 60 MB more peak memory).
_KEYS_PER_CHUNK = 50_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class StoreResult:
    lines_added: int
    lines_skipped: int
    amount_base_cents: int
    first_line_id: int | None
    last_line_id: int | None


def prepared_schema(con: duckdb.DuckDBPyConnection, name: str = "prepared") -> str:
    """Create an empty relation of the shape ``store_lines`` reads; returns its name."""
    columns = ", ".join(f"{column} {kind}" for column, kind in LINE_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    return name


def store_lines(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    *,
    batch: SpendImport,
    progress: Progress | None = None,
) -> StoreResult:
    """Store the lines of ``relation`` (a DuckDB table or view with ``LINE_COLUMNS``) that the
    ledger does not hold yet, as lines of ``batch``, with their segments and cost-center cells.

    A line the ledger holds already (same month and line key: a repeated or overlapping file)
    is skipped and counted. The relation itself must not repeat a (month, line key): the
    import refuses such a file row by row, and the key table's primary key would refuse it too.

    Lines are written in segment order without ids, so the database numbers them one after
    another from the highest id (this transaction holds the ledger's lock); each segment's id
    range is then its place in that order, computed from the segments' counts alone.
    """
    if not connection.in_atomic_block:  # pragma: no cover - a programming error
        raise RuntimeError("store_lines must run inside transaction.atomic()")
    _take_ledger_lock()
    (total,) = _one(con, f"SELECT count(*) FROM {relation}")
    months = [row[0] for row in con.execute(f"SELECT DISTINCT month FROM {relation}").fetchall()]
    con.execute("CREATE OR REPLACE TEMP TABLE _existing (month INTEGER, line_key BIGINT)")
    for month, keys in _existing_keys(months):
        con.execute(
            "INSERT INTO _existing SELECT $1, unnest(string_split($2, ','))::BIGINT",
            [month, keys],
        )
    # Computed once and kept in segment order (the session preserves insertion order): the
    # writes below read it four times, and the lines are written in this order without a sort.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _new AS
        SELECT {", ".join(f"i.{name}" for name in LINE_COLUMN_NAMES)}
        FROM {relation} i ANTI JOIN _existing e USING (month, line_key)
        ORDER BY {_SEGMENT_KEY}"""
    )
    base_id = _max_line_id()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _segments AS
        SELECT *, {base_id} + sum(lines) OVER (ORDER BY {_SEGMENT_KEY} ROWS UNBOUNDED PRECEDING)
            AS last_line_id
        FROM (
            SELECT month, supplier_id, category_id, contract_id, count(*) AS lines,
                sum(amount_base_cents) AS amount_base_cents,
                sum(coalesce(quantity, 0)) AS quantity,
                coalesce(sum(price_variance_cents), 0) AS price_variance_cents,
                count(price_variance_cents) AS priced_lines
            FROM _new GROUP BY month, supplier_id, category_id, contract_id
        )"""
    )
    added, amount = _one(
        con, "SELECT coalesce(sum(lines), 0), coalesce(sum(amount_base_cents), 0) FROM _segments"
    )
    if added:
        _number_from(base_id)
        _write(
            con,
            SpendLine._meta.db_table,
            LINE_COLUMN_NAMES,
            f"SELECT {_exportable(LINE_COLUMNS)} FROM _new",
            batch_id=batch.pk,
            total=added,
            progress=progress,
        )
        if _max_line_id() != base_id + added:  # pragma: no cover - would break the id ranges
            raise RuntimeError("spend lines were not numbered one after another")
        # In key order, each page of the key table is written once.
        _write(
            con,
            SpendLineKey._meta.db_table,
            ("month", "line_key"),
            "SELECT month, line_key FROM _new ORDER BY month, line_key",
        )
        _write(
            con,
            SpendSegment._meta.db_table,
            (
                "month",
                "supplier_id",
                "category_id",
                "contract_id",
                "first_line_id",
                "last_line_id",
                "lines",
                "amount_base_cents",
                "quantity",
                "price_variance_cents",
                "priced_lines",
            ),
            f"""SELECT month, supplier_id, category_id, contract_id,
                last_line_id - lines + 1, last_line_id, lines, amount_base_cents,
                {_decimal_out("quantity")}, price_variance_cents, priced_lines
            FROM _segments ORDER BY last_line_id""",
            batch_id=batch.pk,
        )
        _write(
            con,
            SpendCostCenterCell._meta.db_table,
            (
                "month",
                "cost_center_id",
                "category_id",
                "maverick",
                "lines",
                "amount_base_cents",
            ),
            """SELECT month, cost_center_id, category_id,
                contract_id IS NULL AS maverick, count(*), sum(amount_base_cents)
            FROM _new GROUP BY month, cost_center_id, category_id, contract_id IS NULL""",
            batch_id=batch.pk,
        )
        ledger_changed()
    for name in ("_existing", "_new", "_segments"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return StoreResult(
        lines_added=int(added),
        lines_skipped=int(total) - int(added),
        amount_base_cents=int(amount),
        first_line_id=base_id + 1 if added else None,
        last_line_id=base_id + int(added) if added else None,
    )


def ledger_changed() -> None:
    """Give the ledger a new token, so columnar copies of its aggregates know they are stale."""
    LedgerState.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


def ledger_token() -> str:
    """The current token ('' for a ledger that was never written)."""
    return LedgerState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


# --- the database side ---------------------------------------------------------------------------


def _take_ledger_lock() -> None:
    """One writer at a time, taken before the highest line id is read.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write to the ledger state takes
    the database's write lock, which the transaction then holds.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    else:
        ledger_changed()


def _max_line_id() -> int:
    table = SpendLine._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even one whose line is gone.
            cursor.execute(
                f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), "
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
        else:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return int(cursor.fetchone()[0])


def _number_from(base_id: int) -> None:
    """Make the next line id ``base_id + 1``.

    SQLite's AUTOINCREMENT already does (``base_id`` is the highest id it ever gave). On
    PostgreSQL the sequence may have run ahead (values taken by a rolled-back import are not
    given back), so it is set.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
            [SpendLine._meta.db_table, base_id + 1],
        )


def _existing_keys(months: Sequence[int]) -> Iterator[tuple[int, str]]:
    """The keys the ledger holds in each of ``months``, comma-separated, in chunks of at most
    ``_KEYS_PER_CHUNK`` (a read of the key table's primary key, in its order).

    The database joins them into text: a list of a million Python integers would cost seconds
    to build here and to hand to DuckDB, a text costs nothing of either.
    """
    table = SpendLineKey._meta.db_table
    joined = (
        "group_concat(line_key, ',')"
        if connection.vendor == "sqlite"
        else "string_agg(line_key::text, ',')"
    )
    with connection.cursor() as cursor:
        for month in months:
            after = -(2**63)
            while True:
                cursor.execute(
                    f"""SELECT count(*), max(line_key), {joined} FROM (
                        SELECT line_key FROM {table} WHERE month = %s AND line_key > %s
                        ORDER BY line_key LIMIT {_KEYS_PER_CHUNK}) chunk""",
                    [month, after],
                )
                count, last, keys = cursor.fetchone()
                if not count:
                    break
                yield month, keys
                if count < _KEYS_PER_CHUNK:
                    break
                after = last


def _write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    query: str,
    *,
    batch_id: int | None = None,
    total: int = 0,
    progress: Progress | None = None,
) -> None:
    """Write the rows of ``query`` into ``columns`` of ``table``, and ``batch_id`` (when given)
    into the column of that name of every row."""
    if connection.vendor == "postgresql":
        if batch_id is not None:
            # first in the select list itself: a subquery would not promise to keep the order
            assert query.startswith("SELECT ")
            columns = ("batch_id", *columns)
            query = f"SELECT {int(batch_id)}, {query.removeprefix('SELECT ')}"
        _copy_postgresql(con, table, columns, query, total=total, progress=progress)
    else:
        _insert_sqlite(
            con, table, columns, query, batch_id=batch_id, total=total, progress=progress
        )


def _insert_sqlite(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    query: str,
    *,
    batch_id: int | None,
    total: int,
    progress: Progress | None,
) -> None:
    """Multi-row INSERTs of as many rows as SQLite takes parameters: about 1.4 times faster than
    ``executemany`` of one row each (measured on a million lines). The batch is a literal of
    the statement, not a parameter of every row."""
    raw: sqlite3.Connection = connection.connection
    width = len(columns)
    per_statement = _SQLITE_MAX_PARAMS // width
    names, values = ", ".join(columns), ", ".join(["?"] * width)
    if batch_id is not None:
        names, values = f"batch_id, {names}", f"{int(batch_id)}, {values}"
    row = f"({values})"
    full = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([row] * per_statement)
    single = f"INSERT INTO {table} ({names}) VALUES {row}"
    result = con.execute(query)
    done = 0
    while True:
        rows = result.fetchmany(per_statement)
        if not rows:
            break
        if len(rows) == per_statement:
            raw.execute(full, list(itertools.chain.from_iterable(rows)))
        else:
            raw.executemany(single, rows)
        done += len(rows)
        if progress:
            progress(done, total)


def _copy_postgresql(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    query: str,
    *,
    total: int,
    progress: Progress | None,
) -> None:
    """DuckDB writes the rows as CSV (in C) into a pipe while PostgreSQL's COPY reads from it:
    the export and the server's parsing overlap instead of following each other.

    This thread holds a write end of the pipe until DuckDB has finished, so the reader sees
    the end of the rows only then, and never waits for a writer that failed before it opened
    the pipe. If the COPY fails, closing the read end makes DuckDB's writes fail too.
    """
    failure: list[BaseException] = []
    with tempfile.TemporaryDirectory(prefix="steward-spend-") as folder:
        pipe = Path(folder) / "rows.csv"
        os.mkfifo(pipe, 0o600)
        reading = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        holding = os.open(pipe, os.O_WRONLY)
        os.set_blocking(reading, True)

        def export() -> None:
            try:
                con.execute(f"COPY ({query}) TO '{pipe}' (FORMAT csv, HEADER false)")
            except BaseException as error:  # noqa: BLE001 - raised again by the reader
                failure.append(error)
            finally:
                os.close(holding)

        writer = threading.Thread(target=export, name="steward-spend-export", daemon=True)
        writer.start()
        try:
            names = ", ".join(columns)
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy,
                open(reading, "rb", closefd=False) as handle,
            ):
                rows = 0
                while block := handle.read(1 << 20):
                    copy.write(block)
                    rows += block.count(b"\n")
                    if progress and total:
                        progress(min(total, rows), total)
                if failure:  # DuckDB stopped early: the COPY is abandoned
                    raise failure[0]
        finally:
            os.close(reading)
            writer.join()


def _exportable(columns: Sequence[tuple[str, str]]) -> str:
    """Select list that hands each driver what Django itself would store."""
    parts = []
    for name, kind in columns:
        if kind.startswith("DECIMAL"):
            parts.append(_decimal_out(name))
        elif kind == "DATE" and connection.vendor == "sqlite":
            parts.append(f"strftime({name}, '%Y-%m-%d')")
        else:
            parts.append(name)
    return ", ".join(parts)


def _decimal_out(expression: str) -> str:
    # SQLite keeps Django's decimals with NUMERIC affinity (a REAL once stored); PostgreSQL reads
    # the exact text from the CSV.
    return f"CAST({expression} AS DOUBLE)" if connection.vendor == "sqlite" else expression


def _one(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    row = con.execute(query).fetchone()
    assert row is not None
    return row
