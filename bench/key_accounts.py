"""The key-account figures: the weighted forecast and the accountability dashboard's attainment,
set-based against a per-opportunity and a per-person loop.

    .venv/bin/python bench/key_accounts.py                  # on a fresh copy of the large demo data
    .venv/bin/python bench/key_accounts.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database. Nothing is written: both figures are reads.

1. The forecast of the current quarter for every opportunity owner alone and for every manager's
   team (the manager and their direct and indirect reports), in the base currency, as an
   administrator (who may see every opportunity):

   - set-based: ``pipeline.selectors.forecast`` per owner or team: sums per currency, day and
     category read by the database, converted through one read of the rates (three queries);
   - naive: per owner or team, read each opportunity closing (or won) in the quarter, convert its
     amount with ``spend.conversion.convert`` (a rate query per call), weight it by its
     probability and add it up in Python.

2. The attainment columns of the accountability dashboard (bookings and gross profit against the
   target prorated to date) for every person:

   - set-based: the two registered dashboard measures' ``compute`` for everyone at once (quotas in
     force, closed business and the rates in a fixed few queries);
   - naive: per person, read their quota in force, their won opportunities in its period, each
     one's credit rows, and convert each credit with ``convert``.

The rounds alternate which approach goes first. Both must give the same totals (at cents).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.compare import Approach, alternate, rows, table  # noqa: E402

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
Answer = dict[Any, tuple[Decimal, ...]]


def cents(*values: Decimal) -> tuple[Decimal, ...]:
    return tuple(Decimal(value).quantize(CENT) for value in values)


# --- 1. the forecast ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastInput:
    user: Any
    groups: list[tuple[str, list[int]]]  # (label, owner ids): every owner, then every team
    start: dt.date
    end: dt.date
    as_of: dt.date
    currency: str


def forecast_groups() -> list[tuple[str, list[int]]]:
    """Every opportunity owner alone, then every manager with their direct and indirect reports
    (read once, before measuring, from the reporting lines)."""
    from steward.people.models import Profile
    from steward.pipeline.models import Opportunity

    owners = sorted(set(Opportunity.objects.values_list("owner_id", flat=True)))
    children: dict[int, list[int]] = defaultdict(list)
    for person, manager in Profile.objects.filter(manager__isnull=False).values_list(
        "user_id", "manager_id"
    ):
        children[manager].append(person)
    groups = [(f"owner {pk}", [pk]) for pk in owners]
    for manager in sorted(children):
        team, frontier = {manager}, list(children[manager])
        while frontier:
            person = frontier.pop()
            if person not in team:
                team.add(person)
                frontier.extend(children.get(person, ()))
        groups.append((f"team of {manager}", sorted(team)))
    return groups


def forecast_set_based(given: ForecastInput) -> Answer:
    from steward.pipeline.selectors import forecast

    answer: Answer = {}
    for label, ids in given.groups:
        totals = forecast(
            user=given.user,
            owner_ids=ids,
            start=given.start,
            end=given.end,
            currency=given.currency,
            as_of=given.as_of,
        ).totals
        answer[label] = cents(
            totals.closed, totals.commit, totals.best_case, totals.pipeline, totals.weighted
        )
    return answer


def forecast_naive(given: ForecastInput) -> Answer:
    """Per owner or team, every opportunity read and converted one by one (an administrator
    sees every opportunity, so no access policy is applied)."""
    from django.db.models import Q

    from steward.pipeline.amounts import to_cents
    from steward.pipeline.choices import OPEN_STAGES, ForecastCategory, Stage
    from steward.pipeline.models import Opportunity
    from steward.spend.conversion import convert

    answer: Answer = {}
    for label, ids in given.groups:
        won = weighted = ZERO
        by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
        rows = Opportunity.objects.filter(owner_id__in=ids, archived_at__isnull=True).filter(
            Q(stage=Stage.WON, closed_on__gte=given.start, closed_on__lte=given.end)
            | Q(stage__in=OPEN_STAGES, close_date__gte=given.start, close_date__lte=given.end)
        )
        for opportunity in rows:
            if opportunity.stage == Stage.WON:
                day = opportunity.closed_on or given.end
                won += convert(opportunity.amount, opportunity.currency, given.currency, day)
                continue
            if opportunity.forecast_category == ForecastCategory.OMITTED:
                continue
            amount = convert(opportunity.amount, opportunity.currency, given.currency, given.as_of)
            by_category[opportunity.forecast_category] += amount
            weighted += amount * opportunity.probability / HUNDRED
        commit = won + by_category[ForecastCategory.COMMIT]
        best_case = commit + by_category[ForecastCategory.BEST_CASE]
        pipeline = best_case + by_category[ForecastCategory.PIPELINE]
        answer[label] = cents(
            to_cents(won),
            to_cents(commit),
            to_cents(best_case),
            to_cents(pipeline),
            to_cents(won + weighted),
        )
    return answer


# --- 2. the dashboard's attainment ---------------------------------------------------------------


@dataclass(frozen=True)
class DashboardInput:
    person_ids: list[int]
    today: dt.date


def attainment_set_based(given: DashboardInput) -> Answer:
    """The dashboard's two attainment columns, as the page computes them."""
    from steward.quotas.measures import bookings_compute, profit_compute

    bookings = bookings_compute(given.person_ids, given.today)
    profit = profit_compute(given.person_ids, given.today)
    return {
        pk: cents(
            value.numerator or ZERO,
            value.denominator or ZERO,
            profit[pk].numerator or ZERO,
            profit[pk].denominator or ZERO,
        )
        for pk, value in bookings.items()
    }


