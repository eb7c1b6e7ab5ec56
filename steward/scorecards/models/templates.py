"""Scorecard templates: weighted criteria per side, versioned so a change applies from the next
period and past periods keep the version they were scored under."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.parties.choices import Side
from steward.scorecards.choices import CriterionCategory, PeriodKind, RuleKind


class ScorecardTemplate(DomainModel):
    """What a side's relationships are scored on; administered reference data."""

    name = models.CharField(max_length=120, unique=True)
    side = models.CharField(max_length=10, choices=Side.choices)
    period_kind = models.CharField(
        max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY
    )
    description = models.TextField(blank=True)
    # Rows as ``standings.Standings.to_rows`` writes them: name, lower bound, consequences.
    standings = models.JSONField(default=list, blank=True)
    is_default = models.BooleanField(
        default=False,
        help_text="Scores every relationship of its side that no other template scores.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["side", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["side"],
                condition=models.Q(is_default=True, archived_at__isnull=True),
                name="scorecard_template_one_default_per_side",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    """The criteria of a template from one period on; frozen once a period was scored under it."""

    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    effective_from = models.DateField(help_text="The first period start this version scores.")
    note = models.TextField(blank=True, help_text="What changed and why.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the templates Steward ships with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_number"),
            models.UniqueConstraint(
                fields=["template", "effective_from"], name="template_version_effective_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class ScorecardCriterion(models.Model):
    """One weighted criterion of a version: its measure(s) and the rule that maps them to 0-100.

    ``measure`` names a measure of the registry (``scorecards.measures``). A formula rule reads
    several: ``rule["variables"]`` maps each variable name to a measure key.
    """

    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="criteria")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=CriterionCategory.choices)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    measure = models.CharField(max_length=60, blank=True)
    rule_kind = models.CharField(max_length=10, choices=RuleKind.choices)
    rule = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["version_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="criterion_code_per_version")
        ]

    def __str__(self) -> str:
        return self.name
