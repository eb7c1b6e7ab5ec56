"""Choices of the handoffs app."""

from __future__ import annotations

from django.db import models


class HandoffStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    HANDED_OVER = "handed_over", "Handed over"
    ACCEPTED = "accepted", "Accepted"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ItemKind(models.TextChoices):
    CHECKLIST = "checklist", "Checklist step"
    MILESTONE = "milestone", "Implementation milestone"
    COMMITMENT = "commitment", "Commitment made during the sale"
    RISK = "risk", "Risk"
    CONTACT = "contact", "Named contact"
