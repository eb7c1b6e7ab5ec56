"""What the sourcing app plugs into the screens and registries below it: the Supply menu entry,
events closing soon among the due items, events in the global search, and the closing job.

The portal's "invitations to bid" section is the bidding app's (it owns the bidder's pages).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.core.access import principal_for
from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)

DUE_LIMIT = 50


def events_closing(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Open events the user may see whose bids close by ``until`` (inside users only)."""
    if not principal_for(user).is_internal:
        return []
    from steward.sourcing import selectors

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = selectors.closing_between(user=user, start=start, end=end).order_by("closes_at", "pk")
    return [
        DueItem(
            title=f"Bids close on {event.reference} {event.title}",
            due_on=timezone.localdate(event.closes_at),
            url=event.get_absolute_url(),
            kind="sourcing_event",
            detail=f"closes {timezone.localtime(event.closes_at):%H:%M}",
        )
        for event in rows[:DUE_LIMIT]
        if event.closes_at is not None
    ]


def events_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    """Events by reference or title, through the policy (portal users find none here)."""
    if not principal_for(user).is_internal:
        return []
    from steward.sourcing import selectors

    rows = selectors.event_filterset(user=user, filters={"q": query}).qs[:limit]
    return [
        SearchHit(
            kind="sourcing_event",
            title=str(event),
            url=event.get_absolute_url(),
            detail=event.get_status_display(),
        )
        for event in rows
    ]


def register() -> None:
    from steward.core.schedule import register_periodic
    from steward.sourcing.tasks import CLOSING_EVERY_MINUTES, CLOSING_JOB, EveryMinutes, closing_run

    register_nav(
        NavEntry("Sourcing", "sourcing:event-list", "supply", order=15, match_prefix="/sourcing/")
    )
    register_due("sourcing.events_closing", events_closing)
    register_search("sourcing.events", events_search)
    register_periodic(CLOSING_JOB, closing_run, EveryMinutes(CLOSING_EVERY_MINUTES))
