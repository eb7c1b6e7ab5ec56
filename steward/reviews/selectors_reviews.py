"""Reads on business reviews, decisions and action items, scoped by the access policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from steward.core.access import Action, can_create, get_for_user
from steward.parties.models import Relationship
from steward.reviews.choices import ActionStatus, ReviewStatus
from steward.reviews.filtersets_reviews import (
    ActionItemFilterSet,
    BusinessReviewFilterSet,
)
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision


def _reviews() -> QuerySet[BusinessReview]:
    return BusinessReview.objects.select_related("relationship__organization", "owner")


def review_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> BusinessReviewFilterSet:
    reviews = (
        BusinessReview.objects.restrict(user, Action.VIEW)
        .select_related("relationship__organization", "owner")
        .annotate(
            open_actions=Count(
                "action_items",
                filter=Q(
                    action_items__status=ActionStatus.OPEN,
                    action_items__archived_at__isnull=True,
                ),
            )
        )
        # An aggregate drops the model's default order; lists page through a stable one.
        .order_by("-scheduled_on", "-pk")
    )
    return BusinessReviewFilterSet(filters or {}, queryset=reviews)


def review_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[BusinessReview]:
    return review_filterset(user=user, filters=filters).qs


def review_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> BusinessReview:
    reviews = _reviews().select_related("previous").prefetch_related("attendees", "contacts")
    return get_for_user(reviews, user=user, pk=pk, action=action)


def review_decisions(*, user: Any, review: BusinessReview) -> QuerySet[ReviewDecision]:
    return (
        ReviewDecision.objects.restrict(user, Action.VIEW)
        .active()
        .filter(review=review)
        .select_related("recorded_by")
        .order_by("pk")
    )


def review_actions(*, user: Any, review: BusinessReview) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.restrict(user, Action.VIEW)
        .active()
        .filter(review=review)
        .select_related("owner", "owner_contact")
        .order_by("due_on", "pk")
    )


def decision_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ReviewDecision:
    decisions = ReviewDecision.objects.select_related("review__relationship__organization")
    return get_for_user(decisions, user=user, pk=pk, action=action)


def action_item_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> ActionItemFilterSet:
    actions = ActionItem.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "review", "owner", "owner_contact"
    )
    return ActionItemFilterSet(filters or {}, queryset=actions)


def action_item_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ActionItem:
    actions = ActionItem.objects.select_related(
        "relationship__organization", "review", "owner", "owner_contact"
    )
    return get_for_user(actions, user=user, pk=pk, action=action)


def my_actions_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> Any:
    """Open action items the user owns (the "My actions" page)."""
    filterset = action_item_filterset(user=user, filters=filters)
    filterset.queryset = filterset.queryset.filter(
        owner_id=user.pk, status=ActionStatus.OPEN
    ).order_by("due_on", "pk")
    return filterset


def my_open_actions(*, user: Any, until: dt.date) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.restrict(user, Action.VIEW)
        .active()
        .filter(owner_id=user.pk, status=ActionStatus.OPEN, due_on__lte=until)
        .select_related("relationship__organization")
        .order_by("due_on", "pk")
    )


# A relationship's page shows its latest reviews; the full list is one link away.
REVIEWS_TAB_LIMIT = 10


def reviews_for(*, user: Any, relationship: Relationship) -> dict[str, Any]:
    """The context ``reviews/_reviews_block.html`` expects, on a relationship's page."""
    reviews = review_list(user=user, filters={"relationship": relationship.pk})
    return {
        "reviews": list(reviews.order_by("-scheduled_on", "-pk")[:REVIEWS_TAB_LIMIT]),
        "review_total": reviews.count(),
        "planned_review": reviews.filter(status=ReviewStatus.PLANNED)
        .order_by("scheduled_on")
        .first(),
        "can_schedule_review": not relationship.is_archived
        and can_create(user, BusinessReview, parent=relationship),
    }
