"""The plan standard's arithmetic, with hand-computed examples and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.accountplans.standard import PlanFacts, Rules, evaluate, freshness, score_of

TODAY = dt.date(2026, 6, 30)
EVERYTHING_MET = PlanFacts(
    has_executive_sponsor=True,
    objectives=2,
    last_reviewed_on=dt.date(2026, 5, 1),
    next_review_on=dt.date(2026, 8, 1),
    has_our_action=True,
    has_their_action=True,
)


def test_a_plan_meeting_every_rule_scores_100_and_meets_the_standard() -> None:
    standing = evaluate(EVERYTHING_MET, Rules(), TODAY)

    assert [c.key for c in standing.checks] == [
        "executive_sponsor",
        "locations",
        "objectives_complete",
        "min_objectives",
        "reviewed_recently",
        "next_review",
        "actions_both_sides",
    ]
    assert standing.score == Decimal("100.0")
    assert standing.meets is True
    assert standing.freshness_days == 60  # 1 May to 30 June: 30 + 30


def test_hand_computed_five_of_seven() -> None:
    # Given no sponsor and a site without a decision maker: 5 of 7 rules met.
    facts = PlanFacts(
        **{
            **EVERYTHING_MET.__dict__,
            "has_executive_sponsor": False,
            "sites_without_decision_maker": ("Aurora Smelter",),
        }
    )

    standing = evaluate(facts, Rules(), TODAY)

    # 5 / 7 = 71.428… → 71.4
    assert standing.score == Decimal("71.4")
    assert standing.meets is False
    assert [c.key for c in standing.missing] == ["executive_sponsor", "locations"]
    assert standing.missing[1].fix == "Map a decision maker at Aurora Smelter."


def test_rules_switched_off_do_not_count() -> None:
    # Only two rules on; one met (a sponsor), one not (no review): 1 / 2 = 50.0
    rules = Rules(
        locations=False,
        objectives_complete=False,
        min_objectives=False,
        next_review=False,
        actions_both_sides=False,
    )
    facts = PlanFacts(has_executive_sponsor=True)

    standing = evaluate(facts, rules, TODAY)

    assert standing.score == Decimal("50.0")
    assert [c.key for c in standing.checks] == ["executive_sponsor", "reviewed_recently"]
    assert standing.freshness_days is None


def test_review_window_boundaries() -> None:
    rules = Rules(review_days=92)
    on_the_day = PlanFacts(last_reviewed_on=TODAY - dt.timedelta(days=92))
    one_day_late = PlanFacts(last_reviewed_on=TODAY - dt.timedelta(days=93))

    def reviewed(facts: PlanFacts) -> bool:
        return next(
            c for c in evaluate(facts, rules, TODAY).checks if c.key == "reviewed_recently"
        ).met

    assert reviewed(on_the_day) is True
    assert reviewed(one_day_late) is False


def test_next_review_today_counts_yesterday_does_not() -> None:
    def scheduled(day: dt.date | None) -> bool:
        checks = evaluate(PlanFacts(next_review_on=day), Rules(), TODAY).checks
        return next(c for c in checks if c.key == "next_review").met

    assert scheduled(TODAY) is True
    assert scheduled(TODAY - dt.timedelta(days=1)) is False
    assert scheduled(None) is False


def test_at_least_n_objectives_and_fix_names_how_many() -> None:
    standing = evaluate(PlanFacts(objectives=1), Rules(min_objectives_count=3), TODAY)
    check = next(c for c in standing.checks if c.key == "min_objectives")

    assert check.met is False
    assert check.label == "At least 3 objectives"
    assert check.fix == "Agree 2 more objectives with the customer."


def test_actions_need_an_owner_on_each_side() -> None:
    only_ours = PlanFacts(has_our_action=True)
    check = next(
        c for c in evaluate(only_ours, Rules(), TODAY).checks if c.key == "actions_both_sides"
    )

    assert check.met is False
    assert check.fix == "Add an action owned on the customer's side."


def test_no_rule_on_scores_100() -> None:
    rules = Rules(
        executive_sponsor=False,
        locations=False,
        objectives_complete=False,
        min_objectives=False,
        reviewed_recently=False,
        next_review=False,
        actions_both_sides=False,
    )

    standing = evaluate(PlanFacts(), rules, TODAY)

    assert standing.checks == ()
    assert standing.score == Decimal("100.0")
    assert standing.meets is True


def test_score_rounds_half_up() -> None:
    assert score_of(1, 3) == Decimal("33.3")
    assert score_of(2, 3) == Decimal("66.7")
    assert score_of(1, 8) == Decimal("12.5")
    assert freshness(dt.date(2026, 6, 1), TODAY) == 29


facts_strategy = st.builds(
    PlanFacts,
    has_executive_sponsor=st.booleans(),
    sites_without_decision_maker=st.lists(st.text(max_size=5), max_size=3).map(tuple),
    objectives=st.integers(0, 5),
    incomplete_objectives=st.lists(st.text(max_size=5), max_size=3).map(tuple),
    last_reviewed_on=st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 30)),
    next_review_on=st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    has_our_action=st.booleans(),
    has_their_action=st.booleans(),
)
rules_strategy = st.builds(
    Rules,
    executive_sponsor=st.booleans(),
    locations=st.booleans(),
    objectives_complete=st.booleans(),
    min_objectives=st.booleans(),
    min_objectives_count=st.integers(1, 5),
    reviewed_recently=st.booleans(),
    review_days=st.integers(1, 400),
    next_review=st.booleans(),
    actions_both_sides=st.booleans(),
)


@given(facts_strategy, rules_strategy)
def test_score_is_the_share_of_rules_met(facts: PlanFacts, rules: Rules) -> None:
    standing = evaluate(facts, rules, TODAY)
    met = sum(c.met for c in standing.checks)

    assert Decimal(0) <= standing.score <= Decimal(100)
    assert standing.meets == (met == len(standing.checks))
    assert standing.meets == (standing.score == Decimal(100))
    assert len(standing.missing) == len(standing.checks) - met
    assert all(c.fix for c in standing.missing)


@given(facts_strategy, rules_strategy)
def test_switching_a_rule_off_never_lowers_a_met_plan(facts: PlanFacts, rules: Rules) -> None:
    if not evaluate(facts, rules, TODAY).meets:
        return
    fewer = Rules(**{**rules.__dict__, "executive_sponsor": False})

    assert evaluate(facts, fewer, TODAY).meets
