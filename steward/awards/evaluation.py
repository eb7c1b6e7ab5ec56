"""The arithmetic of evaluating bids: plain values in, plain values out, no database.

Every amount is a ``Decimal`` in the event's currency; nothing is rounded until a page shows it
(``money``), so ranks and flags are decided on the unrounded figures. The rules, with the
symbols of docs/sourcing.md:

- normalized unit price  u = unit price ÷ price per x rate (one unit of the bid's currency in
  the event's currency); the line's price  P = u x quantity;
- evaluated price        E = P ÷ (1 + Σ v ÷ (1 - Σ m)), each feature value v capped to [0, m],
  the maxima m summing to at most 0.3; E = P for a lowest-price event; then life-cycle cost L
  is added: E + L;
- cost of ownership      TCO = E + L + delivery + P x quality rate
                               + P x scorecard weight x (100 - scorecard score) ÷ 100
  (no scorecard term when the vendor has no scored card, and the result says so);
- abnormally low         P is 40 % or more under the mean of the other bids on the line, or
  30 % or more under the next bid up (the cheapest other bid not below it); needs two bids;
- ranking                per line by TCO, then the earlier submission, then the lower price;
  over a set of lines, the bidders that bid every one of them, by their total TCO.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TypeVar

from steward.core.errors import DomainError

# Enough digits that sums and products of the stored amounts are exact; division rounds at the
# last of them, far below a cent.
PRECISION = 50
FEATURE_CAP = Decimal("0.3")
MEAN_RULE = Decimal("0.4")  # 40 % or more under the mean of the other bids
NEXT_RULE = Decimal("0.3")  # 30 % or more under the next bid up
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
UNIT = Decimal("0.0001")  # unit prices are kept to four places
NO_SCORECARD = "no scored scorecard: no adjustment"

_T = TypeVar("_T")


def _exact(compute: Callable[[], _T]) -> _T:
    with localcontext() as context:
        context.prec = PRECISION
        return compute()


def money(amount: Decimal, places: Decimal = CENT) -> Decimal:
    """An amount as shown: rounded half up to ``places`` (cents unless told)."""
    return amount.quantize(places, rounding=ROUND_HALF_UP)


# --- price -------------------------------------------------------------------------------------


def normalized_unit_price(unit_price: Decimal, price_per: Decimal, rate: Decimal) -> Decimal:
    """The price of one line unit in the event's currency."""
    if price_per <= 0:
        raise DomainError("A price is per a positive number of units.", field="price_per")
    if rate <= 0:
        raise DomainError("An exchange rate is positive.", field="currency", code="no_rate")
    return _exact(lambda: unit_price / price_per * rate)


@dataclass(frozen=True)
class Feature:
    """One non-price criterion of a bid: the evaluator's value and the criterion's maximum."""

    value: Decimal
    maximum: Decimal

    @property
    def capped(self) -> Decimal:
        return min(max(self.value, Decimal(0)), self.maximum)


def check_maxima(maxima: Iterable[Decimal]) -> Decimal:
    """The sum of the criteria's maxima, refused over 0.3 (the formula needs it below 1)."""
    maxima = list(maxima)
    if any(m < 0 for m in maxima):
        raise DomainError("A criterion's maximum is not negative.", field="criteria")
    total = sum(maxima, Decimal(0))
    if total > FEATURE_CAP:
        raise DomainError(
            f"The criteria's maximum values add up to {total}; they may add up to at most "
            f"{FEATURE_CAP}. Lower some maxima.",
            field="criteria",
            code="criteria_over_cap",
        )
    return total


def evaluated_price(price: Decimal, features: Sequence[Feature]) -> Decimal:
    """price ÷ (1 + Σ capped values ÷ (1 - Σ maxima)): non-price merit lowers the price."""
    maxima = check_maxima([f.maximum for f in features])
    values = sum((f.capped for f in features), Decimal(0))
    if values == 0:
        return price
    return _exact(lambda: price / (1 + values / (1 - maxima)))


# --- one bid line --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What the event says about evaluating."""

    weighted: bool
    quality_cost_rate: Decimal = Decimal(0)
    scorecard_weight: Decimal = Decimal(0)


@dataclass(frozen=True)
class Offer:
    """One bid line as submitted; amounts in the bid's currency, ``rate`` into the event's."""

    bidder: Hashable
    line: Hashable
    unit_price: Decimal
    price_per: Decimal
    quantity: Decimal
    rate: Decimal
    submitted_at: dt.datetime
    delivery_cost: Decimal = Decimal(0)
    lifecycle_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class Bidder:
    """What applies to all of a bidder's lines: its feature values and its scorecard score."""

    features: tuple[Feature, ...] = ()
    scorecard_score: Decimal | None = None


@dataclass(frozen=True)
class LineCost:
    """One bid line evaluated, every amount in the event's currency."""

    bidder: Hashable
    line: Hashable
    submitted_at: dt.datetime
    unit_price: Decimal
    price: Decimal
    evaluated: Decimal
    lifecycle_cost: Decimal
    delivery_cost: Decimal
    quality_cost: Decimal
    scorecard_adjustment: Decimal
    scorecard_note: str
    tco: Decimal

    @property
    def evaluated_with_lifecycle(self) -> Decimal:
        return self.evaluated + self.lifecycle_cost


def scorecard_adjustment(
    price: Decimal, weight: Decimal, score: Decimal | None
) -> tuple[Decimal, str]:
    """price x weight x (100 - score) ÷ 100, and a note when there is no score to use."""
    if score is None:
        return Decimal(0), NO_SCORECARD if weight else ""
    missing = HUNDRED - min(max(score, Decimal(0)), HUNDRED)
    return _exact(lambda: price * weight * missing / HUNDRED), ""


