"""`steward demo --size small|large [--seed N]`: load the demo data and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from steward.core.errors import DomainError
from steward.demo.generate.context import DEFAULT_SEED, SIZES
from steward.demo.services import DemoLoadResult, demo_load

SHOWN_COUNTS = (
    ("parties.Organization", "organizations"),
    ("parties.Site", "sites"),
    ("parties.Contact", "contacts"),
    ("parties.Relationship", "relationships"),
    ("parties.RelationshipMember", "team members"),
    ("suppliers.Supplier", "vendors"),
    ("suppliers.SupplierStrategy", "vendor strategies"),
    ("plans.Initiative", "initiatives"),
    ("reviews.Activity", "activities"),
    ("contracts.Contract", "contracts"),
    ("issues.Issue", "issues"),
    ("scorecards.Scorecard", "scorecards"),
    ("spend.SpendLine", "spend lines"),
    ("reviews.BusinessReview", "business reviews"),
    ("auth.User", "people"),
)


class Command(BaseCommand):
    help = "Load deterministic demo data (idempotent) and print one demo login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="; ".join(f"{spec.name}: {spec.description}" for spec in SIZES.values()),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The same seed gives the same data (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load(size=options["size"], seed=options["seed"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        self._report(result)

    def _report(self, result: DemoLoadResult) -> None:
        dataset = result.dataset
        if result.created:
            made = ", ".join(
                f"{result.counts.get(label, 0):,} {noun}" for label, noun in SHOWN_COUNTS
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the {dataset.size} demo data (seed {dataset.seed}) "
                    f"in {result.seconds:.1f} s: {made}."
                )
            )
        else:
            loaded_at = timezone.localtime(dataset.loaded_at)
            self.stdout.write(
                f"The {dataset.size} demo data (seed {dataset.seed}) was loaded on "
                f"{loaded_at:%Y-%m-%d %H:%M %Z} already; nothing changed."
            )
        url = settings.STEWARD_BASE_URL.rstrip("/") + "/"
        self.stdout.write(
            f"\nOpen {url} and sign in as one of these (every demo password is "
            f"{result.password!r}; demo data only, never a real secret):\n"
        )
        rows = [("Role", "User name", "Password", "What they see")] + [
            (login.role, login.username, result.password, login.sees) for login in result.logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            line = f"  {line}  {row[3]}"
            self.stdout.write(self.style.MIGRATE_HEADING(line) if index == 0 else line)
