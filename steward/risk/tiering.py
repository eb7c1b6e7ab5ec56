"""Inherent-risk tiering: a short intake gives a vendor a tier from 1 (most critical) to 4, and
the tier sets how deep due diligence goes and how often the vendor is reassessed.

The rules are a points table with floors, so a reader can redo any tier by hand:

- points: data handled (none 0, internal 1, confidential 2, personal 3, special categories 4);
  system access (none 0, user accounts 1, privileged 3); business criticality (1 or 2 → 0, 3 → 1,
  4 → 2, 5 → 3); substitutability (easy 0, moderate 1, hard 2, none 3); annual spend (unknown or
  under 50,000 → 0, under 250,000 → 1, under 1,000,000 → 2, more → 3); regulatory exposure
  (none 0, some 1, high 2). At most 18.
- tier by points: 11 or more → 1, 7 or more → 2, 3 or more → 3, else 4.
- floors, which only ever raise the tier: special-category data, or privileged access to
  personal or confidential data, is tier 1; personal or confidential data is at least tier 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from steward.risk.choices import DataHandled, Depth, RegulatoryExposure, Substitutability
from steward.risk.choices import SystemAccess as Access

DATA_POINTS = {
    DataHandled.NONE: 0,
    DataHandled.INTERNAL: 1,
    DataHandled.CONFIDENTIAL: 2,
    DataHandled.PERSONAL: 3,
    DataHandled.SPECIAL: 4,
}
ACCESS_POINTS = {Access.NONE: 0, Access.USER: 1, Access.PRIVILEGED: 3}
CRITICALITY_POINTS = {1: 0, 2: 0, 3: 1, 4: 2, 5: 3}
SUBSTITUTABILITY_POINTS = {
    Substitutability.EASY: 0,
    Substitutability.MODERATE: 1,
    Substitutability.HARD: 2,
    Substitutability.NONE: 3,
}
REGULATORY_POINTS = {
    RegulatoryExposure.NONE: 0,
    RegulatoryExposure.SOME: 1,
    RegulatoryExposure.HIGH: 2,
}
# Upper bounds (exclusive) of the spend bands worth 0, 1 and 2 points; more is worth 3.
SPEND_BANDS = (Decimal(50_000), Decimal(250_000), Decimal(1_000_000))
TIER_THRESHOLDS = ((11, 1), (7, 2), (3, 3))
LOWEST_TIER = 4


@dataclass(frozen=True)
class TierPolicy:
    depth: str
    reassess_months: int


# What each tier asks for: the questionnaire's depth and the months between assessments.
TIER_POLICY: dict[int, TierPolicy] = {
    1: TierPolicy(Depth.FULL, 12),
    2: TierPolicy(Depth.STANDARD, 18),
    3: TierPolicy(Depth.LIGHT, 24),
    4: TierPolicy(Depth.NONE, 36),
}


@dataclass(frozen=True)
class Intake:
    data_handled: str
    system_access: str
    business_criticality: int
    substitutability: str
    regulatory_exposure: str
    annual_spend: Decimal | None = None


def spend_points(annual_spend: Decimal | None) -> int:
    if annual_spend is None:
        return 0
    return sum(1 for bound in SPEND_BANDS if annual_spend >= bound)


def points(intake: Intake) -> int:
    return (
        DATA_POINTS[DataHandled(intake.data_handled)]
        + ACCESS_POINTS[Access(intake.system_access)]
        + CRITICALITY_POINTS[intake.business_criticality]
        + SUBSTITUTABILITY_POINTS[Substitutability(intake.substitutability)]
        + spend_points(intake.annual_spend)
        + REGULATORY_POINTS[RegulatoryExposure(intake.regulatory_exposure)]
    )


def floor_tier(intake: Intake) -> int:
    """The least critical tier the data and access alone allow."""
    sensitive = intake.data_handled in (DataHandled.PERSONAL, DataHandled.CONFIDENTIAL)
    if intake.data_handled == DataHandled.SPECIAL:
        return 1
    if sensitive and intake.system_access == Access.PRIVILEGED:
        return 1
    if sensitive:
        return 2
    return LOWEST_TIER


def tier_for(intake: Intake) -> int:
    total = points(intake)
    by_points = next(
        (tier for threshold, tier in TIER_THRESHOLDS if total >= threshold), LOWEST_TIER
    )
    return min(by_points, floor_tier(intake))
