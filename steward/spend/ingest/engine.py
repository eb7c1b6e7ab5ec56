"""The DuckDB session an import works in, and how rows from Python reach it.

Memory stays flat whatever the file size: DuckDB is held to ``MEMORY_LIMIT`` and spills to a
temporary folder beyond it, and rows cross between Python and DuckDB in chunks, never a whole
file at a time.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

MEMORY_LIMIT = "160MB"
CHUNK_ROWS = 20_000


@contextlib.contextmanager
def session() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB database held to MEMORY_LIMIT, spilling to its own temporary folder."""
    with tempfile.TemporaryDirectory(prefix="steward-ingest-") as folder:
        con = duckdb.connect(
            config={
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": folder,
                "preserve_insertion_order": True,
            }
        )
        try:
            con.execute("SET enable_progress_bar = false")
            yield con
        finally:
            con.close()


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[tuple[str, str]]
) -> None:
    spec = ", ".join(f"{column} {kind}" for column, kind in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({spec})")


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[tuple[str, str]],
    values: Sequence[Sequence[Any]],
) -> None:
    """Insert rows given column by column (lists of equal length) in one statement.

    DuckDB zips the unnested lists: one statement per chunk instead of one per row.
    """
    if not values or not values[0]:
        return
    select = ", ".join(
        f"unnest(${index}::{kind}[])" for index, (_, kind) in enumerate(columns, start=1)
    )
    con.execute(f"INSERT INTO {name} SELECT {select}", [list(column) for column in values])


def load_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]] | Iterator[Sequence[Any]],
) -> None:
    """Create ``name`` and fill it with ``rows`` (tuples in the order of ``columns``)."""
    create_table(con, name, columns)
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            insert_columns(con, name, columns, list(zip(*chunk, strict=True)))
            chunk = []
    if chunk:
        insert_columns(con, name, columns, list(zip(*chunk, strict=True)))