def line_cost(offer: Offer, terms: Terms, bidder: Bidder) -> LineCost:
    """The normalized price, evaluated price and cost of ownership of one bid line."""
    unit = normalized_unit_price(offer.unit_price, offer.price_per, offer.rate)
    price = _exact(lambda: unit * offer.quantity)
    evaluated = evaluated_price(price, bidder.features) if terms.weighted else price
    lifecycle = _exact(lambda: offer.lifecycle_cost * offer.rate)
    delivery = _exact(lambda: offer.delivery_cost * offer.rate)
    quality = _exact(lambda: price * terms.quality_cost_rate)
    adjustment, note = scorecard_adjustment(price, terms.scorecard_weight, bidder.scorecard_score)
    return LineCost(
        bidder=offer.bidder,
        line=offer.line,
        submitted_at=offer.submitted_at,
        unit_price=unit,
        price=price,
        evaluated=evaluated,
        lifecycle_cost=lifecycle,
        delivery_cost=delivery,
        quality_cost=quality,
        scorecard_adjustment=adjustment,
        scorecard_note=note,
        tco=_exact(lambda: evaluated + lifecycle + delivery + quality + adjustment),
    )


# --- abnormally low bids -----------------------------------------------------------------------


class LowRule(enum.StrEnum):
    MEAN = "mean"
    NEXT = "next"

    @property
    def label(self) -> str:
        if self is LowRule.MEAN:
            return "40 % or more under the mean of the other bids"
        return "30 % or more under the next bid"


def abnormally_low(prices: Mapping[Hashable, Decimal]) -> dict[Hashable, tuple[LowRule, ...]]:
    """The rules each bid on one line breaks (an empty tuple for a sound bid).

    Compared exactly: ``p ≤ 0.6 x mean`` is ``p x n ≤ 0.6 x sum`` over the n other bids, and a
    bid is only under a positive figure.
    """
    flags: dict[Hashable, tuple[LowRule, ...]] = dict.fromkeys(prices, ())
    if len(prices) < 2:
        return flags
    for key, price in prices.items():
        others = [p for k, p in prices.items() if k != key]
        fired: list[LowRule] = []
        total = sum(others, Decimal(0))
        if total > 0 and price * len(others) <= (1 - MEAN_RULE) * total:
            fired.append(LowRule.MEAN)
        above = [p for p in others if p >= price]
        if above and min(above) > 0 and price <= (1 - NEXT_RULE) * min(above):
            fired.append(LowRule.NEXT)
        flags[key] = tuple(fired)
    return flags


# --- ranking -----------------------------------------------------------------------------------


def _line_order(cost: LineCost) -> tuple[Decimal, dt.datetime, Decimal, str]:
    return (cost.tco, cost.submitted_at, cost.price, str(cost.bidder))


def rank_line(costs: Iterable[LineCost]) -> list[LineCost]:
    """A line's bids from the best: lowest TCO, then the earlier submission, then lower price."""
    return sorted(costs, key=_line_order)


@dataclass(frozen=True)
class BidderTotal:
    """A bidder's figures over a set of lines it bid in full."""

    bidder: Hashable
    submitted_at: dt.datetime
    price: Decimal
    tco: Decimal
    rank: int


def rank_bidders(costs: Iterable[LineCost], lines: Iterable[Hashable]) -> list[BidderTotal]:
    """The bidders that bid every one of ``lines``, from the best total TCO over them (ties: the
    earlier submission, then the lower total price)."""
    wanted = set(lines)
    by_bidder: dict[Hashable, list[LineCost]] = defaultdict(list)
    for cost in costs:
        if cost.line in wanted:
            by_bidder[cost.bidder].append(cost)
    complete = [
        (
            sum((c.tco for c in rows), Decimal(0)),
            min(c.submitted_at for c in rows),
            sum((c.price for c in rows), Decimal(0)),
            bidder,
        )
        for bidder, rows in by_bidder.items()
        if wanted and {c.line for c in rows} == wanted
    ]
    complete.sort(key=lambda row: (row[0], row[1], row[2], str(row[3])))
    return [
        BidderTotal(bidder=bidder, submitted_at=at, price=price, tco=tco, rank=index)
        for index, (tco, at, price, bidder) in enumerate(complete, start=1)
    ]


# --- a whole event -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedCost:
    cost: LineCost
    rank: int
    flags: tuple[LowRule, ...]


@dataclass(frozen=True)
class Evaluation:
    """Every bid line of an event evaluated, ranked and flagged, per line."""

    lines: dict[Hashable, list[RankedCost]]

    def costs(self) -> list[LineCost]:
        return [ranked.cost for rows in self.lines.values() for ranked in rows]

    def cell(self, line: Hashable, bidder: Hashable) -> RankedCost | None:
        return next((r for r in self.lines.get(line, []) if r.cost.bidder == bidder), None)

    def ranking(self, lines: Iterable[Hashable]) -> list[BidderTotal]:
        return rank_bidders(self.costs(), lines)


def evaluate(
    offers: Iterable[Offer], terms: Terms, bidders: Mapping[Hashable, Bidder]
) -> Evaluation:
    """Cost every offer, then rank and flag the bids of each line."""
    by_line: dict[Hashable, list[LineCost]] = defaultdict(list)
    for offer in offers:
        by_line[offer.line].append(line_cost(offer, terms, bidders.get(offer.bidder, Bidder())))
    lines: dict[Hashable, list[RankedCost]] = {}
    for line, costs in by_line.items():
        flags = abnormally_low({c.bidder: c.price for c in costs})
        lines[line] = [
            RankedCost(cost=cost, rank=rank, flags=flags[cost.bidder])
            for rank, cost in enumerate(rank_line(costs), start=1)
        ]
    return Evaluation(lines=lines)
