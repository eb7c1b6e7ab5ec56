"""Choice sets of evaluation and award."""

from __future__ import annotations

from django.db import models


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting the vendor's confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined by the vendor"
    LAPSED = "lapsed", "Lapsed unconfirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"
