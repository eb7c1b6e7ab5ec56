"""Amounts in another currency, converted at the ledger's exchange rates (sourcing, the
pipeline, quotas and account profitability all convert through here).

A rate says what one unit of a currency is worth in the base currency from its date until the
next rate of that currency (see ``steward.spend.models.ExchangeRate``), so a conversion between
two foreign currencies goes through the base currency.

``rate_on`` and ``convert`` ask the database once per call; a roll-up that converts many sums
loads a ``RateBook`` once (one query for every currency involved) and looks each day up in
memory by the same rule.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from steward.core.errors import DomainError
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency


def _no_rate(currency: str, day: dt.date) -> DomainError:
    return DomainError(
        f"There is no exchange rate for {currency} on or before {day:%Y-%m-%d}; "
        "finance adds one under Spend → Exchange rates.",
        code="no_rate",
        field="currency",
    )


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
        raise _no_rate(currency, day)
    return rate


def convert(amount: Decimal, from_currency: str, to_currency: str, day: dt.date) -> Decimal:
    """``amount`` of ``from_currency`` in ``to_currency`` at the rates of ``day`` (unrounded)."""
    if from_currency == to_currency:
        return amount
    return amount * rate_on(from_currency, day) / rate_on(to_currency, day)


class RateBook:
    """The rates of ``currencies`` up to ``until``, read in one query, for many conversions."""

    def __init__(self, currencies: Iterable[str], *, until: dt.date) -> None:
        self.base = base_currency()
        wanted = sorted({code for code in currencies if code and code != self.base})
        self._days: dict[str, list[dt.date]] = {code: [] for code in wanted}
        self._rates: dict[str, list[Decimal]] = {code: [] for code in wanted}
        if wanted:
            rows = (
                ExchangeRate.objects.active()
                .filter(currency__in=wanted, rate_date__lte=until)
                .order_by("currency", "rate_date")
                .values_list("currency", "rate_date", "rate")
            )
            for code, day, rate in rows:
                self._days[code].append(day)
                self._rates[code].append(rate)

    def rate_on(self, currency: str, day: dt.date) -> Decimal:
        """What one unit of ``currency`` is worth in the base currency on ``day``."""
        if currency == self.base:
            return Decimal(1)
        days = self._days.get(currency) or []
        index = bisect.bisect_right(days, day) - 1
        if index < 0:
            raise _no_rate(currency, day)
        return self._rates[currency][index]

    def convert(
        self, amount: Decimal, from_currency: str, to_currency: str, day: dt.date
    ) -> Decimal:
        """``amount`` of ``from_currency`` in ``to_currency`` at the rates of ``day``. Nothing
        converts to nothing without a rate: a roll-up's empty sum in a currency that has no rate
        yet is not an error."""
        if from_currency == to_currency or amount == 0:
            return amount
        return amount * self.rate_on(from_currency, day) / self.rate_on(to_currency, day)
