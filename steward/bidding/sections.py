"""The "Bids" section of an event's page (sourcing draws it; bidding fills it).

Before the closing time it says until when the bids are sealed and how many invitees have bid
(a count; no bid is read). From the closing time on it lists each invitee's latest bid, read
through the policy, whose seal lifts by the database's clock at the same moment.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from steward.bidding import selectors
from steward.bidding.summaries import bid_summaries
from steward.core.access import principal_for
from steward.sourcing.choices import EventStatus


def event_bids_context(request: Any, event: Any) -> dict[str, Any] | None:
    if principal_for(request.user).is_external or event.status == EventStatus.DRAFT:
        return None
    sealed = not event.is_closed_at(timezone.now())
    context: dict[str, Any] = {
        "event": event,
        "sealed": sealed,
        "progress": selectors.bid_progress(event),
    }
    if not sealed:
        bids = list(selectors.latest_bids(user=request.user, event=event))
        summaries = bid_summaries(bids, event)
        context["rows"] = [(bid, summaries[bid.pk]) for bid in bids]
        query = f"?event={event.pk}&latest=true"
        context["list_url"] = reverse("bidding:bid-list") + query
        context["export_url"] = context["list_url"] + "&export=csv"
    return context
