"""Improvement plans: what a standing that requires one obliges the owner to agree and track."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.scorecards.choices import PlanStatus


class ImprovementPlan(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    card = models.ForeignKey(
        "scorecards.Scorecard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
        help_text="The card whose standing required the plan.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_plans"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ImprovementTarget(DomainModel):
    """A criterion (or the overall score) to bring to a target score by a date."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="targets")
    criterion_code = models.SlugField(
        max_length=40, blank=True, help_text="Empty for the overall score."
    )
    label = models.CharField(max_length=120)
    target_score = models.DecimalField(max_digits=5, decimal_places=2)
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="plan")

    class Meta:
        ordering = ["plan_id", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.target_score} by {self.due_on}"
