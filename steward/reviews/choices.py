from django.db import models


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    BUSINESS_REVIEW = "business_review", "Business review"
    SITE_VISIT = "site_visit", "Site visit"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    NOTE = "note", "Note"


class ReviewKind(models.TextChoices):
    BUSINESS_REVIEW = "business_review", "Quarterly business review"
    ACCOUNT_REVIEW = "account_review", "Account review"
    EXECUTIVE_REVIEW = "executive_review", "Executive review"


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ActionSide(models.TextChoices):
    OURS = "ours", "Ours"
    THEIRS = "theirs", "Counterparty"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"
