"""Reads on activities, scoped by the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from steward.core.access import Action, can_create, get_for_user
from steward.parties.models import Relationship
from steward.reviews.filtersets import ActivityFilterSet
from steward.reviews.models import Activity


def activity_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> ActivityFilterSet:
    activities = (
        Activity.objects.restrict(user, Action.VIEW)
        .select_related("relationship__organization", "logged_by")
        .prefetch_related("participants", "contacts")
    )
    return ActivityFilterSet(filters or {}, queryset=activities)


def activity_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Activity]:
    return activity_filterset(user=user, filters=filters).qs


def activity_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Activity:
    activities = Activity.objects.select_related(
        "relationship__organization", "logged_by"
    ).prefetch_related("participants", "contacts")
    return get_for_user(activities, user=user, pk=pk, action=action)


# The relationship page shows the latest activities; the full list is one link away.
ACTIVITIES_TAB_LIMIT = 25


def activities_for(*, user: Any, relationship: Relationship) -> dict[str, Any]:
    """The context ``reviews/_activities_tab.html`` expects, for a relationship's page: its
    activities and, above them, its business reviews."""
    from steward.reviews.selectors_reviews import reviews_for

    activities = activity_list(user=user, filters={"relationship": relationship.pk})
    return {
        **reviews_for(user=user, relationship=relationship),
        "relationship": relationship,
        "activities": activities[:ACTIVITIES_TAB_LIMIT],
        "activity_total": activities.count(),
        "can_log_activity": not relationship.is_archived
        and can_create(user, Activity, parent=relationship),
    }
