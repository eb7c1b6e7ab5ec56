from django.db import models


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    BUSINESS_REVIEW = "business_review", "Business review"
    SITE_VISIT = "site_visit", "Site visit"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    NOTE = "note", "Note"
