"""Import a relationship's recorded measurements from a CSV or XLSX file: all rows or none.

Columns: measure, date, value and optionally note. Every row is checked before anything is
written; one bad row refuses the whole file with an error for each problem found (row number as
a spreadsheet shows it, the header being row 1). A good file is written in one transaction.

Importing the same file again changes nothing: a row whose measure and day are stored already
with the same value is left alone; one with a different value (or note) updates the stored row,
with its history kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, update_record
from steward.core.tabular import (
    ImportRefused,
    Row,
    RowError,
    parse_date,
    parse_decimal,
    read_table,
    refuse,
    sort_errors,
    text,
)
from steward.scorecards.choices import MeasurementSource
from steward.scorecards.models import Measurement
from steward.scorecards.services.measurements import (
    VALUE_LIMIT,
    recorded_measure_check,
    value_check,
)

__all__ = ["COLUMNS", "ImportRefused", "ImportResult", "RowError", "measurements_import"]

COLUMNS = ("measure", "date", "value", "note")
REQUIRED = ("measure", "date", "value")
PLACES = 4  # Measurement.value's decimal places


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _Checked:
    number: int
    measure: str
    day: dt.date
    value: Decimal
    note: str


def measurements_import(
    *, actor: Any, relationship: Any, file: IO[bytes], filename: str
) -> ImportResult:
    """Read, check and write every measurement of the file, or refuse it whole."""
    require(actor, Action.CHANGE, relationship)
    require_create(actor, Measurement, parent=relationship)
    if relationship.is_archived:
        raise DomainError("The relationship is archived.", code="archived")
    rows = read_table(file, filename, columns=COLUMNS, required=REQUIRED)
    if not rows:
        raise refuse("The file has no rows below its header.")
    checked, errors = _check(rows, relationship.side, today=timezone.localdate())
    if errors:
        raise ImportRefused(errors)
    reason = f"Imported from {filename}"[:100]
    created = updated = unchanged = 0
    with transaction.atomic():
        stored = _stored(relationship, checked, lock=True)
        for row in checked:
            existing = stored.get((row.measure, row.day))
            if existing is None:
                create_record(
                    Measurement(
                        relationship=relationship,
                        measure=row.measure,
                        measured_on=row.day,
                        value=row.value,
                        note=row.note,
                        source=MeasurementSource.IMPORT,
                        entered_by=actor,
                    ),
                    actor=actor,
                    reason=reason,
                )
                created += 1
            elif existing.value == row.value and (not row.note or existing.note == row.note):
                unchanged += 1
            else:
                changes: dict[str, Any] = {"value": row.value}
                if row.note:
                    changes["note"] = row.note
                update_record(
                    existing, actor=actor, expected_version=None, changes=changes, reason=reason
                )
                updated += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _stored(
    relationship: Any, checked: list[_Checked], *, lock: bool = False
) -> dict[tuple[str, dt.date], Measurement]:
    """The stored (not archived) rows of the file's measures and days."""
    if not checked:
        return {}
    rows = Measurement.objects.filter(
        relationship=relationship,
        archived_at__isnull=True,
        measure__in={row.measure for row in checked},
        measured_on__in={row.day for row in checked},
    )
    if lock:
        rows = rows.select_for_update()
    return {(row.measure, row.measured_on): row for row in rows}


# --- checking --------------------------------------------------------------------------------


def _check(rows: list[Row], side: str, *, today: dt.date) -> tuple[list[_Checked], list[RowError]]:
    errors: list[RowError] = []
    checked: list[_Checked] = []
    seen: dict[tuple[str, dt.date], int] = {}
    measures: dict[str, str | None] = {}  # key -> the reason it is refused, None when it fits
    for row in rows:
        problems, parsed = _check_row(row, side, measures, today=today)
        if parsed is not None:
            earlier = seen.setdefault((parsed.measure, parsed.day), row.number)
            if earlier != row.number:
                problems.append(
                    RowError(
                        row.number,
                        "date",
                        f"{parsed.measure} on {parsed.day} is also on row {earlier}",
                    )
                )
        errors.extend(problems)
        if parsed is not None and not problems:
            checked.append(parsed)
    return checked, sort_errors(errors, COLUMNS)


def _measure_problem(key: str, side: str, measures: dict[str, str | None]) -> str | None:
    if key not in measures:
        try:
            recorded_measure_check(key, side)
        except DomainError as error:
            measures[key] = error.message
        else:
            measures[key] = None
    return measures[key]


def _check_row(
    row: Row, side: str, measures: dict[str, str | None], *, today: dt.date
) -> tuple[list[RowError], _Checked | None]:
    problems: list[RowError] = []
    measure = text(row.cells["measure"])
    measure_ok = False
    if not measure:
        problems.append(RowError(row.number, "measure", "is missing"))
    else:
        reason = _measure_problem(measure, side, measures)
        if reason is None:
            measure_ok = True
        else:
            problems.append(RowError(row.number, "measure", reason))
    day = parse_date(row.cells["date"])
    if day is None:
        problems.append(RowError(row.number, "date", "is not a date like 2026-01-31"))
    elif day > today:
        problems.append(RowError(row.number, "date", f"{day} is in the future"))
        day = None
    value: Decimal | None
    try:
        value = parse_decimal(row.cells["value"], places=PLACES, limit=VALUE_LIMIT)
        value_check(value)
    except ValueError as error:
        problems.append(RowError(row.number, "value", str(error)))
        value = None
    except DomainError as error:
        problems.append(RowError(row.number, "value", error.message))
        value = None
    if not measure_ok or day is None or value is None:
        return problems, None
    return problems, _Checked(row.number, measure, day, value, text(row.cells["note"]))
