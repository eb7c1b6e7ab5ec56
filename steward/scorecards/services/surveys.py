"""Stakeholder surveys: sent for a period, answered by each respondent, chased, then closed.

A survey asks the people who work with a counterparty to rate it 1-5 on each surveyed criterion
(a criterion whose measure is ``survey``) of the period's template version. The respondents of
a relationship are its owner, its team (memberships not archived) and the owners and
stakeholders of its contracts in force — internal, active people only, each recorded with the
function of their profile so the ratings can be read per function.

Every write here is idempotent: a survey and a response exist once (unique constraints), a
chase goes out at most once every ``CHASE_EVERY_DAYS`` days, closing twice closes nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from steward.contracts import lifecycle
from steward.contracts.models import Contract, ContractStakeholder
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.parties.models import Relationship, RelationshipMember
from steward.people.choices import UserKind
from steward.scorecards.choices import PeriodStatus, SurveyStatus
from steward.scorecards.models import (
    Scorecard,
    ScorecardCriterion,
    ScorecardPeriod,
    Survey,
    SurveyResponse,
)
from steward.scorecards.services.periods import scored_relationship_ids

SURVEY_MEASURE = "survey"
CHASE_EVERY_DAYS = 3
DEFAULT_OPEN_DAYS = 14
# The daily job sends a period's surveys this many days before the period ends.
SEND_BEFORE_END_DAYS = 14
LOWEST_RATING = 1
HIGHEST_RATING = 5

SURVEY_SENT_ALERT = "scorecards.survey_sent"
SURVEY_CHASED_ALERT = "scorecards.survey_chased"

User = get_user_model()


def surveys_url() -> str:
    """The respondent's list of open surveys, or nothing while the pages are not wired in."""
    try:
        return reverse("scorecards:my-surveys")
    except NoReverseMatch:
        return ""


def surveyed_criteria(period: ScorecardPeriod) -> list[ScorecardCriterion]:
    """The criteria of the period's version that read a survey."""
    return list(
        ScorecardCriterion.objects.filter(version_id=period.version_id, measure=SURVEY_MEASURE)
    )


def scored_relationships(period: ScorecardPeriod) -> QuerySet[Relationship]:
    """The relationships the period scores: those the template scores and any that have a card
    in the period already."""
    carded = Scorecard.objects.filter(period=period).values("relationship_id")
    return Relationship.objects.filter(
        Q(pk__in=scored_relationship_ids(period.template)) | Q(pk__in=carded)
    )


