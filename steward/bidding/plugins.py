"""How bidding plugs into the screens below it: the portal home's "Invitations to bid", the
portal users' due items (closing times), the global search, and the event page's "Bids"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from steward.core.access import principal_for
from steward.core.registry import (
    DueItem,
    PortalSection,
    SearchHit,
    register_due,
    register_portal_section,
    register_search,
)

SECTION_ROWS = 10
DUE_LIMIT = 50


def _invitations(user: Any) -> Any:
    """The user's organization's invitations to events still taking bids (portal users)."""
    from steward.sourcing.selectors import events_for_invitee

    rows = events_for_invitee(user=user)
    return rows if principal_for(user).is_external else rows.none()


def _portal_context(user: Any) -> dict[str, Any]:
    return {"invitations": list(_invitations(user)[:SECTION_ROWS])}


def _portal_count(user: Any) -> int:
    return int(_invitations(user).count())


def bids_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """A portal user's open invitations fall due on their closing day."""
    rows = _invitations(user)
    return [
        DueItem(
            title=f"Bid on {invitation.event.reference} {invitation.event.title}",
            due_on=timezone.localdate(invitation.event.closes_at),
            url=invitation.get_absolute_url(),
            kind="bid",
            detail=f"closes {timezone.localtime(invitation.event.closes_at):%H:%M %Z}",
        )
        for invitation in rows[:DUE_LIMIT]
        if invitation.event.closes_at and timezone.localdate(invitation.event.closes_at) <= until
    ]


def bids_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    """Bids by event or vendor, through the policy: sealed bids are found by nobody inside."""
    from steward.bidding import selectors

    rows = selectors.bid_filterset(user=user, filters={"q": query, "latest": "true"}).qs[:limit]
    external = principal_for(user).is_external
    return [
        SearchHit(
            kind="bid",
            title=f"Bid v{bid.number} · {bid.invitation.event.reference} · "
            f"{bid.invitation.supplier.relationship.organization.display_name}",
            url=bid.invitation.get_absolute_url()
            if external
            else reverse("bidding:bid-detail", args=[bid.pk]),
            detail=f"submitted {timezone.localtime(bid.submitted_at):%Y-%m-%d %H:%M}",
        )
        for bid in rows
    ]


def _event_section(request: Any, event: Any) -> dict[str, Any] | None:
    from steward.bidding.sections import event_bids_context

    return event_bids_context(request, event)


def register() -> None:
    from steward.sourcing.sections import EventSection, register_event_section

    register_portal_section(
        PortalSection(
            name="invitations_to_bid",
            title="Invitations to bid",
            template="bidding/portal/_section.html",
            context=_portal_context,
            count=_portal_count,
            order=5,
        )
    )
    register_due("bidding", bids_due)
    register_search("bids", bids_search)
    register_event_section(
        EventSection(
            name="bids",
            title="Bids",
            template="bidding/_event_section.html",
            context=_event_section,
            order=50,
        )
    )
