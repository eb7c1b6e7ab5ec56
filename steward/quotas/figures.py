"""The figures: quota attainment from closed business, team roll-ups, account profitability and
retention. Set-based: a fixed handful of queries for any number of people or accounts (sums per
currency and day, or per currency and month, then converted in memory through one read of the
rates); the arithmetic itself is ``steward.quotas.attainment``.

Who may see what is decided before: callers pass the people or accounts the user may see
(``selectors.visible_people_ids``, ``selectors.account_list``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Sum

from steward.accounts.models import AccountProfile
from steward.core.errors import DomainError
from steward.pipeline.choices import Stage
from steward.pipeline.models import Opportunity, OpportunityCredit
from steward.quotas.attainment import (
    HUNDRED,
    ZERO,
    Attainment,
    Profitability,
    Retention,
    attainment,
    elapsed_days,
    period_days,
    retention,
)
from steward.quotas.models import AccountRevenue, Quota, ServiceCost
from steward.spend.conversion import RateBook
from steward.spend.money import base_currency, month_add, month_of, month_start

# --- closed business ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    """What one person was credited on one day in one currency (sums of won opportunities)."""

    person_id: int
    currency: str
    day: dt.date
    bookings: Decimal
    profit: Decimal


def closed_business(person_ids: Iterable[int], first: dt.date, last: dt.date) -> list[Closed]:
    """Won opportunities closed from ``first`` to ``last``, credited per person, currency and
    day: credit rows give each credited person their percent; an opportunity without credit rows
    credits its owner in full. Two queries."""
    ids = sorted(set(person_ids))
    if not ids or last < first:
        return []
    won = {
        "stage": Stage.WON,
        "archived_at__isnull": True,
        "closed_on__gte": first,
        "closed_on__lte": last,
    }
    found: list[Closed] = []
    credited_rows: Any = (
        OpportunityCredit.objects.filter(
            archived_at__isnull=True,
            user_id__in=ids,
            **{f"opportunity__{key}": value for key, value in won.items()},
        )
        .values("user_id", "percent", "opportunity__currency", "opportunity__closed_on")
        .annotate(amount=Sum("opportunity__amount"), cost=Sum("opportunity__cost"))
        .order_by()
    )
    for row in credited_rows:
        share = row["percent"] / HUNDRED
        found.append(
            Closed(
                row["user_id"],
                row["opportunity__currency"],
                row["opportunity__closed_on"],
                (row["amount"] or ZERO) * share,
                ((row["amount"] or ZERO) - (row["cost"] or ZERO)) * share,
            )
        )
    uncredited: Any = (
        Opportunity.objects.filter(owner_id__in=ids, **won)
        .exclude(
            Exists(
                OpportunityCredit.objects.filter(
                    opportunity_id=OuterRef("pk"), archived_at__isnull=True
                )
            )
        )
        .values("owner_id", "currency", "closed_on")
        .annotate(amount=Sum("amount"), cost=Sum("cost"))
        .order_by()
    )
    for row in uncredited:
        amount, cost = row["amount"] or ZERO, row["cost"] or ZERO
        found.append(
            Closed(row["owner_id"], row["currency"], row["closed_on"], amount, amount - cost)
        )
    return found


# --- quota attainment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaFigures:
    quota: Quota
    as_of: dt.date
    bookings: Attainment
    gross_profit: Attainment
    # Bookings per close day in the quota's currency, oldest first: the pace chart's steps.
    bookings_by_day: tuple[tuple[dt.date, Decimal], ...] = ()

    @property
    def elapsed_days(self) -> int:
        return elapsed_days(self.quota.starts_on, self.quota.ends_on, self.as_of)

    @property
    def period_days(self) -> int:
        return period_days(self.quota.starts_on, self.quota.ends_on)


def _closed_for(quotas: Sequence[Quota], today: dt.date) -> tuple[list[Closed], RateBook]:
    """What the quotas' people closed over their periods to date, and the rates to convert it
    into the quotas' currencies and the base currency (three queries)."""
    first = min((q.starts_on for q in quotas), default=today)
    last = min(max((q.ends_on for q in quotas), default=today), today)
    closed = closed_business({q.person_id for q in quotas}, first, last)
    currencies = {c.currency for c in closed} | {q.currency for q in quotas} | {base_currency()}
    return closed, RateBook(currencies, until=max(last, today))


