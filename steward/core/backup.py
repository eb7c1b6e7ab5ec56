"""Backup bundles: the database and the media folder in one ``.tar.gz``.

A bundle holds ``steward-backup.json`` (what is inside), the database — ``database.sqlite3``, a
consistent copy taken through SQLite's online backup API while Steward runs, or
``database.pgdump``, PostgreSQL's custom format from ``pg_dump -Fc`` — and ``media/``.

Both directions are careful with what exists:

- a backup is written to a temporary file beside the target and renamed into place, so a
  half-written bundle never carries the final name;
- a restore reads and checks the whole bundle before it touches anything, then replaces the
  database in one transaction and swaps the media folder by renaming. SQLite's backup API copies
  into the live database. On PostgreSQL one transaction renames the live schema aside and
  rebuilds ``public`` from the dump; only then is the old schema dropped, in a second
  transaction. Dropping and recreating every table in one transaction (``pg_restore --clean
  --single-transaction``) needs a lock per old and per new table and index, which outgrows the
  server's lock table (``max_locks_per_transaction``) once there are a few thousand of them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "steward-backup.json"
FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    engine: str
    created_at: str
    media_files: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _require_autocommit() -> None:
    # SQLite cannot copy from or into a connection in the middle of its own transaction, and a
    # dump taken by another session would miss what this one has not committed.
    if connection.in_atomic_block:
        raise BackupError("Backup and restore must run outside a database transaction.")


def _steward_version() -> str:
    try:
        return version("steward")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@contextmanager
def _scratch(near: Path) -> Iterator[Path]:
    """A private temporary folder on the same file system as ``near``, so renames are atomic."""
    near.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".steward-", dir=near))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- PostgreSQL tools ----------------------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database, so no password appears on a command line."""
    params = connection.settings_dict
    variables = {
        "PGDATABASE": params.get("NAME") or "",
        "PGUSER": params.get("USER") or "",
        "PGPASSWORD": params.get("PASSWORD") or "",
        "PGHOST": params.get("HOST") or "",
        "PGPORT": str(params.get("PORT") or ""),
    }
    options = params.get("OPTIONS") or {}
    if options.get("sslmode"):
        variables["PGSSLMODE"] = str(options["sslmode"])
    return os.environ | {key: value for key, value in variables.items() if value}


def _run_pg_tool(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} was not found; install PostgreSQL's client tools "
            "(the Debian package postgresql-client) on this machine."
        )
    result = subprocess.run(  # noqa: S603 - fixed program, arguments we built
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


# --- backup --------------------------------------------------------------------------------------


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # One step: the copy is a single consistent snapshot, even while others write.
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    else:
        _run_pg_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"])


def backup_create(target: Path) -> BundleSummary:
    """Write a bundle of the database and the media folder to ``target``."""
    engine = _engine()
    _require_autocommit()
    target = target.expanduser().resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the bundle file to write.")
    media_root = Path(settings.MEDIA_ROOT)
    created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with _scratch(target.parent) as scratch:
        database_file = scratch / DATABASE_FILES[engine]
        _dump_database(engine, database_file)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "database": database_file.name,
            "created_at": created_at,
            "steward_version": _steward_version(),
        }
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = scratch / "bundle.tar.gz"
        media_files = 0
        with tarfile.open(partial, "w:gz") as bundle:
            bundle.add(scratch / MANIFEST, arcname=MANIFEST)
            bundle.add(database_file, arcname=database_file.name)
            if media_root.is_dir():
                bundle.add(media_root, arcname="media")
                media_files = sum(1 for path in media_root.rglob("*") if path.is_file())
        partial.chmod(0o600)  # it holds everything, password hashes included
        partial.replace(target)
    return BundleSummary(path=target, engine=engine, created_at=created_at, media_files=media_files)


# --- restore -------------------------------------------------------------------------------------


