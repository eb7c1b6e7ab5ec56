"""The accountability dashboard's measures: one column per measure, one row per account manager,
rolled up per field sales manager.

The quotas app registers attainment, profitability against expectation and training completed in
time; upper apps register theirs (joint account plans: plans meeting the standard; satisfaction
against the company standard) from their ``plugins.register``, so quotas never imports them.

``compute(person_ids, today)`` answers ``{person id: MeasureValue}`` for the people asked about,
set-based (a few queries for all of them, never one per person); ``roll_up(values)`` combines the
values of a manager's reports into the manager's row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MeasureValue:
    value: Decimal | None  # what was measured (a percentage for most measures)
    target: Decimal | None = None  # what is expected, in the same unit
    numerator: Decimal | None = None  # the parts of a ratio, so roll-ups add them up
    denominator: Decimal | None = None
    display: str = ""  # how the cell reads, e.g. "82 % of 1,200,000 EUR"
    meets: bool | None = None  # on target? None when there is nothing to judge
    url: str = ""  # where the figure comes from


Compute = Callable[[Sequence[int], dt.date], dict[int, MeasureValue]]
RollUp = Callable[[Sequence[MeasureValue]], MeasureValue]


@dataclass(frozen=True)
class DashboardMeasure:
    key: str
    label: str
    compute: Compute
    roll_up: RollUp
    order: int = 100
    help: str = ""


_MEASURES: dict[str, DashboardMeasure] = {}


def register_dashboard_measure(measure: DashboardMeasure) -> None:
    _MEASURES[measure.key] = measure


def dashboard_measures() -> list[DashboardMeasure]:
    return sorted(_MEASURES.values(), key=lambda m: (m.order, m.key))
