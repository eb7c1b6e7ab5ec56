"""Killing the import process while it writes leaves nothing behind; running the import again
stores the file once.

`steward import spend` runs in a child process against a copy of the test database (SQLite:
a file made from the in-memory test database; PostgreSQL: the test database itself). The child
kills itself with SIGKILL right after the ledger wrote the lines, their segments and cost-center
cells, before its transaction commits: the hardest moment to die.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from steward.people.tests.factories import UserFactory
from steward.spend.tests.factories import SpendSourceFactory
from steward.spend.tests.test_import_helpers import csv_bytes, make_vendor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHILD = """
import json, os, signal, sys
import django
django.setup()
from django.core.management import call_command
from steward.spend import ledger
from steward.spend.models import SpendCostCenterCell, SpendImport, SpendLine, SpendSegment

command = sys.argv[1]
if command == "count":
    print(json.dumps({
        "lines": SpendLine.objects.count(),
        "segments": SpendSegment.objects.count(),
        "cells": SpendCostCenterCell.objects.count(),
        "imports": list(SpendImport.objects.order_by("pk").values_list(
            "status", "stage", "lines_added", "lines_skipped")),
    }))
    sys.exit(0)
if command == "kill":
    mark_changed = ledger.ledger_changed
    def die_before_commit():
        # the ledger marks itself changed once its rows are in (on SQLite also first, to lock)
        if SpendLine.objects.exists():
            os.kill(os.getpid(), signal.SIGKILL)
        mark_changed()
    ledger.ledger_changed = die_before_commit
call_command("import", "spend", sys.argv[2], "--source=ERP", "--user=importer")
"""


def child_environment(data: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TEST_DATABASE_URL"}
    }
    environment["DJANGO_SETTINGS_MODULE"] = "steward.config.settings.local"
    environment["STEWARD_DATA_DIR"] = str(data)
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        credentials = quote(settings["USER"] or "")
        if settings["PASSWORD"]:
            credentials += ":" + quote(settings["PASSWORD"])
        environment["DATABASE_URL"] = (
            f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        # The test database lives in memory: hand the child a copy of it in its data folder.
        connection.ensure_connection()
        copy = sqlite3.connect(data / "steward.sqlite3")
        connection.connection.backup(copy)
        copy.close()
    return environment


def child(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, this module's script
        [sys.executable, "-c", CHILD, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def counts(environment: dict[str, str]) -> dict[str, Any]:
    result = child(environment, "count")
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_a_killed_import_leaves_no_line_and_a_rerun_imports_the_file_once(
    tmp_path: Path,
) -> None:
    # given a finance user, a vendor, a source and a file of 40 lines
    UserFactory(username="importer", profile__function="finance")
    make_vendor("Acme Industrial GmbH")
    SpendSourceFactory(name="ERP")
    spend = tmp_path / "spend.csv"
    spend.write_bytes(
        csv_bytes(
            ("2026-03-02", f"{n}.50", "EUR", "Acme Industrial GmbH", "INV-1", n, "Parts")
            for n in range(1, 41)
        )
    )
    data = tmp_path / "data"
    data.mkdir()
    environment = child_environment(data)

    # when the import process is killed after writing the lines, before committing them
    killed = child(environment, "kill", str(spend))

    # then nothing of the file is in the ledger; the import shows how far it had come
    assert killed.returncode == -9, killed.stderr
    after_kill = counts(environment)
    assert (after_kill["lines"], after_kill["segments"], after_kill["cells"]) == (0, 0, 0)
    assert after_kill["imports"] == [["running", "Writing 40 lines", 0, 0]]

    # when the import is run again, then the file is in the ledger once
    rerun = child(environment, "import", str(spend))
    assert rerun.returncode == 0, rerun.stderr
    assert "Imported 40 lines" in rerun.stdout
    assert counts(environment)["lines"] == 40

    # and once more: nothing is added twice
    again = child(environment, "import", str(spend))
    assert again.returncode == 0, again.stderr
    assert "Imported 0 lines (40 already in the ledger, skipped)" in again.stdout
    final = counts(environment)
    assert final["lines"] == 40
    assert [entry[0] for entry in final["imports"]] == ["running", "done", "done"]