def _read_manifest(bundle: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        member = bundle.getmember(MANIFEST)
        handle = bundle.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{source} is not a Steward backup (no readable {MANIFEST}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} has an unknown backup format.")
    if manifest.get("engine") not in DATABASE_FILES:
        raise BackupError(f"{source} names an unknown database engine.")
    return manifest


def _check_members(bundle: tarfile.TarFile, database_name: str, source: Path) -> None:
    """Only the manifest, the database file and plain files under media/ may be in a bundle."""
    for member in bundle.getmembers():
        name = member.name
        allowed = name in {MANIFEST, database_name, "media"} or name.startswith("media/")
        if not allowed or not (member.isfile() or member.isdir()) or ".." in Path(name).parts:
            raise BackupError(f"{source} holds an unexpected entry {name!r}; refusing to restore.")
    if database_name not in bundle.getnames():
        raise BackupError(f"{source} lacks its database file {database_name}.")


def _restore_sqlite(database_file: Path) -> None:
    copy = sqlite3.connect(database_file)
    try:
        status = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(f"The database in the bundle is damaged: {status}")
        connection.close()
        connection.ensure_connection()
        # SQLite writes the copy into the live database as one transaction: other processes
        # see the old data or the new, never a mix, and the WAL file stays consistent (which a
        # renamed file under a running server would not guarantee).
        copy.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"Could not restore the SQLite database: {error}") from error
    finally:
        copy.close()


REPLACED_SCHEMA = "steward_replaced"


def _restore_postgresql(dump: Path, scratch: Path) -> None:
    database = f"--dbname={connection.settings_dict['NAME']}"
    script = scratch / "restore.sql"
    # Reading the dump into SQL first refuses a damaged dump before anything is touched.
    _run_pg_tool(["pg_restore", "--no-owner", f"--file={script}", str(dump)])
    connection.close()
    psql = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", database]
    # A leftover of an interrupted restore is dropped on its own, not inside the swap.
    _run_pg_tool([*psql, f"--command=DROP SCHEMA IF EXISTS {REPLACED_SCHEMA} CASCADE"])
    _run_pg_tool(
        [
            *psql,
            "--single-transaction",
            f"--command=ALTER SCHEMA public RENAME TO {REPLACED_SCHEMA}; CREATE SCHEMA public;",
            f"--file={script}",
        ]
    )
    _run_pg_tool([*psql, f"--command=DROP SCHEMA {REPLACED_SCHEMA} CASCADE"])


def _swap_media(extracted: Path | None, media_root: Path, scratch: Path) -> None:
    incoming = extracted if extracted is not None and extracted.is_dir() else scratch / "empty"
    incoming.mkdir(exist_ok=True)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    retired = scratch / "media-before-restore"
    if media_root.exists():
        media_root.replace(retired)
    incoming.replace(media_root)


def backup_restore(source: Path) -> BundleSummary:
    """Replace the database and the media folder with the bundle's."""
    engine = _engine()
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        bundle = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source} is not a readable .tar.gz bundle: {error}") from error
    with bundle, _scratch(media_root.parent) as scratch:
        manifest = _read_manifest(bundle, source)
        if manifest["engine"] != engine:
            raise BackupError(
                f"{source} holds a {manifest['engine']} database but Steward is configured "
                f"for {engine}; restore it into a {manifest['engine']} installation."
            )
        database_name = DATABASE_FILES[engine]
        _check_members(bundle, database_name, source)
        _require_autocommit()
        bundle.extractall(scratch / "bundle", filter="data")
        unpacked = scratch / "bundle"
        if engine == "sqlite":
            _restore_sqlite(unpacked / database_name)
        else:
            _restore_postgresql(unpacked / database_name, scratch)
        _swap_media(unpacked / "media", media_root, scratch)
        media_files = sum(1 for path in media_root.rglob("*") if path.is_file())
    return BundleSummary(
        path=source,
        engine=engine,
        created_at=str(manifest.get("created_at", "")),
        media_files=media_files,
    )
