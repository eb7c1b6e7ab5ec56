"""Stakeholder surveys: who is asked, answering, chasing every three days, closing, the jobs,
and that nobody answers someone else's response."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.contracts.choices import ContractStatus
from steward.contracts.models import Contract, ContractStakeholder
from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.core.schedule import periodic_jobs
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipMemberFactory
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.scorecards import tasks_surveys
from steward.scorecards.choices import PeriodStatus, SurveyStatus
from steward.scorecards.models import ScorecardPeriod, Survey, SurveyResponse
from steward.scorecards.services.surveys import (
    SURVEY_CHASED_ALERT,
    SURVEY_SENT_ALERT,
    survey_answer,
    surveys_chase,
    surveys_close,
    surveys_send,
    surveys_send_due,
)
from steward.scorecards.tests.factories import (
    DEFAULT_CRITERIA,
    ScorecardPeriodFactory,
    linear_rule,
    period_with_criteria,
)

pytestmark = pytest.mark.django_db

TWO_SURVEYED = [
    *DEFAULT_CRITERIA[:2],
    {**DEFAULT_CRITERIA[2], "weight": 15},
    {
        "code": "innovation",
        "name": "Ideas brought",
        "category": "innovation",
        "weight": 15,
        "measure": "survey",
        "rule_kind": "linear",
        "rule": linear_rule("1", "5"),
    },
]


def default_period(**period: Any) -> ScorecardPeriod:
    """A period of the supply side's default template (so every supply relationship is scored)."""
    return period_with_criteria(TWO_SURVEYED, template={"is_default": True}, **period)


def next_quarter(period: ScorecardPeriod) -> ScorecardPeriod:
    """The following quarter of the same template."""
    starts_on = period.ends_on + dt.timedelta(days=1)
    made: ScorecardPeriod = ScorecardPeriodFactory.create(
        version=period.version, starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=90)
    )
    return made


def contract_in_force(cast: Cast, **fields: Any) -> Contract:
    values: dict[str, Any] = {
        "relationship": cast.rel_a,
        "title": "Castings supply",
        "kind": "master",
        "owner": cast.owner,
        "status": ContractStatus.ACTIVE,
    }
    values.update(fields)
    return Contract.objects.create(**values)


def responses(survey: Survey) -> set[tuple[str, str, str]]:
    return {
        (r.respondent.username, r.criterion.code, r.function)
        for r in survey.responses.select_related("respondent", "criterion")
    }


def test_send_asks_owner_team_and_contract_people_once_per_surveyed_criterion(cast: Cast) -> None:
    period = default_period()
    finance = UserFactory(username="finance", profile__function=Function.FINANCE)
    signer = UserFactory(username="signer", profile__function=Function.PROCUREMENT)
    contract = contract_in_force(cast, owner=signer)
    ContractStakeholder.objects.create(contract=contract, user=finance, role="finance")
    ended = contract_in_force(cast, status=ContractStatus.EXPIRED, title="Old deal")
    ContractStakeholder.objects.create(
        contract=ended, user=UserFactory(username="gone"), role="legal"
    )
    left = RelationshipMemberFactory(relationship=cast.rel_a, user=UserFactory(username="left"))
    left.archived_at = timezone.now()
    left.save()

    created = surveys_send(period=period)

    survey_a = Survey.objects.get(period=period, relationship=cast.rel_a)
    people = {"owner", "member", "reviewer", "finance", "signer"}
    assert {name for name, _, _ in responses(survey_a)} == people
    assert {code for _, code, _ in responses(survey_a)} == {"relationship", "innovation"}
    assert ("reviewer", "relationship", Function.LEGAL) in responses(survey_a)
    assert ("finance", "innovation", Function.FINANCE) in responses(survey_a)
    survey_b = Survey.objects.get(period=period, relationship=cast.rel_b)
    assert {name for name, _, _ in responses(survey_b)} == {"outsider"}
    assert created == 2 * len(people) + 2
    assert survey_a.status == SurveyStatus.OPEN
    assert survey_a.closes_on == timezone.localdate() + dt.timedelta(days=14)
    # one notification per person and survey, not per criterion
    sent = Notification.objects.filter(kind=SURVEY_SENT_ALERT)
    assert sorted(sent.values_list("recipient__username", flat=True)) == sorted(
        [*people, "outsider"]
    )
    assert "Aurora Metals" in sent.filter(recipient=cast.member).get().title