def respondents_of(relationship_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """``relationship_id -> {user_id: function}`` for the given relationships, in five queries.

    Owners, team members that are not archived, and owners and stakeholders (not archived) of
    contracts in force; only active internal users; the function comes from the profile.
    """
    ids = list(relationship_ids)
    pairs: set[tuple[int, int]] = set()
    pairs.update(Relationship.objects.filter(pk__in=ids).values_list("pk", "owner_id"))
    pairs.update(
        RelationshipMember.objects.filter(
            relationship_id__in=ids, archived_at__isnull=True
        ).values_list("relationship_id", "user_id")
    )
    in_force = Contract.objects.filter(
        relationship_id__in=ids, archived_at__isnull=True, status__in=lifecycle.IN_FORCE
    )
    pairs.update(in_force.values_list("relationship_id", "owner_id"))
    pairs.update(
        ContractStakeholder.objects.filter(
            contract__in=in_force, archived_at__isnull=True
        ).values_list("contract__relationship_id", "user_id")
    )
    people = {
        pk: function or ""
        for pk, function in User.objects.filter(
            pk__in={user_id for _, user_id in pairs}, is_active=True
        )
        .exclude(profile__kind=UserKind.EXTERNAL)
        .values_list("pk", "profile__function")
    }
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for relationship_id, user_id in pairs:
        if user_id in people:
            found[relationship_id][user_id] = people[user_id]
    return dict(found)


def surveys_send(*, period: ScorecardPeriod, closes_in_days: int = DEFAULT_OPEN_DAYS) -> int:
    """Send the period's survey to the respondents of every relationship it scores.

    One survey per relationship that has at least one respondent, one response row per
    respondent and surveyed criterion, one notification per respondent and survey. Sending again
    adds only what is missing (a new team member, say) and notifies only them. Returns how many
    response rows were created.
    """
    if closes_in_days < 1:
        raise DomainError("A survey stays open at least one day.", field="closes_in_days")
    criteria = surveyed_criteria(period)
    if not criteria:
        return 0
    with transaction.atomic():
        # One send at a time per period, so two workers cannot both notify the same people.
        locked = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.CLOSED:
            raise DomainError(
                f"The period {locked.label} is closed; its survey can no longer be sent.",
                code="period_closed",
            )
        respondents = respondents_of(scored_relationships(locked).values_list("pk", flat=True))
        if not respondents:
            return 0
        now = timezone.now()
        closes_on = timezone.localdate() + dt.timedelta(days=closes_in_days)
        Survey.objects.bulk_create(
            [
                Survey(period=locked, relationship_id=rid, sent_at=now, closes_on=closes_on)
                for rid in respondents
            ],
            ignore_conflicts=True,
        )
        surveys = {
            s.relationship_id: s
            for s in Survey.objects.filter(
                period=locked, relationship_id__in=list(respondents), status=SurveyStatus.OPEN
            ).select_related("relationship__organization")
        }
        existing = set(
            SurveyResponse.objects.filter(survey__in=list(surveys.values())).values_list(
                "survey_id", "criterion_id", "respondent_id"
            )
        )
        new_rows: list[SurveyResponse] = []
        notified: dict[int, set[int]] = defaultdict(set)
        for rid, survey in surveys.items():
            for user_id, function in respondents[rid].items():
                for criterion in criteria:
                    if (survey.pk, criterion.pk, user_id) in existing:
                        continue
                    new_rows.append(
                        SurveyResponse(
                            survey=survey,
                            criterion=criterion,
                            respondent_id=user_id,
                            function=function,
                        )
                    )
                    notified[survey.pk].add(user_id)
        SurveyResponse.objects.bulk_create(new_rows, batch_size=1000, ignore_conflicts=True)
        by_pk = {survey.pk: survey for survey in surveys.values()}
        url = surveys_url()
        notifications_send(
            Alert(
                recipient_id=user_id,
                kind=SURVEY_SENT_ALERT,
                title=f"Rate {by_pk[survey_pk].relationship.organization} for {locked.label}",
                body=(
                    f"How did {by_pk[survey_pk].relationship.organization} do in {locked.label}? "
                    f"Rate it 1-5 by {by_pk[survey_pk].closes_on:%d %b %Y}."
                ),
                url=url,
            )
            for survey_pk, users in notified.items()
            for user_id in sorted(users)
        )
    return len(new_rows)


def surveys_send_due(*, today: dt.date) -> int:
    """The daily job: send the surveys of open periods that end within the next two weeks.

    Each survey closes on its period's last day (at least one day after sending). Returns how
    many response rows were created; 0 once everything is sent.
    """
    created = 0
    periods = ScorecardPeriod.objects.filter(
        status=PeriodStatus.OPEN,
        starts_on__lte=today,
        ends_on__gte=today,
        ends_on__lte=today + dt.timedelta(days=SEND_BEFORE_END_DAYS),
        version__criteria__measure=SURVEY_MEASURE,
    ).distinct()
    for period in periods.select_related("template").order_by("pk"):
        created += surveys_send(period=period, closes_in_days=max(1, (period.ends_on - today).days))
    return created


def _rating(rating: Any) -> int:
    """A whole number 1-5 (an int, a whole Decimal or a numeric string), else an error on
    ``rating``."""
    value: int | None = None
    if isinstance(rating, int) and not isinstance(rating, bool):
        value = rating
    elif isinstance(rating, Decimal) and rating.is_finite() and rating == rating.to_integral():
        value = int(rating)
    elif isinstance(rating, str) and rating.strip().isdigit():
        value = int(rating.strip())
    if value is None:
        raise DomainError(
            f"A rating is a whole number from {LOWEST_RATING} to {HIGHEST_RATING}.",
            field="rating",
            code="rating_invalid",
        )
    if not LOWEST_RATING <= value <= HIGHEST_RATING:
        raise DomainError(
            f"A rating is from {LOWEST_RATING} to {HIGHEST_RATING}, not {value}.",
            field="rating",
            code="rating_out_of_range",
        )
    return value


def survey_answer(
    *, actor: Any, response: SurveyResponse, rating: Any, comment: str = ""
) -> SurveyResponse:
    """Rate one criterion (1-5) with an optional comment; answering again replaces the answer
    until the survey closes. Only the respondent may answer their own response."""
    if getattr(actor, "pk", None) is None or response.respondent_id != actor.pk:
        raise PermissionDenied("Only the person asked may answer this survey.")
    value = _rating(rating)
    with transaction.atomic():
        locked = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        survey = Survey.objects.select_related("period").get(pk=locked.survey_id)
        if (
            survey.status != SurveyStatus.OPEN
            or survey.closes_on < timezone.localdate()
            or survey.period.status == PeriodStatus.CLOSED
        ):
            raise DomainError(
                "This survey is closed; answers can no longer be given or changed.",
                code="survey_closed",
                field="rating",
            )
        locked.rating = value
        locked.comment = (comment or "").strip()
        locked.answered_at = timezone.now()
        locked.save(update_fields=["rating", "comment", "answered_at"])
    return locked


def _open_surveys(today: dt.date) -> QuerySet[Survey]:
    return Survey.objects.filter(
        status=SurveyStatus.OPEN, closes_on__gte=today, period__status=PeriodStatus.OPEN
    )


def surveys_chase(*, today: dt.date) -> int:
    """Remind respondents who have not answered everything, at most once every three days per
    survey (counted from the send or the last chase). Returns how many people were reminded."""
    last_allowed = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=CHASE_EVERY_DAYS - 1), dt.time.min)
    )
    with transaction.atomic():
        due = (
            _open_surveys(today)
            .filter(
                Q(chased_at__lt=last_allowed) | Q(chased_at__isnull=True, sent_at__lt=last_allowed)
            )
            .select_for_update(of=("self",))
        )
        due_ids = list(due.values_list("pk", flat=True))
        if not due_ids:
            return 0
        waiting = (
            SurveyResponse.objects.filter(survey_id__in=due_ids, rating__isnull=True)
            .values_list("survey_id", "respondent_id")
            .distinct()
        )
        people: dict[int, set[int]] = defaultdict(set)
        for survey_id, user_id in waiting:
            people[survey_id].add(user_id)
        if not people:
            return 0
        surveys = {
            s.pk: s
            for s in Survey.objects.filter(pk__in=list(people)).select_related(
                "relationship__organization", "period"
            )
        }
        url = surveys_url()
        sent = notifications_send(
            Alert(
                recipient_id=user_id,
                kind=SURVEY_CHASED_ALERT,
                title=(
                    f"Reminder: rate {surveys[survey_id].relationship.organization} "
                    f"for {surveys[survey_id].period.label}"
                ),
                body=f"The survey closes on {surveys[survey_id].closes_on:%d %b %Y}.",
                url=url,
            )
            for survey_id, users in sorted(people.items())
            for user_id in sorted(users)
        )
        Survey.objects.filter(pk__in=list(people)).update(
            chased_at=timezone.now(), chase_count=F("chase_count") + 1
        )
    return sent


def surveys_close(*, today: dt.date) -> int:
    """Close the open surveys whose last day has passed or whose period is closed; answers stay
    as they are. Returns how many were closed."""
    return (
        Survey.objects.filter(status=SurveyStatus.OPEN)
        .filter(Q(closes_on__lt=today) | Q(period__status=PeriodStatus.CLOSED))
        .update(status=SurveyStatus.CLOSED, closed_at=timezone.now())
    )
