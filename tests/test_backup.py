"""`steward backup` and `steward restore`: a round trip on the configured database.

The suite runs on SQLite and then on PostgreSQL, so each run proves its own engine: SQLite
through its online backup API, PostgreSQL through pg_dump and pg_restore.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import require_all
from steward.parties.models import Organization
from steward.parties.tests.factories import OrganizationFactory
from steward.people.tests.factories import UserFactory

# Refusals need no committed data; the round trips do, as pg_dump reads through its own session.
pytestmark = pytest.mark.django_db
round_trip = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "media"
    (folder / "documents").mkdir(parents=True)
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture(autouse=True)
def _postgres_tools() -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        if require_all():
            pytest.fail("pg_dump and pg_restore are needed for the PostgreSQL backup tests")
        pytest.skip("PostgreSQL's client tools are not installed")


def run(command: str, *args: Any) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@round_trip
def test_backup_then_restore_brings_back_database_and_media(media: Path, tmp_path: Path) -> None:
    # given an organization and a stored document
    kept = OrganizationFactory(legal_name="Fabrikam Logistics AG")
    (media / "documents" / "msa.pdf").write_bytes(b"%PDF-1.7 master services agreement")
    bundle = tmp_path / "backups" / "steward.tar.gz"
    bundle.parent.mkdir()

    # when a backup is taken, then things change: a new record, a deletion, media edits
    message = run("backup", str(bundle))
    OrganizationFactory(legal_name="Added After Backup Ltd", owner=kept.owner)
    Organization.objects.filter(pk=kept.pk).update(legal_name="Renamed by mistake")
    (media / "documents" / "msa.pdf").unlink()
    (media / "stray.txt").write_text("written after the backup")
    restored = run("restore", str(bundle), "--no-input")

    # then the database and the media folder are as they were at the backup
    assert f"Backed up the {connection.vendor} database and 1 media file(s)" in message
    assert "Restored" in restored
    assert list(Organization.objects.values_list("legal_name", flat=True)) == [
        "Fabrikam Logistics AG"
    ]
    assert (media / "documents" / "msa.pdf").read_bytes().startswith(b"%PDF-1.7")
    assert not (media / "stray.txt").exists()
    # and no temporary files were left beside the bundle or the media folder
    assert sorted(path.name for path in bundle.parent.iterdir()) == ["steward.tar.gz"]
    assert sorted(path.name for path in media.parent.iterdir()) == ["media"]


@round_trip
def test_a_bundle_holds_a_manifest_the_database_and_media(media: Path, tmp_path: Path) -> None:
    # given one media file
    (media / "documents" / "sla.txt").write_text("99.9% uptime")
    # when a backup is written
    bundle = tmp_path / "b.tar.gz"
    run("backup", str(bundle))
    # then it is a private tar.gz with a manifest naming the engine and the database file
    assert bundle.stat().st_mode & 0o077 == 0
    with tarfile.open(bundle) as archive:
        names = set(archive.getnames())
        handle = archive.extractfile("steward-backup.json")
        assert handle is not None
        manifest = json.loads(handle.read())
    assert manifest["engine"] == connection.vendor
    assert {"steward-backup.json", manifest["database"], "media/documents/sla.txt"} <= names


def write_bundle(path: Path, *, engine: str, extra: dict[str, bytes] | None = None) -> Path:
    """A hand-made bundle for the refusal tests (they must fail before reading the database)."""
    database = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    manifest = {"format": 1, "engine": engine, "database": database, "created_at": "2026-11-25"}
    members = {"steward-backup.json": json.dumps(manifest).encode(), database: b"not read"}
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (members | (extra or {})).items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def test_restore_refuses_a_file_that_is_not_a_bundle_and_changes_nothing(
    media: Path, tmp_path: Path
) -> None:
    # given data and a file that is no backup
    UserFactory(username="still-here")
    not_a_bundle = tmp_path / "notes.tar.gz"
    not_a_bundle.write_text("meeting notes")
    # when it is restored, then the command refuses and the data is untouched
    with pytest.raises(CommandError, match=re.escape("not a readable .tar.gz bundle")):
        run("restore", str(not_a_bundle), "--no-input")
    assert get_user_model().objects.filter(username="still-here").exists()


def test_restore_refuses_bundles_with_unexpected_entries(media: Path, tmp_path: Path) -> None:
    # given a bundle that smuggles a path outside the media folder
    evil = write_bundle(
        tmp_path / "evil.tar.gz", engine=connection.vendor, extra={"../outside.txt": b"evil"}
    )
    # when it is restored, then it is refused and nothing lands outside
    with pytest.raises(CommandError, match=re.escape("unexpected entry '../outside.txt'")):
        run("restore", str(evil), "--no-input")
    assert not (tmp_path / "outside.txt").exists()


def test_restore_refuses_a_bundle_of_the_other_engine(media: Path, tmp_path: Path) -> None:
    # given a bundle of the other database engine
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    bundle = write_bundle(tmp_path / "other.tar.gz", engine=other)
    # then restoring it explains the mismatch
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        run("restore", str(bundle), "--no-input")


def test_restore_asks_for_confirmation_without_no_input(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a bundle and no terminal to confirm on
    bundle = write_bundle(tmp_path / "b.tar.gz", engine=connection.vendor)
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))
    # then restore refuses rather than replacing data unasked
    with pytest.raises(CommandError, match="--no-input"):
        run("restore", str(bundle))


def test_backup_inside_a_transaction_is_refused(media: Path, tmp_path: Path) -> None:
    # given an open transaction (every test here without round_trip runs in one)
    # then a backup is refused instead of waiting on its own lock or missing uncommitted rows
    with pytest.raises(CommandError, match="outside a database transaction"):
        run("backup", str(tmp_path / "b.tar.gz"))
    assert not (tmp_path / "b.tar.gz").exists()


@round_trip
def test_sqlite_backup_is_a_self_contained_database(media: Path, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; the PostgreSQL run restores its dump above")
    # given a user, when a backup is taken
    UserFactory(username="in-the-copy")
    bundle = tmp_path / "b.tar.gz"
    run("backup", str(bundle))
    with tarfile.open(bundle) as archive:
        archive.extract("database.sqlite3", tmp_path, filter="data")
    # then the copy opens on its own, in rollback-journal mode, intact and holding the user
    copy = sqlite3.connect(tmp_path / "database.sqlite3")
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        usernames = {row[0] for row in copy.execute("SELECT username FROM auth_user")}
    finally:
        copy.close()
    assert "in-the-copy" in usernames


@round_trip
def test_postgresql_restore_that_fails_halfway_changes_nothing(media: Path, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; SQLite's backup API copies in one step")
    # given a backup whose last statements grant to a role that is gone by restore time
    role = "steward_backup_gone"
    OrganizationFactory(legal_name="Kept Through A Failed Restore")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT SELECT ON parties_organization TO {role}")
    bundle = tmp_path / "b.tar.gz"
    try:
        run("backup", str(bundle))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE ALL ON parties_organization FROM {role}")
            cursor.execute(f"DROP ROLE {role}")
    OrganizationFactory(legal_name="Added After Backup Ltd")

    # when it is restored, the tables are rebuilt and then the grant fails
    with pytest.raises(CommandError, match=f'role "{role}" does not exist'):
        run("restore", str(bundle), "--no-input")

    # then the database is as before the restore: same rows, the live schema not renamed aside
    assert set(Organization.objects.values_list("legal_name", flat=True)) >= {
        "Kept Through A Failed Restore",
        "Added After Backup Ltd",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'steward%%'")
        assert cursor.fetchall() == []
