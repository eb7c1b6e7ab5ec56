"""The register's arithmetic by hand: scores, the rating bands, the vendor risk score."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.risk import scoring

LEVEL = st.integers(1, 5)


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "rating"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (4, 4, 16, "high"),
        (4, 5, 20, "critical"),
        (5, 5, 25, "critical"),
    ],
)
def test_score_and_rating(likelihood: int, impact: int, score: int, rating: str) -> None:
    assert scoring.score(likelihood, impact) == score
    assert scoring.rating(score) == rating


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6), (-1, 1)])
def test_levels_outside_one_to_five_are_refused(likelihood: int, impact: int) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        scoring.score(likelihood, impact)


def test_the_bands_cover_every_score_once() -> None:
    for value in range(1, scoring.MAX_SCORE + 1):
        matching = [band for low, high, band in scoring.RATING_BANDS if low <= value <= high]
        assert len(matching) == 1, value


@given(LEVEL, LEVEL, LEVEL, LEVEL)
def test_a_higher_score_never_has_a_lower_band(a: int, b: int, c: int, d: int) -> None:
    order = ["low", "medium", "high", "critical"]
    low, high = sorted((scoring.score(a, b), scoring.score(c, d)))
    assert order.index(scoring.rating(low)) <= order.index(scoring.rating(high))


@pytest.mark.parametrize(
    ("worst", "severities", "factors", "expected"),
    [
        (None, [], 0, 0),
        # A 4 x 5 risk: 20 / 25 x 100 = 80.
        (20, [], 0, 80),
        # A 2 x 3 risk (24) and a high and a low finding (10 + 2): 36.
        (6, ["high", "low"], 0, 36),
        # Findings alone, capped at 40: 20 + 20 + 10 = 50 -> 40.
        (None, ["critical", "critical", "high"], 0, 40),
        # 3 x 3 (36) + medium (5) + an expired certificate (15) = 56.
        (9, ["medium"], 15, 56),
        # Capped at 100: 80 + 40 + 15.
        (20, ["critical", "critical"], 15, 100),
    ],
)
def test_vendor_score_by_hand(
    worst: int | None, severities: list[str], factors: int, expected: int
) -> None:
    assert scoring.vendor_score(worst, scoring.findings_points(severities), factors) == expected