def attainment_naive(given: DashboardInput) -> Answer:
    """Per person: their quota, their won deals in its period, each deal's credits, each
    converted on its own."""
    from django.db.models import Q

    from steward.pipeline.choices import Stage
    from steward.pipeline.models import Opportunity
    from steward.quotas.attainment import prorated_target
    from steward.quotas.models import Quota
    from steward.spend.conversion import convert, rate_on
    from steward.spend.money import base_currency

    base, today = base_currency(), given.today
    answer: Answer = {}
    for pk in given.person_ids:
        quota = (
            Quota.objects.active()
            .filter(person_id=pk, starts_on__lte=today, ends_on__gte=today)
            .order_by("-starts_on", "-pk")
            .first()
        )
        if quota is None:
            continue
        booked = profit = ZERO
        deals = Opportunity.objects.filter(
            Q(owner_id=pk) | Q(credits__user_id=pk, credits__archived_at__isnull=True),
            stage=Stage.WON,
            archived_at__isnull=True,
            closed_on__gte=quota.starts_on,
            closed_on__lte=min(today, quota.ends_on),
        ).distinct()
        for deal in deals:
            shares = list(deal.credits.filter(archived_at__isnull=True))
            if shares:
                share = sum((c.percent for c in shares if c.user_id == pk), ZERO)
            else:
                share = HUNDRED if deal.owner_id == pk else ZERO
            if not share:
                continue
            day = deal.closed_on or today  # a won deal always has one
            booked += convert(deal.amount * share / HUNDRED, deal.currency, base, day)
            profit += convert((deal.amount - deal.cost) * share / HUNDRED, deal.currency, base, day)
        to_base = rate_on(quota.currency, today) / rate_on(base, today)
        span = (quota.starts_on, quota.ends_on, today)
        answer[pk] = cents(
            booked,
            prorated_target(quota.sales_target, *span) * to_base,
            profit,
            prorated_target(quota.margin_target, *span) * to_base,
        )
    return answer


# --- measuring ----------------------------------------------------------------------------------


def _differences(fast: Answer, slow: Answer) -> list[Any]:
    return sorted(
        (key for key in fast.keys() | slow.keys() if fast.get(key) != slow.get(key)), key=str
    )


def _compare(title: str, approaches: list[Approach], rounds: int, what: str) -> dict[str, Any]:
    fast, slow = approaches
    different: list[Any] = []

    def compare() -> None:
        nonlocal different
        different = sorted({*different, *_differences(fast.result, slow.result)}, key=str)

    print(f"\n{title}; {rounds} rounds:", flush=True)
    alternate(approaches, rounds, lambda a, count: a.once(count=count), compare=compare)
    ratio = table(approaches, width=46)
    total = len(fast.result.keys() | slow.result.keys())
    print(
        f"same totals for every {what}: {'yes' if not different else 'NO'} "
        f"({total - len(different):,} of {total:,})"
    )
    if different:
        key = different[0]
        print(f"  first difference, {key}: {fast.result.get(key)} vs {slow.result.get(key)}")
    return {
        what + "s": total,
        "rounds": len(fast.seconds),
        "approaches": rows(approaches),
        "ratio_naive_to_set_based": round(ratio, 2),
        "agree": not different,
        "different": [str(key) for key in different],
    }


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both figures on the database Django is connected to; print and return them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from steward.pipeline.forecast import period_around
    from steward.pipeline.models import Opportunity
    from steward.spend.money import base_currency

    today = timezone.localdate()
    start, end = period_around(today, "quarter")
    admin = get_user_model().objects.get(username="admin")
    groups = forecast_groups()
    given = ForecastInput(admin, groups, start, end, today, base_currency())
    in_quarter = Opportunity.objects.filter(
        archived_at__isnull=True, close_date__gte=start, close_date__lte=end
    ).count()
    teams = sum(1 for label, _ in groups if label.startswith("team"))
    forecast_figures = _compare(
        f"Weighted forecast of {start:%Y-%m-%d}..{end:%Y-%m-%d} on {connection.vendor} for "
        f"{len(groups) - teams} owners and {teams} teams ({in_quarter:,} opportunities closing "
        "in the quarter)",
        [
            Approach("set-based (pipeline.selectors.forecast)", lambda: forecast_set_based(given)),
            Approach("naive per-opportunity loop (convert)", lambda: forecast_naive(given)),
        ],
        rounds,
        "owner or team",
    )
    people = DashboardInput(sorted(get_user_model().objects.values_list("pk", flat=True)), today)
    dashboard_figures = _compare(
        f"Accountability dashboard attainment (bookings and gross profit to date) of "
        f"{len(people.person_ids):,} people on {connection.vendor}",
        [
            Approach("set-based (the dashboard's measures)", lambda: attainment_set_based(people)),
            Approach("naive per-person loop (convert)", lambda: attainment_naive(people)),
        ],
        rounds,
        "person with a quota",
    )
    return {"forecast": forecast_figures, "accountability_attainment": dashboard_figures}


# --- on its own ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="key-accounts",
        result="key_accounts.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
