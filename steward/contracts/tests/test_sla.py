"""Service-level arithmetic: hand-computed tables, edges, validation and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.contracts.sla import (
    Aggregation,
    CreditRule,
    CreditTier,
    Direction,
    PeriodResult,
    aggregate,
    attainment_percent,
    credit_for_period,
    evaluate_period,
    met,
    shortfall,
)

D = Decimal

# Availability of at least 99.9 %: 5 % of the fee for any miss, 10 % from half a point short,
# 25 % from a full point short, never more than 20 % of the fee.
AVAILABILITY_TARGET = D("99.9")
AVAILABILITY_RULE = CreditRule(
    tiers=(
        CreditTier(shortfall_from=D("0.0"), credit_percent=D(5)),
        CreditTier(shortfall_from=D("0.5"), credit_percent=D(10)),
        CreditTier(shortfall_from=D("1.0"), credit_percent=D(25)),
    ),
    cap_percent=D(20),
)
MONTHLY_FEE = D("10000.00")

# Response within at most 4 hours: 5 % from an hour late, 10 % from two hours late, no cap.
RESPONSE_TARGET = D(4)
RESPONSE_RULE = CreditRule(
    tiers=(
        CreditTier(shortfall_from=D(1), credit_percent=D(5)),
        CreditTier(shortfall_from=D(2), credit_percent=D(10)),
    ),
    cap_percent=None,
)
RESPONSE_FEE = D("2000.00")


def availability_credit(
    value: Decimal | None, service_days: int | None = None, period_days: int | None = None
) -> Decimal:
    return credit_for_period(
        value=value,
        target=AVAILABILITY_TARGET,
        direction=Direction.AT_LEAST,
        rule=AVAILABILITY_RULE,
        period_fee=MONTHLY_FEE,
        service_days=service_days,
        period_days=period_days,
    )


@pytest.mark.parametrize(
    ("value", "expected_met", "expected_shortfall", "expected_credit"),
    [
        # 99.95 is above 99.9: met, nothing owed.
        (D("99.95"), True, D(0), D("0.00")),
        # Exactly 99.9 meets the target.
        (D("99.9"), True, D(0), D("0.00")),
        # Short by 0.2, which reaches only the tier from 0: 5 % of 10,000.00 is 500.00.
        (D("99.7"), False, D("0.2"), D("500.00")),
        # Short by exactly 0.5, the second threshold: 10 % of 10,000.00 is 1,000.00.
        (D("99.4"), False, D("0.5"), D("1000.00")),
        # Short by 0.6, still the second tier: 1,000.00.
        (D("99.3"), False, D("0.6"), D("1000.00")),
        # Short by exactly 1.0 reaches 25 %, which the cap cuts to 20 %: 2,000.00.
        (D("98.9"), False, D("1.0"), D("2000.00")),
        # Short by 1.9: 25 % capped at 20 % again, 2,000.00.
        (D("98.0"), False, D("1.9"), D("2000.00")),
        # A month-long outage is still capped at 20 %.
        (D(0), False, D("99.9"), D("2000.00")),
    ],
)
def test_availability_credits_follow_the_highest_tier_within_the_cap(
    value: Decimal, expected_met: bool, expected_shortfall: Decimal, expected_credit: Decimal
) -> None:
    # given the availability rule and a monthly fee of 10,000.00
    # when a month is measured at the value
    # then the target is met or not, by the shortfall, for the credit worked out by hand
    assert met(value, AVAILABILITY_TARGET, Direction.AT_LEAST) is expected_met
    assert shortfall(value, AVAILABILITY_TARGET, Direction.AT_LEAST) == expected_shortfall
    assert availability_credit(value) == expected_credit


@pytest.mark.parametrize(
    ("value", "service_days", "period_days", "expected_credit"),
    [
        # 10 % of 10,000.00 for 10 of 30 days is 1,000.00 times a third, 333.33.
        (D("99.3"), 10, 30, D("333.33")),
        # 20 % (capped) of a third of 10,000.00 is 666.666..., rounded half up to 666.67.
        (D("98.0"), 10, 30, D("666.67")),
        # A full month prorates to the whole fee: 1,000.00.
        (D("99.3"), 30, 30, D("1000.00")),
        # No day of service: nothing to credit.
        (D("99.3"), 0, 30, D("0.00")),
        # Met in a partial month: nothing owed.
        (D("99.95"), 10, 30, D("0.00")),
    ],
)
def test_a_partial_period_prorates_the_fee_before_the_percent_and_the_cap(
    value: Decimal, service_days: int, period_days: int, expected_credit: Decimal
) -> None:
    assert availability_credit(value, service_days, period_days) == expected_credit


def test_a_late_response_is_short_by_the_hours_beyond_the_target() -> None:
    # given a response target of at most 4 hours
    # when the response took 6 hours
    # then it is missed by 2 hours, which reaches the 10 % tier: 10 % of 2,000.00 is 200.00
    assert met(D(6), RESPONSE_TARGET, Direction.AT_MOST) is False
    assert shortfall(D(6), RESPONSE_TARGET, Direction.AT_MOST) == D(2)
    assert credit_for_period(
        value=D(6),
        target=RESPONSE_TARGET,
        direction=Direction.AT_MOST,
        rule=RESPONSE_RULE,
        period_fee=RESPONSE_FEE,
    ) == D("200.00")


def test_a_miss_below_the_first_threshold_earns_no_credit() -> None:
    # given tiers that start at one hour late
    # when the response took 4.5 hours, half an hour late
    # then the target is missed but no tier is reached, so nothing is owed
    assert met(D("4.5"), RESPONSE_TARGET, Direction.AT_MOST) is False
    assert credit_for_period(
        value=D("4.5"),
        target=RESPONSE_TARGET,
        direction="at_most",
        rule=RESPONSE_RULE,
        period_fee=RESPONSE_FEE,
    ) == D("0.00")


@pytest.mark.parametrize(
    ("value", "direction"),
    [(D(4), Direction.AT_MOST), (D("99.9"), Direction.AT_LEAST)],
)
def test_meeting_the_target_exactly_counts_as_met(value: Decimal, direction: Direction) -> None:
    target = value
    assert met(value, target, direction) is True
    assert shortfall(value, target, direction) == 0
    assert attainment_percent(value, target, direction) == D("100.00")


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        # 99.7 of 99.9 is 99.7997..., rounded half up to 99.80.
        (D("99.7"), D("99.9"), Direction.AT_LEAST, D("99.80")),
        # Above the target attainment stays at 100.00: it is capped.
        (D("99.95"), D("99.9"), Direction.AT_LEAST, D("100.00")),
        # 4 hours of target over 6 measured is 66.666..., rounded to 66.67.
        (D(6), D(4), Direction.AT_MOST, D("66.67")),
        # Faster than the target is capped at 100.00 too.
        (D(1), D(4), Direction.AT_MOST, D("100.00")),
        # A response in no time meets the target perfectly, without dividing by zero.
        (D(0), D(4), Direction.AT_MOST, D("100.00")),
        # An at_least target of 0 is met by any non-negative value.
        (D(0), D(0), Direction.AT_LEAST, D("100.00")),
        (D(5), D(0), Direction.AT_LEAST, D("100.00")),
        # An at_most target of 0 missed by 2: 0 over 2 is 0.00.
        (D(2), D(0), Direction.AT_MOST, D("0.00")),
        # 99.8999 of 99.9 is 99.9998..., which would round to 100.00; a miss shows 99.99.
        (D("99.8999"), D("99.9"), Direction.AT_LEAST, D("99.99")),
        # Negative values give no meaningful ratio; a miss then reports 0.00.
        (D(-3), D(0), Direction.AT_LEAST, D("0.00")),
        (D(-1), D(-2), Direction.AT_MOST, D("0.00")),
    ],
)
def test_attainment_is_a_ratio_to_the_target_capped_at_100(
    value: Decimal, target: Decimal, direction: Direction, expected: Decimal
) -> None:
    assert attainment_percent(value, target, direction) == expected


def test_attainment_without_data_is_none() -> None:
    assert attainment_percent(None, D("99.9"), Direction.AT_LEAST) is None


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # 99.5 and 100 and 99.9 add up to 299.4; over three samples that is 99.8.
        (Aggregation.MEAN, D("99.8")),
        (Aggregation.MIN, D("99.5")),
        (Aggregation.MAX, D(100)),
        (Aggregation.SUM, D("299.4")),
        # The samples are in time order, so the last one is 99.9.
        (Aggregation.LAST, D("99.9")),
    ],
)
def test_aggregation_methods(method: Aggregation, expected: Decimal) -> None:
    assert aggregate([D("99.5"), D(100), D("99.9")], method) == expected


def test_a_mean_that_does_not_terminate_is_kept_unrounded() -> None:
    # 1 and 2 and 2 make 5, over three samples 1.666...; the value itself is never rounded.
    mean = aggregate([D(1), D(2), D(2)], "mean")
    assert mean is not None
    assert mean.quantize(D("0.0001")) == D("1.6667")


@pytest.mark.parametrize("method", list(Aggregation))
def test_no_measurements_aggregate_to_no_data_not_zero(method: Aggregation) -> None:
    assert aggregate([], method) is None


def test_a_period_with_a_miss_is_breached_and_priced() -> None:
    # given weekly availability of 99.5, 99.2 and 99.2, averaged
    result = evaluate_period(
        [D("99.5"), D("99.2"), D("99.2")],
        method=Aggregation.MEAN,
        target=AVAILABILITY_TARGET,
        direction=Direction.AT_LEAST,
        rule=AVAILABILITY_RULE,
        period_fee=MONTHLY_FEE,
    )
    # then the mean is 297.9 over 3, i.e. 99.3, short by 0.6 for 10 % of 10,000.00, and
    # attains 99.3 of 99.9, 99.3993..., rounded to 99.40
    assert result == PeriodResult(
        value=D("99.3"),
        attainment=D("99.40"),
        breached=True,
        shortfall=D("0.6"),
        credit=D("1000.00"),
        no_data=False,
    )


def test_the_slowest_response_decides_a_max_period() -> None:
    # given responses of 2, 6 and 3 hours judged by the slowest
    result = evaluate_period(
        [D(2), D(6), D(3)],
        method="max",
        target=RESPONSE_TARGET,
        direction="at_most",
        rule=RESPONSE_RULE,
        period_fee=RESPONSE_FEE,
    )
    # then 6 hours is 2 over the target: the 10 % tier, 200.00; attainment 4 over 6, 66.67
    assert result.value == D(6)
    assert result.shortfall == D(2)
    assert result.breached is True
    assert result.attainment == D("66.67")
    assert result.credit == D("200.00")


def test_a_met_period_is_not_breached_and_owes_nothing() -> None:
    result = evaluate_period(
        [D("99.95")],
        method=Aggregation.LAST,
        target=AVAILABILITY_TARGET,
        direction=Direction.AT_LEAST,
        rule=AVAILABILITY_RULE,
        period_fee=MONTHLY_FEE,
    )
    assert result.breached is False
    assert result.credit == D("0.00")
    assert result.attainment == D("100.00")
    assert result.no_data is False


def test_a_period_without_data_is_neither_breached_nor_credited() -> None:
    # given no measurements in a partial month
    result = evaluate_period(
        [],
        method=Aggregation.MIN,
        target=AVAILABILITY_TARGET,
        direction=Direction.AT_LEAST,
        rule=AVAILABILITY_RULE,
        period_fee=MONTHLY_FEE,
        service_days=10,
        period_days=30,
    )
    # then no data is its own state: no value, no breach, no credit
    assert result == PeriodResult(
        value=None, attainment=None, breached=False, shortfall=None, credit=D("0.00"), no_data=True
    )
    assert availability_credit(None) == D("0.00")


@pytest.mark.parametrize(
    ("tiers", "cap", "message"),
    [
        ((CreditTier(D(1), D(5)), CreditTier(D("0.5"), D(10))), None, "increase strictly"),
        ((CreditTier(D(1), D(5)), CreditTier(D(1), D(10))), None, "increase strictly"),
        ((CreditTier(D(0), D(10)), CreditTier(D(1), D(5))), None, "must not decrease"),
        ((CreditTier(D(0), D(5)),), D(101), "cap_percent must be between 0 and 100"),
        ((CreditTier(D(0), D(5)),), D(-1), "cap_percent must be between 0 and 100"),
    ],
)
def test_invalid_credit_rules_are_refused(
    tiers: tuple[CreditTier, ...], cap: Decimal | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CreditRule(tiers=tiers, cap_percent=cap)


@pytest.mark.parametrize(
    ("shortfall_from", "credit_percent", "message"),
    [
        (D(-1), D(5), "shortfall_from must not be negative"),
        (D(0), D(120), "credit_percent must be between 0 and 100"),
        (D(0), D(-5), "credit_percent must be between 0 and 100"),
        (D("NaN"), D(5), "shortfall_from must be a finite number"),
    ],
)
def test_invalid_credit_tiers_are_refused(
    shortfall_from: Decimal, credit_percent: Decimal, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CreditTier(shortfall_from=shortfall_from, credit_percent=credit_percent)


def test_a_rule_without_tiers_never_credits() -> None:
    rule = CreditRule(tiers=(), cap_percent=None)
    assert rule.percent_for(D(50)) == 0


@pytest.mark.parametrize(
    ("service_days", "period_days", "message"),
    [
        (31, 30, "service_days must be between 0 and period_days"),
        (-1, 30, "service_days must be between 0 and period_days"),
        (0, 0, "period_days must be positive"),
        (10, None, "must be given together"),
        (None, 30, "must be given together"),
    ],
)
def test_invalid_proration_is_refused(
    service_days: int | None, period_days: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        availability_credit(D("99.3"), service_days, period_days)


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="period_fee must not be negative"):
        credit_for_period(
            value=D(99),
            target=AVAILABILITY_TARGET,
            direction=Direction.AT_LEAST,
            rule=AVAILABILITY_RULE,
            period_fee=D(-1),
        )
    with pytest.raises(ValueError, match="sideways"):
        met(D(1), D(1), "sideways")
    with pytest.raises(ValueError, match="median"):
        aggregate([D(1)], "median")
    with pytest.raises(ValueError, match="finite"):
        aggregate([D("Infinity")], Aggregation.SUM)
    with pytest.raises(TypeError, match="not float"):
        met(0.5, D(1), Direction.AT_LEAST)


# Properties: random valid rules, values and fees within a realistic range.
amounts = st.decimals(min_value=0, max_value=1000, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)
directions = st.sampled_from(list(Direction))


@st.composite
def credit_rules(draw: st.DrawFn) -> CreditRule:
    thresholds = sorted(draw(st.sets(amounts, max_size=4)))
    size = len(thresholds)
    tier_percents = sorted(draw(st.lists(percents, min_size=size, max_size=size)))
    tiers = tuple(CreditTier(t, p) for t, p in zip(thresholds, tier_percents, strict=True))
    return CreditRule(tiers=tiers, cap_percent=draw(st.none() | percents))


@st.composite
def proration(draw: st.DrawFn) -> tuple[int | None, int | None]:
    period_days = draw(st.none() | st.integers(min_value=1, max_value=366))
    if period_days is None:
        return None, None
    return draw(st.integers(min_value=0, max_value=period_days)), period_days


@given(
    value=amounts,
    target=amounts,
    direction=directions,
    rule=credit_rules(),
    fee=st.decimals(min_value=0, max_value=10_000_000, places=2),
    days=proration(),
)
def test_credit_is_never_negative_nor_above_the_cap(
    *,
    value: Decimal,
    target: Decimal,
    direction: Direction,
    rule: CreditRule,
    fee: Decimal,
    days: tuple[int | None, int | None],
) -> None:
    service_days, period_days = days
    credit = credit_for_period(
        value=value,
        target=target,
        direction=direction,
        rule=rule,
        period_fee=fee,
        service_days=service_days,
        period_days=period_days,
    )
    billable = fee if period_days is None else fee * (service_days or 0) / period_days
    cap = rule.cap_percent if rule.cap_percent is not None else D(100)
    # Rounding to cents may add at most half a cent.
    assert D(0) <= credit <= billable * cap / 100 + D("0.005")
    if met(value, target, direction):
        assert credit == 0


@given(
    first=amounts,
    second=amounts,
    target=amounts,
    direction=directions,
    rule=credit_rules(),
    fee=amounts,
)
def test_credit_does_not_fall_as_the_shortfall_grows(
    *,
    first: Decimal,
    second: Decimal,
    target: Decimal,
    direction: Direction,
    rule: CreditRule,
    fee: Decimal,
) -> None:
    smaller, larger = sorted((first, second), key=lambda value: shortfall(value, target, direction))

    def credit(value: Decimal) -> Decimal:
        return credit_for_period(
            value=value, target=target, direction=direction, rule=rule, period_fee=fee
        )

    assert credit(smaller) <= credit(larger)


@given(
    value=st.decimals(min_value=D("0.01"), max_value=1000, places=4),
    target=st.decimals(min_value=D("0.01"), max_value=1000, places=4),
    direction=directions,
)
def test_attainment_reaches_100_exactly_when_met(
    value: Decimal, target: Decimal, direction: Direction
) -> None:
    attainment = attainment_percent(value, target, direction)
    assert attainment is not None
    assert D(0) <= attainment <= D(100)
    assert (attainment >= 100) is met(value, target, direction)


@given(value=amounts, target=amounts, direction=directions)
def test_breached_exactly_when_short(value: Decimal, target: Decimal, direction: Direction) -> None:
    assert (shortfall(value, target, direction) > 0) is not met(value, target, direction)
