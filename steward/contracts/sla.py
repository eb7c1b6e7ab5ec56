"""Service-level arithmetic: turn a period's measurements into one value, judge it against the
target, and turn a miss into a service credit.

Pure functions over ``Decimal`` (no models, no database, no floats), so services, selectors, the
API and tests share one statement of the rules. No data is its own state: a period without
measurements has no value (``None``, never zero), is not breached and earns no credit.

Money is rounded once, at the end, to cents with ROUND_HALF_UP; measured values are never rounded,
because rounding a value could turn a miss into a hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
FULL_ATTAINMENT = Decimal("100.00")
NO_ATTAINMENT = Decimal("0.00")
# A missed target shows at most this, so that rounding never reports a miss as 100.00 %.
MISSED_ATTAINMENT_CEILING = Decimal("99.99")


class Direction(StrEnum):
    """Which side of the target is good."""

    AT_LEAST = "at_least"  # higher is better: availability of at least 99.9 %
    AT_MOST = "at_most"  # lower is better: a response within at most 4 hours


class Aggregation(StrEnum):
    """How a period's measurements become the one value judged against the target.

    The measurements come in chronological order (``LAST`` depends on it).
    """

    MEAN = "mean"  # samples of equal weight: weekly availability of equal weeks, survey scores
    MIN = "min"  # the worst sample of an at_least measure: "at least 99 % in every week"
    MAX = "max"  # the worst sample of an at_most measure: the slowest response of the period
    SUM = "sum"  # quantities that add up: incidents, minutes of outage, late deliveries
    LAST = "last"  # a running or point-in-time figure: a year-to-date total, backlog at period end


def _as_decimal(name: str, number: object) -> Decimal:
    """The number as a finite Decimal; floats are refused because they round money wrongly."""
    if isinstance(number, bool) or not isinstance(number, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(number).__name__}")
    result = Decimal(number)
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, not {number}")
    return result


def _as_percent(name: str, number: object) -> Decimal:
    percent = _as_decimal(name, number)
    if not ZERO <= percent <= HUNDRED:
        raise ValueError(f"{name} must be between 0 and 100, not {percent}")
    return percent


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(values: Sequence[Decimal], method: Aggregation | str) -> Decimal | None:
    """The period's value by ``method``, unrounded; ``None`` when there are no measurements."""
    how = Aggregation(method)
    numbers = [_as_decimal("each measured value", value) for value in values]
    if not numbers:
        return None
    if how is Aggregation.MEAN:
        return sum(numbers, ZERO) / len(numbers)
    if how is Aggregation.MIN:
        return min(numbers)
    if how is Aggregation.MAX:
        return max(numbers)
    if how is Aggregation.SUM:
        return sum(numbers, ZERO)
    return numbers[-1]


def met(value: Decimal, target: Decimal, direction: Direction | str) -> bool:
    """Whether the value meets the target; meeting it exactly counts as met."""
    measured = _as_decimal("value", value)
    goal = _as_decimal("target", target)
    if Direction(direction) is Direction.AT_LEAST:
        return measured >= goal
    return measured <= goal


def shortfall(value: Decimal, target: Decimal, direction: Direction | str) -> Decimal:
    """How far the value falls short of the target, in the metric's unit; 0 when met."""
    measured = _as_decimal("value", value)
    goal = _as_decimal("target", target)
    gap = goal - measured if Direction(direction) is Direction.AT_LEAST else measured - goal
    return max(gap, ZERO)


def attainment_percent(
    value: Decimal | None, target: Decimal, direction: Direction | str
) -> Decimal | None:
    """How much of the target the value attains, in percent with two decimals.

    A met target is exactly 100.00: attainment is capped, because a ratio beyond the target has no
    common meaning across directions (for at_most it grows without bound as the value nears 0).
    The cap also settles the cases without a ratio: an at_least target of 0 is met by any
    non-negative value, and an at_most value of 0 meets any non-negative target.

    A missed target is value / target (at_least) or target / value (at_most), kept within
    0.00 and 99.99 so that a miss never rounds to 100.00. Ratios are meaningful for non-negative
    metrics; a miss whose denominator is not positive (only possible with negative numbers)
    reports 0.00. ``None`` means no data and nothing else.
    """
    if value is None:
        _as_decimal("target", target)
        Direction(direction)
        return None
    if met(value, target, direction):
        return FULL_ATTAINMENT
    if Direction(direction) is Direction.AT_LEAST:
        numerator, denominator = Decimal(value), Decimal(target)
    else:
        numerator, denominator = Decimal(target), Decimal(value)
    if denominator <= 0:
        return NO_ATTAINMENT
    # Clamp before rounding: a huge ratio would not fit the context's precision.
    ratio = min(max(numerator / denominator * HUNDRED, ZERO), HUNDRED)
    return min(_cents(ratio), MISSED_ATTAINMENT_CEILING)


