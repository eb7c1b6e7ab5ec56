"""Choice sets of the savings register and total cost of ownership."""

from __future__ import annotations

from django.db import models


class SavingsKind(models.TextChoices):
    """Where a saving comes from (the lever pulled)."""

    NEGOTIATION = "negotiation", "Negotiation"
    SOURCING_AWARD = "sourcing_award", "Sourcing award"
    CONSOLIDATION = "consolidation", "Consolidation"
    VOLUME_COMMITMENT = "volume_commitment", "Volume commitment"
    LONGER_TERM = "longer_term", "Longer term"
    OFF_CONTRACT = "off_contract", "Off-contract spend to contract"
    DEMAND_MANAGEMENT = "demand_management", "Demand management"
    OTHER = "other", "Other"


class SavingsStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class BaselineMethod(models.TextChoices):
    """How realized savings are measured against later spend."""

    UNIT_PRICE = "unit_price", "Unit price"
    ANNUAL_SPEND = "annual_spend", "Annual spend"
