"""The arithmetic of quotas, profitability and retention, free of the database.

Everything here takes plain numbers and dates, so the rules are tested on hand-computed examples
and with hypothesis; the selectors feed it sums read set-based from the database.

Quota attainment over a period (both ends included):

- days elapsed = days from the start to ``today`` (or the end, whichever comes first), counted
  inclusively; none before the start;
- prorated target to date = target * elapsed days / period days;
- attainment = bookings to date / target (None when the target is zero);
- on pace = bookings to date ≥ prorated target to date.

Credits: a won opportunity credits each credited person ``amount * percent / 100``; one without
credit rows credits its owner 100 %.

Retention over the accounts that had revenue in the base period: NRR = Σ current / Σ base;
GRR = Σ min(current, base) / Σ base (expansion does not count, contraction and churn do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def period_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Days in the period, both ends included."""
    return (ends_on - starts_on).days + 1


def elapsed_days(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> int:
    """Days of the period gone by ``today`` (today included), at most the whole period."""
    if today < starts_on:
        return 0
    return period_days(starts_on, min(today, ends_on))


def prorated_target(
    target: Decimal, starts_on: dt.date, ends_on: dt.date, today: dt.date
) -> Decimal:
    """The share of ``target`` due by ``today``, in proportion to the days gone by."""
    return target * elapsed_days(starts_on, ends_on, today) / period_days(starts_on, ends_on)


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None when there is no whole to measure against."""
    if whole == 0:
        return None
    return part * HUNDRED / whole


@dataclass(frozen=True)
class Attainment:
    """One target measured against what was closed by a day."""

    target: Decimal
    achieved: Decimal
    prorated: Decimal

    @property
    def percent(self) -> Decimal | None:
        """Achieved as a percentage of the whole period's target."""
        return ratio_percent(self.achieved, self.target)

    @property
    def pace_percent(self) -> Decimal | None:
        """Achieved as a percentage of the target prorated to date."""
        return ratio_percent(self.achieved, self.prorated)

    @property
    def on_pace(self) -> bool:
        return self.achieved >= self.prorated

    @property
    def gap(self) -> Decimal:
        """What is still to close to reach the full target (never below zero)."""
        return max(self.target - self.achieved, ZERO)


def attainment(
    *, target: Decimal, achieved: Decimal, starts_on: dt.date, ends_on: dt.date, today: dt.date
) -> Attainment:
    return Attainment(
        target=target,
        achieved=achieved,
        prorated=prorated_target(target, starts_on, ends_on, today),
    )


@dataclass(frozen=True)
class Credit:
    """One person's share of a won opportunity, in per cent."""

    user_id: int
    percent: Decimal


def credited(
    *, owner_id: int, shares: Iterable[Credit], amount: Decimal, cost: Decimal
) -> dict[int, tuple[Decimal, Decimal]]:
    """``{person: (bookings, gross profit)}`` one won opportunity credits.

    Without credit rows the owner gets it all; with them, each credited person their percent.
    """
    split = list(shares) or [Credit(owner_id, HUNDRED)]
    result: dict[int, tuple[Decimal, Decimal]] = {}
    for share in split:
        booked, profit = result.get(share.user_id, (ZERO, ZERO))
        result[share.user_id] = (
            booked + amount * share.percent / HUNDRED,
            profit + (amount - cost) * share.percent / HUNDRED,
        )
    return result


# --- profitability ---------------


@dataclass(frozen=True)
class Profitability:
    """An account's figures over a period, in one currency."""

    revenue: Decimal
    cost_of_goods: Decimal
    cost_to_serve: Decimal
    expected_margin_percent: Decimal | None = None

    @property
    def gross_margin(self) -> Decimal:
        return self.revenue - self.cost_of_goods

    @property
    def net_margin(self) -> Decimal:
        return self.revenue - self.cost_of_goods - self.cost_to_serve

    @property
    def gross_margin_percent(self) -> Decimal | None:
        return ratio_percent(self.gross_margin, self.revenue)

    @property
    def net_margin_percent(self) -> Decimal | None:
        return ratio_percent(self.net_margin, self.revenue)

    @property
    def meets_expectation(self) -> bool | None:
        """Gross margin % at or above what the account is expected to make; None when there is
        no expectation or no revenue to judge."""
        margin = self.gross_margin_percent
        if self.expected_margin_percent is None or margin is None:
            return None
        return margin >= self.expected_margin_percent


# --- retention ---------------


@dataclass(frozen=True)
class Retention:
    base: Decimal  # revenue of the retained cohort in the base period
    current: Decimal  # the same accounts' revenue in the current period
    kept: Decimal  # Σ min(current, base) per account
    accounts: int  # accounts in the cohort (revenue in the base period)
    churned: int  # of those, accounts with no revenue in the current period

    @property
    def nrr(self) -> Decimal | None:
        return ratio_percent(self.current, self.base)

    @property
    def grr(self) -> Decimal | None:
        return ratio_percent(self.kept, self.base)


def retention(base: Mapping[int, Decimal], current: Mapping[int, Decimal]) -> Retention:
    """Net and gross revenue retention of the accounts with revenue in ``base``.

    Both maps are ``{account: revenue}`` in one currency; accounts new in ``current`` are not in
    the cohort and do not count.
    """
    cohort = [key for key, value in base.items() if value > 0]
    base_total = sum((base[key] for key in cohort), ZERO)
    current_total = sum((current.get(key, ZERO) for key in cohort), ZERO)
    kept = sum((min(max(current.get(key, ZERO), ZERO), base[key]) for key in cohort), ZERO)
    churned = sum(1 for key in cohort if current.get(key, ZERO) <= 0)
    return Retention(
        base=base_total, current=current_total, kept=kept, accounts=len(cohort), churned=churned
    )
