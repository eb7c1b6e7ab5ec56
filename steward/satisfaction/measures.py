"""The customer health measures this app adds to the shared scorecard engine.

Each reader answers ``{relationship id: raw value}`` for the demand-side relationships with data
in the period, in one query for all of them (see ``steward.scorecards.measures``).

The engine's *recorded* ``csat`` and ``nps`` measures stay for surveys run in another tool whose
results arrive as figures. The computed ones here sit beside them under their own keys
(``survey_csat_pct``, ``survey_nps``), read from the responses held here, so a template chooses
which source it scores; the shipped "Customer health" (``health.py``) scores these.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from steward.parties.choices import Side
from steward.scorecards.measures import COMPUTED, DEMAND_ONLY, Measure, register_measure
from steward.scorecards.scoring import Direction

Values = dict[int, Decimal]
ONE = Decimal("0.1")


def _accounts(ids: QuerySet[Any] | None) -> QuerySet[Any]:
    from steward.parties.models import Relationship

    rows = Relationship.objects.filter(side=Side.DEMAND, archived_at__isnull=True)
    return rows if ids is None else rows.filter(pk__in=ids)


def _end_instant(end: dt.date) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def read_survey_csat(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    from steward.satisfaction.tallies import tallies_by_account

    found = tallies_by_account(_accounts(ids).values("pk"), start, end)
    return {rid: t.csat.pct for rid, t in found.items() if t.csat.pct is not None}


def read_survey_nps(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    from steward.satisfaction.tallies import tallies_by_account

    found = tallies_by_account(_accounts(ids).values("pk"), start, end)
    return {rid: t.nps.score for rid, t in found.items() if t.nps.score is not None}


def _open_at(instant: dt.datetime, prefix: str = "") -> Q:
    """Issues opened before ``instant`` and neither resolved nor closed by then."""
    return (
        Q(**{f"{prefix}opened_at__lt": instant, f"{prefix}archived_at__isnull": True})
        & (
            Q(**{f"{prefix}resolved_at__isnull": True})
            | Q(**{f"{prefix}resolved_at__gte": instant})
        )
        & (Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": instant}))
    )


def read_open_problems(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Service problems open at the period's end; every account reads (0 when none)."""
    instant = _end_instant(end)
    rows = (
        _accounts(ids)
        .annotate(problems=Count("issues", filter=_open_at(instant, "issues__")))
        .values_list("pk", "problems")
    )
    return {pk: Decimal(count) for pk, count in rows}


def read_problem_age(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Mean age in days, at the period's end, of the problems open then (no data when none)."""
    from steward.issues.models import Issue

    instant = _end_instant(end)
    rows = Issue.objects.filter(_open_at(instant), relationship__in=_accounts(ids)).values_list(
        "relationship_id", "opened_at"
    )
    ages: dict[int, list[Decimal]] = defaultdict(list)
    for rid, opened_at in rows:
        ages[rid].append(Decimal(max((instant - opened_at).days, 0)))
    return {
        rid: (sum(values, Decimal(0)) / len(values)).quantize(ONE, ROUND_HALF_UP)
        for rid, values in ages.items()
    }


def read_days_since_engagement(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Days from the last activity or held review (by the period's end) to the period's end."""
    rows = (
        _accounts(ids)
        .annotate(
            activity=Max(
                "activities__occurred_on",
                filter=Q(activities__occurred_on__lte=end, activities__archived_at__isnull=True),
            ),
            review=Max(
                "business_reviews__held_on",
                filter=Q(
                    business_reviews__held_on__lte=end,
                    business_reviews__archived_at__isnull=True,
                ),
            ),
        )
        .values_list("pk", "activity", "review")
    )
    found: Values = {}
    for pk, activity, review in rows:
        days = [d for d in (activity, review) if d is not None]
        if days:
            found[pk] = Decimal((end - max(days)).days)
    return found


def read_days_to_renewal(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Days from the period's end to the nearest notice deadline or end of a live contract."""
    from steward.contracts.choices import ContractStatus

    live = Q(
        contracts__archived_at__isnull=True,
        contracts__status__in=[ContractStatus.ACTIVE, ContractStatus.EXPIRING],
    )
    rows = (
        _accounts(ids)
        .annotate(
            ends=Min("contracts__end_date", filter=live & Q(contracts__end_date__gte=end)),
            notice=Min(
                "contracts__notice_deadline", filter=live & Q(contracts__notice_deadline__gte=end)
            ),
        )
        .values_list("pk", "ends", "notice")
    )
    found: Values = {}
    for pk, ends, notice in rows:
        days = [d for d in (ends, notice) if d is not None]
        if days:
            found[pk] = Decimal((min(days) - end).days)
    return found


HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER

HEALTH_MEASURES = [
    ("survey_csat_pct", "CSAT from responses", "%", HIGHER, read_survey_csat,
     "Share of the period's CSAT responses scored 4 or 5."),
    ("survey_nps", "NPS from responses", "points", HIGHER, read_survey_nps,
     "% promoters (9-10) minus % detractors (0-6) of the period's NPS responses."),
    ("open_problems", "Open service problems", "problems", LOWER, read_open_problems,
     "Issues on the account open at the period's end."),
    ("problem_age_days", "Age of open problems", "days", LOWER, read_problem_age,
     "Mean age in days of the problems open at the period's end."),
    ("days_since_engagement", "Days since the last engagement", "days", LOWER,
     read_days_since_engagement, "Days from the last activity or held review to the period's end."),
    ("days_to_renewal", "Days to the next renewal", "days", HIGHER, read_days_to_renewal,
     "Days from the period's end to the nearest notice deadline or end of a live contract."),
]  # fmt: skip


def register_health_measures() -> None:
    for key, label, unit, direction, reader, description in HEALTH_MEASURES:
        register_measure(
            Measure(key, label, unit, direction, COMPUTED, description, DEMAND_ONLY, reader)
        )
