from django.db import models


class ContractKind(models.TextChoices):
    MASTER = "master", "Master agreement"
    STATEMENT_OF_WORK = "sow", "Statement of work"
    ORDER_FORM = "order_form", "Order form"
    NDA = "nda", "Non-disclosure agreement"
    DPA = "dpa", "Data processing agreement"
    AMENDMENT = "amendment", "Amendment"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_NEGOTIATION = "in_negotiation", "In negotiation"
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    ACTIVE = "active", "Active"
    EXPIRING = "expiring", "Expiring"
    RENEWED = "renewed", "Renewed"
    TERMINATED = "terminated", "Terminated"
    EXPIRED = "expired", "Expired"


class PeriodUnit(models.TextChoices):
    DAYS = "days", "Days"
    MONTHS = "months", "Months"


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class NegotiatedTerm(models.TextChoices):
    PRICE = "price", "Price"
    VOLUME = "volume", "Volume commitment or minimum order level"
    TERM_LENGTH = "term_length", "Term length"
    SLA = "sla", "Service levels"
    LIABILITY = "liability", "Liability"
    PAYMENT = "payment", "Payment terms"
    OTHER = "other", "Other"


class ConcededBy(models.TextChoices):
    NOBODY = "", "Open"
    US = "us", "We conceded"
    THEM = "them", "They conceded"
    BOTH = "both", "Both moved"
