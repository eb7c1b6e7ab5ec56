"""Plans: initiatives on a relationship with milestones, budget and expected vs delivered value.

The supply side runs supplier strategy execution on them; the demand side will run joint account
plans on the same tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.plans.choices import InitiativeKind, InitiativeStatus, MilestoneStatus

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


class Initiative(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=InitiativeKind.choices)
    status = models.CharField(
        max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="initiatives_owned"
    )
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    budget = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    expected_value = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Value it should deliver."
    )
    delivered_value = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Value delivered so far."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="initiative_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="initiative_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:initiative-detail", args=[self.pk])


class Milestone(DomainModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones_owned",
    )
    status = models.CharField(
        max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="initiative")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.initiative.get_absolute_url()
