"""Periods and the cards scored in them. A closed period is frozen: its cards change only through
a recorded correction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.scorecards.choices import PeriodKind, PeriodStatus
from steward.scorecards.models.templates import (
    ScorecardCriterion,
    ScorecardTemplate,
    TemplateVersion,
)


class ScorecardPeriod(models.Model):
    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.PROTECT, related_name="periods"
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the background job closed it.",
    )

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(internal_directory=True, administered=True)

    class Meta:
        ordering = ["template_id", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["template", "starts_on"], name="period_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.label}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.starts_on.year} Q{(self.starts_on.month - 1) // 3 + 1}"
        return self.starts_on.strftime("%Y-%m")

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class Scorecard(models.Model):
    """One relationship's card in one period: the overall score (None when no criterion had data),
    its standing, and the criteria that had no data."""

    period = models.ForeignKey(ScorecardPeriod, on_delete=models.PROTECT, related_name="cards")
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="scorecards"
    )
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    standing = models.CharField(max_length=40, blank=True)
    missing = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()
    corrected = models.BooleanField(default=False)
    shared_with_portal = models.BooleanField(
        default=False, help_text="The counterparty's portal users may see this card and appeal it."
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(
        parent="relationship",
        portal_organization="relationship__organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["period_id", "relationship_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "relationship"], name="card_once_per_period")
        ]
        indexes = [models.Index(fields=["relationship", "period"])]

    def __str__(self) -> str:
        return f"{self.relationship} — {self.period.label}"


class CriterionScore(models.Model):
    """One criterion on one card: the raw value(s) read, the 0-100 score, the weight applied."""

    # No index of their own: the unique (card, criterion) index serves lookups by card, and
    # nothing looks rows up by criterion alone. A period close writes tens of thousands of
    # these rows, and every index costs on each of them.
    card = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="criteria", db_index=False
    )
    criterion = models.ForeignKey(
        ScorecardCriterion, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    raw = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True, help_text="Formula variables as read.")
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    applied_weight = models.DecimalField(max_digits=7, decimal_places=4, default=0)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(
        parent="card",
        portal_organization="card__relationship__organization",
        portal_flag="card__shared_with_portal",
    )

    class Meta:
        ordering = ["card_id", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["card", "criterion"], name="criterion_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
