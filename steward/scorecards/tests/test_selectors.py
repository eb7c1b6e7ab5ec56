"""Reads of the scorecard engine: trend, evidence, heat map, ranking; each scoped by the policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.scorecards import selectors
from steward.scorecards.choices import SurveyStatus
from steward.scorecards.models import SurveyResponse
from steward.scorecards.tests.factories import (
    MeasurementFactory,
    ScorecardPeriodFactory,
    SurveyFactory,
    SurveyResponseFactory,
    period_with_criteria,
    scored_card,
)

pytestmark = pytest.mark.django_db


def test_card_trend_lines_up_criteria_by_code_over_periods(cast: Cast) -> None:
    # given two quarters of the same version, quality without data in the first
    first = period_with_criteria(closed=True)
    second = ScorecardPeriodFactory(
        version=first.version, starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2024, 6, 30)
    )
    scored_card(period=first, relationship=cast.rel_a, scores={"delivery": Decimal(50)})
    scored_card(
        period=second,
        relationship=cast.rel_a,
        scores={"delivery": Decimal(70), "quality": Decimal(90)},
    )
    # when the owner reads the trend
    trend = selectors.card_trend(user=cast.owner, relationship=cast.rel_a)
    # then the periods run oldest first and a missing value stays missing
    assert trend.labels == ["2024 Q1", "2024 Q2"]
    assert trend.series["delivery"] == [Decimal(50), Decimal(70)]
    assert trend.series["quality"] == [None, Decimal(90)]
    assert trend.names["quality"] == "Defect rate"
    assert selectors.card_trend(user=cast.outsider, relationship=cast.rel_a).labels == []


def test_card_lines_name_every_criterion_and_the_missing(cast: Cast) -> None:
    period = period_with_criteria()
    card = scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(80)})
    lines = selectors.card_lines(card=card)
    assert [line.criterion.code for line in lines] == ["delivery", "quality", "relationship"]
    assert [line.has_data for line in lines] == [True, False, False]
    assert selectors.missing_names(card) == ["Defect rate", "Stakeholder rating"]


def test_evidence_reads_the_period_rows_only(cast: Cast) -> None:
    period = period_with_criteria()
    card = scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(80)})
    inside = MeasurementFactory(relationship=cast.rel_a, measured_on=dt.date(2024, 3, 31))
    MeasurementFactory(relationship=cast.rel_a, measured_on=dt.date(2024, 4, 1))
    MeasurementFactory(relationship=cast.rel_b, measured_on=dt.date(2024, 2, 1))
    delivery = period.version.criteria.get(code="delivery")
    evidence = selectors.card_evidence(user=cast.owner, card=card, criterion=delivery)
    assert evidence.measurements == [inside]
    assert evidence.responses == []


def test_evidence_of_survey_hides_names_from_portal_users(cast: Cast) -> None:
    period = period_with_criteria()
    card = scored_card(period=period, relationship=cast.rel_a, scores={"relationship": Decimal(50)})
    survey = SurveyFactory(period=period, relationship=cast.rel_a)
    surveyed = period.version.criteria.get(code="relationship")
    SurveyResponseFactory(
        survey=survey,
        criterion=surveyed,
        respondent=cast.member,
        rating=2,
        answered_at=timezone.now(),
    )
    SurveyResponseFactory(survey=survey, criterion=surveyed, respondent=cast.owner)  # unanswered
    inside = selectors.card_evidence(user=cast.owner, card=card, criterion=surveyed)
    assert [(r["rating"], r["respondent"]) for r in inside.responses] == [
        (2, cast.member.get_full_name())
    ]
    portal = selectors.card_evidence(user=cast.portal_a, card=card, criterion=surveyed)
    assert [(r["rating"], r["respondent"]) for r in portal.responses] == [(2, "")]


def test_ranking_best_first_ties_share_a_rank_and_by_name(cast: Cast) -> None:
    period = period_with_criteria(criteria=[{"code": "all", "weight": 100, "name": "All"}])
    names = {"Zeta": 80, "Alpha": 80, "Mid": 60}
    for name, score in names.items():
        relationship = RelationshipFactory(organization__display_name=name, owner=cast.owner)
        scored_card(period=period, relationship=relationship, scores={"all": Decimal(score)})
    scored_card(period=period, relationship=RelationshipFactory(owner=cast.owner), scores={})
    ranked = list(selectors.ranking(user=cast.owner, period=period))
    assert [(c.relationship.organization.display_name, c.rank) for c in ranked] == [
        ("Alpha", 1),
        ("Zeta", 1),
        ("Mid", 3),
    ]
    assert list(selectors.ranking(user=cast.outsider, period=period)) == []


def test_rank_of_counts_strictly_better_cards(cast: Cast) -> None:
    period = period_with_criteria(criteria=[{"code": "all", "weight": 100, "name": "All"}])
    scored_card(period=period, relationship=cast.rel_a, scores={"all": Decimal(70)})
    scored_card(period=period, relationship=cast.rel_b, scores={"all": Decimal(90)})
    assert selectors.rank_of(
        user=cast.admin, period=period, relationship=cast.rel_a, filters={}
    ) == (2, 2)
    # an owner who sees only their own card ranks it among what they see
    assert selectors.rank_of(
        user=cast.owner, period=period, relationship=cast.rel_a, filters={}
    ) == (1, 1)


def test_heat_map_page_is_a_fixed_number_of_queries(cast: Cast) -> None:
    period = period_with_criteria()

    def page_queries() -> int:
        data = selectors.heat_map(user=cast.admin, period=period)
        with CaptureQueriesContext(connection) as captured:
            rows = list(data.cards[:50])
            for card in rows:
                list(card.criteria.all())
        return len(captured)

    scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(1)})
    few = page_queries()
    for _ in range(5):
        scored_card(period=period, scores={"delivery": Decimal(2)})
    assert page_queries() == few


def test_heat_map_filters_by_owner_standing_and_name(cast: Cast) -> None:
    period = period_with_criteria()
    poor = scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(10)})
    good = scored_card(period=period, relationship=cast.rel_b, scores={"delivery": Decimal(99)})

    def shown(**filters: Any) -> set[int]:
        return {
            c.pk for c in selectors.heat_map(user=cast.admin, period=period, filters=filters).cards
        }

    assert shown() == {poor.pk, good.pk}
    assert shown(owner=cast.outsider.pk) == {good.pk}
    assert shown(standing=poor.standing) == {poor.pk}
    assert shown(q="aurora") == {poor.pk}


def test_my_open_responses_are_mine_and_unanswered(cast: Cast) -> None:
    period = period_with_criteria()
    survey = SurveyFactory(period=period, relationship=cast.rel_a)
    mine = SurveyResponseFactory(survey=survey, respondent=cast.member)
    SurveyResponseFactory(survey=survey, respondent=cast.owner, criterion=mine.criterion)
    assert list(selectors.my_open_responses(user=cast.member)) == [mine]
    SurveyResponse.objects.filter(pk=mine.pk).update(rating=3)
    assert list(selectors.my_open_responses(user=cast.member)) == []
    # An unanswered rating in a closed survey is no longer asked for
    SurveyResponse.objects.filter(pk=mine.pk).update(rating=None)
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    assert list(selectors.my_open_responses(user=cast.member)) == []
    assert list(selectors.my_open_responses(user=cast.portal_a)) == []


def test_pages_open_on_the_default_template_of_the_side_the_user_owns_most(cast: Cast) -> None:
    from steward.parties.choices import Side
    from steward.parties.tests.factories import RelationshipFactory
    from steward.scorecards.selectors import default_template_for
    from steward.scorecards.tests.factories import ScorecardTemplateFactory

    supply = ScorecardTemplateFactory(name="Vendors", side=Side.SUPPLY, is_default=True)
    demand = ScorecardTemplateFactory(name="Accounts", side=Side.DEMAND, is_default=True)
    templates = [demand, supply]
    from steward.people.tests.factories import UserFactory

    owner = UserFactory()
    assert default_template_for(user=owner, templates=templates) == demand  # owns nothing
    RelationshipFactory(owner=owner, side=Side.SUPPLY)
    RelationshipFactory(owner=owner, side=Side.SUPPLY)
    RelationshipFactory(owner=owner, side=Side.DEMAND)
    assert default_template_for(user=owner, templates=templates) == supply
