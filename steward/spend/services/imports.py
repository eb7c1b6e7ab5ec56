"""Writes of spend imports: upload a file, run it into the ledger, run a refused one again.

An import is all or nothing. Reading, checking, vendor matching and conversion run in DuckDB
*before* the ledger's transaction, with the progress written to the import's row in short
committed updates that any other connection (the web page polling it) can read. The lines, their
aggregates and the vendors' figures are then written in one short transaction ("Writing N
lines"), during which the progress stays at that stage: SQLite lets one connection write at a
time, so no second connection could report from inside it. A process killed at any point leaves
no line behind (the transaction never committed), and importing the file again stores it once:
lines the ledger holds already are skipped and counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.services import create_record, save_with_history
from steward.spend import ledger
from steward.spend.choices import ImportStatus
from steward.spend.ingest import engine, pipeline
from steward.spend.models import SpendImport, SpendSource
from steward.spend.services.vendor_figures import refresh_vendor_figures

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
UPLOAD_FOLDER = "spend/imports"
EXTENSIONS = (".csv", ".xlsx")
ZIP_SIGNATURE = b"PK\x03\x04"

# The import's state machine: which status may follow which.
TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.QUEUED: frozenset({ImportStatus.RUNNING}),
    # Running again: the process running it was killed (nothing was written).
    ImportStatus.RUNNING: frozenset(
        {ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}
    ),
    ImportStatus.REFUSED: frozenset({ImportStatus.QUEUED}),
    ImportStatus.FAILED: frozenset({ImportStatus.QUEUED}),
    ImportStatus.DONE: frozenset(),
}
# Progress (percent) at the start of the write, and the share of the bar the write fills.
WRITE_START, WRITE_SPAN = 70, 28


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


# --- upload --------------------------------------------------------------------------------------


def spend_import_create(
    *,
    actor: Any,
    source: SpendSource,
    upload: File,
    run_now: bool = False,
    progress: Progress | None = None,
) -> SpendImport:
    """Keep the uploaded file and queue its import (or run it now, reporting to ``progress``).

    Refused at once: a name that is a path, another type than CSV or XLSX (by the name and the
    first bytes), a file over STEWARD_SPEND_UPLOAD_MAX_BYTES, an archived source. Anything
    about the content (encoding, columns, rows) is for the import to report, row by row.
    """
    require_create(actor, SpendImport)
    if source.archived_at is not None:
        raise DomainError(
            f"The source “{source}” is archived; choose a current one.",
            field="source",
            code="archived",
        )
    name, extension = check_spend_upload(upload)
    stored, sha256, size = _store(upload, extension)
    with transaction.atomic():
        batch = SpendImport(
            source=source,
            created_by=actor,
            file=stored,
            filename=name,
            sha256=sha256,
            size=size,
            status=ImportStatus.QUEUED,
            stage="Queued",
        )
        create_record(batch, actor=actor, reason="Uploaded")
        if not run_now:
            _enqueue_on_commit(batch)
    if run_now:
        return spend_import_run(batch=batch, progress=progress)
    return batch


def check_spend_upload(upload: File) -> tuple[str, str]:
    """The upload's name and extension, or a DomainError on the ``file`` field."""
    name = upload.name or ""
    if (
        not name.strip()
        or any(mark in name for mark in ("/", "\\", "\x00"))
        or name.strip(". ") == ""
    ):
        raise DomainError(
            f"“{name}” is not a file name; upload the file itself, not a path.",
            field="file",
            code="file_name",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise DomainError(
            f"“{name}” is not a CSV or XLSX file; export the spend as .csv or .xlsx.",
            field="file",
            code="file_type",
        )
    size = upload.size or 0
    limit = settings.STEWARD_SPEND_UPLOAD_MAX_BYTES
    if size > limit:
        raise DomainError(
            f"“{name}” is {filesizeformat(size)}; the limit is {filesizeformat(limit)}.",
            field="file",
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension == ".xlsx" and head and not head.startswith(ZIP_SIGNATURE):
        raise DomainError(
            f"“{name}” is not a spreadsheet, whatever its .xlsx name says.",
            field="file",
            code="file_content",
        )
    if extension == ".csv" and head.startswith(ZIP_SIGNATURE):
        raise DomainError(
            f"“{name}” is a spreadsheet or an archive, not CSV text; name it .xlsx or export "
            "it as CSV.",
            field="file",
            code="file_content",
        )
    if extension == ".csv" and b"\x00" in head:
        raise DomainError(
            f"“{name}” is not UTF-8 text (it looks like UTF-16); save it as “CSV UTF-8”.",
            field="file",
            code="file_content",
        )
    return PurePath(name).name[:255], extension


def _store(upload: File, extension: str) -> tuple[str, str, int]:
    """Save under a generated name (the user's name is data, never a path); return the stored
    name, the SHA-256 and the size."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    name = f"{UPLOAD_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
    return default_storage.save(name, upload), digest.hexdigest(), size


def _enqueue_on_commit(batch: SpendImport) -> None:
    from steward.spend.tasks import spend_import_job

    pk = batch.pk
    transaction.on_commit(lambda: spend_import_job.enqueue(batch_id=pk))


# --- run -----------------------------------------------------------------------------------------


def spend_import_run(*, batch: SpendImport, progress: Progress | None = None) -> SpendImport:
    """Run the import of ``batch``: done (lines stored), refused (errors or unmatched vendors
    listed, nothing written) or failed (an unexpected error, nothing written).

    Safe to run twice: a done import is returned as it is.
    """
    batch.refresh_from_db()
    if not can_move(batch.status, ImportStatus.RUNNING):
        return batch
    _start(batch)
    report = _Reporter(batch, progress)
    stored = batch.file.name or ""
    try:
        with engine.session() as con, _local_copy(stored) as path:
            prepared = pipeline.prepare(
                con,
                path,
                kind=pipeline.kind_of(stored),
                source=batch.source,
                progress=report.stage,
                rows_read=report.rows,
            )
            if not prepared.accepted:
                return _finish(
                    batch,
                    status=ImportStatus.REFUSED,
                    reason="Refused",
                    rows_read=prepared.rows,
                    errors=prepared.problems,
                    unmatched=prepared.unmatched,
                )
            report.stage(WRITE_START, f"Writing {prepared.rows:,} lines")
            with transaction.atomic():
                result = ledger.store_lines(
                    con, pipeline.PREPARED, batch=batch, progress=report.written
                )
                # The vendors' twelve-month spend, in the same transaction: it matches the ledger.
                refresh_vendor_figures()
                return _finish(
                    batch,
                    status=ImportStatus.DONE,
                    reason="Imported",
                    rows_read=prepared.rows,
                    lines_added=result.lines_added,
                    lines_skipped=result.lines_skipped,
                    amount_base_cents=result.amount_base_cents,
                    first_line_id=result.first_line_id,
                    last_line_id=result.last_line_id,
                )
    except Exception as error:
        logger.exception("Spend import %s failed", batch.pk)
        return _finish(
            batch,
            status=ImportStatus.FAILED,
            reason="Failed",
            errors=[
                {
                    "row": None,
                    "field": "file",
                    "message": f"The import failed ({type(error).__name__}: {error}); nothing "
                    "was written. Run it again, or ask an administrator to look at the log.",
                }
            ],
        )


def _start(batch: SpendImport) -> None:
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.finished_at = None
    batch.progress = 0
    batch.stage = "Starting"
    batch.errors = []
    batch.unmatched = []
    save_with_history(batch, actor=batch.created_by, reason="Started")


def _finish(batch: SpendImport, *, status: str, reason: str, **values: Any) -> SpendImport:
    batch.refresh_from_db(fields=["rows_read"])
    for name, value in values.items():
        setattr(batch, name, value)
    batch.status = status
    batch.progress = 100
    batch.stage = ImportStatus(status).label
    batch.finished_at = timezone.now()
    return save_with_history(batch, actor=batch.created_by, reason=reason)


class _Reporter:
    """Writes the stage and percentage on the import's row (committed at once outside the
    ledger's transaction) and passes them on to a caller's progress bar."""

    def __init__(self, batch: SpendImport, progress: Progress | None) -> None:
        self.pk = batch.pk
        self.progress = progress
        self.percent = 0
        self.label = ""

    def stage(self, percent: int, label: str) -> None:
        self.percent, self.label = percent, label
        self._record(progress=percent, stage=label[:60])
        if self.progress:
            self.progress(percent, label)

    def rows(self, count: int) -> None:
        self._record(rows_read=count)
        if self.progress:
            self.progress(self.percent, f"{self.label} ({count:,} rows read)")

    def written(self, done: int, total: int) -> None:
        """Inside the ledger's transaction: only the caller's bar moves."""
        if self.progress and total:
            self.progress(WRITE_START + WRITE_SPAN * done // total, self.label)

    def _record(self, **values: Any) -> None:
        """Best effort: on SQLite another import's write can hold the database for a while,
        and a progress figure is not worth failing the import for."""
        if connection.in_atomic_block:  # a caller's transaction: write it, never swallow errors
            SpendImport.objects.filter(pk=self.pk).update(**values)
            return
        try:
            SpendImport.objects.filter(pk=self.pk).update(**values)
        except OperationalError:
            logger.info("Progress of spend import %s not recorded: database busy", self.pk)


@contextlib.contextmanager
def _local_copy(name: str) -> Iterator[Path]:
    """A path DuckDB can read: the stored file itself, or a temporary copy from a storage
    without local paths."""
    try:
        local: Path | None = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None and local.is_file():
        yield local
        return
    with tempfile.TemporaryDirectory(prefix="steward-upload-") as folder:
        copy = Path(folder) / f"upload{PurePath(name).suffix.lower()}"
        with default_storage.open(name, "rb") as stored, copy.open("wb") as target:
            shutil.copyfileobj(stored, target, 1 << 20)
        yield copy


# --- retry ---------------------------------------------------------------------------------------


def spend_import_retry(*, actor: Any, batch: SpendImport) -> SpendImport:
    """Queue a refused or failed import of the same file again (after the aliases, rules,
    rates or the source's mapping were fixed)."""
    require(actor, Action.CHANGE, batch)
    with transaction.atomic():
        locked = SpendImport.objects.select_for_update().get(pk=batch.pk)
        if not can_move(locked.status, ImportStatus.QUEUED):
            raise TransitionError(
                f"Only a refused or failed import runs again; this one is "
                f"{locked.get_status_display().lower()}.",
                field="status",
            )
        locked.status = ImportStatus.QUEUED
        locked.progress = 0
        locked.stage = "Queued again"
        locked.errors = []
        locked.unmatched = []
        locked.started_at = None
        locked.finished_at = None
        save_with_history(locked, actor=actor, reason="Queued again")
        _enqueue_on_commit(locked)
    return locked
