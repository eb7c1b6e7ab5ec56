from django.db import models


class IssueCategory(models.TextChoices):
    QUALITY = "quality", "Quality"
    DELIVERY = "delivery", "Delivery"
    SERVICE = "service", "Service level"
    BILLING = "billing", "Billing and invoicing"
    SECURITY = "security", "Security"
    COMPLIANCE = "compliance", "Compliance"
    RELATIONSHIP = "relationship", "Relationship"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class IssueStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class IssueSource(models.TextChoices):
    MANUAL = "manual", "Raised by a person"
    SLA_BREACH = "sla_breach", "SLA breach"
    PORTAL = "portal", "Raised in the portal"
    API = "api", "API"


class MissedTarget(models.TextChoices):
    RESPONSE = "response", "Response target missed"
    RESOLUTION = "resolution", "Resolution target missed"
    MANUAL = "manual", "Escalated by hand"
