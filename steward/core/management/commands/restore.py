"""`steward restore FILE`: replace the database and the media folder with a bundle's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media folder with those in a bundle written by "
        "`steward backup`. Everything entered since that backup is lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The bundle to restore.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source} does not exist.")
        if options["interactive"]:
            if not sys.stdin.isatty():
                raise CommandError("No terminal to confirm on; add --no-input to restore anyway.")
            answer = input(
                f"This replaces the current database and media folder with {source}.\n"
                "Everything entered since that backup will be lost. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            summary = backup_restore(source)
        except BackupError as error:
            raise CommandError(f"{error} (nothing was changed)") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.engine} database of {summary.created_at} and "
                f"{summary.media_files} media file(s) from {summary.path}"
            )
        )
