"""Issues on a relationship, their transitions, the targets per severity and the escalation
ladder that an overdue issue climbs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.issues.choices import (
    IssueCategory,
    IssueSource,
    IssueStatus,
    MissedTarget,
    Severity,
)


class SeverityTarget(DomainModel):
    """How fast an issue of a severity must be acknowledged and resolved; administered."""

    severity = models.CharField(max_length=10, choices=Severity.choices, unique=True)
    response_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    resolution_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["response_hours", "pk"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.response_hours} h / {self.resolution_hours} h"


class Issue(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="issues"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    service_level = models.ForeignKey(
        "contracts.ServiceLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    sla_breach = models.OneToOneField(
        "contracts.SlaBreach",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issue",
        help_text="The breach that opened this issue.",
    )
    initiative = models.ForeignKey(
        "plans.Initiative", null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=IssueCategory.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issues_owned"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issues_reported"
    )
    source = models.CharField(
        max_length=12, choices=IssueSource.choices, default=IssueSource.MANUAL
    )
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.NEW)
    opened_at = models.DateTimeField()
    respond_by = models.DateTimeField()
    resolve_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    root_cause = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    shared_with_portal = models.BooleanField(
        default=False, help_text="The counterparty's portal users may see this issue."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        owner="owner",
        parent="relationship",
        portal_organization="relationship__organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["relationship", "opened_at"]),
            models.Index(fields=["status", "respond_by"]),
            models.Index(fields=["status", "resolve_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("issues:issue-detail", args=[self.pk])


class IssueTransition(models.Model):
    """A move of an issue's status: who, when, why."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=IssueStatus.choices)
    to_status = models.CharField(max_length=12, choices=IssueStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(parent="issue")

    class Meta:
        ordering = ["issue_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue}: {self.from_status} → {self.to_status}"


class EscalationLevel(DomainModel):
    """One rung of a relationship's ladder: who is told when an issue climbs to it."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="escalation_levels"
    )
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=120, help_text="e.g. Account manager, Director, Executive.")
    internal_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalation_levels"
    )
    counterparty_contact = models.ForeignKey(
        "parties.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalation_levels",
    )
    after_hours = models.PositiveIntegerField(
        default=0, help_text="Hours past a missed target before an issue climbs to this level."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "level"],
                condition=models.Q(archived_at__isnull=True),
                name="escalation_level_once",
            )
        ]

    def __str__(self) -> str:
        return f"L{self.level} {self.name}"


class IssueEscalation(models.Model):
    """An issue climbed a rung, automatically or by hand."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    ladder_rung = models.ForeignKey(
        EscalationLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    missed = models.CharField(max_length=12, choices=MissedTarget.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the background job escalated.",
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(parent="issue")

    class Meta:
        ordering = ["issue_id", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "level"], name="issue_escalated_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue} → L{self.level}"
