"""Exchange rates for many conversions at once: the rates of the currencies involved are read
in one query, then every (currency, day) is resolved in memory with the same rule as
``steward.spend.conversion.rate_on`` (the latest rate on or before the day)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from steward.core.errors import DomainError
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency


class RateTable:
    def __init__(self, currencies: Iterable[str], *, until: dt.date) -> None:
        self.base = base_currency()
        wanted = sorted(set(currencies) - {self.base})
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
        if currency == self.base:
            return Decimal(1)
        days = self._days.get(currency, [])
        index = bisect.bisect_right(days, day) - 1
        if index < 0:
            raise DomainError(
                f"There is no exchange rate for {currency} on or before {day:%Y-%m-%d}; "
                "finance adds one under Spend → Exchange rates.",
                code="no_rate",
                field="currency",
            )
        return self._rates[currency][index]

    def convert(
        self, amount: Decimal, from_currency: str, to_currency: str, day: dt.date
    ) -> Decimal:
        if from_currency == to_currency:
            return amount
        return amount * self.rate_on(from_currency, day) / self.rate_on(to_currency, day)
