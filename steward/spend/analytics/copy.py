# ruff: noqa: S608 - SQL is built from this module's constants; values are parameters
"""A columnar copy of the ledger's aggregates in an in-process DuckDB database.

The copy holds the segments (month x vendor x category x contract, with their line id ranges)
and the cost-center cells — never the lines — as typed integer columns ordered by month. It is
read through Django's connection, so a test inside a transaction sees its own data, and is
brought up to date when the ledger's token differs from the one it was read at (one copy per
database alias): an import only appends segments and cells, so the rows past the highest id
the copy holds are appended when the rows up to it are still all there; otherwise (a removed
import, or a copy read inside a transaction that may have been rolled back since) it is loaded
again whole, into a new DuckDB database swapped in under a lock. Readers take a cursor of their
own.

Rows travel as CSV written by the database itself (PostgreSQL's COPY; SQLite concatenating a
chunk of rows into one string) and read by DuckDB's CSV reader: no Python object per row.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from steward.spend.ledger import ledger_token
from steward.spend.models import LedgerState, SpendCostCenterCell, SpendSegment

Columns = tuple[tuple[str, str, str], ...]  # copy column, DuckDB type, database column

SEGMENT_COLUMNS: Columns = (
    ("id", "BIGINT", "id"),
    ("month", "INTEGER", "month"),
    ("supplier_id", "INTEGER", "supplier_id"),
    ("category_id", "INTEGER", "category_id"),
    ("contract_id", "INTEGER", "contract_id"),
    ("first_line_id", "BIGINT", "first_line_id"),
    ("last_line_id", "BIGINT", "last_line_id"),
    ("lines", "INTEGER", "lines"),
    ("amount", "BIGINT", "amount_base_cents"),
    ("variance", "BIGINT", "price_variance_cents"),
    ("priced", "INTEGER", "priced_lines"),
)
CELL_COLUMNS: Columns = (
    ("id", "BIGINT", "id"),
    ("month", "INTEGER", "month"),
    ("cost_center_id", "INTEGER", "cost_center_id"),
    ("category_id", "INTEGER", "category_id"),
    ("maverick", "BOOLEAN", "maverick"),
    ("lines", "INTEGER", "lines"),
    ("amount", "BIGINT", "amount_base_cents"),
)
TABLES: tuple[tuple[str, type[Model], Columns], ...] = (
    ("segment", SpendSegment, SEGMENT_COLUMNS),
    ("cell", SpendCostCenterCell, CELL_COLUMNS),
)
_SQLITE_CHUNK = 100_000  # rows per string SQLite builds: bounded memory


@dataclass(frozen=True)
class Mark:
    """How far a table of the copy reaches: its highest id, its number of rows, and the sums of
    their lines and amounts (a restored backup followed by another import can bring back as
    many rows under the same ids, but not, short of the same lines, the same sums)."""

    last_id: int
    rows: int
    lines: int = 0
    amount: int = 0


@dataclass(frozen=True)
class Copy:
    token: str
    database: duckdb.DuckDBPyConnection
    marks: dict[str, Mark]
    # Read inside a transaction: it may hold rows that were rolled back since, so it is never
    # extended, only replaced.
    provisional: bool


_copies: dict[str, Copy] = {}
_refreshing = threading.Lock()
_opening = threading.Lock()  # a DuckDB connection object is not thread-safe, its cursors are


@contextmanager
def cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB cursor on a copy in step with the ledger of database ``using``, with the
    tables ``segment`` and ``cell``."""
    database = _cursor_of(current(using).database)
    try:
        yield database
    finally:
        database.close()


def current(using: str = DEFAULT_DB_ALIAS) -> Copy:
    """The copy for the ledger as it is now, brought up to date if the ledger changed since."""
    token = _token(using)
    copy = _copies.get(using)
    if copy is not None and copy.token == token:
        return copy
    with _refreshing:
        copy = _copies.get(using)
        if copy is None or copy.token != token:
            with _snapshot(using):
                copy = _refreshed(copy, _token(using), using)
            _copies[using] = copy
        return copy


