"""Import SLA measurements from a CSV or XLSX file: all rows or none.

Every row is checked before anything is written; one bad row refuses the whole file with an
error for each problem found (row number as a spreadsheet shows it, the header being row 1).
A good file is written in one transaction and the periods it touched are judged again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from steward.contracts.models import Contract
from steward.contracts.models.sla import MeasurementSource, ServiceLevel, SlaMeasurement
from steward.contracts.services.sla import measurement_problems
from steward.contracts.services.sla_periods import period_bounds, sla_period_evaluate, to_number
from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.services import create_record

COLUMNS = ("metric", "date", "value", "note")
REQUIRED = ("metric", "date", "value")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1; 0 is the file as a whole
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.row else self.column
        return f"{where}: {self.reason}"


class ImportRefused(DomainError):  # noqa: N818 - the name the callers were promised
    """The file was refused as a whole; ``errors`` says why, row by row."""

    code = "import_refused"

    def __init__(self, errors: list[RowError]) -> None:
        count = len(errors)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file.",
            field="file",
        )
        self.errors = errors


@dataclass
class ImportResult:
    created: int
    periods: list[tuple[ServiceLevel, dt.date]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, Any]


def measurements_import(
    *, actor: Any, contract: Contract, file: IO[bytes], filename: str
) -> ImportResult:
    """Read, check and write every measurement of the file, or refuse it whole."""
    require(actor, Action.CHANGE, contract)
    rows = list(_read(file, filename))
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


# --- reading ---------------------------------------------------------------------------------


def _refuse(reason: str) -> ImportRefused:
    return ImportRefused([RowError(row=0, column="file", reason=reason)])


def _read(file: IO[bytes], filename: str) -> Iterator[_Row]:
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    name = filename.lower()
    if name.endswith(".csv"):
        table = _csv_rows(data)
    elif name.endswith(".xlsx"):
        table = _xlsx_rows(data)
    else:
        raise _refuse("Import a .csv or .xlsx file.")
    if not table:
        raise _refuse("The file is empty.")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise _refuse(f"The first row must name the columns; missing: {', '.join(missing)}.")
    if len(table) - 1 > MAX_ROWS:
        raise _refuse(f"Import at most {MAX_ROWS} rows at a time.")
    for number, cells in enumerate(table[1:], start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        known = {header[i]: cell for i, cell in enumerate(cells) if i < len(header)}
        yield _Row(number=number, cells={column: known.get(column) for column in COLUMNS})


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse("The CSV file is not UTF-8 text.") from error
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _refuse("The XLSX file cannot be read.") from error
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


# --- checking --------------------------------------------------------------------------------

_Checked = tuple[ServiceLevel, dt.date, Decimal, str]


def _check(
    rows: list[_Row], levels: dict[str, ServiceLevel], *, today: dt.date
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
    errors.sort(key=lambda error: (error.row, COLUMNS.index(error.column)))
    return checked, errors


def _check_row(
    row: _Row, levels: dict[str, ServiceLevel], *, today: dt.date
) -> tuple[list[RowError], _Checked | None]:
    problems: list[RowError] = []
    metric = str(row.cells["metric"] or "").strip()
    level = levels.get(metric)
    if level is None:
        reason = (
            "is missing" if not metric else f"“{metric}” is not a service level of this contract"
        )
        problems.append(RowError(row.number, "metric", reason))
    day = _date(row.cells["date"])
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


def _date(raw: object) -> dt.date | None:
    """An ISO date, or a spreadsheet's date cell."""
    if isinstance(raw, dt.datetime):
        return raw.date() if raw.time() == dt.time() else None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


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
