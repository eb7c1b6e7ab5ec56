"""The arithmetic of an opportunity's lines: amounts and costs in cents, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_price(value: Decimal) -> Decimal:
    """A unit price or cost as stored: four decimal places, half up."""
    return value.quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """quantity * unit price * (1 - discount ÷ 100), rounded half up to cents."""
    return to_cents(quantity * unit_price * (1 - discount_percent / HUNDRED))


def line_cost(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """quantity * unit cost, rounded half up to cents."""
    return to_cents(quantity * unit_cost)
