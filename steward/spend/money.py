"""Money and months as the ledger keeps them: whole cents of the base currency, yyyymm months."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings

CENT = Decimal("0.01")


def base_currency() -> str:
    """The currency every line is converted to (STEWARD_SPEND_CURRENCY, EUR by default)."""
    return str(getattr(settings, "STEWARD_SPEND_CURRENCY", "EUR"))


def to_cents(amount: Decimal) -> int:
    """Whole cents, half away from zero."""
    return int((amount * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(CENT)


def month_of(day: dt.date) -> int:
    return day.year * 100 + day.month


def month_start(month: int) -> dt.date:
    return dt.date(month // 100, month % 100, 1)


def month_end(month: int) -> dt.date:
    year, number = divmod(month, 100)
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def month_add(month: int, months: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + months
    return (index // 12) * 100 + index % 12 + 1


def month_label(month: int) -> str:
    return month_start(month).strftime("%b %Y")
