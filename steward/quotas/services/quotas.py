"""Writes on quotas: set, change, archive, and a file of them imported all or nothing.

Only a person's managers (direct or indirect) and administrators set or change the person's
quota (``manages``); nobody sets their own. One person's quotas never overlap: a second quota
whose period meets an existing one is refused naming it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from steward.core.access import manages
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    restore_record,
    update_record,
)
from steward.core.services import (
    text as typed_text,
)
from steward.core.tabular import (
    ImportRefused,
    Row,
    RowError,
    parse_date,
    read_table,
    refuse,
    sort_errors,
    text,
)
from steward.core.uploads import ALLOWED_TYPES, check_upload
from steward.quotas.models import Quota
from steward.quotas.services import common

QUOTA_EDITABLE = frozenset(
    {"starts_on", "ends_on", "currency", "sales_target", "margin_target", "notes"}
)
QUOTA_COLUMNS = ("username", "start", "end", "currency", "sales_target", "gross_profit_target")
IMPORT_TYPES = {extension: ALLOWED_TYPES[extension] for extension in (".csv", ".xlsx")}


def may_set_quota(actor: Any, person: Any) -> bool:
    return manages(actor, person)


def _require_manager(actor: Any, person: Any) -> None:
    if not manages(actor, person):
        raise PermissionDenied(
            "Only the person's managers or an administrator set their quota; nobody sets their own."
        )


def _lock_person(person: Any) -> None:
    # Two quotas for one person saved at once must not both pass the overlap check.
    get_user_model()._default_manager.select_for_update().filter(pk=person.pk).first()


def _overlap(quota: Quota) -> Quota | None:
    return (
        Quota.objects.active()
        .filter(
            person_id=quota.person_id, starts_on__lte=quota.ends_on, ends_on__gte=quota.starts_on
        )
        .exclude(pk=quota.pk)
        .order_by("starts_on")
        .first()
    )


def _check(quota: Quota) -> None:
    quota.starts_on = common.day(quota.starts_on, field="starts_on", label="start")
    quota.ends_on = common.day(quota.ends_on, field="ends_on", label="end")
    if quota.ends_on < quota.starts_on:
        raise DomainError("The period ends before it starts.", field="ends_on", code="order")
    quota.currency = common.currency(quota.currency)
    quota.sales_target = common.amount(
        quota.sales_target, field="sales_target", label="sales target"
    )
    quota.margin_target = common.amount(
        quota.margin_target, field="margin_target", label="gross-profit target"
    )
    quota.notes = typed_text(quota.notes, field="notes", label="notes", limit=10_000)
    clash = _overlap(quota)
    if clash is not None:
        raise DomainError(
            f"{person_name(quota.person)} has a quota from {clash.starts_on:%Y-%m-%d} to "
            f"{clash.ends_on:%Y-%m-%d} already; periods of one person may not overlap.",
            field="starts_on",
            code="overlap",
        )


def quota_set(
    *,
    actor: Any,
    person: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    currency: str,
    sales_target: Decimal,
    margin_target: Decimal,
    notes: str = "",
) -> Quota:
    """Set ``person``'s sales and gross-profit targets for a period."""
    _require_manager(actor, person)
    check_internal_person(person, field="person", role="person with a quota")
    quota = Quota(
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
        currency=currency,
        sales_target=sales_target,
        margin_target=margin_target,
        notes=notes,
    )
    with transaction.atomic():
        _lock_person(person)
        _check(quota)
        return create_record(quota, actor=actor)


def quota_update(*, actor: Any, quota: Quota, expected_version: int, **changes: Any) -> Quota:
    _require_manager(actor, quota.person)
    refuse_unknown_fields(changes, QUOTA_EDITABLE)
    with transaction.atomic():
        _lock_person(quota.person)
        return update_record(
            quota, actor=actor, expected_version=expected_version, changes=changes, validate=_check
        )


def quota_archive(*, actor: Any, quota: Quota, expected_version: int | None = None) -> Quota:
    _require_manager(actor, quota.person)
    return archive_record(quota, actor=actor, expected_version=expected_version)


def quota_restore(*, actor: Any, quota: Quota, expected_version: int | None = None) -> Quota:
    _require_manager(actor, quota.person)
    with transaction.atomic():
        _lock_person(quota.person)
        clash = _overlap(quota)
        if clash is not None:
            raise DomainError(
                f"The quota from {clash.starts_on:%Y-%m-%d} covers this period now.",
                code="overlap",
            )
        return restore_record(quota, actor=actor, expected_version=expected_version)


# --- the import ---------------


@dataclass(frozen=True)
class _QuotaRow:
    number: int
    person: Any
    starts_on: dt.date
    ends_on: dt.date
    currency: str
    sales_target: Decimal
    margin_target: Decimal


