"""The migrations from zero on PostgreSQL, as ``steward migrate`` runs them.

The suite's databases are built from the models, then given the migrations' code (see
conftest.py). test_cli migrates a new SQLite database through the script; this migrates a new
PostgreSQL database of its own the same way and shows it has the very tables, columns and
triggers the suite's database has.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

STEWARD = Path(sys.executable).with_name("steward")

pytestmark = pytest.mark.django_db  # the suite's database must exist to be compared

COLUMNS = """
    SELECT table_name, column_name, data_type, is_nullable,
           character_maximum_length, numeric_precision, numeric_scale
    FROM information_schema.columns WHERE table_schema = 'public'
      AND table_name <> 'django_migrations'
      -- Django's auth migration made its many-to-many tables' ids with the project's
      -- DEFAULT_AUTO_FIELD (bigint), its models make them with auth's own (integer).
      AND NOT (table_name IN ('auth_group_permissions', 'auth_user_groups',
                              'auth_user_user_permissions') AND column_name = 'id')
"""
TRIGGERS = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"


def _rows(dsn: dict[str, Any], query: str) -> set[tuple[Any, ...]]:
    with psycopg.connect(**dsn) as conn:
        return set(conn.execute(query).fetchall())


def _dsn(name: str) -> dict[str, Any]:
    settings = connection.settings_dict
    return {
        key: value
        for key, value in {
            "dbname": name,
            "user": settings["USER"],
            "password": settings["PASSWORD"],
            "host": settings["HOST"],
            "port": settings["PORT"],
        }.items()
        if value
    }


@pytest.fixture
def empty_database(django_db_setup: None) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("test_cli migrates SQLite from zero; this is PostgreSQL's")
    name = f"steward_migrate_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**_dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrating_from_zero_gives_the_schema_the_suite_runs_on(
    empty_database: str, tmp_path: Path
) -> None:
    dsn = _dsn(empty_database)
    url = "postgres://{user}:{password}@{host}:{port}/{dbname}".format(
        **{"password": "", "host": "127.0.0.1", "port": "5432", "user": "postgres"} | dsn
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL"}
    } | {"DATABASE_URL": url, "STEWARD_DATA_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(STEWARD), "migrate", "--no-input", "-v", "0"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=1800,  # a guard against a hang only: busy machines migrate slowly
        check=False,
    )
    assert result.returncode == 0, result.stderr

    suite = _dsn(connection.settings_dict["NAME"])
    migrated_columns = _rows(dsn, COLUMNS)
    suite_columns = _rows(suite, COLUMNS)
    assert migrated_columns - suite_columns == set()
    assert suite_columns - migrated_columns == set()
    assert _rows(dsn, TRIGGERS) == _rows(suite, TRIGGERS) != set()
