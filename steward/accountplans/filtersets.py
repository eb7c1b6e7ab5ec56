"""Filter sets of account plans: the list page, its API and its export share them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.accountplans.choices import (
    DecisionRole,
    ObjectiveStatus,
    PlanStatus,
    Sentiment,
    Visibility,
)
from steward.accountplans.models import (
    AccountPlan,
    PlanAction,
    PlanInitiative,
    PlanObjective,
    PlanReview,
    PlanStakeholder,
)
from steward.core.filtersets import IdFilter, StewardFilterSet


class AccountPlanFilterSet(StewardFilterSet):
    search_fields = ("title", "relationship__organization__display_name")

    relationship = IdFilter(field_name="relationship_id", label="Account (relationship) id")
    owner = IdFilter(field_name="relationship__owner_id", label="Account owner id")
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices)
    meets = django_filters.BooleanFilter(
        method="filter_meets", label="Meets the standard (true) or not (false)"
    )
    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue", label="Next review date passed or not set"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("relationship__organization__display_name", "account"),
            ("starts_on", "starts"),
            ("ends_on", "ends"),
            ("last_reviewed_on", "last_review"),
            ("next_review_on", "next_review"),
        )
    )

    class Meta:
        model = AccountPlan
        fields = [
            "q",
            "relationship",
            "owner",
            "status",
            "meets",
            "review_overdue",
            "archived",
        ]

    def filter_meets(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        from steward.accountplans.selectors import plan_standing_for

        standings = plan_standing_for(queryset)
        wanted = [pk for pk, standing in standings.items() if standing.meets is bool(value)]
        return queryset.filter(pk__in=wanted)

    def filter_review_overdue(
        self, queryset: QuerySet[Any], name: str, value: Any
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = Q(next_review_on__isnull=True) | Q(next_review_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class PlanPartFilterSet(StewardFilterSet):
    plan = IdFilter(field_name="plan_id", label="Plan id")
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)


class PlanStakeholderFilterSet(PlanPartFilterSet):
    search_fields = ("contact__first_name", "contact__last_name", "notes")
    decision_role = django_filters.MultipleChoiceFilter(choices=DecisionRole.choices)
    sentiment = django_filters.MultipleChoiceFilter(choices=Sentiment.choices)

    class Meta:
        model = PlanStakeholder
        fields = ["q", "plan", "visibility", "decision_role", "sentiment", "archived"]


class PlanObjectiveFilterSet(PlanPartFilterSet):
    search_fields = ("title", "measure", "target")
    status = django_filters.MultipleChoiceFilter(choices=ObjectiveStatus.choices)

    class Meta:
        model = PlanObjective
        fields = ["q", "plan", "visibility", "status", "archived"]


class PlanInitiativeFilterSet(PlanPartFilterSet):
    search_fields = ("initiative__title", "investment_note")

    class Meta:
        model = PlanInitiative
        fields = ["q", "plan", "visibility", "archived"]


class PlanActionFilterSet(PlanPartFilterSet):
    search_fields = ("action_item__title",)

    class Meta:
        model = PlanAction
        fields = ["q", "plan", "visibility", "archived"]


class PlanReviewFilterSet(StewardFilterSet):
    search_fields = ("notes",)
    plan = IdFilter(field_name="plan_id", label="Plan id")

    class Meta:
        model = PlanReview
        fields = ["q", "plan", "archived"]
