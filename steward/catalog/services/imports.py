"""The product import: a CSV or XLSX file of products, kept all or none, re-runnable.

A row names its product by SKU: a SKU the catalog has is updated (only what differs, with one
history record), a new one is added. Importing the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from steward.catalog.choices import OfferingKind
from steward.catalog.models import Product, ProductFamily
from steward.catalog.services.common import AMOUNT_LIMIT, currency_code
from steward.core.access import require_create
from steward.core.errors import DomainError
from steward.core.tabular import (
    ImportRefused,
    Row,
    RowError,
    parse_decimal,
    read_table,
    refuse,
    sort_errors,
    text,
)
from steward.core.uploads import ALLOWED_TYPES, check_upload

COLUMNS = (
    "sku",
    "name",
    "family code",
    "kind",
    "unit",
    "currency",
    "list price",
    "standard cost",
    "recurring",
)
REQUIRED = ("sku", "name", "family code", "currency", "list price", "standard cost")
IMPORT_TYPES = {extension: ALLOWED_TYPES[extension] for extension in (".csv", ".xlsx")}
TRUE = frozenset({"yes", "y", "true", "1", "x"})
FALSE = frozenset({"", "no", "n", "false", "0"})
KINDS = {value: value for value in OfferingKind.values} | {
    label.lower(): value for value, label in OfferingKind.choices
}
UPDATED_FIELDS = (
    "name",
    "family",
    "kind",
    "unit",
    "currency",
    "list_price",
    "standard_cost",
    "recurring",
)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _ProductRow:
    number: int
    values: dict[str, Any]


def products_import(*, actor: Any, upload: UploadedFile) -> ImportResult:
    """Check every row of the file, then add and update products in one transaction, or refuse
    the whole file with one error per row and column."""
    require_create(actor, Product)
    check_upload(upload, allowed=IMPORT_TYPES)
    upload.seek(0)
    filename = upload.name or ""
    rows = read_table(upload, filename, columns=COLUMNS, required=REQUIRED)
    if not rows:
        raise refuse("The file has no products below its header.")
    families = {
        family.code.upper(): family
        for family in ProductFamily.objects.filter(archived_at__isnull=True)
    }
    parsed, errors = _check_rows(rows, families)
    if errors:
        raise ImportRefused(sort_errors(errors, COLUMNS))
    with transaction.atomic():
        return _store(actor, parsed, reason=f"Imported from {filename}"[:100])


def _check_rows(
    rows: list[Row], families: dict[str, ProductFamily]
) -> tuple[list[_ProductRow], list[RowError]]:
    parsed: list[_ProductRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        values, problems = _check_row(row, families)
        sku = values.get("sku")
        if sku:
            first = seen.setdefault(sku, row.number)
            if first != row.number:
                problems.append(RowError(row.number, "sku", f"{sku} is also on row {first}"))
        errors.extend(problems)
        if not problems:
            parsed.append(_ProductRow(row.number, values))
    return parsed, errors


def _check_row(
    row: Row, families: dict[str, ProductFamily]
) -> tuple[dict[str, Any], list[RowError]]:
    cells = row.cells
    problems: list[RowError] = []
    values: dict[str, Any] = {}

    def problem(column: str, reason: str) -> None:
        problems.append(RowError(row.number, column, reason))

    sku = text(cells["sku"]).upper()
    if not sku:
        problem("sku", "is missing")
    elif len(sku) > 60:
        problem("sku", "is longer than 60 characters")
    values["sku"] = sku
    name = text(cells["name"])
    if not name:
        problem("name", "is missing")
    elif len(name) > 200:
        problem("name", "is longer than 200 characters")
    values["name"] = name
    code = text(cells["family code"]).upper()
    family = families.get(code)
    if family is None:
        problem("family code", f"“{code}” is no current product family" if code else "is missing")
    values["family"] = family
    kind = KINDS.get(text(cells["kind"]).lower() or OfferingKind.PRODUCT)
    if kind is None:
        problem("kind", f"is not one of {', '.join(OfferingKind.values)}")
    values["kind"] = kind
    unit = text(cells["unit"]) or "each"
    if len(unit) > 30:
        problem("unit", "is longer than 30 characters")
    values["unit"] = unit
    try:
        values["currency"] = currency_code(text(cells["currency"]), field="currency")
    except DomainError as error:
        problem("currency", error.message)
    for column, field in (("list price", "list_price"), ("standard cost", "standard_cost")):
        try:
            number = parse_decimal(cells[column], places=4, limit=AMOUNT_LIMIT)
        except ValueError as error:
            problem(column, str(error))
            continue
        if number < 0:
            problem(column, "is negative")
        values[field] = number
    recurring = text(cells["recurring"]).lower()
    if recurring not in TRUE | FALSE:
        problem("recurring", "is not yes or no")
    values["recurring"] = recurring in TRUE
    return values, problems


def _store(actor: Any, parsed: list[_ProductRow], *, reason: str) -> ImportResult:
    existing = {
        product.sku.upper(): product
        for product in Product.objects.select_for_update().filter(
            archived_at__isnull=True, sku__in=[row.values["sku"] for row in parsed]
        )
    }
    added: list[Product] = []
    changed: list[Product] = []
    now = timezone.now()
    for row in parsed:
        current = existing.get(row.values["sku"])
        if current is None:
            added.append(Product(**row.values))
            continue
        differs = False
        for field in UPDATED_FIELDS:
            value = row.values[field]
            old = getattr(current, field)
            if (Decimal(old) != value) if isinstance(value, Decimal) else (old != value):
                setattr(current, field, value)
                differs = True
        if differs:
            current.version += 1
            current.updated_at = now
            changed.append(current)
    if added:
        bulk_create_with_history(added, Product, default_user=actor, default_change_reason=reason)
    if changed:
        bulk_update_with_history(
            changed,
            Product,
            [*UPDATED_FIELDS, "version", "updated_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    return ImportResult(
        created=len(added), updated=len(changed), unchanged=len(parsed) - len(added) - len(changed)
    )