def quota_figures(
    quotas: Sequence[Quota],
    today: dt.date,
    closed: tuple[list[Closed], RateBook] | None = None,
) -> list[QuotaFigures]:
    """Attainment to date of each quota, in the quota's currency: bookings and gross profit
    closed from its start to ``today`` (or its end), converted at each close day's rate.
    Three queries for any number of quotas."""
    if not quotas:
        return []
    rows, rates = closed or _closed_for(quotas, today)
    by_person: dict[int, list[Closed]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    figures = []
    for quota in quotas:
        until = min(today, quota.ends_on)
        booked = profit = ZERO
        per_day: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
        for row in by_person.get(quota.person_id, ()):
            if quota.starts_on <= row.day <= until:
                booking = rates.convert(row.bookings, row.currency, quota.currency, row.day)
                per_day[row.day] += booking
                booked += booking
                profit += rates.convert(row.profit, row.currency, quota.currency, row.day)
        span = {"starts_on": quota.starts_on, "ends_on": quota.ends_on, "today": today}
        figures.append(
            QuotaFigures(
                quota=quota,
                as_of=today,
                bookings=attainment(target=quota.sales_target, achieved=booked, **span),
                gross_profit=attainment(target=quota.margin_target, achieved=profit, **span),
                bookings_by_day=tuple(sorted(per_day.items())),
            )
        )
    return figures


def quotas_in_force(person_ids: Iterable[int], day: dt.date) -> list[Quota]:
    """Each person's current quota on ``day`` (one query)."""
    return list(
        Quota.objects.active()
        .filter(person_id__in=sorted(set(person_ids)), starts_on__lte=day, ends_on__gte=day)
        .select_related("person")
        .order_by("person_id", "starts_on")
    )


@dataclass
class TeamRow:
    """One person's targets and attainment to date, in the base currency."""

    person: object
    figures: QuotaFigures | None
    sales_target: Decimal = ZERO
    sales_prorated: Decimal = ZERO
    bookings: Decimal = ZERO
    margin_target: Decimal = ZERO
    margin_prorated: Decimal = ZERO
    gross_profit: Decimal = ZERO

    @property
    def bookings_attainment(self) -> Attainment:
        return Attainment(self.sales_target, self.bookings, self.sales_prorated)

    @property
    def profit_attainment(self) -> Attainment:
        return Attainment(self.margin_target, self.gross_profit, self.margin_prorated)


@dataclass
class TeamRollUp:
    currency: str
    as_of: dt.date
    rows: list[TeamRow] = field(default_factory=list)
    total: TeamRow = field(default_factory=lambda: TeamRow(person=None, figures=None))


def team_roll_up(people: Sequence[object], today: dt.date) -> TeamRollUp:
    """Each person's quota in force ``today`` and its attainment to date, in the base currency:
    bookings converted at each close day's rate (as for the quota), targets at ``today``'s; the
    team's total is the sum of the rows. Four queries for any team."""
    base = base_currency()
    quotas = {q.person_id: q for q in quotas_in_force([p.pk for p in people], today)}  # type: ignore[attr-defined]
    closed, rates = _closed_for(list(quotas.values()), today)
    figures = {
        f.quota.person_id: f
        for f in quota_figures(list(quotas.values()), today, closed=(closed, rates))
    }
    roll_up = TeamRollUp(currency=base, as_of=today)
    for person in people:
        quota = quotas.get(person.pk)  # type: ignore[attr-defined]
        row = TeamRow(person=person, figures=figures.get(person.pk))  # type: ignore[attr-defined]
        if quota is not None:
            to_base = rates.rate_on(quota.currency, today) / rates.rate_on(base, today)
            until = min(today, quota.ends_on)
            fig = figures[quota.person_id]
            row.sales_target = quota.sales_target * to_base
            row.sales_prorated = fig.bookings.prorated * to_base
            row.margin_target = quota.margin_target * to_base
            row.margin_prorated = fig.gross_profit.prorated * to_base
            for c in closed:
                if c.person_id == quota.person_id and quota.starts_on <= c.day <= until:
                    row.bookings += rates.convert(c.bookings, c.currency, base, c.day)
                    row.gross_profit += rates.convert(c.profit, c.currency, base, c.day)
        roll_up.rows.append(row)
        for name in (
            "sales_target",
            "sales_prorated",
            "bookings",
            "margin_target",
            "margin_prorated",
            "gross_profit",
        ):
            setattr(roll_up.total, name, getattr(roll_up.total, name) + getattr(row, name))
    return roll_up


def cumulative_bookings(figures: QuotaFigures) -> list[tuple[dt.date, Decimal, Decimal]]:
    """(day, bookings closed so far, prorated target that day) for each day a deal closed, plus
    the start and the last day counted, in the quota's currency: the pace chart's points, from
    the figures' own bookings (no query)."""
    quota = figures.quota
    until = min(figures.as_of, quota.ends_on)
    per_day = dict(figures.bookings_by_day)
    days = sorted({quota.starts_on, *per_day, until}) if until >= quota.starts_on else []
    points, running = [], ZERO
    for day in days:
        running += per_day.get(day, ZERO)
        prorated = quota.sales_target * elapsed_days(quota.starts_on, quota.ends_on, day)
        points.append((day, running, prorated / period_days(quota.starts_on, quota.ends_on)))
    return points


# --- profitability and retention -----------------------------------------------------------------


def last_full_months(today: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The first days of the first and last of the ``months`` full months before ``today``."""
    this_month = month_of(today)
    return month_start(month_add(this_month, -months)), month_start(month_add(this_month, -1))


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    revenue: Decimal
    cost_of_goods: Decimal
    cost_to_serve: Decimal


@dataclass
class AccountFigures:
    relationship_id: int
    currency: str
    profitability: Profitability
    months: list[MonthFigures]


def _month_sums(ids: Sequence[int], first: dt.date, last: dt.date) -> tuple[list[Any], list[Any]]:
    window = {"relationship_id__in": ids, "month__gte": first, "month__lte": last}
    revenue = list(
        AccountRevenue.objects.active()
        .filter(**window)
        .values("relationship_id", "currency", "month")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"))
        .order_by()
    )
    serve = list(
        ServiceCost.objects.active()
        .filter(**window)
        .values("relationship_id", "currency", "month")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    return revenue, serve


def account_figures(
    relationship_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, AccountFigures]:
    """Each account's revenue, cost of goods and cost to serve per month from ``first`` to
    ``last`` (first days of months) and in total, in the account's currency (its profile's,
    else the base currency), converted at each month's first day. Four queries."""
    ids = sorted(set(relationship_ids))
    if not ids:
        return {}
    profiles: dict[int, Any] = {
        row["relationship_id"]: row
        for row in AccountProfile.objects.filter(relationship_id__in=ids).values(
            "relationship_id", "currency", "expected_margin_percent"
        )
    }
    revenue, serve = _month_sums(ids, first, last)
    base = base_currency()
    currency_of = {pk: str(profiles.get(pk, {}).get("currency") or base) for pk in ids}
    rates = RateBook(
        {str(r["currency"]) for r in [*revenue, *serve]} | set(currency_of.values()), until=last
    )
    months: dict[int, dict[dt.date, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [ZERO, ZERO, ZERO])
    )
    for row in revenue:
        pk, month, code = row["relationship_id"], row["month"], str(row["currency"])
        cell = months[pk][month]
        cell[0] += rates.convert(row["revenue"] or ZERO, code, currency_of[pk], month)
        cell[1] += rates.convert(row["cost"] or ZERO, code, currency_of[pk], month)
    for row in serve:
        pk, month, code = row["relationship_id"], row["month"], str(row["currency"])
        months[pk][month][2] += rates.convert(row["amount"] or ZERO, code, currency_of[pk], month)
    result = {}
    for pk in ids:
        series = [
            MonthFigures(month, *values) for month, values in sorted(months.get(pk, {}).items())
        ]
        expected = profiles.get(pk, {}).get("expected_margin_percent")
        result[pk] = AccountFigures(
            relationship_id=pk,
            currency=currency_of[pk],
            profitability=Profitability(
                revenue=sum((m.revenue for m in series), ZERO),
                cost_of_goods=sum((m.cost_of_goods for m in series), ZERO),
                cost_to_serve=sum((m.cost_to_serve for m in series), ZERO),
                expected_margin_percent=expected,
            ),
            months=series,
        )
    return result


@dataclass(frozen=True)
class RetentionPeriods:
    first: dt.date  # first day of the current period's first month
    last: dt.date  # first day of its last month
    base_first: dt.date
    base_last: dt.date


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 1)
LONGEST_MONTHS = 120


