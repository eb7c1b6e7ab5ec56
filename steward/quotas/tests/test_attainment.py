"""The arithmetic of attainment, credits, profitability and retention: hand-computed examples and
hypothesis properties (no database)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.quotas.attainment import (
    Credit,
    Profitability,
    attainment,
    credited,
    elapsed_days,
    period_days,
    prorated_target,
    retention,
)

D = Decimal
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))  # 31 + 28 + 31 = 90 days


def test_a_quarter_half_past() -> None:
    # Given Q1 2026 (90 days) with a target of 90,000 and 40,000 booked by 14 February
    figures = attainment(
        target=D(90000),
        achieved=D(40000),
        starts_on=Q1[0],
        ends_on=Q1[1],
        today=dt.date(2026, 2, 14),
    )
    # Then 45 of 90 days are gone: the prorated target is 45,000 and the person is behind
    assert period_days(*Q1) == 90
    assert elapsed_days(*Q1, dt.date(2026, 2, 14)) == 45
    assert figures.prorated == D(45000)
    assert round(figures.percent, 2) == D("44.44")
    assert round(figures.pace_percent, 2) == D("88.89")
    assert not figures.on_pace
    assert figures.gap == D(50000)


def test_a_quota_starting_mid_quarter() -> None:
    # Given a quota from 15 February to 31 March (14 + 31 = 45 days), target 45,000
    start, end = dt.date(2026, 2, 15), dt.date(2026, 3, 31)
    # When 15,000 is booked by 1 March (15 days: 15-28 February and 1 March)
    figures = attainment(
        target=D(45000), achieved=D(15000), starts_on=start, ends_on=end, today=dt.date(2026, 3, 1)
    )
    # Then the prorated target is 45,000 x 15 / 45 = 15,000: exactly on pace
    assert figures.prorated == D(15000)
    assert figures.on_pace


def test_before_the_start_nothing_is_due_and_after_the_end_everything() -> None:
    assert prorated_target(D(900), *Q1, dt.date(2025, 12, 31)) == 0
    assert prorated_target(D(900), *Q1, dt.date(2026, 1, 1)) == D(10)
    assert prorated_target(D(900), *Q1, dt.date(2026, 6, 30)) == D(900)


def test_a_zero_target_has_no_percentage() -> None:
    figures = attainment(target=D(0), achieved=D(5), starts_on=Q1[0], ends_on=Q1[1], today=Q1[1])
    assert figures.percent is None
    assert figures.on_pace


def test_a_split_credit() -> None:
    # Given a won deal of 10,000 costing 6,000, credited 60 % to the owner and 40 % to a specialist
    shares = credited(
        owner_id=1, shares=[Credit(1, D(60)), Credit(2, D(40))], amount=D(10000), cost=D(6000)
    )
    # Then the owner books 6,000 with 2,400 gross profit, the specialist 4,000 with 1,600
    assert shares == {1: (D(6000), D(2400)), 2: (D(4000), D(1600))}


def test_without_credit_rows_the_owner_gets_it_all() -> None:
    assert credited(owner_id=7, shares=[], amount=D(10000), cost=D(6000)) == {
        7: (D(10000), D(4000))
    }


def test_profitability() -> None:
    # Revenue 1,750, cost of goods 950, cost to serve 112.50, expected margin 35 %
    p = Profitability(
        revenue=D(1750),
        cost_of_goods=D(950),
        cost_to_serve=D("112.5"),
        expected_margin_percent=D(35),
    )
    assert p.gross_margin == D(800)
    assert p.net_margin == D("687.5")
    assert round(p.gross_margin_percent, 2) == D("45.71")
    assert round(p.net_margin_percent, 2) == D("39.29")
    assert p.meets_expectation is True
    assert Profitability(D(0), D(0), D(0), D(35)).meets_expectation is None
    assert Profitability(D(100), D(80), D(0), None).meets_expectation is None


def test_retention_with_a_churned_an_expanding_and_a_new_account() -> None:
    # X contracts 3,000 -> 2,400; Y expands 2,000 -> 3,000; Z churns 1,000 -> 0; W is new (5,000)
    base = {1: D(3000), 2: D(2000), 3: D(1000)}
    current = {1: D(2400), 2: D(3000), 4: D(5000)}
    kept = retention(base, current)
    # NRR = (2,400 + 3,000 + 0) / 6,000 = 90 %; GRR = (2,400 + 2,000 + 0) / 6,000 = 73.33 %
    assert kept.nrr == D(90)
    assert round(kept.grr, 2) == D("73.33")
    assert (kept.accounts, kept.churned) == (3, 1)


def test_retention_without_a_base_has_no_ratio() -> None:
    kept = retention({}, {1: D(100)})
    assert kept.nrr is None
    assert kept.grr is None


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(target=money, start=days, length=st.integers(0, 400), offset=st.integers(-50, 500))
def test_the_prorated_target_grows_from_zero_to_the_target(
    target: Decimal, start: dt.date, length: int, offset: int
) -> None:
    end = start + dt.timedelta(days=length)
    today = start + dt.timedelta(days=offset)
    due = prorated_target(target, start, end, today)
    assert 0 <= due <= target
    assert prorated_target(target, start, end, end) == target
    later = prorated_target(target, start, end, today + dt.timedelta(days=1))
    assert later >= due


def _split(cuts: list[int]) -> list[int]:
    """Percentages that add up to 100, cut at ``cuts``."""
    points = [0, *sorted(cuts), 100]
    return [b - a for a, b in itertools.pairwise(points)]


@given(
    amount=money,
    cost=money,
    percents=st.lists(st.integers(1, 99), unique=True, max_size=3).map(_split),
)
def test_credits_that_add_to_100_percent_share_out_the_whole_deal(
    amount: Decimal, cost: Decimal, percents: list[int]
) -> None:
    shares = credited(
        owner_id=0,
        shares=[Credit(i + 1, D(p)) for i, p in enumerate(percents)],
        amount=amount,
        cost=cost,
    )
    assert sum(b for b, _ in shares.values()) == amount
    assert sum(p for _, p in shares.values()) == amount - cost


@given(
    base=st.dictionaries(st.integers(1, 20), money, max_size=10),
    current=st.dictionaries(st.integers(1, 20), money, max_size=10),
)
def test_gross_retention_never_exceeds_net_nor_100_percent(
    base: dict[int, Decimal], current: dict[int, Decimal]
) -> None:
    kept = retention(base, current)
    if kept.grr is None:
        assert kept.nrr is None
        return
    assert 0 <= kept.grr <= 100
    assert kept.grr <= kept.nrr  # type: ignore[operator]
