from django.db import models


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Visibility(models.TextChoices):
    """Whether a part of the plan may be shown to the customer (the PDF holds only these)."""

    CUSTOMER = "customer", "Customer-visible"
    INTERNAL = "internal", "Internal"


class DecisionRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision maker"
    INFLUENCER = "influencer", "Influencer"
    EVALUATOR = "evaluator", "Evaluator"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    USER = "user", "User"
    BLOCKER = "blocker", "Blocker"


class Sentiment(models.TextChoices):
    CHAMPION = "champion", "Champion"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    SCEPTIC = "sceptic", "Sceptic"
    DETRACTOR = "detractor", "Detractor"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"
    DROPPED = "dropped", "Dropped"


# Objectives that no longer count towards the plan (the standard looks at the others).
CLOSED_OBJECTIVES = frozenset({ObjectiveStatus.DROPPED})
