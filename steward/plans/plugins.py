"""How plans plugs into the shared screens: menu entries, milestones due and global search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from steward.core.access import Action
from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)
from steward.plans import selectors
from steward.plans.choices import MilestoneStatus
from steward.plans.models import Milestone


def milestones_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open milestones the user owns, or that fall to them as the initiative's owner."""
    milestones = (
        Milestone.objects.restrict(user, Action.VIEW)
        .active()
        .filter(status=MilestoneStatus.OPEN, due_on__lte=until)
        .filter(initiative__archived_at__isnull=True)
        .filter(Q(owner=user) | Q(owner__isnull=True, initiative__owner=user))
        .select_related("initiative")
        .order_by("due_on", "pk")
    )
    return [
        DueItem(
            title=f"{m.title} ({m.initiative})",
            due_on=m.due_on,
            url=m.get_absolute_url(),
            kind="milestone",
            detail="overdue" if m.due_on < today else "",
        )
        for m in milestones[:50]
    ]


def search_initiatives(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.initiative_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Initiatives",
            i.title,
            i.get_absolute_url(),
            f"{i.relationship.organization} · {i.get_status_display()}",
        )
        for i in rows
    ]


def register() -> None:
    register_nav(
        NavEntry(
            "Roadmap", "plans:roadmap", "supply", order=14, match_prefix="/initiatives/roadmap/"
        )
    )
    register_nav(NavEntry("Initiatives", "plans:initiative-list", "shared", order=45))
    register_due("milestones", milestones_due)
    register_search("initiatives", search_initiatives)