def quotas_import(*, actor: Any, upload: UploadedFile) -> int:
    """Read a CSV or XLSX of quotas (username, start, end, currency, sales_target,
    gross_profit_target) and keep them all, or refuse the whole file with an error per bad row.

    A quota is known by its person and start: importing the same file again changes nothing; a
    changed row updates that quota. Returns how many quotas were added or changed.
    """
    check_upload(upload, allowed=IMPORT_TYPES)
    upload.seek(0)
    filename = upload.name or ""
    rows = read_table(upload, filename, columns=QUOTA_COLUMNS, required=QUOTA_COLUMNS)
    if not rows:
        raise refuse("The file has no quotas below its header.")
    with transaction.atomic():
        parsed, errors = _check_rows(actor, rows)
        if errors:
            raise ImportRefused(sort_errors(errors, QUOTA_COLUMNS))
        return _store(actor, parsed, reason=f"Imported from {filename}")


def _people(rows: list[Row]) -> dict[str, Any]:
    names = {text(row.cells["username"]) for row in rows}
    users = get_user_model()._default_manager.select_for_update().filter(username__in=names)
    return {user.get_username(): user for user in users}


def _check_row(actor: Any, row: Row, people: dict[str, Any]) -> tuple[Any, list[RowError]]:
    errors: list[RowError] = []
    username = text(row.cells["username"])
    person = people.get(username)
    if person is None or not manages(actor, person):
        # Someone the importer does not manage reads like someone unknown.
        errors.append(RowError(row.number, "username", f"“{username}” is not one of your reports"))
        person = None
    values: dict[str, Any] = {}
    for column in ("start", "end"):
        values[column] = parse_date(row.cells[column])
        if values[column] is None:
            errors.append(RowError(row.number, column, "is not a date like 2026-01-31"))
    try:
        values["currency"] = common.currency(text(row.cells["currency"]))
    except DomainError as error:
        errors.append(RowError(row.number, "currency", error.message))
    for column, label in (("sales_target", "sales target"), ("gross_profit_target", "target")):
        try:
            values[column] = common.amount(row.cells[column], field=column, label=label)
        except DomainError as error:
            errors.append(RowError(row.number, column, error.message))
    if errors:
        return None, errors
    if values["end"] < values["start"]:
        return None, [RowError(row.number, "end", "is before the start")]
    return (
        _QuotaRow(
            row.number,
            person,
            values["start"],
            values["end"],
            values["currency"],
            values["sales_target"],
            values["gross_profit_target"],
        ),
        [],
    )


def _check_rows(actor: Any, rows: list[Row]) -> tuple[list[_QuotaRow], list[RowError]]:
    people = _people(rows)
    parsed: list[_QuotaRow] = []
    errors: list[RowError] = []
    for row in rows:
        checked, problems = _check_row(actor, row, people)
        errors.extend(problems)
        if checked is not None:
            parsed.append(checked)
    errors.extend(_overlaps(parsed))
    return parsed, errors


def _overlaps(parsed: list[_QuotaRow]) -> list[RowError]:
    """Rows whose periods meet another row's, or an existing quota they do not replace."""
    errors: list[RowError] = []
    existing: dict[int, list[Quota]] = {}
    for quota in Quota.objects.active().filter(person_id__in={row.person.pk for row in parsed}):
        existing.setdefault(quota.person_id, []).append(quota)
    by_person: dict[int, list[_QuotaRow]] = {}
    for row in parsed:
        by_person.setdefault(row.person.pk, []).append(row)
    for person_id, person_rows in by_person.items():
        replaced = {row.starts_on for row in person_rows}
        kept = [q for q in existing.get(person_id, []) if q.starts_on not in replaced]
        for index, row in enumerate(person_rows):
            for other in person_rows[:index]:
                if other.starts_on <= row.ends_on and row.starts_on <= other.ends_on:
                    errors.append(
                        RowError(row.number, "start", f"overlaps the period on row {other.number}")
                    )
            for quota in kept:
                if quota.starts_on <= row.ends_on and row.starts_on <= quota.ends_on:
                    errors.append(
                        RowError(
                            row.number,
                            "start",
                            f"overlaps the quota from {quota.starts_on:%Y-%m-%d} to "
                            f"{quota.ends_on:%Y-%m-%d}",
                        )
                    )
    return errors


def _store(actor: Any, parsed: list[_QuotaRow], *, reason: str) -> int:
    existing = {
        (quota.person_id, quota.starts_on): quota
        for quota in Quota.objects.active().filter(person_id__in={row.person.pk for row in parsed})
    }
    added: list[Quota] = []
    changed: list[Quota] = []
    now = timezone.now()
    fields = ("ends_on", "currency", "sales_target", "margin_target")
    for row in parsed:
        values = {
            "ends_on": row.ends_on,
            "currency": row.currency,
            "sales_target": row.sales_target,
            "margin_target": row.margin_target,
        }
        current = existing.get((row.person.pk, row.starts_on))
        if current is None:
            added.append(Quota(person=row.person, starts_on=row.starts_on, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.version += 1
            current.updated_at = now
            changed.append(current)
    reason = reason[:100]
    if added:
        bulk_create_with_history(added, Quota, default_user=actor, default_change_reason=reason)
    if changed:
        bulk_update_with_history(
            changed,
            Quota,
            [*fields, "version", "updated_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    return len(added) + len(changed)