def test_send_again_adds_only_newcomers_and_tells_only_them(cast: Cast) -> None:
    period = default_period()
    surveys_send(period=period)
    assert surveys_send(period=period) == 0
    before = Notification.objects.count()
    assert Notification.objects.filter(kind=SURVEY_SENT_ALERT).count() == before

    newcomer = UserFactory(username="newcomer")
    RelationshipMemberFactory(relationship=cast.rel_a, user=newcomer)
    assert surveys_send(period=period) == 2
    assert Notification.objects.count() == before + 1
    assert Notification.objects.filter(recipient=newcomer).count() == 1
    assert Survey.objects.filter(period=period).count() == 2


def test_no_survey_without_respondents_or_without_surveyed_criteria(cast: Cast) -> None:
    cast.outsider.is_active = False
    cast.outsider.save()
    period = default_period()
    surveys_send(period=period)
    assert not Survey.objects.filter(relationship=cast.rel_b).exists()
    assert Survey.objects.filter(relationship=cast.rel_a).exists()

    unsurveyed = period_with_criteria(
        [{**DEFAULT_CRITERIA[0], "weight": 100}], template={"side": "demand"}
    )
    assert surveys_send(period=unsurveyed) == 0
    assert not Survey.objects.filter(period=unsurveyed).exists()


def test_portal_users_are_never_asked(cast: Cast) -> None:
    contract = contract_in_force(cast)
    ContractStakeholder.objects.create(contract=contract, user=cast.portal_a, role="sales")
    period = default_period()
    surveys_send(period=period)
    assert not SurveyResponse.objects.filter(respondent=cast.portal_a).exists()


def test_send_refuses_a_closed_period_and_bad_duration(cast: Cast) -> None:
    period = default_period(closed=True)
    with pytest.raises(DomainError) as error:
        surveys_send(period=period)
    assert error.value.code == "period_closed"
    with pytest.raises(DomainError) as error:
        surveys_send(period=next_quarter(period), closes_in_days=0)
    assert error.value.field == "closes_in_days"
    assert not Survey.objects.exists()


def one_response(cast: Cast, user: Any) -> SurveyResponse:
    return SurveyResponse.objects.filter(respondent=user, survey__relationship=cast.rel_a)[0]


def test_answer_records_and_answering_again_replaces(cast: Cast) -> None:
    surveys_send(period=default_period())
    response = one_response(cast, cast.member)
    answered = survey_answer(actor=cast.member, response=response, rating=4, comment=" On time ")
    assert (answered.rating, answered.comment) == (4, "On time")
    assert answered.answered_at is not None
    again = survey_answer(actor=cast.member, response=response, rating="2")
    response.refresh_from_db()
    assert (again.rating, response.rating, response.comment) == (2, 2, "")


@pytest.mark.parametrize("rating", [0, 6, -1, "x", "", None, True, 3.5, Decimal("2.5"), "4.0"])
def test_answer_refuses_a_rating_outside_1_to_5(cast: Cast, rating: Any) -> None:
    surveys_send(period=default_period())
    response = one_response(cast, cast.member)
    with pytest.raises(DomainError) as error:
        survey_answer(actor=cast.member, response=response, rating=rating)
    assert error.value.field == "rating"
    response.refresh_from_db()
    assert response.rating is None


def test_only_the_respondent_may_answer(cast: Cast) -> None:
    surveys_send(period=default_period())
    response = one_response(cast, cast.member)
    for intruder in (cast.owner, cast.outsider, cast.admin, cast.portal_a):
        with pytest.raises(PermissionDenied):
            survey_answer(actor=intruder, response=response, rating=5)
    response.refresh_from_db()
    assert response.rating is None


