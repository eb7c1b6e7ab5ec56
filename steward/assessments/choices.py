"""The assessments app's choices: questionnaire building blocks, assessment and answer states."""

from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", "Yes / no"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CLARIFICATION = "clarification", "Clarification requested"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Verdict(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CLARIFICATION = "clarification", "Clarification requested"
