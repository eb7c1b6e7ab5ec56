"""Handoffs from business development: what a newly won customer's account manager must not lose
when business development hands the account over during implementation.

A handoff belongs to an account (a demand-side ``parties.Relationship``); its preparer (who hands
over, business development) owns it. Its items are checklist steps, implementation milestones,
commitments made during the sale, risks and named contacts; each stays open until closed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.handoffs.choices import HandoffStatus, ItemKind


class Handoff(DomainModel):
    """The transition record of one newly won account."""

    relationship = models.ForeignKey(
        "parties.Relationship",
        on_delete=models.PROTECT,
        related_name="handoffs",
        verbose_name="account",
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="won opportunity",
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handoffs_prepared",
        help_text="Business development: who prepares and hands the account over.",
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs_received",
        help_text="The account manager who receives the account (normally its owner).",
    )
    status = models.CharField(
        max_length=20, choices=HandoffStatus.choices, default=HandoffStatus.DRAFT, db_index=True
    )
    summary = models.TextField(blank=True)
    implementation_start = models.DateField(null=True, blank=True)
    go_live = models.DateField("go-live", null=True, blank=True)
    first_review_on = models.DateField(
        "first review",
        null=True,
        blank=True,
        help_text="When the account manager first reviews the account with the customer.",
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    acceptance_note = models.TextField(blank=True)
    sent_back_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        owner="handed_over_by", parent="relationship", create_requires_parent=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "receiver"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(go_live__isnull=True)
                | models.Q(implementation_start__isnull=True)
                | models.Q(go_live__gte=models.F("implementation_start")),
                name="handoff_go_live_after_start",
                violation_error_message="The go-live cannot be before the implementation start.",
            )
        ]

    def __str__(self) -> str:
        return f"Handoff of {self.relationship.organization}"

    def get_absolute_url(self) -> str:
        return reverse("handoffs:handoff-detail", args=[self.pk])


class HandoffItem(DomainModel):
    """One thing that must not be lost: open until someone closes it with a note."""

    handoff = models.ForeignKey(Handoff, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(
        max_length=200, help_text="The step, milestone, promise, risk or the contact's part."
    )
    details = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handoff_items",
        help_text="One of our people who sees it through.",
    )
    due_on = models.DateField("due", null=True, blank=True, db_index=True)
    contact = models.ForeignKey(
        "parties.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The customer contact it was promised to, or the named contact.",
    )
    contact_role = models.CharField("role in the implementation", max_length=120, blank=True)
    severity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Of a risk: 1 (minor) to 5 (severe).",
    )
    mitigation = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="handoff")

    class Meta:
        ordering = ["handoff_id", "kind", "due_on", "pk"]
        indexes = [models.Index(fields=["handoff", "closed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__isnull=True)
                | models.Q(severity__gte=1, severity__lte=5),
                name="handoff_item_severity_1_to_5",
                violation_error_message="The severity is from 1 to 5.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def get_absolute_url(self) -> str:
        return reverse("handoffs:handoff-detail", args=[self.handoff_id]) + f"#item-{self.pk}"


class HandoffTransition(models.Model):
    """One status change of a handoff, append-only: the handoff page's timeline.

    Read only through a handoff the user may see (it carries no access spec of its own).
    """

    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=HandoffStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=HandoffStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"
