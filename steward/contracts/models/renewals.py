"""The renewal radar's records: decisions per term, the reminder policy and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel

DEFAULT_REMINDER_OFFSETS = [90, 60, 30, 7]


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class RenewalChoice(models.TextChoices):
    RENEW = "renew", "Renew"
    RENEGOTIATE = "renegotiate", "Renegotiate"
    TERMINATE = "terminate", "Terminate"


class RenewalDecision(DomainModel):
    """What to do when a term ends, and why. A later decision for the same term supersedes the
    earlier one, which stays as a record."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="renewal_decisions"
    )
    decision = models.CharField(max_length=12, choices=RenewalChoice.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    for_term_ending = models.DateField(help_text="The end of the term this decision is about.")
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The earlier decision for the same term that this one replaces.",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["contract_id", "-for_term_ending", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "for_term_ending"],
                condition=models.Q(superseded_at__isnull=True, archived_at__isnull=True),
                name="renewal_decision_current_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (term ending {self.for_term_ending})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class RenewalReminderPolicy(DomainModel):
    """When owners are reminded of a notice deadline: days before it (one row, pk 1)."""

    offsets = models.JSONField(
        default=default_reminder_offsets,
        help_text="Days before the notice deadline, e.g. [90, 60, 30, 7].",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        verbose_name = "renewal reminder policy"
        verbose_name_plural = "renewal reminder policy"

    def __str__(self) -> str:
        return "Renewal reminders: " + ", ".join(f"{d} days" for d in self.offsets)


class RenewalReminderSent(models.Model):
    """A reminder sent for one notice deadline at one offset: never twice."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="renewal_reminders"
    )
    deadline = models.DateField()
    offset = models.PositiveSmallIntegerField(help_text="Days before the deadline.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    access_spec = AccessSpec(parent="contract")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "deadline", "offset"], name="renewal_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offset} days before {self.deadline}"
