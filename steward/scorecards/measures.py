"""The measures a criterion is built from, and how a period reads their raw values.

A measure is **recorded** (people or imports enter :class:`~steward.scorecards.models.Measurement`
rows; a period reads the mean of its rows), **computed** from data other engines hold (SLA
periods, issues), or the **survey** (stakeholders rate a criterion 1-5; a period reads the
median of its own responses).

Every reader is set-based: one query per measure per period for all relationships at once
(recorded measures share one query), never one per relationship. A reader answers
``{relationship_id: raw value}``; a relationship absent from the answer has no data.

Other engines may add measures with :func:`register_measure` from their ``AppConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from steward.parties.choices import Side
from steward.scorecards.scoring import Direction

RECORDED = "recorded"
COMPUTED = "computed"
SURVEY = "survey"
SURVEY_KEY = "survey"
BOTH_SIDES = frozenset({Side.SUPPLY.value, Side.DEMAND.value})
SUPPLY_ONLY = frozenset({Side.SUPPLY.value})
DEMAND_ONLY = frozenset({Side.DEMAND.value})
SECONDS_PER_HOUR = Decimal(3600)

Values = dict[int, Decimal]
Reader = Callable[[dt.date, dt.date, "QuerySet[Any] | None"], Values]


@dataclass(frozen=True)
class Measure:
    """One measure: what it is, its unit, which way it improves, and where its values come from.

    ``read`` is set for computed measures only: ``read(start, end, relationship_ids)`` answers the
    raw value of every relationship with data in the period (both days included), restricted to
    ``relationship_ids`` (a queryset of ids) when given.
    """

    key: str
    label: str
    unit: str
    direction: Direction
    kind: str
    description: str = ""
    sides: frozenset[str] = BOTH_SIDES
    read: Reader | None = None

    def fits(self, side: str) -> bool:
        return side in self.sides


_registry: dict[str, Measure] = {}


def register_measure(measure: Measure) -> None:
    """Add a measure; registering the same key again replaces it."""
    if measure.kind not in {RECORDED, COMPUTED, SURVEY}:
        raise ValueError(f"A measure is recorded, computed or survey, not {measure.kind!r}.")
    if measure.kind == COMPUTED and measure.read is None:
        raise ValueError(f"The computed measure {measure.key!r} needs a reader.")
    _registry[measure.key] = measure


def measure_get(key: str) -> Measure | None:
    return _registry.get(key)


def measures(side: str | None = None) -> list[Measure]:
    """The registered measures (of one side), in registration order."""
    return [m for m in _registry.values() if side is None or m.fits(side)]


def measure_choices(side: str | None = None) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in measures(side)]


# --- readers -------------------------------------------------------------------------------------


def _period_bounds_as_datetimes(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a period of days spans: from ``start`` 00:00 up to (excluded) ``end`` + 1."""
    zone = timezone.get_current_timezone()
    after = end + dt.timedelta(days=1)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(after, dt.time.min, tzinfo=zone),
    )


def _restricted(queryset: QuerySet[Any], field: str, ids: QuerySet[Any] | None) -> QuerySet[Any]:
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def _as_decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def read_recorded(
    keys: Iterable[str], start: dt.date, end: dt.date, relationship_ids: QuerySet[Any] | None
) -> dict[str, Values]:
    """The mean of each recorded measure's rows in the period: one query for all of them."""
    from steward.scorecards.models import Measurement

    wanted = sorted(set(keys))
    found: dict[str, Values] = {key: {} for key in wanted}
    if not wanted:
        return found
    rows = _restricted(
        Measurement.objects.filter(
            archived_at__isnull=True, measure__in=wanted, measured_on__range=(start, end)
        ),
        "relationship_id",
        relationship_ids,
    )
    grouped = rows.values("relationship_id", "measure").annotate(mean=Avg("value")).order_by()
    for row in grouped:
        found[row["measure"]][row["relationship_id"]] = _as_decimal(row["mean"])
    return found


