"""What pages and exports show of bids: each version's total in its own currency and in its
event's, and whether it prices every line. For bids the caller fetched through the policy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from steward.bidding.models import Bid
from steward.bidding.totals import CENT, Converter, offered, valuation_day
from steward.sourcing.models import EventLine, SourcingEvent


@dataclass(frozen=True)
class BidSummary:
    total: Decimal
    currency: str
    event_total: Decimal | None
    event_currency: str
    lines_offered: int
    lines_asked: int

    @property
    def complete(self) -> bool:
        return self.lines_offered >= self.lines_asked


def bid_summaries(bids: Sequence[Bid], event: SourcingEvent | None = None) -> dict[int, BidSummary]:
    """Summaries by bid id, in two queries plus one per currency and event (the rates).

    ``event`` is the bids' event when they all share one; otherwise each bid's is read from
    ``bid.invitation.event`` (select it with the bids).
    """
    if not bids:
        return {}
    events = {bid.pk: event if event is not None else bid.invitation.event for bid in bids}
    asked: dict[int, int] = defaultdict(int)
    for event_id in (
        EventLine.objects.active()
        .filter(event_id__in={e.pk for e in events.values()})
        .values_list("event_id", flat=True)
    ):
        asked[event_id] += 1
    converters: dict[int, Converter] = {}
    totals = offered(bid.pk for bid in bids)
    summaries = {}
    for bid in bids:
        bid_event = events[bid.pk]
        if bid_event.pk not in converters:
            converters[bid_event.pk] = Converter(bid_event.currency, valuation_day(bid_event))
        entry = totals.get(bid.pk)
        total = entry.total if entry else Decimal(0)
        summaries[bid.pk] = BidSummary(
            total=total.quantize(CENT),
            currency=bid.currency,
            event_total=converters[bid_event.pk](total, bid.currency),
            event_currency=bid_event.currency,
            lines_offered=len(entry.line_ids) if entry else 0,
            lines_asked=asked[bid_event.pk],
        )
    return summaries
