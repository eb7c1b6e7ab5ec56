"""A counterparty's comments on and appeals of a shared card, and the recorded corrections that
are the only way a closed card's score changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.scorecards.choices import AppealKind, AppealStatus


class ScoreAppeal(DomainModel):
    card = models.ForeignKey(
        "scorecards.Scorecard", on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField(max_length=10, choices=AppealKind.choices, default=AppealKind.COMMENT)
    criterion_code = models.SlugField(max_length=40, blank=True)
    body = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="card",
        portal_organization="card__relationship__organization",
        portal_flag="card__shared_with_portal",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.card}"


class ScoreCorrection(models.Model):
    """A criterion's score changed after the fact, with the card's score before and after."""

    card = models.ForeignKey(
        "scorecards.Scorecard", on_delete=models.PROTECT, related_name="corrections"
    )
    criterion = models.ForeignKey(
        "scorecards.ScorecardCriterion", on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        ScoreAppeal, null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    from_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    to_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    card_from = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    card_to = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    standing_from = models.CharField(max_length=40, blank=True)
    standing_to = models.CharField(max_length=40, blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(
        parent="card",
        portal_organization="card__relationship__organization",
        portal_flag="card__shared_with_portal",
    )

    class Meta:
        ordering = ["card_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.from_score} → {self.to_score}"