@dataclass(frozen=True)
class CreditTier:
    """From a shortfall of ``shortfall_from`` (in the metric's unit) on, credit ``credit_percent``
    percent of the period's fee."""

    shortfall_from: Decimal
    credit_percent: Decimal

    def __post_init__(self) -> None:
        threshold = _as_decimal("shortfall_from", self.shortfall_from)
        if threshold < 0:
            raise ValueError(f"shortfall_from must not be negative, not {threshold}")
        object.__setattr__(self, "shortfall_from", threshold)
        object.__setattr__(
            self, "credit_percent", _as_percent("credit_percent", self.credit_percent)
        )


@dataclass(frozen=True)
class CreditRule:
    """Service credits for a missed target.

    The highest tier the shortfall reaches applies on its own (tiers are not cumulative). A miss
    below the first tier's threshold earns nothing, unless the first tier starts at 0. The cap
    limits the credit to ``cap_percent`` of the (prorated) fee; ``None`` means no cap. A rule
    without tiers never owes a credit.
    """

    tiers: tuple[CreditTier, ...]
    cap_percent: Decimal | None

    def __post_init__(self) -> None:
        tiers = tuple(self.tiers)
        for tier in tiers:
            if not isinstance(tier, CreditTier):
                raise TypeError(f"each tier must be a CreditTier, not {type(tier).__name__}")
        for lower, higher in pairwise(tiers):
            if higher.shortfall_from <= lower.shortfall_from:
                raise ValueError(
                    "tier thresholds must increase strictly: shortfall_from "
                    f"{higher.shortfall_from} follows {lower.shortfall_from}"
                )
            if higher.credit_percent < lower.credit_percent:
                raise ValueError(
                    "tier credit percents must not decrease: credit_percent "
                    f"{higher.credit_percent} follows {lower.credit_percent}"
                )
        object.__setattr__(self, "tiers", tiers)
        if self.cap_percent is not None:
            object.__setattr__(self, "cap_percent", _as_percent("cap_percent", self.cap_percent))

    def percent_for(self, missed_by: Decimal) -> Decimal:
        """The percent of the fee owed for a shortfall, within the cap; 0 when nothing is missed."""
        gap = _as_decimal("shortfall", missed_by)
        if gap <= 0:
            return ZERO
        reached = [tier.credit_percent for tier in self.tiers if tier.shortfall_from <= gap]
        percent = reached[-1] if reached else ZERO
        if self.cap_percent is not None:
            percent = min(percent, self.cap_percent)
        return percent


def _prorated_fee_parts(
    period_fee: Decimal, service_days: int | None, period_days: int | None
) -> tuple[Decimal, int, int]:
    """The fee and the fraction of the period served, as (fee, served days, period days)."""
    fee = _as_decimal("period_fee", period_fee)
    if fee < 0:
        raise ValueError(f"period_fee must not be negative, not {fee}")
    if service_days is None and period_days is None:
        return fee, 1, 1
    if service_days is None or period_days is None:
        raise ValueError("service_days and period_days must be given together")
    if period_days <= 0:
        raise ValueError(f"period_days must be positive, not {period_days}")
    if not 0 <= service_days <= period_days:
        raise ValueError(
            f"service_days must be between 0 and period_days ({period_days}), not {service_days}"
        )
    return fee, service_days, period_days


def credit_for_period(
    *,
    value: Decimal | None,
    target: Decimal,
    direction: Direction | str,
    rule: CreditRule,
    period_fee: Decimal,
    service_days: int | None = None,
    period_days: int | None = None,
) -> Decimal:
    """The credit owed for one period, in money, rounded to cents.

    The tier's percent (within the cap) of the fee, prorated by service_days / period_days when
    the service ran for part of the period. 0.00 when the target is met or there is no data.
    """
    fee, served, days = _prorated_fee_parts(period_fee, service_days, period_days)
    if value is None:
        _as_decimal("target", target)
        Direction(direction)
        return _cents(ZERO)
    percent = rule.percent_for(shortfall(value, target, direction))
    # One division, so the only rounding is the final one to cents.
    return _cents(fee * percent * served / (HUNDRED * days))


@dataclass(frozen=True)
class PeriodResult:
    """One period judged: ``value``, ``attainment`` and ``shortfall`` are None without data."""

    value: Decimal | None
    attainment: Decimal | None
    breached: bool
    shortfall: Decimal | None
    credit: Decimal
    no_data: bool


def evaluate_period(
    values: Sequence[Decimal],
    *,
    method: Aggregation | str,
    target: Decimal,
    direction: Direction | str,
    rule: CreditRule,
    period_fee: Decimal,
    service_days: int | None = None,
    period_days: int | None = None,
) -> PeriodResult:
    """Aggregate a period's measurements, judge them against the target and price the miss."""
    value = aggregate(values, method)
    credit = credit_for_period(
        value=value,
        target=target,
        direction=direction,
        rule=rule,
        period_fee=period_fee,
        service_days=service_days,
        period_days=period_days,
    )
    if value is None:
        return PeriodResult(
            value=None, attainment=None, breached=False, shortfall=None, credit=credit, no_data=True
        )
    return PeriodResult(
        value=value,
        attainment=attainment_percent(value, target, direction),
        breached=not met(value, target, direction),
        shortfall=shortfall(value, target, direction),
        credit=credit,
        no_data=False,
    )
