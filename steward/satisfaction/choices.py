"""Choices of the satisfaction app."""

from __future__ import annotations

from django.db import models


class SurveyKind(models.TextChoices):
    CSAT = "csat", "CSAT (1-5)"
    NPS = "nps", "NPS (0-10)"


class ResponseChannel(models.TextChoices):
    ENTERED = "entered", "Entered by us"
    IMPORTED = "imported", "Imported"
    LINK = "link", "Answered through a link"


# The score range of each kind, both ends included.
SCORE_RANGE: dict[str, tuple[int, int]] = {SurveyKind.CSAT: (1, 5), SurveyKind.NPS: (0, 10)}

# Contacts with one of these role tags are the buyers the cadence asks us to meet.
BUYING_ROLES = ("buyer", "decision_maker", "executive_sponsor", "influencer")
