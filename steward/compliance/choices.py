"""The compliance app's choices: certifications and documents, requests for them, audits."""

from django.db import models


class CertificationKind(models.TextChoices):
    ISO_27001 = "iso_27001", "ISO 27001"
    SOC2_TYPE2 = "soc2_type2", "SOC 2 Type II"
    SOC2_TYPE1 = "soc2_type1", "SOC 2 Type I"
    ISO_27701 = "iso_27701", "ISO 27701"
    PCI_DSS = "pci_dss", "PCI DSS"
    INSURANCE = "insurance", "Insurance certificate"
    TAX_FORM = "tax_form", "Tax form"
    DPA = "dpa", "Data processing agreement"
    OTHER = "other", "Other"


class CertificationStatus(models.TextChoices):
    """Derived from the dates (and whether a renewal replaced it); never stored."""

    VALID = "valid", "Valid"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"


class AuditKind(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    REMOTE = "remote", "Remote"
    DOCUMENT_REVIEW = "document_review", "Document review"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORT_ISSUED = "report_issued", "Report issued"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
