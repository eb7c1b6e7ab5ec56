"""The tiering rules, table by table: points, thresholds, floors, and that more risk never
makes a vendor less critical."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.risk import tiering
from steward.risk.choices import DataHandled, Depth, RegulatoryExposure, Substitutability
from steward.risk.choices import SystemAccess as Access

D, A, S, R = DataHandled, Access, Substitutability, RegulatoryExposure

# (data, access, criticality, substitutability, spend, regulatory, points by hand, tier)
TABLE = [
    # Nothing at stake: no points, the lowest tier.
    (D.NONE, A.NONE, 1, S.EASY, None, R.NONE, 0, 4),
    # 1 + 1 + 1 + 1 + 1 (100k) + 0 = 5: tier 3.
    (D.INTERNAL, A.USER, 3, S.MODERATE, Decimal(100_000), R.NONE, 5, 3),
    # 1 + 1 + 2 + 2 + 2 (300k) + 1 = 9: tier 2.
    (D.INTERNAL, A.USER, 4, S.HARD, Decimal(300_000), R.SOME, 9, 2),
    # 1 + 3 + 3 + 3 + 3 (2M) + 2 = 15: tier 1.
    (D.INTERNAL, A.PRIVILEGED, 5, S.NONE, Decimal(2_000_000), R.HIGH, 15, 1),
    # Boundaries: 3 points is tier 3, 49,999.99 is still worth 0.
    (D.NONE, A.PRIVILEGED, 2, S.EASY, Decimal("49999.99"), R.NONE, 3, 3),
    (D.NONE, A.USER, 2, S.MODERATE, None, R.NONE, 2, 4),
    # 1 + 1 + 2 + 2 + 1 (exactly 50,000) + 0 = 7: tier 2.
    (D.INTERNAL, A.USER, 4, S.HARD, Decimal(50_000), R.NONE, 7, 2),
    # 6 points stays tier 3.
    (D.INTERNAL, A.USER, 4, S.HARD, None, R.NONE, 6, 3),
    # 1 + 3 + 2 + 2 + 2 (exactly 250,000) + 1 = 11: tier 1; one point less is tier 2.
    (D.INTERNAL, A.PRIVILEGED, 4, S.HARD, Decimal(250_000), R.SOME, 11, 1),
    (D.INTERNAL, A.PRIVILEGED, 4, S.HARD, Decimal(250_000), R.NONE, 10, 2),
    # Everything at its highest: 4 + 3 + 3 + 3 + 3 (exactly 1M) + 2 = 18.
    (D.SPECIAL, A.PRIVILEGED, 5, S.NONE, Decimal(1_000_000), R.HIGH, 18, 1),
    # Floors: confidential data is at least tier 2 (2 points alone would be tier 4) ...
    (D.CONFIDENTIAL, A.NONE, 1, S.EASY, None, R.NONE, 2, 2),
    # ... personal data too (3 points: tier 3 by points) ...
    (D.PERSONAL, A.NONE, 1, S.EASY, None, R.NONE, 3, 2),
    # ... special categories are tier 1 (4 points: tier 3 by points) ...
    (D.SPECIAL, A.NONE, 1, S.EASY, None, R.NONE, 4, 1),
    # ... and privileged access to personal or confidential data is tier 1 (6 and 5 points).
    (D.PERSONAL, A.PRIVILEGED, 1, S.EASY, None, R.NONE, 6, 1),
    (D.CONFIDENTIAL, A.PRIVILEGED, 1, S.EASY, None, R.NONE, 5, 1),
    # Privileged access to internal data has no floor: 1 + 3 = 4 points, tier 3.
    (D.INTERNAL, A.PRIVILEGED, 1, S.EASY, None, R.NONE, 4, 3),
]


@pytest.mark.parametrize("row", TABLE)
def test_points_and_tier_of_an_intake(row: tuple[object, ...]) -> None:
    data, access, criticality, substitutability, spend, regulatory, total, tier = row
    intake = tiering.Intake(data, access, criticality, substitutability, regulatory, spend)
    assert tiering.points(intake) == total
    assert tiering.tier_for(intake) == tier


@pytest.mark.parametrize(
    ("data", "access", "floor"),
    [
        (D.SPECIAL, A.NONE, 1),
        (D.PERSONAL, A.PRIVILEGED, 1),
        (D.CONFIDENTIAL, A.PRIVILEGED, 1),
        (D.PERSONAL, A.USER, 2),
        (D.CONFIDENTIAL, A.NONE, 2),
        (D.INTERNAL, A.PRIVILEGED, 4),
        (D.NONE, A.PRIVILEGED, 4),
    ],
)
def test_floors_follow_data_and_access_alone(data: str, access: str, floor: int) -> None:
    intake = tiering.Intake(data, access, 1, S.EASY, R.NONE)
    assert tiering.floor_tier(intake) == floor


@pytest.mark.parametrize(
    ("spend", "points"),
    [
        (None, 0),
        (Decimal(0), 0),
        (Decimal("49999.99"), 0),
        (Decimal(50_000), 1),
        (Decimal("249999.99"), 1),
        (Decimal(250_000), 2),
        (Decimal("999999.99"), 2),
        (Decimal(1_000_000), 3),
        (Decimal(50_000_000), 3),
    ],
)
def test_spend_bands(spend: Decimal | None, points: int) -> None:
    assert tiering.spend_points(spend) == points


def test_every_tier_has_a_policy_and_deeper_tiers_are_assessed_more_often() -> None:
    assert set(tiering.TIER_POLICY) == {1, 2, 3, 4}
    months = [tiering.TIER_POLICY[tier].reassess_months for tier in (1, 2, 3, 4)]
    assert months == sorted(months)
    assert tiering.TIER_POLICY[1].depth == Depth.FULL
    assert tiering.TIER_POLICY[4].depth == Depth.NONE


# Each input's values from least to most risky.
ORDERS: dict[str, list[object]] = {
    "data_handled": [D.NONE, D.INTERNAL, D.CONFIDENTIAL, D.PERSONAL, D.SPECIAL],
    "system_access": [A.NONE, A.USER, A.PRIVILEGED],
    "business_criticality": [1, 2, 3, 4, 5],
    "substitutability": [S.EASY, S.MODERATE, S.HARD, S.NONE],
    "regulatory_exposure": [R.NONE, R.SOME, R.HIGH],
    "annual_spend": [None, Decimal(10_000), Decimal(50_000), Decimal(400_000), Decimal(5_000_000)],
}


@st.composite
def intake_and_raise(draw: st.DrawFn) -> tuple[tiering.Intake, tiering.Intake]:
    positions = {name: draw(st.integers(0, len(values) - 1)) for name, values in ORDERS.items()}
    raised_input = draw(st.sampled_from(sorted(ORDERS)))
    higher = dict(positions)
    higher[raised_input] = draw(st.integers(positions[raised_input], len(ORDERS[raised_input]) - 1))

    def build(at: dict[str, int]) -> tiering.Intake:
        values = {name: ORDERS[name][index] for name, index in at.items()}
        return tiering.Intake(**values)

    return build(positions), build(higher)


@given(intake_and_raise())
def test_raising_any_input_never_makes_a_vendor_less_critical(
    pair: tuple[tiering.Intake, tiering.Intake],
) -> None:
    lower, higher = pair
    assert tiering.points(higher) >= tiering.points(lower)
    assert tiering.tier_for(higher) <= tiering.tier_for(lower)