def test_no_answers_once_closed(cast: Cast) -> None:
    surveys_send(period=default_period())
    response = one_response(cast, cast.member)
    Survey.objects.update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(DomainError) as error:
        survey_answer(actor=cast.member, response=response, rating=3)
    assert error.value.code == "survey_closed"
    assert surveys_close(today=timezone.localdate()) == 2
    Survey.objects.update(closes_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        survey_answer(actor=cast.member, response=response, rating=3)


def test_chase_reminds_those_who_have_not_answered_at_most_every_three_days(cast: Cast) -> None:
    period = default_period()
    surveys_send(period=period)
    today = timezone.localdate()
    # Answered everything: the member is not chased; the reviewer answered one of two.
    for response in SurveyResponse.objects.filter(respondent=cast.member):
        survey_answer(actor=cast.member, response=response, rating=4)
    survey_answer(actor=cast.reviewer, response=one_response(cast, cast.reviewer), rating=3)

    assert surveys_chase(today=today) == 0  # sent today: too early
    assert surveys_chase(today=today + dt.timedelta(days=2)) == 0
    reminded = surveys_chase(today=today + dt.timedelta(days=3))
    chased = Notification.objects.filter(kind=SURVEY_CHASED_ALERT)
    assert sorted(chased.values_list("recipient__username", flat=True)) == [
        "outsider",
        "owner",
        "reviewer",
    ]
    assert reminded == 3
    survey = Survey.objects.get(period=period, relationship=cast.rel_a)
    assert survey.chase_count == 1
    assert survey.chased_at is not None

    # Again the same day, or within three days: nothing (the chase happened on day 3).
    Survey.objects.update(chased_at=timezone.now() + dt.timedelta(days=3))
    assert surveys_chase(today=today + dt.timedelta(days=3)) == 0
    assert surveys_chase(today=today + dt.timedelta(days=5)) == 0
    assert surveys_chase(today=today + dt.timedelta(days=6)) == 3
    survey.refresh_from_db()
    assert survey.chase_count == 2


def test_chase_skips_closed_and_past_surveys(cast: Cast) -> None:
    surveys_send(period=default_period(), closes_in_days=4)
    today = timezone.localdate()
    assert surveys_chase(today=today + dt.timedelta(days=5)) == 0
    surveys_close(today=today + dt.timedelta(days=5))
    assert surveys_chase(today=today + dt.timedelta(days=4)) == 0


def test_close_closes_surveys_past_their_day_or_of_closed_periods_once(cast: Cast) -> None:
    first = default_period()
    second = next_quarter(first)
    surveys_send(period=first, closes_in_days=3)
    surveys_send(period=second, closes_in_days=30)
    today = timezone.localdate()
    assert surveys_close(today=today + dt.timedelta(days=3)) == 0  # still open on its last day
    assert surveys_close(today=today + dt.timedelta(days=4)) == 2
    assert surveys_close(today=today + dt.timedelta(days=4)) == 0
    ScorecardPeriod.objects.filter(pk=second.pk).update(status=PeriodStatus.CLOSED)
    assert surveys_close(today=today) == 2
    assert not Survey.objects.filter(status=SurveyStatus.OPEN).exists()
    assert Survey.objects.filter(closed_at__isnull=True).count() == 0
    # answers stay after closing
    assert SurveyResponse.objects.count() > 0


def test_send_job_sends_in_the_last_two_weeks_of_an_open_period(cast: Cast) -> None:
    period = default_period(starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2030, 3, 31))
    assert surveys_send_due(today=dt.date(2030, 3, 10)) == 0
    created = surveys_send_due(today=dt.date(2030, 3, 20))
    assert created > 0
    assert Survey.objects.filter(period=period).count() == 2
    assert surveys_send_due(today=dt.date(2030, 3, 21)) == 0


def test_jobs_are_scheduled_and_idempotent(cast: Cast) -> None:
    names = {job.name for job in periodic_jobs()}
    assert {
        tasks_surveys.SEND_JOB,
        tasks_surveys.CHASE_JOB,
        tasks_surveys.CLOSE_JOB,
    } <= names
    surveys_send(period=default_period(), closes_in_days=1)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    tasks_surveys.surveys_chase.enqueue(slot=day)
    tasks_surveys.surveys_chase.enqueue(slot=day)
    tasks_surveys.surveys_close.enqueue(slot=day)
    tasks_surveys.surveys_close.enqueue(slot=day)
    assert not Survey.objects.filter(status=SurveyStatus.OPEN).exists()
    assert Notification.objects.filter(kind=SURVEY_CHASED_ALERT).count() == 0
