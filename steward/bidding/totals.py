"""What a bid's prices add up to, in its own currency and in the event's.

A bid's total is Σ unit price ÷ price per x the line's quantity over the lines it offers
(delivery and life-cycle costs are the evaluation's business). Totals are read from the bid
lines in one query and summed in Decimal, so equal offers compare equal on every database;
converted totals are rounded to the cent, the unit people compare prices in.

Callers pass bids they fetched through the access policy, or (the reverse-auction rank) keep
what they compute to themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from steward.bidding.models import BidLine
from steward.core.errors import DomainError
from steward.sourcing.models import SourcingEvent
from steward.spend.conversion import convert

CENT = Decimal("0.01")


@dataclass
class Offered:
    """What one bid offers: its total in its own currency and the event lines it prices."""

    total: Decimal = Decimal(0)
    line_ids: set[int] = field(default_factory=set)


def valuation_day(event: SourcingEvent) -> dt.date:
    """The rates' day: today while the event is open, its closing day from then on."""
    today = timezone.localdate()
    if event.closes_at is None:
        return today
    return min(today, timezone.localdate(event.closes_at))


def offered(bid_ids: Iterable[int]) -> dict[int, Offered]:
    """Each bid's total and priced lines, from one query over its lines."""
    result: dict[int, Offered] = {}
    rows = BidLine.objects.filter(bid_id__in=list(bid_ids)).values_list(
        "bid_id", "line_id", "unit_price", "price_per", "line__quantity"
    )
    for bid_id, line_id, unit_price, price_per, quantity in rows:
        entry = result.setdefault(bid_id, Offered())
        entry.total += unit_price * quantity / price_per
        entry.line_ids.add(line_id)
    return result


class Converter:
    """Amounts into one currency at one day's rates, each rate read once per converter."""

    def __init__(self, target: str, day: dt.date) -> None:
        self.target = target
        self.day = day
        self._factors: dict[str, Decimal | None] = {}

    def factor(self, currency: str) -> Decimal | None:
        if currency not in self._factors:
            try:
                self._factors[currency] = convert(Decimal(1), currency, self.target, self.day)
            except DomainError:
                self._factors[currency] = None
        return self._factors[currency]

    def __call__(self, amount: Decimal, currency: str) -> Decimal | None:
        """``amount`` in the target currency to the cent; None when the ledger has no rate to
        make the conversion (the bid cannot be compared)."""
        factor = self.factor(currency)
        return None if factor is None else (amount * factor).quantize(CENT)