def months_between(first: dt.date, last: dt.date) -> int:
    """Months from ``first``'s to ``last``'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def check_period(first: dt.date, last: dt.date) -> None:
    """A period of whole months figures are read for: in order, from 1900 to 2999, at most ten
    years long (so its base period, as long again before it, exists too)."""
    if last < first:
        raise DomainError("The last month comes before the first.", field="last", code="order")
    for name, day in (("first", first), ("last", last)):
        if not EARLIEST <= day <= LATEST:
            raise DomainError("Give a month from 1900 to 2999.", field=name, code="out_of_range")
    if months_between(first, last) > LONGEST_MONTHS:
        raise DomainError(
            f"Ask for at most {LONGEST_MONTHS} months at a time.", field="last", code="out_of_range"
        )


def retention_periods(first: dt.date, last: dt.date) -> RetentionPeriods:
    """The current period (whole months) and the base period of the same length before it."""
    check_period(first, last)
    length = months_between(first, last)
    return RetentionPeriods(
        first=first,
        last=last,
        base_first=month_start(month_add(month_of(first), -length)),
        base_last=month_start(month_add(month_of(first), -1)),
    )


def revenue_by_account(
    relationship_ids: Iterable[int], periods: RetentionPeriods
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Each account's revenue in the base and the current period, in the base currency at each
    month's first day. Two queries."""
    ids = sorted(set(relationship_ids))
    base_sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    current_sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if not ids:
        return {}, {}
    rows = list(
        AccountRevenue.objects.active()
        .filter(relationship_id__in=ids, month__gte=periods.base_first, month__lte=periods.last)
        .values("relationship_id", "currency", "month")
        .annotate(revenue=Sum("revenue"))
        .order_by()
    )
    base = base_currency()
    rates = RateBook({row["currency"] for row in rows}, until=periods.last)
    for row in rows:
        amount = rates.convert(row["revenue"] or ZERO, row["currency"], base, row["month"])
        target = current_sums if row["month"] >= periods.first else base_sums
        target[row["relationship_id"]] += amount
    return dict(base_sums), dict(current_sums)


def retention_of(relationship_ids: Iterable[int], periods: RetentionPeriods) -> Retention:
    base_sums, current_sums = revenue_by_account(relationship_ids, periods)
    return retention(base_sums, current_sums)


def retention_by_owner(
    accounts: Iterable[tuple[int, int]], periods: RetentionPeriods
) -> tuple[dict[int, Retention], Retention]:
    """``({owner: Retention}, all of them)`` over ``(account, owner)`` pairs, from one read of
    the revenue."""
    pairs = list(accounts)
    base_sums, current_sums = revenue_by_account([pk for pk, _ in pairs], periods)
    owned: dict[int, list[int]] = defaultdict(list)
    for pk, owner in pairs:
        owned[owner].append(pk)
    by_owner = {
        owner: retention(
            {pk: base_sums[pk] for pk in pks if pk in base_sums},
            {pk: current_sums[pk] for pk in pks if pk in current_sums},
        )
        for owner, pks in owned.items()
    }
    return by_owner, retention(base_sums, current_sums)
