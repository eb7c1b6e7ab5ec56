"""Import SLA measurements from a CSV or XLSX file: all rows or none.

Every row is checked before anything is written; one bad row refuses the whole file with an
error for each problem found (row number as a spreadsheet shows it, the header being row 1).
A good file is written in one transaction and the periods it touched are judged again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from steward.contracts.models import Contract
from steward.contracts.models.sla import MeasurementSource, ServiceLevel, SlaMeasurement
from steward.contracts.services.sla import measurement_problems
from steward.contracts.services.sla_periods import period_bounds, sla_period_evaluate, to_number
from steward.core.access import Action, require
from steward.core.services import create_record
from steward.core.tabular import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    Row,
    RowError,
    parse_date,
    read_table,
    sort_errors,
)

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED",
    "ImportRefused",
    "ImportResult",
    "RowError",
    "measurements_import",
]

COLUMNS = ("metric", "date", "value", "note")
REQUIRED = ("metric", "date", "value")


@dataclass
class ImportResult:
    created: int
    periods: list[tuple[ServiceLevel, dt.date]] = field(default_factory=list)


def measurements_import(
    *, actor: Any, contract: Contract, file: IO[bytes], filename: str
) -> ImportResult:
    """Read, check and write every measurement of the file, or refuse it whole."""
    require(actor, Action.CHANGE, contract)
    rows = read_table(file, filename, columns=COLUMNS, required=REQUIRED)
    levels = {level.metric: level for level in contract.service_levels.active()}
    checked, errors = _check(rows, levels, today=timezone.localdate())
    if errors:
        raise ImportRefused(errors)
    touched: dict[tuple[int, dt.date], ServiceLevel] = {}
    with transaction.atomic():
        for level, day, value, note in checked:
            create_record(
                SlaMeasurement(
                    service_level=level,
                    measured_on=day,
                    value=value,
                    source=MeasurementSource.IMPORT,
                    entered_by=actor,
                    note=note,
                ),
                actor=actor,
                reason=f"Imported from {filename}"[:100],
            )
            touched[(level.pk, period_bounds(level.window, day)[0])] = level
        for (_, start), level in sorted(touched.items(), key=lambda item: item[0]):
            sla_period_evaluate(service_level=level, period_start=start, booked_by=actor)
    periods = [(level, start) for (_, start), level in sorted(touched.items())]
    return ImportResult(created=len(checked), periods=periods)


# --- checking --------------------------------------------------------------------------------

_Checked = tuple[ServiceLevel, dt.date, Decimal, str]


def _check(
    rows: list[Row], levels: dict[str, ServiceLevel], *, today: dt.date
) -> tuple[list[_Checked], list[RowError]]:
    errors: list[RowError] = []
    checked: list[_Checked] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        problems, parsed = _check_row(row, levels, today=today)
        if parsed is not None:
            level, day = parsed[0], parsed[1]
            earlier = seen.setdefault((level.metric, day), row.number)
            if earlier != row.number:
                problems.append(
                    RowError(
                        row.number, "date", f"{level.metric} on {day} is also on row {earlier}"
                    )
                )
        errors.extend(problems)
        if parsed is not None and not problems:
            checked.append(parsed)
    errors.extend(_already_stored(levels, seen))
    return checked, sort_errors(errors, COLUMNS)


def _check_row(
    row: Row, levels: dict[str, ServiceLevel], *, today: dt.date
) -> tuple[list[RowError], _Checked | None]:
    problems: list[RowError] = []
    metric = str(row.cells["metric"] or "").strip()
    level = levels.get(metric)
    if level is None:
        reason = (
            "is missing" if not metric else f"“{metric}” is not a service level of this contract"
        )
        problems.append(RowError(row.number, "metric", reason))
    day = parse_date(row.cells["date"])
    if day is None:
        problems.append(RowError(row.number, "date", "is not a date like 2026-01-31"))
    try:
        value = to_number(row.cells["value"])
    except ValueError as error:
        problems.append(RowError(row.number, "value", str(error)))
        value = None
    if level is None or day is None:
        return problems, None
    for column, reason in measurement_problems(level, day, today=today):
        problems.append(RowError(row.number, "date" if column == "measured_on" else column, reason))
    if value is None:
        return problems, None
    return problems, (level, day, value, str(row.cells["note"] or "").strip())


def _already_stored(
    levels: dict[str, ServiceLevel], seen: dict[tuple[str, dt.date], int]
) -> list[RowError]:
    """Rows whose metric already has a measurement on that day."""
    if not seen:
        return []
    stored = SlaMeasurement.objects.active().filter(
        service_level__in=list(levels.values()), measured_on__in={day for _, day in seen}
    )
    return [
        RowError(seen[(metric, day)], "date", f"{metric} already has a value on {day}")
        for metric, day in stored.values_list("service_level__metric", "measured_on")
        if (metric, day) in seen
    ]
