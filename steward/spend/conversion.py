"""Amounts in another currency, converted at the ledger's exchange rates (sourcing, the
pipeline, quotas and account profitability all convert through here).

A rate says what one unit of a currency is worth in the base currency from its date until the
next rate of that currency (see ``steward.spend.models.ExchangeRate``), so a conversion between
two foreign currencies goes through the base currency.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from steward.core.errors import DomainError
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency


def rate_on(currency: str, day: dt.date) -> Decimal:
    """What one unit of ``currency`` is worth in the base currency on ``day``."""
    if currency == base_currency():
        return Decimal(1)
    rate = (
        ExchangeRate.objects.active()
        .filter(currency=currency, rate_date__lte=day)
        .order_by("-rate_date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise DomainError(
            f"There is no exchange rate for {currency} on or before {day:%Y-%m-%d}; "
            "finance adds one under Spend → Exchange rates.",
            code="no_rate",
            field="currency",
        )
    return rate


def convert(amount: Decimal, from_currency: str, to_currency: str, day: dt.date) -> Decimal:
    """``amount`` of ``from_currency`` in ``to_currency`` at the rates of ``day`` (unrounded)."""
    if from_currency == to_currency:
        return amount
    return amount * rate_on(from_currency, day) / rate_on(to_currency, day)
