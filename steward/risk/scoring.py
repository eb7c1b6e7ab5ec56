"""The risk register's arithmetic: a score is likelihood x impact (1 to 25) and falls in one
rating band; a vendor's risk score (0 to 100) adds its worst open risk, its open findings and
what other apps report (an expired certificate).

The vendor score, so a reader can redo it by hand:

- the worst open residual risk of the vendor's relationship: score ÷ 25 x 100 (a 4 x 5 risk
  gives 80);
- open findings: critical 20, high 10, medium 5, low 2 points each, at most 40 in all;
- the risk factors other apps register (see ``panels.register_risk_factor``);
- capped at 100.
"""

from __future__ import annotations

from collections.abc import Iterable

from steward.risk.choices import FindingSeverity, RiskRating

LEVELS = range(1, 6)
MAX_SCORE = 25

# (lowest score, highest score, rating): the bands cover 1..25 with no gap (there is no
# product of two levels between 17 and 19).
RATING_BANDS: tuple[tuple[int, int, str], ...] = (
    (1, 4, RiskRating.LOW),
    (5, 9, RiskRating.MEDIUM),
    (10, 16, RiskRating.HIGH),
    (17, 25, RiskRating.CRITICAL),
)

FINDING_POINTS: dict[str, int] = {
    FindingSeverity.CRITICAL: 20,
    FindingSeverity.HIGH: 10,
    FindingSeverity.MEDIUM: 5,
    FindingSeverity.LOW: 2,
}
FINDING_POINTS_CAP = 40
VENDOR_SCORE_CAP = 100


def score(likelihood: int, impact: int) -> int:
    if likelihood not in LEVELS or impact not in LEVELS:
        raise ValueError("likelihood and impact run from 1 to 5")
    return likelihood * impact


def rating(risk_score: int) -> str:
    for low, high, band in RATING_BANDS:
        if low <= risk_score <= high:
            return band
    raise ValueError(f"a risk score runs from 1 to {MAX_SCORE}, not {risk_score}")


def register_points(worst_residual: int | None) -> int:
    """Points of the worst open residual risk: score ÷ 25 x 100 (exact: 25 divides 100)."""
    return 0 if worst_residual is None else worst_residual * 100 // MAX_SCORE


def findings_points(severities: Iterable[str]) -> int:
    return min(FINDING_POINTS_CAP, sum(FINDING_POINTS[severity] for severity in severities))


def vendor_score(worst_residual: int | None, finding_points: int, factor_points: int) -> int:
    total = register_points(worst_residual) + min(finding_points, FINDING_POINTS_CAP)
    return min(VENDOR_SCORE_CAP, total + max(0, factor_points))
