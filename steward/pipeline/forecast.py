"""The forecast's arithmetic, free of the database.

Categories are cumulative: closed is what was won in the period; commit adds the open commit;
best case adds the open best case; pipeline adds the open pipeline; omitted counts nowhere.
The weighted forecast is closed plus Σ open amount * probability ÷ 100 (omitted left out).

Amounts arrive as buckets already summed by the database per currency, day and category; a
bucket is converted once (an open one at the as-of date's rate, a won one at its close date's
rate), so the work does not grow with the number of opportunities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from steward.pipeline.amounts import HUNDRED, to_cents
from steward.pipeline.choices import ForecastCategory

ZERO = Decimal(0)
# Convert ``amount`` of ``currency`` on ``day`` into the forecast's currency.
Converter = Callable[[Decimal, str, dt.date], Decimal]


@dataclass(frozen=True)
class Bucket:
    """The sum of opportunities sharing a currency, a close day, a category and won-or-open.

    ``weighted`` is Σ amount * probability (not yet divided by 100).
    """

    currency: str
    day: dt.date
    category: str
    won: bool
    amount: Decimal
    weighted: Decimal = ZERO


@dataclass
class Totals:
    closed: Decimal = ZERO
    commit: Decimal = ZERO
    best_case: Decimal = ZERO
    pipeline: Decimal = ZERO
    weighted: Decimal = ZERO

    def rounded(self) -> Totals:
        return Totals(
            closed=to_cents(self.closed),
            commit=to_cents(self.commit),
            best_case=to_cents(self.best_case),
            pipeline=to_cents(self.pipeline),
            weighted=to_cents(self.weighted),
        )


@dataclass
class _Sums:
    """Non-cumulative sums: won, and open per category; open weighted."""

    won: Decimal = ZERO
    open: dict[str, Decimal] = field(default_factory=dict)
    weighted_open: Decimal = ZERO

    def add(self, bucket: Bucket, amount: Decimal, weighted: Decimal) -> None:
        if bucket.won:
            self.won += amount
            return
        if bucket.category == ForecastCategory.OMITTED:
            return
        self.open[bucket.category] = self.open.get(bucket.category, ZERO) + amount
        self.weighted_open += weighted

    def totals(self) -> Totals:
        commit = self.won + self.open.get(ForecastCategory.COMMIT, ZERO)
        best_case = commit + self.open.get(ForecastCategory.BEST_CASE, ZERO)
        pipeline = best_case + self.open.get(ForecastCategory.PIPELINE, ZERO)
        return Totals(
            closed=self.won,
            commit=commit,
            best_case=best_case,
            pipeline=pipeline,
            weighted=self.won + self.weighted_open / HUNDRED,
        ).rounded()


@dataclass
class ForecastResult:
    currency: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    totals: Totals
    by_month: dict[dt.date, Totals]


def roll_up(
    buckets: Iterable[Bucket],
    *,
    currency: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    convert: Converter,
) -> ForecastResult:
    """Totals over the period and per month (the month's first day), in ``currency``."""
    overall = _Sums()
    months: dict[dt.date, _Sums] = {}
    for bucket in buckets:
        rate_day = bucket.day if bucket.won else as_of
        amount = convert(bucket.amount, bucket.currency, rate_day)
        weighted = convert(bucket.weighted, bucket.currency, rate_day)
        overall.add(bucket, amount, weighted)
        months.setdefault(bucket.day.replace(day=1), _Sums()).add(bucket, amount, weighted)
    return ForecastResult(
        currency=currency,
        start=start,
        end=end,
        as_of=as_of,
        totals=overall.totals(),
        by_month={month: sums.totals() for month, sums in sorted(months.items())},
    )


# --- periods -----------------------------------------------------------------------------------

MAX_PERIOD_DAYS = 3660


def period_around(day: dt.date, kind: str) -> tuple[dt.date, dt.date]:
    """The calendar month, quarter or year that holds ``day``: (first day, last day)."""
    if kind == "month":
        first = day.replace(day=1)
        months = 1
    elif kind == "quarter":
        first = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif kind == "year":
        first = day.replace(month=1, day=1)
        months = 12
    else:
        raise ValueError(kind)
    month_index = first.month - 1 + months
    year = first.year + month_index // 12
    if year > dt.MAXYEAR:  # the last period of the calendar ends on its last day
        return first, dt.date.max
    return first, dt.date(year, month_index % 12 + 1, 1) - dt.timedelta(days=1)
