"""Reads on plans, every one scoped by the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from steward.core.access import Action, can_create, get_for_user
from steward.parties.models import Relationship
from steward.plans.choices import MilestoneStatus
from steward.plans.filtersets import InitiativeFilterSet
from steward.plans.models import Initiative, Milestone


def initiative_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> InitiativeFilterSet:
    initiatives = (
        Initiative.objects.restrict(user, Action.VIEW)
        .select_related("relationship__organization", "owner")
        .annotate(
            milestone_count=Count("milestones", filter=Q(milestones__archived_at__isnull=True)),
            milestones_open=Count(
                "milestones",
                filter=Q(
                    milestones__archived_at__isnull=True,
                    milestones__status=MilestoneStatus.OPEN,
                ),
            ),
            milestones_overdue=Count(
                "milestones",
                filter=Q(
                    milestones__archived_at__isnull=True,
                    milestones__status=MilestoneStatus.OPEN,
                    milestones__due_on__lt=timezone.localdate(),
                ),
            ),
        )
    )
    # Meta.ordering does not apply to aggregating queries; name it for stable pages.
    initiatives = initiatives.order_by("starts_on", "title", "pk")
    return InitiativeFilterSet(filters or {}, queryset=initiatives)


def initiative_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Initiative]:
    return initiative_filterset(user=user, filters=filters).qs


def initiative_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Initiative:
    initiatives = Initiative.objects.select_related(
        "relationship__organization", "owner"
    ).prefetch_related(
        Prefetch(
            "milestones",
            queryset=Milestone.objects.active().select_related("owner"),
            to_attr="active_milestones",
        )
    )
    return get_for_user(initiatives, user=user, pk=pk, action=action)


def milestone_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Milestone:
    milestones = Milestone.objects.select_related("initiative__relationship", "owner")
    return get_for_user(milestones, user=user, pk=pk, action=action)


def roadmap_initiatives(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> QuerySet[Initiative]:
    """Dated initiatives in roadmap order: by organization, then start."""
    return (
        initiative_list(user=user, filters=filters)
        .filter(starts_on__isnull=False)
        .order_by("relationship__organization__display_name", "starts_on", "pk")
    )


def roadmap(
    *, user: Any, filters: Mapping[str, Any] | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Dated initiatives across relationships, one bar each, for a timeline.

    Undated initiatives cannot be placed on a timeline and are left out; a missing end is
    drawn as a single day. ``limit`` keeps the first rows only.
    """
    rows = roadmap_initiatives(user=user, filters=filters)
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "id": initiative.pk,
            "title": initiative.title,
            "vendor": initiative.relationship.organization.display_name,
            "relationship_id": initiative.relationship_id,
            "kind": initiative.get_kind_display(),
            "status": initiative.status,
            "status_label": initiative.get_status_display(),
            "owner": initiative.owner.get_full_name() or initiative.owner.get_username(),
            "starts_on": initiative.starts_on,
            "ends_on": initiative.ends_on or initiative.starts_on,
            "url": initiative.get_absolute_url(),
        }
        for initiative in rows
    ]


def initiatives_for(*, user: Any, relationship: Relationship) -> dict[str, Any]:
    """The context ``plans/_initiatives_tab.html`` expects, for a relationship's page."""
    return {
        "relationship": relationship,
        "initiatives": initiative_list(user=user, filters={"relationship": relationship.pk}),
        "can_add_initiative": not relationship.is_archived
        and can_create(user, Initiative, parent=relationship),
    }