def _sla_results(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> QuerySet[Any]:
    """Judged SLA periods of live service levels whose period lies within ``start``-``end``."""
    from steward.contracts.models import SlaPeriodResult

    rows = SlaPeriodResult.objects.filter(
        no_data=False,
        period_start__gte=start,
        period_end__lte=end,
        service_level__archived_at__isnull=True,
        service_level__contract__archived_at__isnull=True,
    )
    return _restricted(rows, "service_level__contract__relationship_id", ids)


def read_sla_attainment(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    grouped = (
        _sla_results(start, end, ids)
        .filter(attainment__isnull=False)
        .values("service_level__contract__relationship_id")
        .annotate(mean=Avg("attainment"))
        .order_by()
    )
    return {
        row["service_level__contract__relationship_id"]: _as_decimal(row["mean"]) for row in grouped
    }


def read_sla_breaches(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Breached periods; a relationship with judged periods but no breach reads 0."""
    grouped = (
        _sla_results(start, end, ids)
        .values("service_level__contract__relationship_id")
        .annotate(breaches=Count("pk", filter=Q(breached=True)))
        .order_by()
    )
    return {
        row["service_level__contract__relationship_id"]: Decimal(row["breaches"]) for row in grouped
    }


def _issues_live(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> QuerySet[Any]:
    """Issues that were open at some time during the period.

    Counting issues is data only for a relationship that had issues to count: one without any
    issue in the period has no data rather than a perfect zero, so an empty period never
    scores 100 on issues.
    """
    from steward.issues.models import Issue

    since, until = _period_bounds_as_datetimes(start, end)
    rows = Issue.objects.filter(archived_at__isnull=True, opened_at__lt=until).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=since)
    )
    return _restricted(rows, "relationship_id", ids)


def read_issues_opened(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    since, _until = _period_bounds_as_datetimes(start, end)
    grouped = (
        _issues_live(start, end, ids)
        .values("relationship_id")
        .annotate(opened=Count("pk", filter=Q(opened_at__gte=since)))
        .order_by()
    )
    return {row["relationship_id"]: Decimal(row["opened"]) for row in grouped}


def read_issues_overdue(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Issues past their resolution target: unresolved at the period's end, or resolved late
    within the period."""
    since, until = _period_bounds_as_datetimes(start, end)
    still_open_late = (Q(resolved_at__isnull=True) | Q(resolved_at__gte=until)) & Q(
        resolve_by__lt=until
    )
    resolved_late = Q(resolved_at__gte=since, resolved_at__lt=until) & Q(
        resolved_at__gt=F("resolve_by")
    )
    grouped = (
        _issues_live(start, end, ids)
        .values("relationship_id")
        .annotate(overdue=Count("pk", filter=still_open_late | resolved_late))
        .order_by()
    )
    return {row["relationship_id"]: Decimal(row["overdue"]) for row in grouped}


def read_issue_resolution_hours(start: dt.date, end: dt.date, ids: QuerySet[Any] | None) -> Values:
    """Mean hours from opening to resolution of the issues resolved in the period.

    One query reads the two instants of each resolved issue; the mean is taken here because
    date arithmetic differs between SQLite and PostgreSQL.
    """
    from steward.issues.models import Issue

    since, until = _period_bounds_as_datetimes(start, end)
    rows = _restricted(
        Issue.objects.filter(
            archived_at__isnull=True, resolved_at__gte=since, resolved_at__lt=until
        ),
        "relationship_id",
        ids,
    ).values_list("relationship_id", "opened_at", "resolved_at")
    hours: dict[int, list[Decimal]] = defaultdict(list)
    for relationship_id, opened_at, resolved_at in rows:
        seconds = max((resolved_at - opened_at).total_seconds(), 0)
        hours[relationship_id].append(Decimal(int(seconds)) / SECONDS_PER_HOUR)
    return {
        relationship_id: sum(values, Decimal(0)) / len(values)
        for relationship_id, values in hours.items()
    }


def read_survey_medians(
    period_id: int, ids: QuerySet[Any] | None = None
) -> dict[str, dict[int, Decimal]]:
    """``{criterion code: {relationship id: median rating}}`` of a period's answered surveys.

    Responses are grouped by the surveyed criterion's code, so a what-if under another version
    of the template still reads them. One query; the medians are taken here (portable).
    """
    from steward.scorecards.models import SurveyResponse

    rows = _restricted(
        SurveyResponse.objects.filter(survey__period_id=period_id, rating__isnull=False),
        "survey__relationship_id",
        ids,
    ).values_list("criterion__code", "survey__relationship_id", "rating")
    ratings: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for code, relationship_id, rating in rows:
        ratings[code][relationship_id].append(Decimal(rating))
    return {
        code: {
            relationship_id: statistics.median(values)
            for relationship_id, values in by_relationship.items()
        }
        for code, by_relationship in ratings.items()
    }


# --- the measures Steward ships ------------------------------------------------------------------

HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER


def _register_defaults() -> None:
    recorded = [
        ("on_time_delivery_pct", "On-time delivery", "%", HIGHER, SUPPLY_ONLY,
         "Share of deliveries that arrived on or before the promised date."),
        ("defect_rate_pct", "Defect rate", "%", LOWER, SUPPLY_ONLY,
         "Share of received units or services found defective."),
        ("return_rate_pct", "Return rate", "%", LOWER, SUPPLY_ONLY,
         "Share of received goods sent back."),
        ("invoice_accuracy_pct", "Invoice accuracy", "%", HIGHER, SUPPLY_ONLY,
         "Share of invoices that matched the order and the contract first time."),
        ("price_variance_pct", "Price variance against contract", "%", LOWER, SUPPLY_ONLY,
         "How far invoiced prices exceeded the contracted ones (negative: below)."),
        ("csat", "Customer satisfaction (CSAT)", "%", HIGHER, DEMAND_ONLY,
         "Share of the customer's respondents satisfied or very satisfied."),
        ("nps", "Net promoter score", "points", HIGHER, DEMAND_ONLY,
         "Promoters minus detractors among the customer's respondents (-100 to 100)."),
        ("usage_pct", "Usage and adoption", "%", HIGHER, DEMAND_ONLY,
         "Share of licensed or contracted capacity the customer uses."),
    ]  # fmt: skip
    for key, label, unit, direction, sides, description in recorded:
        register_measure(Measure(key, label, unit, direction, RECORDED, description, sides))
    computed: list[tuple[str, str, str, Direction, Reader, str]] = [
        ("sla_attainment_pct", "SLA attainment", "%", HIGHER, read_sla_attainment,
         "Mean attainment of the judged SLA periods of the relationship's contracts."),
        ("sla_breaches", "SLA breaches", "breaches", LOWER, read_sla_breaches,
         "Judged SLA periods that missed their target."),
        ("issues_opened", "Issues opened", "issues", LOWER, read_issues_opened,
         "Issues opened in the period (no data when no issue was open at all)."),
        ("issues_overdue", "Overdue issues", "issues", LOWER, read_issues_overdue,
         "Issues past their resolution target at the period's end or resolved late in it."),
        ("issue_resolution_hours", "Time to resolve issues", "hours", LOWER,
         read_issue_resolution_hours, "Mean hours from opening to resolution."),
    ]  # fmt: skip
    for key, label, unit, direction, reader, description in computed:
        register_measure(
            Measure(key, label, unit, direction, COMPUTED, description, BOTH_SIDES, reader)
        )
    register_measure(
        Measure(
            SURVEY_KEY,
            "Stakeholder survey",
            "rating 1-5",
            HIGHER,
            SURVEY,
            "The median of internal stakeholders' 1-5 ratings of this criterion.",
        )
    )


_register_defaults()