def _cursor_of(database: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    with _opening:
        return database.cursor()


def forget(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the copy (the next read loads it whole)."""
    with _refreshing:
        _copies.pop(using, None)


def _refreshed(copy: Copy | None, token: str, using: str) -> Copy:
    provisional = connections[using].in_atomic_block
    if copy is not None and not copy.provisional and _only_appended(copy, using):
        writer = _cursor_of(copy.database)
        try:
            writer.begin()
            marks = {name: _add(writer, name, copy.marks[name], using) for name, *_ in TABLES}
            writer.commit()
        finally:
            writer.close()
        return Copy(token=token, database=copy.database, marks=marks, provisional=provisional)
    database = duckdb.connect()
    for name, _, columns in TABLES:
        typed = ", ".join(f"{column} {kind}" for column, kind, _ in columns)
        database.execute(f"CREATE TABLE {name} ({typed})")
    marks = {name: _add(database, name, Mark(last_id=0, rows=0), using) for name, *_ in TABLES}
    return Copy(token=token, database=database, marks=marks, provisional=provisional)


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """Read the token and the rows in one snapshot of the database, so that an import that
    commits meanwhile is in the copy whole or not at all (inside a transaction the snapshot is
    the transaction's)."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    # A deferred (read) transaction: Django's own on SQLite would take the write lock.
    begin = "BEGIN" if connection.vendor == "sqlite" else "BEGIN ISOLATION LEVEL REPEATABLE READ"
    raw.execute(begin)
    try:
        yield
    finally:
        raw.execute("COMMIT")


def _only_appended(copy: Copy, using: str) -> bool:
    """Whether the database still holds the rows the copy holds, up to its marks (segments and
    cells are only ever inserted, with ids that are never reused, unless a backup is restored):
    the same number of rows with the same sums of lines and amounts."""
    with connections[using].cursor() as cursor:
        for name, model, _ in TABLES:
            mark = copy.marks[name]
            cursor.execute(
                f"""SELECT count(*), coalesce(sum(lines), 0), coalesce(sum(amount_base_cents), 0)
                FROM {model._meta.db_table} WHERE id <= %s""",
                [mark.last_id],
            )
            rows, lines, amount = cursor.fetchone()
            if (int(rows), int(lines), int(amount)) != (mark.rows, mark.lines, mark.amount):
                return False
    return True


def _add(database: duckdb.DuckDBPyConnection, name: str, mark: Mark, using: str) -> Mark:
    """Append the rows of table ``name`` past ``mark`` (ordered by month); the new mark."""
    model, columns = next((model, columns) for table, model, columns in TABLES if table == name)
    select = ", ".join(source for _, _, source in columns)
    query = f"SELECT {select} FROM {model._meta.db_table} WHERE id > {int(mark.last_id)}"
    types = "{" + ", ".join(f"'{column}': '{kind}'" for column, kind, _ in columns) + "}"
    with tempfile.TemporaryDirectory(prefix="steward-spend-copy-") as folder:
        path = Path(folder) / f"{name}.csv"
        if connections[using].vendor == "postgresql":
            _write_by_copy(query, path, using)
        else:
            _write_by_concatenation(columns, model, mark.last_id, path, using)
        database.execute(
            f"""INSERT INTO {name} SELECT * FROM read_csv(?, header = false,
                columns = {types}, auto_detect = false) ORDER BY month""",
            [str(path)],
        )
    row = database.execute(
        f"""SELECT coalesce(max(id), 0), count(*), coalesce(sum(lines), 0),
            coalesce(sum(amount), 0) FROM {name}"""
    ).fetchone()
    assert row is not None
    return Mark(last_id=int(row[0]), rows=int(row[1]), lines=int(row[2]), amount=int(row[3]))


def _write_by_copy(query: str, path: Path, using: str) -> None:
    connection = connections[using]
    connection.ensure_connection()
    with (
        connection.connection.cursor() as raw,
        raw.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy,
        path.open("wb") as handle,
    ):
        for block in copy:
            handle.write(block)


def _write_by_concatenation(
    columns: Columns, model: type[Model], after: int, path: Path, using: str
) -> None:
    row = " || ',' || ".join(f"ifnull({source}, '')" for _, _, source in columns)
    query = f"""SELECT max(id), count(*), group_concat(row, char(10)) FROM (
        SELECT id, {row} AS row FROM {model._meta.db_table} WHERE id > ? ORDER BY id LIMIT ?)"""
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    with path.open("w", encoding="ascii") as handle:
        while True:
            last, count, text = raw.execute(query, [after, _SQLITE_CHUNK]).fetchone()
            if not count:
                break
            handle.write(text)
            handle.write("\n")
            after = last


def _token(using: str) -> str:
    if using == DEFAULT_DB_ALIAS:
        return ledger_token()
    return (
        LedgerState.objects.using(using).filter(pk=1).values_list("token", flat=True).first() or ""
    )
