"""The arithmetic of evaluation against hand-computed examples, and its properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.awards import evaluation as ev
from steward.awards.evaluation import Bidder, Feature, LowRule, Offer, Terms
from steward.core.errors import DomainError

D = Decimal
T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def offer(bidder: str, price: str, *, line: str = "L1", minutes: int = 0, **kw: str) -> Offer:
    """An offer of ``price`` per unit, one unit, in the event's currency."""
    return Offer(
        bidder=bidder,
        line=line,
        unit_price=D(price),
        price_per=D(1),
        quantity=D(1),
        rate=D(1),
        submitted_at=T0 + dt.timedelta(minutes=minutes),
        **{k: D(v) for k, v in kw.items()},
    )


# --- normalization -------------------------------------------------------------------------------


def test_a_foreign_currency_price_per_100_is_normalized_to_the_events_currency_per_unit() -> None:
    # given 250.00 USD per 100 units, one USD worth 0.90 EUR, 1000 units wanted
    terms = Terms(weighted=False)
    cost = ev.line_cost(
        Offer(
            bidder="A",
            line="L1",
            unit_price=D("250.00"),
            price_per=D(100),
            quantity=D(1000),
            rate=D("0.90"),
            submitted_at=T0,
            delivery_cost=D("40.00"),
        ),
        terms,
        Bidder(),
    )
    # then one unit costs 250 / 100 x 0.90 = 2.25 EUR and the line 2.25 x 1000 = 2250 EUR;
    # the 40 USD delivery is 36 EUR; nothing else is added: TCO 2250 + 36 = 2286
    assert cost.unit_price == D("2.25")
    assert cost.price == D(2250)
    assert cost.evaluated == D(2250)  # lowest price: the evaluated price is the price
    assert cost.delivery_cost == D(36)
    assert cost.tco == D(2286)


def test_a_price_per_nothing_or_a_rate_of_nothing_is_refused() -> None:
    with pytest.raises(DomainError) as per:
        ev.normalized_unit_price(D(1), D(0), D(1))
    assert per.value.field == "price_per"
    with pytest.raises(DomainError) as rate:
        ev.normalized_unit_price(D(1), D(1), D(0))
    assert rate.value.code == "no_rate"


# --- weighted evaluation -------------------------------------------------------------------------


def test_the_evaluated_price_divides_by_the_features_share_of_what_is_left() -> None:
    # given a price of 1000 and two features of maximum 0.1 each, both scored 0.1
    features = [Feature(D("0.1"), D("0.1")), Feature(D("0.1"), D("0.1"))]
    # then E = 1000 / (1 + 0.2 / (1 - 0.2)) = 1000 / 1.25 = 800
    assert ev.evaluated_price(D(1000), features) == D(800)


def test_a_value_above_its_maximum_counts_as_the_maximum() -> None:
    # 0.15 on a criterion worth at most 0.1 counts 0.1: the same 800 as above
    features = [Feature(D("0.15"), D("0.1")), Feature(D("0.1"), D("0.1"))]
    assert ev.evaluated_price(D(1000), features) == D(800)


def test_maxima_above_three_tenths_are_refused() -> None:
    features = [Feature(D(0), D("0.2")), Feature(D(0), D("0.15"))]
    with pytest.raises(DomainError) as refused:
        ev.evaluated_price(D(1000), features)
    assert refused.value.code == "criteria_over_cap"
    assert refused.value.field == "criteria"
    assert ev.check_maxima([D("0.2"), D("0.1")]) == D("0.3")  # exactly 0.3 is allowed


