"""Writes on what accounts bring and cost: revenue per month (and product), cost to serve per
month and kind. Entered one by one or imported from a file, all rows or none.

Finance keeps them for every account; whoever may change an account (its owner, editing team
members, administrators) may enter its figures too. Revenue is known by account + month
(+ product), a service cost by account + month + kind: importing the same file again changes
nothing, a changed row updates the figure (with its history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from steward.catalog.models import Product
from steward.core.access import Action, principal_for, require, require_create, spec_of
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
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
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.quotas.choices import CostKind
from steward.quotas.models import AccountRevenue, ServiceCost
from steward.quotas.services import common

REVENUE_EDITABLE = frozenset({"month", "product", "currency", "revenue", "cost"})
COST_EDITABLE = frozenset({"month", "kind", "currency", "amount", "notes"})
REVENUE_COLUMNS = ("account", "month", "product", "currency", "revenue", "cost")
REVENUE_REQUIRED = ("account", "month", "currency", "revenue")
COST_COLUMNS = ("account", "month", "kind", "currency", "amount", "notes")
COST_REQUIRED = ("account", "month", "kind", "currency", "amount")
IMPORT_TYPES = {extension: ALLOWED_TYPES[extension] for extension in (".csv", ".xlsx")}


def _check_account(relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            f"{relationship} is a vendor relationship; revenue is kept for customer accounts.",
            field="relationship",
            code="not_account",
        )
    if relationship.is_archived:
        raise DomainError(f"{relationship} is archived.", field="relationship", code="archived")


# --- revenue ---------------


def _check_revenue(row: AccountRevenue) -> None:
    _check_account(row.relationship)
    row.month = common.month(row.month)
    row.currency = common.currency(row.currency)
    row.revenue = common.amount(row.revenue, field="revenue", label="revenue")
    row.cost = common.amount(row.cost, field="cost", label="cost of goods")
    if row.product is not None and row.product.is_archived:
        raise DomainError(f"{row.product} is archived.", field="product", code="archived")
    clash = (
        AccountRevenue.objects.active()
        .filter(relationship_id=row.relationship_id, month=row.month, product=row.product)
        .exclude(pk=row.pk)
        .first()
    )
    if clash is not None:
        what = f"for {row.product}" if row.product else "in total"
        raise DuplicateError(
            f"The account has revenue {what} for {row.month:%B %Y} already; change that row.",
            field="month",
        )


def account_revenue_record(
    *,
    actor: Any,
    relationship: Relationship,
    month: dt.date,
    currency: str,
    revenue: Decimal,
    cost: Decimal = Decimal(0),
    product: Product | None = None,
) -> AccountRevenue:
    """What the account was invoiced in a month (for one product, or in total)."""
    require_create(actor, AccountRevenue, parent=relationship)
    row = AccountRevenue(
        relationship=relationship,
        month=month,
        currency=currency,
        revenue=revenue,
        cost=cost,
        product=product,
    )
    with transaction.atomic():
        _check_revenue(row)
        return create_record(row, actor=actor)


def account_revenue_update(
    *, actor: Any, row: AccountRevenue, expected_version: int, **changes: Any
) -> AccountRevenue:
    require(actor, Action.CHANGE, row)
    refuse_unknown_fields(changes, REVENUE_EDITABLE)
    return update_record(
        row,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_revenue,
    )


def account_revenue_archive(
    *, actor: Any, row: AccountRevenue, expected_version: int | None = None
) -> AccountRevenue:
    require(actor, Action.DELETE, row)
    return archive_record(row, actor=actor, expected_version=expected_version)


def account_revenue_restore(
    *, actor: Any, row: AccountRevenue, expected_version: int | None = None
) -> AccountRevenue:
    require(actor, Action.DELETE, row)
    with transaction.atomic():
        _check_revenue(row)
        return restore_record(row, actor=actor, expected_version=expected_version)


# --- cost to serve ---------------


def _check_cost(row: ServiceCost) -> None:
    _check_account(row.relationship)
    row.month = common.month(row.month)
    if row.kind not in CostKind.values:
        raise DomainError(f"“{row.kind}” is not a kind of cost to serve.", field="kind")
    row.currency = common.currency(row.currency)
    row.amount = common.amount(row.amount, field="amount", label="amount")
    row.notes = typed_text(row.notes, field="notes", label="notes", limit=255)
    clash = (
        ServiceCost.objects.active()
        .filter(relationship_id=row.relationship_id, month=row.month, kind=row.kind)
        .exclude(pk=row.pk)
        .first()
    )
    if clash is not None:
        raise DuplicateError(
            f"The account has a {row.get_kind_display().lower()} cost for {row.month:%B %Y} "
            "already; change that row.",
            field="kind",
        )


def service_cost_record(
    *,
    actor: Any,
    relationship: Relationship,
    month: dt.date,
    kind: str,
    currency: str,
    amount: Decimal,
    notes: str = "",
) -> ServiceCost:
    """What serving the account cost in a month, besides the cost of goods."""
    require_create(actor, ServiceCost, parent=relationship)
    row = ServiceCost(
        relationship=relationship,
        month=month,
        kind=kind,
        currency=currency,
        amount=amount,
        notes=notes,
    )
    with transaction.atomic():
        _check_cost(row)
        return create_record(row, actor=actor)


def service_cost_update(
    *, actor: Any, row: ServiceCost, expected_version: int, **changes: Any
) -> ServiceCost:
    require(actor, Action.CHANGE, row)
    refuse_unknown_fields(changes, COST_EDITABLE)
    return update_record(
        row, actor=actor, expected_version=expected_version, changes=changes, validate=_check_cost
    )


def service_cost_archive(
    *, actor: Any, row: ServiceCost, expected_version: int | None = None
) -> ServiceCost:
    require(actor, Action.DELETE, row)
    return archive_record(row, actor=actor, expected_version=expected_version)


def service_cost_restore(
    *, actor: Any, row: ServiceCost, expected_version: int | None = None
) -> ServiceCost:
    require(actor, Action.DELETE, row)
    return restore_record(row, actor=actor, expected_version=expected_version)


# --- imports ---------------


def _accounts_for(actor: Any, rows: list[Row], model: type[Any]) -> dict[str, Relationship]:
    """The demand-side accounts the rows name (by id) that ``actor`` may enter figures for."""
    ids = {text(row.cells["account"]) for row in rows}
    numbers = {int(value) for value in ids if value.isdigit() and len(value) < 18}
    accounts = Relationship.objects.filter(
        pk__in=numbers, side=Side.DEMAND, archived_at__isnull=True
    )
    principal = principal_for(actor)
    if not (principal.is_admin or principal.function in spec_of(model).functions):
        accounts = accounts.filter(
            pk__in=Relationship.objects.restrict(actor, Action.CHANGE).values("pk")
        )
    return {str(account.pk): account for account in accounts}


@dataclass(frozen=True)
class _Parsed:
    number: int
    key: tuple[Any, ...]
    values: dict[str, Any]


def _common_cells(
    row: Row, accounts: dict[str, Relationship], errors: list[RowError]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    account = accounts.get(text(row.cells["account"]))
    if account is None:
        errors.append(
            RowError(row.number, "account", "is not the id of an account you keep figures for")
        )
    values["relationship"] = account
    month = parse_date(row.cells["month"])
    if month is None:
        errors.append(RowError(row.number, "month", "is not a date like 2026-01-01"))
    values["month"] = month.replace(day=1) if month else None
    try:
        values["currency"] = common.currency(text(row.cells["currency"]))
    except DomainError as error:
        errors.append(RowError(row.number, "currency", error.message))
    return values


def _amount_cell(row: Row, column: str, label: str, errors: list[RowError], blank: Any) -> Any:
    raw = row.cells.get(column)
    if blank is not None and raw in (None, ""):
        return blank
    try:
        return common.amount(raw, field=column, label=label)
    except DomainError as error:
        errors.append(RowError(row.number, column, error.message))
        return None


def _run_import(
    *,
    actor: Any,
    upload: UploadedFile,
    model: type[Any],
    columns: tuple[str, ...],
    required: tuple[str, ...],
    parse: Callable[[Row, dict[str, Relationship], list[RowError]], _Parsed | None],
    fields: tuple[str, ...],
    key_fields: tuple[str, ...],
) -> int:
    if not principal_for(actor).may_write:
        raise PermissionDenied("You may not import figures.")
    check_upload(upload, allowed=IMPORT_TYPES)
    upload.seek(0)
    filename = upload.name or ""
    rows = read_table(upload, filename, columns=columns, required=required)
    if not rows:
        raise refuse("The file has no rows below its header.")
    with transaction.atomic():
        accounts = _accounts_for(actor, rows, model)
        errors: list[RowError] = []
        parsed: list[_Parsed] = []
        seen: dict[tuple[Any, ...], int] = {}
        for row in rows:
            found = parse(row, accounts, errors)
            if found is None:
                continue
            earlier = seen.setdefault(found.key, row.number)
            if earlier != row.number:
                errors.append(RowError(row.number, "month", f"repeats row {earlier}"))
                continue
            parsed.append(found)
        if errors:
            raise ImportRefused(sort_errors(errors, columns))
        return _store(
            actor, model, parsed, fields, key_fields, reason=f"Imported from {filename}"[:100]
        )


def _store(
    actor: Any,
    model: type[Any],
    parsed: list[_Parsed],
    fields: tuple[str, ...],
    key_fields: tuple[str, ...],
    *,
    reason: str,
) -> int:
    months = [p.values["month"] for p in parsed]
    existing = {
        tuple(getattr(row, name) for name in key_fields): row
        for row in model.objects.active()
        .select_for_update()
        .filter(
            relationship_id__in={p.values["relationship"].pk for p in parsed},
            month__gte=min(months),
            month__lte=max(months),
        )
    }
    added, changed = [], []
    now = timezone.now()
    for item in parsed:
        current = existing.get(item.key)
        if current is None:
            added.append(model(**item.values))
            continue
        updates = {name: item.values[name] for name in fields}
        if any(getattr(current, name) != value for name, value in updates.items()):
            for name, value in updates.items():
                setattr(current, name, value)
            current.version += 1
            current.updated_at = now
            changed.append(current)
    if added:
        bulk_create_with_history(added, model, default_user=actor, default_change_reason=reason)
    if changed:
        bulk_update_with_history(
            changed,
            model,
            [*fields, "version", "updated_at"],
            default_user=actor,
            default_change_reason=reason,
        )
    return len(added) + len(changed)


def _parse_revenue(
    row: Row,
    accounts: dict[str, Relationship],
    errors: list[RowError],
    products: dict[str, Product],
) -> _Parsed | None:
    before = len(errors)
    values = _common_cells(row, accounts, errors)
    sku = text(row.cells.get("product"))
    product = None
    if sku:
        product = products.get(sku.lower())
        if product is None:
            errors.append(RowError(row.number, "product", f"“{sku}” is not the SKU of a product"))
    values["product"] = product
    values["revenue"] = _amount_cell(row, "revenue", "revenue", errors, None)
    values["cost"] = _amount_cell(row, "cost", "cost", errors, Decimal(0))
    if len(errors) > before:
        return None
    key = (values["relationship"].pk, values["month"], product.pk if product else None)
    return _Parsed(row.number, key, values)


def account_revenue_import(*, actor: Any, upload: UploadedFile) -> int:
    """A CSV or XLSX of revenue (account id, month, product SKU or empty, currency, revenue,
    cost): every row kept, or the whole file refused with an error per bad row. Returns how
    many rows were added or changed."""
    products = {
        product.sku.lower(): product for product in Product.objects.filter(archived_at__isnull=True)
    }
    return _run_import(
        actor=actor,
        upload=upload,
        model=AccountRevenue,
        columns=REVENUE_COLUMNS,
        required=REVENUE_REQUIRED,
        parse=lambda row, accounts, errors: _parse_revenue(row, accounts, errors, products),
        fields=("currency", "revenue", "cost"),
        key_fields=("relationship_id", "month", "product_id"),
    )


def _parse_cost(
    row: Row, accounts: dict[str, Relationship], errors: list[RowError]
) -> _Parsed | None:
    before = len(errors)
    values = _common_cells(row, accounts, errors)
    kind = text(row.cells["kind"]).lower()
    if kind not in CostKind.values:
        errors.append(
            RowError(row.number, "kind", f"“{kind}” is not one of {', '.join(CostKind.values)}")
        )
    values["kind"] = kind
    values["amount"] = _amount_cell(row, "amount", "amount", errors, None)
    values["notes"] = text(row.cells.get("notes"))[:255]
    if len(errors) > before:
        return None
    return _Parsed(row.number, (values["relationship"].pk, values["month"], kind), values)


def service_costs_import(*, actor: Any, upload: UploadedFile) -> int:
    """A CSV or XLSX of costs to serve (account id, month, kind, currency, amount, notes): all
    rows kept or none. A cost is known by account, month and kind."""
    return _run_import(
        actor=actor,
        upload=upload,
        model=ServiceCost,
        columns=COST_COLUMNS,
        required=COST_REQUIRED,
        parse=_parse_cost,
        fields=("currency", "amount", "notes"),
        key_fields=("relationship_id", "month", "kind"),
    )
