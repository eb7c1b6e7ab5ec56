"""The reverse-auction rank: where a bidder's latest complete bid stands among everyone's.

This is a system computation: the access policy would hide the other bids from the bidder,
so the function reads them directly and gives back nothing but the bidder's own position and
the number of ranked bids. No price, no identity and no other bid leaves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef

from steward.bidding.models import Bid
from steward.bidding.totals import Converter, offered, valuation_day
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation
from steward.sourcing.selectors import lines_of


@dataclass(frozen=True)
class Rank:
    """``position`` of ``of`` ranked bids; 1 is the lowest total, equal totals share a place."""

    position: int
    of: int

    def __str__(self) -> str:
        return f"{ordinal(self.position)} of {self.of}"


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:  # the English teens take "th"
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def reverse_auction_rank(invitation: EventInvitation, *, day: dt.date | None = None) -> Rank | None:
    """The invitee's rank by total in the event's currency among the latest complete bids
    (bids that price every line of the event) of the invitees that have not declined.

    None when the event holds no reverse auction or the invitee's latest bid is not complete
    (or cannot be converted to the event's currency). Rank = 1 + the number of strictly lower
    totals.
    """
    event = invitation.event
    if not event.reverse_auction:
        return None
    to_event_currency = Converter(event.currency, day or valuation_day(event))
    newer = Bid.objects.filter(
        invitation_id=OuterRef("invitation_id"), number__gt=OuterRef("number")
    )
    latest = {
        bid_id: (invitation_id, currency)
        for bid_id, invitation_id, currency in Bid.objects.filter(invitation__event_id=event.pk)
        .exclude(invitation__status=InvitationStatus.DECLINED)
        .filter(~Exists(newer))
        .values_list("pk", "invitation_id", "currency")
    }
    required = set(lines_of(event).values_list("pk", flat=True))
    totals: dict[int, Decimal] = {}
    for bid_id, entry in offered(latest).items():
        if not required <= entry.line_ids:
            continue
        invitation_id, currency = latest[bid_id]
        converted = to_event_currency(entry.total, currency)
        if converted is not None:
            totals[invitation_id] = converted
    own = totals.get(invitation.pk)
    if own is None:
        return None
    return Rank(position=1 + sum(1 for total in totals.values() if total < own), of=len(totals))
