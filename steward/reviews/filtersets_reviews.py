"""Filter sets of business reviews, their decisions and action items: one serves the web list,
the API and the export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.reviews.choices import ActionSide, ActionStatus, ReviewKind, ReviewStatus
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision

WHEN_CHOICES = [("upcoming", "Upcoming"), ("overdue", "Overdue (planned, date passed)")]


class BusinessReviewFilterSet(StewardFilterSet):
    search_fields = ("title", "minutes", "relationship__organization__display_name")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ReviewKind.choices)
    owner = IdFilter(field_name="owner_id", label="Owner (user id)")
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, method="filter_when", label="Upcoming or overdue"
    )
    since = django_filters.DateFilter(field_name="scheduled_on", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="scheduled_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(("scheduled_on", "scheduled"), ("title", "title"), ("status", "status"))
    )

    class Meta:
        model = BusinessReview
        fields = [
            "q",
            "relationship",
            "status",
            "kind",
            "owner",
            "when",
            "since",
            "until",
            "archived",
        ]

    def filter_when(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        planned = queryset.filter(status=ReviewStatus.PLANNED)
        if value == "upcoming":
            return planned.filter(scheduled_on__gte=today)
        return planned.filter(scheduled_on__lt=today)


class ReviewDecisionFilterSet(StewardFilterSet):
    search_fields = ("text",)

    review = IdFilter(field_name="review_id", label="Review id")
    relationship = IdFilter(field_name="review__relationship_id", label="Relationship id")

    class Meta:
        model = ReviewDecision
        fields = ["q", "review", "relationship", "archived"]


class ActionItemFilterSet(StewardFilterSet):
    search_fields = ("title", "follow_up", "relationship__organization__display_name")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    review = IdFilter(field_name="review_id", label="Review id")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    side = django_filters.ChoiceFilter(choices=ActionSide.choices)
    owner = IdFilter(field_name="owner_id", label="Owner (user id)")
    owner_contact = IdFilter(field_name="owner_contact_id", label="Owner (contact id)")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Open and past due")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due"), ("title", "title"), ("status", "status"))
    )

    class Meta:
        model = ActionItem
        fields = [
            "q",
            "relationship",
            "review",
            "status",
            "side",
            "owner",
            "owner_contact",
            "overdue",
            "due_before",
            "due_after",
            "archived",
        ]

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = {"status": ActionStatus.OPEN, "due_on__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
