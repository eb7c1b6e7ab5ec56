"""Writes on exchange rates: one by one, or a whole file of them, all rows or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
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
from steward.core.uploads import ALLOWED_TYPES, check_upload
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency
from steward.spend.services.reference_checks import archive_checked, currency_code

# --- exchange rates ------------------------------------------------------------------------------

RATE_EDITABLE = frozenset({"currency", "rate_date", "rate"})
RATE_PLACES = 10
RATE_LIMIT = Decimal(10) ** 10  # 20 digits, 10 of them after the point
RATE_COLUMNS = ("currency", "date", "rate")
IMPORT_TYPES = {extension: ALLOWED_TYPES[extension] for extension in (".csv", ".xlsx")}


def _rate_currency(value: Any, *, field: str = "currency") -> str:
    code = currency_code(value, field=field)
    if code == base_currency():
        raise DomainError(
            f"{code} is the base currency: every other currency is converted into it, so it "
            "has no rate of its own.",
            field=field,
            code="base_currency",
        )
    return code


def _rate_value(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise DomainError("Give the rate as a decimal number, e.g. 1.0825.", field="rate")
    try:
        number = parse_decimal(value, places=RATE_PLACES, limit=RATE_LIMIT)
    except ValueError as error:
        raise DomainError(f"The rate {error}.", field="rate") from error
    if number <= 0:
        raise DomainError("A rate is more than zero.", field="rate", code="min_value")
    return number


def _check_rate(rate: ExchangeRate) -> None:
    rate.currency = _rate_currency(rate.currency)
    if not isinstance(rate.rate_date, dt.date) or isinstance(rate.rate_date, dt.datetime):
        raise DomainError("Give the day the rate applies from.", field="rate_date")
    rate.rate = _rate_value(rate.rate)
    validate_fields(rate)
    same = ExchangeRate.objects.filter(currency=rate.currency, rate_date=rate.rate_date)
    clash = same.exclude(pk=rate.pk).first()
    if clash is not None:
        hint = "restore it" if clash.is_archived else "change it"
        raise DuplicateError(
            f"There is a {rate.currency} rate on {rate.rate_date:%Y-%m-%d} already "
            f"({clash.rate}); {hint} instead.",
            field="rate_date",
        )


def exchange_rate_create(
    *, actor: Any, currency: str, rate_date: dt.date, rate: Decimal
) -> ExchangeRate:
    """One unit of ``currency`` is worth ``rate`` units of the base currency from ``rate_date``."""
    require_create(actor, ExchangeRate)
    record = ExchangeRate(currency=currency, rate_date=rate_date, rate=rate)
    with transaction.atomic():
        _check_rate(record)
        return create_record(record, actor=actor)


def exchange_rate_update(
    *, actor: Any, exchange_rate: ExchangeRate, expected_version: int, **changes: Any
) -> ExchangeRate:
    """Correct a rate; lines already imported keep the amount they were converted to."""
    require(actor, Action.CHANGE, exchange_rate)
    refuse_unknown_fields(changes, RATE_EDITABLE)
    return update_record(
        exchange_rate,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_rate,
    )


def exchange_rate_archive(
    *, actor: Any, exchange_rate: ExchangeRate, expected_version: int | None = None
) -> ExchangeRate:
    return archive_checked(actor, exchange_rate, expected_version)


@dataclass(frozen=True)
class _RateRow:
    number: int
    currency: str
    day: dt.date
    rate: Decimal


def exchange_rates_import(*, actor: Any, upload: UploadedFile) -> int:
    """Read a CSV or XLSX file of rates (columns currency, date, rate) and keep them all, or
    refuse the whole file with an error per bad row. Returns how many rates were added or
    changed: a file imported again adds nothing; a changed rate is updated with its history."""
    require_create(actor, ExchangeRate)
    check_upload(upload, allowed=IMPORT_TYPES)
    upload.seek(0)
    filename = upload.name or ""
    rows = read_table(upload, filename, columns=RATE_COLUMNS, required=RATE_COLUMNS)
    parsed, errors = _check_rate_rows(rows)
    if errors:
        raise ImportRefused(sort_errors(errors, RATE_COLUMNS))
    if not parsed:
        raise refuse("The file has no rates below its header.")
    with transaction.atomic():
        return _store_rates(actor, parsed, reason=f"Imported from {filename}")


def _check_rate_rows(rows: list[Row]) -> tuple[list[_RateRow], list[RowError]]:
    errors: list[RowError] = []
    parsed: list[_RateRow] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        problems: list[RowError] = []
        try:
            currency = _rate_currency(text(row.cells["currency"]))
        except DomainError as error:
            problems.append(RowError(row.number, "currency", error.message))
            currency = ""
        day = parse_date(row.cells["date"])
        if day is None:
            problems.append(RowError(row.number, "date", "is not a date like 2026-01-31"))
        try:
            rate = parse_decimal(row.cells["rate"], places=RATE_PLACES, limit=RATE_LIMIT)
            if rate <= 0:
                problems.append(RowError(row.number, "rate", "is not more than zero"))
        except ValueError as error:
            problems.append(RowError(row.number, "rate", str(error)))
        if currency and day is not None:
            earlier = seen.setdefault((currency, day), row.number)
            if earlier != row.number:
                problems.append(
                    RowError(row.number, "date", f"{currency} on {day} is also on row {earlier}")
                )
        errors.extend(problems)
        if not problems and day is not None:
            parsed.append(_RateRow(row.number, currency, day, rate))
    return parsed, errors


def _store_rates(actor: Any, parsed: list[_RateRow], *, reason: str) -> int:
    """New rates are added and changed ones updated, each with one history record."""
    days = [row.day for row in parsed]
    existing = {
        (rate.currency, rate.rate_date): rate
        for rate in ExchangeRate.objects.select_for_update().filter(
            currency__in={row.currency for row in parsed},
            rate_date__gte=min(days),
            rate_date__lte=max(days),
        )
    }
    added: list[ExchangeRate] = []
    changed: list[ExchangeRate] = []
    now = timezone.now()
    for row in parsed:
        current = existing.get((row.currency, row.day))
        if current is None:
            added.append(ExchangeRate(currency=row.currency, rate_date=row.day, rate=row.rate))
        elif current.rate != row.rate or current.is_archived:
            current.rate = row.rate
            current.archived_at = None
            current.archived_by = None
            current.version += 1
            current.updated_at = now
            changed.append(current)
    if added:
        bulk_create_with_history(
            added, ExchangeRate, default_user=actor, default_change_reason=reason[:100]
        )
    if changed:
        bulk_update_with_history(
            changed,
            ExchangeRate,
            ["rate", "archived_at", "archived_by", "version", "updated_at"],
            default_user=actor,
            default_change_reason=reason[:100],
        )
    return len(added) + len(changed)
