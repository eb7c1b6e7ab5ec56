"""The quotas app's columns of the accountability dashboard (see ``steward.quotas.dashboard``):
bookings and gross profit against the target prorated to date, accounts owned meeting their
expected margin, and required training objectives completed in time.

Each ``compute`` reads a fixed number of queries for any number of people; each ``roll_up``
adds numerators and denominators, so a manager's row is the ratio of the team's sums, not an
average of ratios.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q
from django.urls import reverse

from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.quotas import figures
from steward.quotas.attainment import ZERO, ratio_percent
from steward.quotas.dashboard import DashboardMeasure, MeasureValue, register_dashboard_measure
from steward.quotas.models import TrainingObjective

HUNDRED_PERCENT = Decimal(100)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _ratio_value(
    numerator: Decimal, denominator: Decimal, *, display: str, url: str = ""
) -> MeasureValue:
    value = ratio_percent(numerator, denominator)
    return MeasureValue(
        value=value,
        target=HUNDRED_PERCENT,
        numerator=numerator,
        denominator=denominator,
        display=display,
        meets=None if value is None else value >= HUNDRED_PERCENT,
        url=url,
    )


def sum_roll_up(values: Sequence[MeasureValue]) -> MeasureValue:
    """The ratio of summed numerators and denominators (values without them are left out)."""
    parts = [v for v in values if v.numerator is not None and v.denominator is not None]
    if not parts:
        return MeasureValue(value=None, display="—")
    numerator = sum((v.numerator or ZERO for v in parts), ZERO)
    denominator = sum((v.denominator or ZERO for v in parts), ZERO)
    value = ratio_percent(numerator, denominator)
    return MeasureValue(
        value=value,
        target=parts[0].target,
        numerator=numerator,
        denominator=denominator,
        display=_percent(value),
        meets=None if value is None or parts[0].target is None else value >= parts[0].target,
    )


def count_roll_up(values: Sequence[MeasureValue]) -> MeasureValue:
    """Counts added up: "7 of 9"."""
    rolled = sum_roll_up(values)
    if rolled.numerator is None:
        return rolled
    return MeasureValue(
        value=rolled.value,
        target=rolled.target,
        numerator=rolled.numerator,
        denominator=rolled.denominator,
        display=f"{rolled.numerator:.0f} of {rolled.denominator:.0f}",
        meets=rolled.meets,
    )


# --- attainment ---------------------------------------------------------------------------------


def _attainment(
    person_ids: Sequence[int], today: dt.date, *, profit: bool
) -> dict[int, MeasureValue]:
    roll_up = figures.team_roll_up([SimpleNamespace(pk=pk) for pk in person_ids], today)
    url = reverse("quotas:attainment")
    values: dict[int, MeasureValue] = {}
    for row in roll_up.rows:
        if row.figures is None:
            continue
        achieved = row.gross_profit if profit else row.bookings
        prorated = row.margin_prorated if profit else row.sales_prorated
        value = ratio_percent(achieved, prorated)
        values[row.person.pk] = _ratio_value(  # type: ignore[attr-defined]
            achieved,
            prorated,
            display=f"{_percent(value)} of {prorated:,.0f} {roll_up.currency} to date",
            url=f"{url}?person={row.person.pk}",  # type: ignore[attr-defined]
        )
    return values


def bookings_compute(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    return _attainment(person_ids, today, profit=False)


def profit_compute(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    return _attainment(person_ids, today, profit=True)


# --- profitability against expectation ----------------------------------------------------------


def profitability_compute(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    """Of the accounts a person owns that have an expected margin and revenue over the last 12
    full months, how many made at least that gross margin."""
    owned = list(
        Relationship.objects.filter(
            owner_id__in=sorted(set(person_ids)), side=Side.DEMAND, archived_at__isnull=True
        ).values_list("pk", "owner_id")
    )
    first, last = figures.last_full_months(today)
    found = figures.account_figures([pk for pk, _ in owned], first, last)
    judged: dict[int, list[bool]] = {}
    for pk, owner in owned:
        meets = found[pk].profitability.meets_expectation
        if meets is not None:
            judged.setdefault(owner, []).append(meets)
    return {
        owner: _ratio_value(
            Decimal(sum(results)),
            Decimal(len(results)),
            display=f"{sum(results)} of {len(results)}",
        )
        for owner, results in judged.items()
    }


# --- training -------------------------------------------------------------------------------------


def training_compute(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    """Of a person's required objectives due by ``today`` (or already done), how many were
    completed on or before their due date."""
    rows = (
        TrainingObjective.objects.active()
        .filter(person_id__in=sorted(set(person_ids)), required=True)
        .filter(Q(due_on__lte=today) | Q(completed_on__isnull=False))
        .values_list("person_id", "due_on", "completed_on")
    )
    counted: dict[int, list[bool]] = {}
    for person_id, due_on, completed_on in rows:
        counted.setdefault(person_id, []).append(
            completed_on is not None and completed_on <= due_on
        )
    url = reverse("quotas:training-list")
    return {
        person_id: _ratio_value(
            Decimal(sum(results)),
            Decimal(len(results)),
            display=f"{sum(results)} of {len(results)}",
            url=f"{url}?person={person_id}",
        )
        for person_id, results in counted.items()
    }


def register_measures() -> None:
    register_dashboard_measure(
        DashboardMeasure(
            key="quota_bookings",
            label="Bookings to date",
            compute=bookings_compute,
            roll_up=sum_roll_up,
            order=10,
            help="Bookings closed in the current quota period ÷ the sales target prorated to date.",
        )
    )
    register_dashboard_measure(
        DashboardMeasure(
            key="quota_gross_profit",
            label="Gross profit to date",
            compute=profit_compute,
            roll_up=sum_roll_up,
            order=20,
            help="Gross profit closed in the current quota period ÷ the gross-profit target "
            "prorated to date.",
        )
    )
    register_dashboard_measure(
        DashboardMeasure(
            key="profitability",
            label="Accounts at expected margin",
            compute=profitability_compute,
            roll_up=count_roll_up,
            order=30,
            help="Accounts owned whose gross margin over the last 12 full months is at least "
            "their expected margin.",
        )
    )
    register_dashboard_measure(
        DashboardMeasure(
            key="training",
            label="Training in time",
            compute=training_compute,
            roll_up=count_roll_up,
            order=60,
            help="Required training objectives due so far that were completed by their due date.",
        )
    )
