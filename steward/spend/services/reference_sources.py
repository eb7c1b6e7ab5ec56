"""Writes on spend sources: the systems whose files are imported, and how to read them (the
column mapping, the date pattern, the decimal comma, the default currency)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
from steward.spend.choices import SourceKind
from steward.spend.models import SpendSource
from steward.spend.services.reference_checks import (
    archive_checked,
    currency_code,
    optional_text,
    required_text,
)

# --- sources and their column mappings -----------------------------------------------------------

# The fields of a line a source's file may carry; ``mapping`` names the file's column for each.
STEWARD_FIELDS: dict[str, str] = {
    "date": "Date",
    "amount": "Amount",
    "currency": "Currency",
    "vendor_name": "Vendor name",
    "vendor_tax_id": "Vendor tax id",
    "reference": "Document number",
    "line_number": "Line number",
    "cost_center": "Cost center",
    "gl_account": "GL account",
    "description": "Description",
    "item": "Item",
    "quantity": "Quantity",
    "category": "Category code",
    "contract": "Contract reference",
}
REQUIRED_FIELDS = ("date", "amount")
VENDOR_FIELDS = ("vendor_name", "vendor_tax_id")
COLUMN_MAX_LENGTH = 120
SOURCE_EDITABLE = frozenset(
    {"name", "kind", "mapping", "date_format", "decimal_comma", "default_currency"}
)
# Two days whose day, month and year differ: a pattern that reads both back says all three.
_SAMPLE_DAYS = (dt.date(2026, 3, 31), dt.date(1999, 11, 5))


def mapping_key(field: str) -> str:
    """Where an error about one Steward field of a mapping points: ``mapping[date]``."""
    return f"mapping[{field}]"


def clean_mapping(mapping: Any) -> dict[str, str]:
    """The mapping with trimmed headers in the fields' order; refuses unknown fields, blank
    headers, missing required fields and two fields on one column. Empty: the file's headers
    are Steward's field names."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise DomainError("Give the mapping as Steward field → column header.", field="mapping")
    unknown = sorted(str(name) for name in mapping if name not in STEWARD_FIELDS)
    if unknown:
        raise DomainError(
            f"Not a Steward field: {', '.join(unknown)}. The fields are "
            f"{', '.join(STEWARD_FIELDS)}.",
            field="mapping",
            code="unknown_field",
        )
    cleaned: dict[str, str] = {}
    for name, label in STEWARD_FIELDS.items():
        if name not in mapping:
            continue
        header = mapping[name]
        if not isinstance(header, str) or not header.strip():
            raise DomainError(
                f"Name the file's column that holds the {label.lower()}.",
                field=mapping_key(name),
                code="blank",
            )
        if len(header.strip()) > COLUMN_MAX_LENGTH:
            raise DomainError(
                f"A column header has at most {COLUMN_MAX_LENGTH} characters.",
                field=mapping_key(name),
                code="max_length",
            )
        cleaned[name] = header.strip()
    if cleaned:
        _check_mapping_complete(cleaned)
    return cleaned


def _check_mapping_complete(cleaned: dict[str, str]) -> None:
    for name in REQUIRED_FIELDS:
        if name not in cleaned:
            raise DomainError(
                f"Name the file's column that holds the {STEWARD_FIELDS[name].lower()}.",
                field=mapping_key(name),
                code="required",
            )
    if not any(name in cleaned for name in VENDOR_FIELDS):
        raise DomainError(
            "Name the file's column that holds the vendor's name or its tax id (or both).",
            field=mapping_key("vendor_name"),
            code="required",
        )
    read_by: dict[str, str] = {}
    for name, header in cleaned.items():
        earlier = read_by.setdefault(header.casefold(), name)
        if earlier != name:
            raise DomainError(
                f"{STEWARD_FIELDS[earlier]} and {STEWARD_FIELDS[name].lower()} both read the "
                f"column “{header}”; each field reads a column of its own.",
                field=mapping_key(name),
                code="duplicate_column",
            )


def check_date_format(value: Any) -> str:
    """A strftime pattern that names the day, the month and the year; empty means ISO dates."""
    pattern = optional_text(value, field="date_format")
    if not pattern:
        return ""
    for day in _SAMPLE_DAYS:
        try:
            read = dt.datetime.strptime(day.strftime(pattern), pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError as error:
            raise DomainError(
                f"“{pattern}” is not a date pattern; write one with %d, %m and %Y, "
                "e.g. %d/%m/%Y or %d.%m.%Y.",
                field="date_format",
                code="invalid",
            ) from error
        if read != day:
            raise DomainError(
                f"“{pattern}” does not say the day, the month and the year; "
                "e.g. %d/%m/%Y or %m/%d/%Y.",
                field="date_format",
                code="incomplete",
            )
    return pattern


def _check_source(source: SpendSource) -> None:
    source.name = required_text(source.name, field="name", message="Name the source.")
    if source.kind not in SourceKind.values:
        raise DomainError(
            f"“{source.kind}” is not a kind of source.", field="kind", code="invalid_choice"
        )
    source.mapping = clean_mapping(source.mapping)
    source.date_format = check_date_format(source.date_format)
    if not isinstance(source.decimal_comma, bool):
        raise DomainError("Say yes or no.", field="decimal_comma")
    source.default_currency = currency_code(
        source.default_currency, field="default_currency", blank=True
    )
    validate_fields(source)
    same_name = SpendSource.objects.filter(name__iexact=source.name).exclude(pk=source.pk)
    if same_name.exists():
        raise DuplicateError(
            f"There is a source named “{source.name}” already (perhaps archived).", field="name"
        )


def spend_source_create(
    *,
    actor: Any,
    name: str,
    kind: str = SourceKind.INVOICE,
    mapping: Mapping[str, str] | None = None,
    date_format: str = "",
    decimal_comma: bool = False,
    default_currency: str = "",
) -> SpendSource:
    """A system whose files are imported, with how to read them."""
    require_create(actor, SpendSource)
    source = SpendSource(
        name=name,
        kind=kind,
        mapping=mapping if mapping is not None else {},
        date_format=date_format,
        decimal_comma=decimal_comma,
        default_currency=default_currency,
    )
    with transaction.atomic():
        _check_source(source)
        return create_record(source, actor=actor)


def spend_source_update(
    *, actor: Any, source: SpendSource, expected_version: int, **changes: Any
) -> SpendSource:
    """Change a source's name, kind or how its files are read (files already imported stay)."""
    require(actor, Action.CHANGE, source)
    refuse_unknown_fields(changes, SOURCE_EDITABLE)
    return update_record(
        source,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_source,
    )


def spend_source_archive(
    *, actor: Any, source: SpendSource, expected_version: int | None = None
) -> SpendSource:
    """The source leaves the choices of a new import; its imports and lines stay."""
    return archive_checked(actor, source, expected_version)
