"""Read-only figures for the home pages; every number goes through the access policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q

from steward.core.access import Principal
from steward.core.registry import DueItem, due_items
from steward.parties import selectors as parties
from steward.parties.choices import Side
from steward.parties.models import Organization, Relationship

User = get_user_model()


def due_soon(*, user: Any, today: dt.date, days: int = 30) -> list[DueItem]:
    return due_items(user, today=today, until=today + dt.timedelta(days=days))


def team_rollup(*, user: Any, principal: Principal) -> list[dict[str, Any]]:
    """Per report: how many relationships they own on each side, in one grouped query."""
    if not principal.report_ids:
        return []
    rows = (
        parties.relationship_list(user=user)
        .filter(owner_id__in=principal.report_ids)
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(
            vendors=Count("pk", filter=Q(side=Side.SUPPLY)),
            accounts=Count("pk", filter=Q(side=Side.DEMAND)),
            strategic=Count("pk", filter=Q(tier=1)),
        )
        .order_by("owner__last_name", "owner__first_name")
    )
    return [dict(row) for row in rows]


def system_overview() -> dict[str, Any]:
    """What an administrator or auditor sees at a glance (both may read everything)."""
    relationships = Relationship.objects.active().aggregate(
        vendors=Count("pk", filter=Q(side=Side.SUPPLY)),
        accounts=Count("pk", filter=Q(side=Side.DEMAND)),
    )
    roles = Group.objects.annotate(people=Count("user", filter=Q(user__is_active=True))).order_by(
        "name"
    )
    return {
        "organizations": Organization.objects.active().count(),
        "archived_organizations": Organization.objects.filter(archived_at__isnull=False).count(),
        "people": User.objects.filter(is_active=True).count(),
        "roles": roles,
        **relationships,
    }


def recent_changes(*, limit: int = 15) -> list[Any]:
    """The newest changes to organizations and relationships, for auditors and administrators."""
    organizations = list(
        Organization.history.select_related("history_user").order_by("-history_date")[:limit]
    )
    relationships = list(
        Relationship.history.select_related("history_user", "organization").order_by(
            "-history_date"
        )[:limit]
    )
    merged = sorted(organizations + relationships, key=lambda r: r.history_date, reverse=True)
    return merged[:limit]
