# ruff: noqa: N999 - Django names the command after its module: `steward import`
"""`steward import spend FILE --source NAME [--user USERNAME] [--create-source]`.

Imports a CSV or XLSX file of spend lines now, with a progress bar on standard error. Exits 1
when the file is refused (the problems are listed, nothing is written) or the import fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.errors import DomainError
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendImport, SpendSource
from steward.spend.money import base_currency, from_cents

BAR_WIDTH = 30
SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = (
        "Import a file of spend lines (CSV or XLSX) from a source: all lines or none. "
        "Lines the ledger holds already are skipped, so a file can be imported again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["spend"], help="What to import: spend.")
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--source", required=True, help="The source's name (its ERP, say).")
        parser.add_argument(
            "--user",
            help="Who imports (an administrator or a finance user); default: the first "
            "active superuser.",
        )
        parser.add_argument(
            "--create-source",
            action="store_true",
            help="Create the source when there is none of that name (its files then use "
            "Steward's field names as headers).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.spend.services.imports import spend_import_create

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        user = self._user(options["user"])
        source = self._source(options["source"], user=user, create=options["create_source"])
        bar = ProgressBar(self.stderr)
        try:
            with path.open("rb") as handle:
                batch = spend_import_create(
                    actor=user,
                    source=source,
                    upload=File(handle, name=path.name),
                    run_now=True,
                    progress=bar.show,
                )
        except (DomainError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self._report(batch)

    def _user(self, username: str | None) -> Any:
        users = get_user_model()._default_manager.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no active user “{username}”.")
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Name the user who imports with --user.")
        return user

    def _source(self, name: str, *, user: Any, create: bool) -> SpendSource:
        source = SpendSource.objects.filter(name__iexact=name, archived_at__isnull=True).first()
        if source is not None:
            return source
        if create:
            from steward.spend.services.reference_sources import spend_source_create

            try:
                return spend_source_create(actor=user, name=name)
            except (DomainError, PermissionDenied) as error:
                raise CommandError(str(error)) from error
        names = SpendSource.objects.filter(archived_at__isnull=True).values_list("name", flat=True)
        known = ", ".join(names) or "none yet"
        raise CommandError(
            f"There is no source “{name}” (sources: {known}); add --create-source to create it."
        )

    def _report(self, batch: SpendImport) -> None:
        if batch.status == ImportStatus.DONE:
            amount = from_cents(batch.amount_base_cents)
            skipped = (
                f" ({batch.lines_skipped:,} already in the ledger, skipped)"
                if batch.lines_skipped
                else ""
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {batch.lines_added:,} lines{skipped} from {batch.filename}: "
                    f"{amount:,.2f} {base_currency()}."
                )
            )
            return
        for problem in batch.errors[:SHOWN_PROBLEMS]:
            where = f"row {problem['row']}, " if problem.get("row") is not None else ""
            self.stderr.write(f"  {where}{problem['field']}: {problem['message']}")
        if len(batch.errors) > SHOWN_PROBLEMS:
            self.stderr.write(f"  … {len(batch.errors) - SHOWN_PROBLEMS} more (see the import).")
        for vendor in batch.unmatched[:SHOWN_PROBLEMS]:
            rows = ", ".join(str(row) for row in vendor["rows"])
            guesses = "; ".join(
                f"{guess['name']} (id {guess['supplier_id']}, {guess['score']}%)"
                for guess in vendor["suggestions"]
            )
            self.stderr.write(
                f"  unmatched vendor “{vendor['name'] or vendor['tax_id']}”: "
                f"{vendor['count']:,} lines (rows {rows}); "
                f"{'perhaps ' + guesses if guesses else 'no similar vendor'}"
            )
        verb = "was refused" if batch.status == ImportStatus.REFUSED else "failed"
        raise CommandError(
            f"The import of {batch.filename} {verb} (import {batch.pk}); nothing was written.",
            returncode=1,
        )


class ProgressBar:
    """A text bar on standard error: redrawn in place on a terminal, a line per stage else."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.terminal = bool(getattr(stream, "isatty", lambda: False)())
        self.last = ""
        self.drawn = False

    def show(self, percent: int, stage: str) -> None:
        percent = max(0, min(100, percent))
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%  {stage}"
        if self.terminal:
            self.stream.write(f"\r{line:<100}", ending="")
            self.stream.flush()
            self.drawn = True
        elif stage != self.last:
            self.stream.write(line)
        self.last = stage

    def close(self) -> None:
        if self.terminal and self.drawn:
            self.stream.write("")
