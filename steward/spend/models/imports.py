"""Where spend comes from: a source with its saved column mapping, and each file imported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.spend.choices import ImportStatus, SourceKind

FINANCE = ("finance",)


class SpendSource(DomainModel):
    """A system that exports spend (an ERP's invoice lines, a card provider), with how to read
    its files: ``mapping`` names the file's column for each of Steward's fields."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.INVOICE)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="Steward field → the file's column header."
    )
    date_format = models.CharField(
        max_length=20,
        blank=True,
        help_text="e.g. %d/%m/%Y; empty reads ISO dates (2026-03-31).",
    )
    decimal_comma = models.BooleanField(
        default=False, help_text="Amounts are written 1.234,56 rather than 1,234.56."
    )
    default_currency = models.CharField(
        max_length=3, blank=True, help_text="For files without a currency column."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True, functions=FINANCE)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpendImport(DomainModel):
    """One file brought into the ledger: all of its lines or none of them.

    The file is kept (never overwritten) so a refused import can be fixed and run again and an
    imported one can be traced to what was sent.
    """

    source = models.ForeignKey(SpendSource, on_delete=models.PROTECT, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spend_imports"
    )
    file = models.FileField(upload_to="spend/imports/%Y/%m/", max_length=255)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    stage = models.CharField(max_length=60, blank=True, help_text="What the import is doing.")
    rows_read = models.PositiveBigIntegerField(default=0)
    lines_added = models.PositiveBigIntegerField(default=0)
    lines_skipped = models.PositiveBigIntegerField(
        default=0, help_text="Lines already in the ledger (an overlapping or repeated file)."
    )
    amount_base_cents = models.BigIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text="Why the file was refused: row, field and reason."
    )
    unmatched = models.JSONField(
        default=list,
        blank=True,
        help_text="Vendor names the ledger uses that match no vendor, with suggestions.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    first_line_id = models.BigIntegerField(null=True, blank=True)
    last_line_id = models.BigIntegerField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["progress", "stage", "rows_read"])
    access_spec = AccessSpec(owner="created_by", functions=FINANCE, functions_create=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
