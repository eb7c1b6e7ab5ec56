"""Choices of the visits app."""

from __future__ import annotations

from django.db import models

from steward.reviews.choices import ActivityKind


class ChangeKind(models.TextChoices):
    """What a post-visit note changed, one entry of ``Visit.changes`` each."""

    LAST_MET = "last_met", "Last met"
    SENTIMENT = "sentiment", "Sentiment"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_DONE = "action_done", "Action done"


# A post-visit note logs a meeting or a site visit (the kinds of activity one attends).
VISIT_KINDS = (ActivityKind.SITE_VISIT, ActivityKind.MEETING)
VISIT_KIND_CHOICES = [(kind.value, kind.label) for kind in VISIT_KINDS]
