"""The risk app's choices: the tiering intake, the register's categories, findings."""

from django.db import models


class DataHandled(models.TextChoices):
    NONE = "none", "None"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"
    PERSONAL = "personal", "Personal data"
    SPECIAL = "special", "Special categories of personal data"


class SystemAccess(models.TextChoices):
    NONE = "none", "None"
    USER = "user", "User accounts on our systems"
    PRIVILEGED = "privileged", "Privileged or network access"


class Substitutability(models.TextChoices):
    EASY = "easy", "Easy to replace"
    MODERATE = "moderate", "Replaceable with effort"
    HARD = "hard", "Hard to replace"
    NONE = "none", "No alternative (sole source)"


class RegulatoryExposure(models.TextChoices):
    NONE = "none", "None"
    SOME = "some", "Some"
    HIGH = "high", "High (regulated activity)"


class Depth(models.TextChoices):
    """How deep the due diligence goes: which questionnaire a tier gets."""

    FULL = "full", "Full assessment"
    STANDARD = "standard", "Standard assessment"
    LIGHT = "light", "Lightweight review"
    NONE = "none", "No questionnaire"


class RiskCategory(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    OPERATIONAL = "operational", "Operational and continuity"
    CYBERSECURITY = "cybersecurity", "Cybersecurity"
    PRIVACY = "privacy", "Privacy"
    COMPLIANCE = "compliance", "Compliance and regulatory"
    ESG = "esg", "ESG"
    GEOPOLITICAL = "geopolitical", "Geopolitical"
    CONCENTRATION = "concentration", "Concentration"


class FindingSource(models.TextChoices):
    ASSESSMENT = "assessment", "Security assessment"
    AUDIT = "audit", "Audit"
    OTHER = "other", "Other review"


class FindingSeverity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    REMEDIATING = "remediating", "In remediation"
    CLOSED = "closed", "Closed"
    ACCEPTED = "accepted", "Risk accepted"


class RiskTreatment(models.TextChoices):
    AVOID = "avoid", "Avoid"
    MITIGATE = "mitigate", "Mitigate"
    TRANSFER = "transfer", "Transfer"
    ACCEPT = "accept", "Accept"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskRating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"
