from django.db import models


class Segment(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise"
    UPPER_MID_MARKET = "upper_mid_market", "Upper mid-market"
    MID_MARKET = "mid_market", "Mid-market"
    PUBLIC_SECTOR = "public_sector", "Public sector"
    PARTNER = "partner", "Channel partner"


class Holder(models.TextChoices):
    """Who supplies a whitespace cell today."""

    US = "us", "Us"
    COMPETITOR = "competitor", "A competitor"
    IN_HOUSE = "in_house", "Done in-house"
    UNKNOWN = "unknown", "Unknown"
    NOT_A_FIT = "not_a_fit", "Not a fit"


# Cells we could win: eligible and not ours.
OPEN_HOLDERS = frozenset({Holder.COMPETITOR, Holder.IN_HOUSE, Holder.UNKNOWN})
