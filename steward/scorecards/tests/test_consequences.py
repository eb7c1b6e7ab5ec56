"""What a standing obliges: an improvement plan with targets, the owner's manager told, once;
and what other engines read (the consequences of the latest closed card)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.people.models import Profile
from steward.scorecards.choices import PlanStatus
from steward.scorecards.models import ImprovementPlan, ImprovementTarget, ScorecardPeriod
from steward.scorecards.services.consequences import (
    MANAGER_ALERT,
    PLAN_REQUIRED_ALERT,
    commitment_warnings,
    consequences_for,
    sourcing_blocked,
    standing_of,
    standings_apply,
)
from steward.scorecards.standings import Band, Consequence, Standings
from steward.scorecards.tests.factories import (
    ImprovementPlanFactory,
    ScorecardPeriodFactory,
    period_with_criteria,
    scored_card,
    standings_rows,
)

pytestmark = pytest.mark.django_db

POOR = {"delivery": Decimal(20), "quality": Decimal(60)}  # (40*20 + 30*60) / 70 = 37.14
WATCH = {"delivery": Decimal(60), "quality": Decimal(60), "relationship": Decimal(60)}
GOOD = {"delivery": Decimal(90), "quality": Decimal(80), "relationship": Decimal(75)}


def closed_period(**period: object) -> ScorecardPeriod:
    return period_with_criteria(closed=True, **period)


def test_a_poor_standing_requires_a_plan_with_targets_and_tells_owner_and_manager(
    cast: Cast,
) -> None:
    period = closed_period()
    card = scored_card(period=period, relationship=cast.rel_a, scores=POOR)
    assert (card.score, card.standing) == (Decimal("37.14"), "poor")

    standings_apply(period=period)

    plan = ImprovementPlan.objects.get(relationship=cast.rel_a)
    assert plan.title == "Improvement plan: Aurora Metals"
    assert plan.owner == cast.owner
    assert plan.card == card
    assert plan.status == PlanStatus.OPEN
    assert plan.due_on == timezone.localdate() + dt.timedelta(days=90)
    targets = {
        (t.criterion_code, t.target_score, t.due_on)
        for t in ImprovementTarget.objects.filter(plan=plan)
    }
    # the overall score to the next band up ("watch" from 50); delivery (20) below 50
    assert targets == {("", Decimal(50), plan.due_on), ("delivery", Decimal(50), plan.due_on)}
    assert plan.history.count() == 1
    assert plan.targets.first().history.count() == 1
    owner_alert = Notification.objects.get(kind=PLAN_REQUIRED_ALERT)
    assert owner_alert.recipient == cast.owner
    manager_alert = Notification.objects.get(kind=MANAGER_ALERT)
    assert manager_alert.recipient == cast.manager  # the direct manager, not the director
    assert "poor" in manager_alert.title


def test_applying_twice_creates_nothing_twice(cast: Cast) -> None:
    period = closed_period()
    scored_card(period=period, relationship=cast.rel_a, scores=POOR)
    standings_apply(period=period)
    standings_apply(period=period)
    assert ImprovementPlan.objects.count() == 1
    assert ImprovementTarget.objects.count() == 2
    assert Notification.objects.filter(kind=PLAN_REQUIRED_ALERT).count() == 1
    assert Notification.objects.filter(kind=MANAGER_ALERT).count() == 1


def test_an_open_plan_is_not_doubled_but_a_closed_one_is_followed_by_a_new_one(
    cast: Cast,
) -> None:
    existing = ImprovementPlanFactory(relationship=cast.rel_a)
    period = closed_period()
    scored_card(period=period, relationship=cast.rel_a, scores=POOR)
    standings_apply(period=period)
    assert list(ImprovementPlan.objects.all()) == [existing]
    assert not Notification.objects.filter(kind=PLAN_REQUIRED_ALERT).exists()

    ImprovementPlan.objects.filter(pk=existing.pk).update(status=PlanStatus.CLOSED)
    standings_apply(period=period)
    assert ImprovementPlan.objects.filter(status=PlanStatus.OPEN).count() == 1


def test_better_standings_and_cards_without_data_oblige_nothing(cast: Cast) -> None:
    period = closed_period()
    scored_card(period=period, relationship=cast.rel_a, scores=WATCH)
    scored_card(period=period, relationship=cast.rel_b, scores={})
    standings_apply(period=period)
    assert not ImprovementPlan.objects.exists()
    assert not Notification.objects.exists()


def test_one_query_path_for_many_cards(cast: Cast, django_assert_max_num_queries: object) -> None:
    period = closed_period()
    for _ in range(8):
        scored_card(period=period, scores=POOR)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        standings_apply(period=period)
    assert ImprovementPlan.objects.count() == 8
    assert ImprovementTarget.objects.count() == 16


def test_the_templates_own_standings_decide(cast: Cast) -> None:
    custom = Standings(
        (
            Band("red", Decimal(0), frozenset({Consequence.REQUIRE_IMPROVEMENT_PLAN})),
            Band("amber", Decimal(40), frozenset({Consequence.NOTIFY_OWNER_MANAGER})),
            Band("green", Decimal(60)),
        )
    )
    Profile.objects.filter(user=cast.outsider).update(manager=cast.director)
    period = closed_period(template={"standings": standings_rows(custom)})
    red = scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(10)})
    amber = scored_card(period=period, relationship=cast.rel_b, scores={"delivery": Decimal(50)})
    assert (red.standing, amber.standing) == ("red", "amber")
    standings_apply(period=period)
    plan = ImprovementPlan.objects.get()
    assert plan.relationship == cast.rel_a
    overall = plan.targets.get(criterion_code="")
    assert overall.target_score == Decimal(40)
    # red does not notify a manager; amber does
    told = Notification.objects.filter(kind=MANAGER_ALERT)
    assert list(told.values_list("recipient", flat=True)) == [cast.director.pk]
    assert "amber" in told.get().title


def test_consequences_come_from_the_latest_closed_card(cast: Cast) -> None:
    assert consequences_for(cast.rel_a) == frozenset()
    assert standing_of(cast.rel_a) is None
    assert commitment_warnings(cast.rel_a) == []
    assert not sourcing_blocked(cast.rel_a)

    first = closed_period()
    scored_card(period=first, relationship=cast.rel_a, scores=GOOD)
    assert consequences_for(cast.rel_a) == frozenset()

    second = ScorecardPeriodFactory(
        version=first.version,
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 6, 30),
        closed=True,
    )
    poor = scored_card(period=second, relationship=cast.rel_a, scores=POOR)
    # an open period's card does not count yet
    third = ScorecardPeriodFactory(
        version=first.version, starts_on=dt.date(2024, 7, 1), ends_on=dt.date(2024, 9, 30)
    )
    scored_card(period=third, relationship=cast.rel_a, scores=GOOD)

    assert standing_of(cast.rel_a) == poor
    assert standing_of(cast.rel_a.pk) == poor
    assert consequences_for(cast.rel_a) == frozenset(Consequence)
    assert sourcing_blocked(cast.rel_a)
    [warning] = commitment_warnings(cast.rel_a)
    assert "poor" in warning
    assert "2024 Q2" in warning
    assert consequences_for(cast.rel_b) == frozenset()