def test_the_cost_of_ownership_adds_life_cycle_delivery_quality_and_the_scorecard() -> None:
    # given 500 units at 2.00 (P = 1000), two features making E = 800 (as above), a life-cycle
    # cost of 50, delivery of 30, a quality cost rate of 2 % and a scorecard of 80 weighed 0.1
    terms = Terms(weighted=True, quality_cost_rate=D("0.02"), scorecard_weight=D("0.1"))
    bidder = Bidder(
        features=(Feature(D("0.1"), D("0.1")), Feature(D("0.1"), D("0.1"))),
        scorecard_score=D(80),
    )
    made = Offer(
        bidder="A",
        line="L1",
        unit_price=D("2.00"),
        price_per=D(1),
        quantity=D(500),
        rate=D(1),
        submitted_at=T0,
        delivery_cost=D(30),
        lifecycle_cost=D(50),
    )
    cost = ev.line_cost(made, terms, bidder)
    # then E + L = 800 + 50 = 850; quality 1000 x 0.02 = 20;
    # scorecard 1000 x 0.1 x (100 - 80) / 100 = 20; TCO = 850 + 30 + 20 + 20 = 920
    assert cost.evaluated == D(800)
    assert cost.evaluated_with_lifecycle == D(850)
    assert cost.quality_cost == D(20)
    assert cost.scorecard_adjustment == D(20)
    assert cost.scorecard_note == ""
    assert cost.tco == D(920)
    # and a vendor without a scored scorecard has no adjustment, and the result says so
    unscored = ev.line_cost(made, terms, Bidder(features=bidder.features))
    assert unscored.scorecard_adjustment == 0
    assert unscored.scorecard_note == ev.NO_SCORECARD
    assert unscored.tco == D(900)


def test_a_lowest_price_event_ignores_the_features() -> None:
    bidder = Bidder(features=(Feature(D("0.1"), D("0.1")),))
    cost = ev.line_cost(offer("A", "100"), Terms(weighted=False), bidder)
    assert cost.evaluated == D(100)


PRICES = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=4)
SHARES = st.decimals(min_value=D(0), max_value=D("0.1"), places=4)


@st.composite
def features(draw: st.DrawFn) -> list[Feature]:
    count = draw(st.integers(min_value=1, max_value=3))
    return [Feature(draw(SHARES), draw(SHARES)) for _ in range(count)]


@given(price=PRICES, chosen=features())
def test_the_evaluated_price_is_never_above_the_price(price: Decimal, chosen: list) -> None:
    assert ev.evaluated_price(price, chosen) <= price


@given(price=PRICES, maxima=st.lists(SHARES, min_size=1, max_size=3))
def test_without_feature_values_the_evaluated_price_is_the_price(
    price: Decimal, maxima: list[Decimal]
) -> None:
    assert ev.evaluated_price(price, [Feature(D(0), m) for m in maxima]) == price


@given(price=PRICES, chosen=features(), which=st.integers(min_value=0), more=SHARES)
def test_a_higher_feature_value_never_raises_the_evaluated_price(
    price: Decimal, chosen: list[Feature], which: int, more: Decimal
) -> None:
    index = which % len(chosen)
    better = list(chosen)
    better[index] = Feature(chosen[index].value + more, chosen[index].maximum)
    assert ev.evaluated_price(price, better) <= ev.evaluated_price(price, chosen)


# --- abnormally low bids -------------------------------------------------------------------------


def test_exactly_40_percent_under_the_mean_of_the_others_is_flagged_and_a_cent_more_is_not() -> (
    None
):
    # others 80 and 120: their mean is 100; 60 is exactly 40 % under it. The next bid up is 80,
    # and 60 is 25 % under 80: the second rule does not fire.
    assert ev.abnormally_low({"X": D(60), "Y": D(80), "Z": D(120)})["X"] == (LowRule.MEAN,)
    assert ev.abnormally_low({"X": D("60.01"), "Y": D(80), "Z": D(120)})["X"] == ()


def test_exactly_30_percent_under_the_next_bid_is_flagged_and_a_cent_more_is_not() -> None:
    # others 100 and 100: 70 is 30 % under the next bid (100) and 30 % under the mean (< 40 %)
    assert ev.abnormally_low({"X": D(70), "Y": D(100), "Z": D(100)})["X"] == (LowRule.NEXT,)
    assert ev.abnormally_low({"X": D("70.01"), "Y": D(100), "Z": D(100)})["X"] == ()


