"""Exchange rates for many conversions at once: every rate the figures need read in one query.

``steward.spend.conversion.convert`` asks the database once per conversion; a roll-up converts
one sum per currency and day, so it loads the rates of those currencies up to the last day
once and looks each day up in memory, with the same rule (the newest rate on or before the day;
the base currency is worth 1).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from steward.core.errors import DomainError
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency


class RateBook:
    def __init__(self, currencies: Iterable[str], until: dt.date) -> None:
        self.base = base_currency()
        wanted = {code for code in currencies if code and code != self.base}
        self._days: dict[str, list[dt.date]] = {code: [] for code in wanted}
        self._rates: dict[str, list[Decimal]] = {code: [] for code in wanted}
        if wanted:
            rows = (
                ExchangeRate.objects.active()
                .filter(currency__in=wanted, rate_date__lte=until)
                .order_by("currency", "rate_date")
                .values_list("currency", "rate_date", "rate")
            )
            for currency, day, rate in rows:
                self._days[currency].append(day)
                self._rates[currency].append(rate)

    def rate(self, currency: str, day: dt.date) -> Decimal:
        """What one unit of ``currency`` is worth in the base currency on ``day``."""
        if currency == self.base:
            return Decimal(1)
        days = self._days.get(currency)
        index = bisect.bisect_right(days, day) - 1 if days else -1
        if days is None or index < 0:
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
        if from_currency == to_currency or amount == 0:
            return amount
        return amount * self.rate(from_currency, day) / self.rate(to_currency, day)
