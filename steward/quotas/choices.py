from django.db import models


class CostKind(models.TextChoices):
    """What serving an account costs besides the cost of what it buys."""

    ACCOUNT_MANAGEMENT = "account_management", "Account management"
    SUPPORT = "support", "Support and customer service"
    LOGISTICS = "logistics", "Logistics"
    IMPLEMENTATION = "implementation", "Implementation"
    OTHER = "other", "Other"
