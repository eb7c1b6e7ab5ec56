from django.db import models


class CriterionCategory(models.TextChoices):
    QUALITY = "quality", "Quality"
    DELIVERY = "delivery", "Delivery"
    COST = "cost", "Cost"
    RESPONSIVENESS = "responsiveness", "Responsiveness"
    INNOVATION = "innovation", "Innovation"
    COMPLIANCE_RISK = "compliance_risk", "Compliance and risk"
    RELATIONSHIP = "relationship", "Relationship"
    SATISFACTION = "satisfaction", "Customer satisfaction"
    USAGE = "usage", "Usage and adoption"


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class RuleKind(models.TextChoices):
    LINEAR = "linear", "Linear between floor and target"
    BANDS = "bands", "Bands"
    FORMULA = "formula", "Formula"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class MeasurementSource(models.TextChoices):
    UI = "ui", "Entered"
    IMPORT = "import", "Imported"
    API = "api", "API"


class SurveyStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Targets met"
    CLOSED = "closed", "Closed"


class AppealKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    APPEAL = "appeal", "Appeal"


class AppealStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered, score kept"
    UPHELD = "upheld", "Upheld, score corrected"