def test_both_rules_are_named_when_both_fire_and_the_dearer_bid_is_sound() -> None:
    # two bids, 60 and 100: 60 is 40 % under the other's mean (100) and 40 % under the next
    flags = ev.abnormally_low({"X": D(60), "Y": D(100)})
    assert flags == {"X": (LowRule.MEAN, LowRule.NEXT), "Y": ()}


def test_one_bid_alone_is_never_abnormally_low() -> None:
    assert ev.abnormally_low({"X": D("0.01")}) == {"X": ()}


def test_a_bid_is_never_under_nothing() -> None:
    # free bids: nothing to be under
    assert ev.abnormally_low({"X": D(0), "Y": D(0)}) == {"X": (), "Y": ()}


AMOUNTS = st.decimals(min_value=D(0), max_value=D(10000), places=2)


@given(prices=st.lists(AMOUNTS, min_size=1, max_size=6))
def test_flags_are_exactly_the_definition(prices: list[Decimal]) -> None:
    named = {f"B{i}": p for i, p in enumerate(prices)}
    flags = ev.abnormally_low(named)
    for key, price in named.items():
        others = [Fraction(p) for k, p in named.items() if k != key]
        mean = sum(others) / len(others) if others else Fraction(0)
        above = [p for p in others if p >= Fraction(price)]
        nxt = min(above) if above else Fraction(0)
        under_mean = (
            len(others) >= 1 and mean > 0 and (mean - Fraction(price)) / mean >= Fraction(2, 5)
        )
        under_next = nxt > 0 and (nxt - Fraction(price)) / nxt >= Fraction(3, 10)
        assert (LowRule.MEAN in flags[key]) == (under_mean and len(named) >= 2)
        assert (LowRule.NEXT in flags[key]) == (under_next and len(named) >= 2)


# --- ranking -------------------------------------------------------------------------------------


def test_a_line_ranks_by_tco_then_earlier_submission_then_lower_price() -> None:
    terms = Terms(weighted=False)
    costs = [
        ev.line_cost(o, terms, Bidder())
        for o in (
            offer("late", "100", minutes=5, delivery_cost="10"),  # TCO 110, submitted later
            offer("early_dear", "110", minutes=0),  # TCO 110, earliest, dearer
            offer("early_cheap", "100", minutes=0, delivery_cost="10"),  # TCO 110, earliest
            offer("best", "105", minutes=9),  # TCO 105
        )
    ]
    order = [c.bidder for c in ev.rank_line(costs)]
    assert order == ["best", "early_cheap", "early_dear", "late"]


def test_a_single_award_ranks_only_the_vendors_that_bid_every_line() -> None:
    terms = Terms(weighted=False)
    evaluation = ev.evaluate(
        [
            offer("A", "10", line="L1"),
            offer("A", "10", line="L2"),
            offer("B", "8", line="L1"),
            offer("B", "11", line="L2"),
            offer("C", "1", line="L1"),  # C did not bid L2
        ],
        terms,
        {},
    )
    ranking = evaluation.ranking(["L1", "L2"])
    assert [(t.bidder, t.tco, t.rank) for t in ranking] == [("B", D(19), 1), ("A", D(20), 2)]
    # and on line 1 alone C ranks first, flagged: 1 is far under the others
    first = evaluation.lines["L1"][0]
    assert (first.cost.bidder, first.rank, first.flags) == ("C", 1, (LowRule.MEAN, LowRule.NEXT))


@given(
    prices=st.lists(
        st.tuples(AMOUNTS, st.integers(min_value=0, max_value=3)), min_size=1, max_size=6
    )
)
def test_ranks_are_a_permutation_in_tco_order(prices: list[tuple[Decimal, int]]) -> None:
    offers = [offer(f"B{i}", str(p), minutes=m) for i, (p, m) in enumerate(prices)]
    ranked = ev.evaluate(offers, Terms(weighted=False), {}).lines["L1"]
    assert [r.rank for r in ranked] == list(range(1, len(offers) + 1))
    assert [r.cost.tco for r in ranked] == sorted(r.cost.tco for r in ranked)
