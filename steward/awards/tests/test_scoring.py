"""Scoring the non-price criteria of a weighted event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.awards import services
from steward.awards.models import CriterionScore
from steward.awards.tests.factories import World, bid, build_world, three_bids
from steward.core.errors import DomainError, TransitionError
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import EvaluationCriterion, EventLogEntry
from steward.sourcing.tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def weighted(cast: Cast) -> World:
    world = three_bids(build_world(cast, weighted=True))
    world.criteria = [
        EvaluationCriterion.objects.get(pk=made.pk)
        for made in (
            CriterionFactory(event=world.event, name="Quality", max_value=D("0.1")),
            CriterionFactory(event=world.event, name="Service", max_value=D("0.05")),
        )
    ]
    return world


def test_a_score_is_given_then_changed_and_logged(weighted: World) -> None:
    quality = weighted.criteria[0]
    score = services.criterion_score_set(
        actor=weighted.cast.owner,
        invitation=weighted.inv_b,
        criterion=quality,
        value="0.08",
        note="ISO 9001, low reject rate",
    )
    assert (score.value, score.scored_by) == (D("0.08"), weighted.cast.owner)
    again = services.criterion_score_set(
        actor=weighted.cast.admin,
        invitation=weighted.inv_b,
        criterion=quality,
        value=D("0.1"),
    )
    assert (again.pk, again.value, again.scored_by) == (score.pk, D("0.1"), weighted.cast.admin)
    assert CriterionScore.objects.count() == 1
    assert EventLogEntry.objects.filter(event=weighted.event, action=LogAction.SCORED).count() == 2


@pytest.mark.parametrize(
    ("value", "code"), [("0.11", "out_of_range"), ("-0.01", "out_of_range"), ("ten", "invalid")]
)
def test_a_value_outside_zero_to_the_maximum_is_refused(
    weighted: World, value: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.criterion_score_set(
            actor=weighted.cast.owner,
            invitation=weighted.inv_a,
            criterion=weighted.criteria[0],
            value=value,
        )
    assert (refused.value.field, refused.value.code) == ("value", code)
    assert not CriterionScore.objects.exists()


def test_a_lowest_price_event_has_nothing_to_score(world: World, cast: Cast) -> None:
    criterion = CriterionFactory(event=world.event)
    with pytest.raises(DomainError) as refused:
        services.criterion_score_set(
            actor=cast.owner, invitation=world.inv_a, criterion=criterion, value="0.01"
        )
    assert refused.value.code == "not_weighted"


def test_nothing_is_scored_before_the_closing_time_or_after_an_award_is_proposed(
    cast: Cast,
) -> None:
    world = build_world(
        cast,
        weighted=True,
        status=EventStatus.OPEN,
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    criterion = CriterionFactory(event=world.event, max_value=D("0.1"))
    bid(world.inv_a, {world.line(1): D(2), world.line(2): D(4)}, minutes_before_close=120)
    with pytest.raises(DomainError) as sealed:
        services.criterion_score_set(
            actor=cast.owner, invitation=world.inv_a, criterion=criterion, value="0.01"
        )
    assert sealed.value.code == "sealed"
    type(world.event).objects.filter(pk=world.event.pk).update(
        status=EventStatus.AWARD_PROPOSED, closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    world.event.refresh_from_db()
    with pytest.raises(TransitionError):
        services.criterion_score_set(
            actor=cast.owner, invitation=world.inv_a, criterion=criterion, value="0.01"
        )


def test_an_invitee_that_did_not_bid_is_not_scored(cast: Cast) -> None:
    world = build_world(cast, weighted=True)
    criterion = CriterionFactory(event=world.event, max_value=D("0.1"))
    with pytest.raises(DomainError) as refused:
        services.criterion_score_set(
            actor=cast.owner, invitation=world.inv_a, criterion=criterion, value="0.01"
        )
    assert (refused.value.field, refused.value.code) == ("invitation", "no_bid")


def test_a_criterion_of_another_event_is_refused(weighted: World, cast: Cast) -> None:
    elsewhere = CriterionFactory()
    with pytest.raises(DomainError) as refused:
        services.criterion_score_set(
            actor=cast.owner, invitation=weighted.inv_a, criterion=elsewhere, value="0.01"
        )
    assert refused.value.field == "criterion"


def test_only_who_may_change_the_event_scores(weighted: World) -> None:
    cast = weighted.cast
    for user in (cast.reviewer, cast.auditor, cast.outsider, cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.criterion_score_set(
                actor=user,
                invitation=weighted.inv_a,
                criterion=weighted.criteria[0],
                value="0.01",
            )
    assert not CriterionScore.objects.exists()
