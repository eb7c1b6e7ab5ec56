"""Obligations: who owes what by when under a contract, with evidence that it was done.

A recurring obligation is a series of rows: completing (or waiving) one creates the next, which
points back to it through ``follows``. The series' first due date (``anchor_on``) and the
occurrence number fix every later due date, so a series due on the 31st comes back to the 31st
after a short month instead of drifting to the 28th.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel


class ObligationKind(models.TextChoices):
    DELIVERABLE = "deliverable", "Deliverable"
    REPORT = "report", "Report"
    AUDIT = "audit", "Audit"
    INSURANCE = "insurance", "Insurance certificate"
    PRICE_REVIEW = "price_review", "Price review"
    OTHER = "other", "Other"


class OwedBy(models.TextChoices):
    US = "us", "We owe it"
    THEM = "them", "They owe it"


class Recurrence(models.TextChoices):
    NONE = "none", "Once"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


# Months between two occurrences.
RECURRENCE_MONTHS: dict[str, int] = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.YEARLY: 12,
}


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    WAIVED = "waived", "Waived"


class Obligation(DomainModel):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="obligations"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ObligationKind.choices)
    owed_by = models.CharField(max_length=10, choices=OwedBy.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contract_obligations",
        help_text="Who does it, or chases the counterparty for it.",
    )
    due_on = models.DateField(db_index=True)
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.NONE
    )
    anchor_on = models.DateField(help_text="The first due date of the series.")
    occurrence = models.PositiveIntegerField(default=1)
    follows = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_occurrence",
        help_text="The occurrence whose completion created this one.",
    )
    status = models.CharField(
        max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    done_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="owner", parent="contract")

    class Meta:
        ordering = ["due_on", "title", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="obligation_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on})"

    @property
    def is_open(self) -> bool:
        return self.status == ObligationStatus.OPEN


class ObligationEvidence(DomainModel):
    """A file showing an obligation was met (a report, a certificate); never overwritten."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="obligations/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="obligation")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "obligation evidence"
        verbose_name_plural = "obligation evidence"

    def __str__(self) -> str:
        return self.title


class ObligationAlert(models.Model):
    """An overdue alert sent for an obligation on a day: at most one per obligation and day."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="alerts")
    day = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    access_spec = AccessSpec(parent="obligation")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "day"], name="obligation_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id} overdue on {self.day}"
