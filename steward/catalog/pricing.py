"""A bundle's price, as a pure function of its own price and its items (no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PricedItem:
    quantity: Decimal
    list_price: Decimal
    standard_cost: Decimal
    currency: str


@dataclass(frozen=True)
class BundlePrice:
    """``price`` is None when an item is in another currency than the bundle (it cannot be
    summed); ``mismatched`` then counts those items."""

    price: Decimal | None
    list_total: Decimal | None
    cost: Decimal | None
    fixed: bool
    mismatched: int

    @property
    def margin(self) -> Decimal | None:
        if self.price is None or self.cost is None:
            return None
        return self.price - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        margin = self.margin
        if margin is None or not self.price:
            return None
        return margin * 100 / self.price


def bundle_price(
    *, currency: str, own_price: Decimal | None, items: Iterable[PricedItem]
) -> BundlePrice:
    """The bundle's own price when it has one, otherwise the sum of quantity x list price of its
    items; the cost is the sum of quantity x standard cost. Items must be in the bundle's
    currency: one that is not makes the sums meaningless, so they are not given."""
    rows = list(items)
    mismatched = sum(1 for item in rows if item.currency != currency)
    if mismatched:
        return BundlePrice(
            price=own_price,
            list_total=None,
            cost=None,
            fixed=own_price is not None,
            mismatched=mismatched,
        )
    list_total = sum((item.quantity * item.list_price for item in rows), Decimal(0))
    cost = sum((item.quantity * item.standard_cost for item in rows), Decimal(0))
    price = own_price if own_price is not None else list_total
    return BundlePrice(
        price=price, list_total=list_total, cost=cost, fixed=own_price is not None, mismatched=0
    )
