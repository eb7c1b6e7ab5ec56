"""Reads about surveys for the person asked to answer them."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from steward.core.access import Action
from steward.scorecards.choices import PeriodStatus, SurveyStatus
from steward.scorecards.models import SurveyResponse


def my_open_responses(user: Any) -> QuerySet[SurveyResponse]:
    """The user's own responses in surveys still open (answered ones can still be changed),
    unanswered first, then by survey and criterion."""
    if getattr(user, "pk", None) is None:
        return SurveyResponse.objects.none()
    return (
        SurveyResponse.objects.restrict(user, Action.VIEW)
        .filter(
            respondent_id=user.pk,
            survey__status=SurveyStatus.OPEN,
            survey__closes_on__gte=timezone.localdate(),
            survey__period__status=PeriodStatus.OPEN,
        )
        .select_related("survey__relationship__organization", "survey__period", "criterion")
        .order_by(
            F("answered_at").asc(nulls_first=True),
            "survey__closes_on",
            "survey_id",
            "criterion__position",
            "pk",
        )
    )
