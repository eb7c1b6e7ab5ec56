"""Reads on activities, scoped by the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from steward.core.access import Action, get_for_user
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
