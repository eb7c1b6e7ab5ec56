from django.db import models


class SourceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice lines"
    PURCHASE_ORDER = "purchase_order", "Purchase-order lines"
    CARD = "card", "Card transactions"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Imported"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class RuleField(models.TextChoices):
    """What a category rule looks at."""

    GL_ACCOUNT = "gl_account", "GL account"
    DESCRIPTION = "description", "Description"
    VENDOR = "vendor", "Vendor (its default category)"


class RuleMatch(models.TextChoices):
    EQUALS = "equals", "Equals"
    STARTS_WITH = "starts_with", "Starts with"
    CONTAINS = "contains", "Contains"
