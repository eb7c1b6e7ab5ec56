"""What cards are scored from besides the data other engines hold: recorded measurements
(on-time delivery, defect rate, invoice accuracy, satisfaction, usage …) and stakeholder surveys."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.people.choices import Function
from steward.scorecards.choices import MeasurementSource, SurveyStatus


class Measurement(DomainModel):
    """One recorded value of a measure for a relationship on a day; a period reads their mean."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="measurements"
    )
    measure = models.CharField(max_length=60)
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)
    source = models.CharField(
        max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.UI
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "measure", "-measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "measure", "measured_on"],
                condition=models.Q(archived_at__isnull=True),
                name="measurement_once_per_day",
            )
        ]
        indexes = [models.Index(fields=["measure", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.measure} = {self.value} on {self.measured_on}"


class Survey(models.Model):
    """Stakeholders' ratings of one relationship for one period: sent, chased, closed by a job."""

    period = models.ForeignKey(
        "scorecards.ScorecardPeriod", on_delete=models.PROTECT, related_name="surveys"
    )
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="surveys"
    )
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    sent_at = models.DateTimeField()
    closes_on = models.DateField()
    chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "relationship"], name="survey_once")
        ]

    def __str__(self) -> str:
        return f"Survey on {self.relationship} ({self.period.label})"


class SurveyResponse(models.Model):
    """One stakeholder's rating of one surveyed criterion; empty until answered."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    criterion = models.ForeignKey(
        "scorecards.ScorecardCriterion", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_responses"
    )
    function = models.CharField(max_length=30, choices=Function.choices, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(owner="respondent", parent="survey")

    class Meta:
        ordering = ["survey_id", "criterion__position", "respondent_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "criterion", "respondent"], name="survey_response_once"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.criterion}: {self.rating or '—'}"
