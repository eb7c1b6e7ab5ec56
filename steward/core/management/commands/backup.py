"""`steward backup FILE`: the database and the media folder in one .tar.gz bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (SQLite online backup, or pg_dump for PostgreSQL) and the media "
        "folder to one .tar.gz bundle. Safe while Steward runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The bundle to write, e.g. steward.tar.gz.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.engine} database and {summary.media_files} media "
                f"file(s) to {summary.path}"
            )
        )
