from django.db import models


class RelationshipType(models.TextChoices):
    """How close the company works with the vendor, from spot buys to owning it."""

    TRANSACTIONAL = "transactional", "Transactional"
    ONGOING = "ongoing", "Ongoing (preferred supplier)"
    PARTNERSHIP = "partnership", "Partnership"
    STRATEGIC_ALLIANCE = "strategic_alliance", "Strategic alliance"
    BACKWARD_INTEGRATION = "backward_integration", "Backward integration (company-owned)"


class Stage(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    QUALIFICATION = "qualification", "Qualification"
    ONBOARDING = "onboarding", "Onboarding"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    EXITING = "exiting", "Exiting"
    OFFBOARDED = "offboarded", "Offboarded"


class Segment(models.TextChoices):
    """The four quadrants of the Kraljic portfolio matrix."""

    STRATEGIC = "strategic", "Strategic"
    LEVERAGE = "leverage", "Leverage"
    BOTTLENECK = "bottleneck", "Bottleneck"
    NON_CRITICAL = "non_critical", "Non-critical"


class SupplyNature(models.TextChoices):
    """The nature of what is bought: the less standard, the fewer who can supply it."""

    COMMODITY = "commodity", "Commodity"
    STANDARD = "standard", "Standard"
    SPECIALIZED = "specialized", "Specialized"
    UNIQUE = "unique", "Unique or proprietary"


class ChecklistItemCode(models.TextChoices):
    DOCUMENTS_RECEIVED = "documents_received", "Documents received"
    SECURITY_REVIEW_DONE = "security_review_done", "Security review done"
    BANK_DETAILS_VERIFIED = "bank_details_verified", "Bank details verified"
    CONTRACT_SIGNED = "contract_signed", "Contract signed"


class InformationSharing(models.TextChoices):
    MINIMAL = "minimal", "Minimal (orders and invoices)"
    OPERATIONAL = "operational", "Operational (forecasts, quality data)"
    STRATEGIC = "strategic", "Strategic (roadmaps, joint plans)"
    FULL = "full", "Full (shared systems and goals)"


class AssessmentDepth(models.TextChoices):
    LIGHT = "light", "Light"
    STANDARD = "standard", "Standard"
    DEEP = "deep", "Deep (on-site audit)"


class LeverKind(models.TextChoices):
    VOLUME_COMMITMENT = "volume_commitment", "Volume commitment"
    MINIMUM_ORDER_LEVEL = "minimum_order_level", "Minimum order level"
    LONGER_TERM = "longer_term", "Longer contract term"
    CONSOLIDATION = "consolidation", "Consolidate spend"
    PAYMENT_TERMS = "payment_terms", "Payment terms"
    OTHER = "other", "Other"


class Raci(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class KpiDirection(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
