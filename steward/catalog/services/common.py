"""Checks every catalog write shares: codes, currencies, amounts, archive and restore."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.core.access import Action, require
from steward.core.errors import DomainError, DuplicateError
from steward.core.models import DomainModel
from steward.core.services import archive_record, restore_record
from steward.spend.services.reference_checks import currency_code

AMOUNT_LIMIT = Decimal(10) ** 12

__all__ = ["currency_code"]


def required_text(value: Any, *, field: str, label: str) -> str:
    cleaned = str(value if value is not None else "").strip()
    if not cleaned:
        raise DomainError(f"Give the {label}.", field=field, code="required")
    return cleaned


def amount(value: Any, *, field: str, label: str) -> Decimal:
    if value is None or value == "":
        raise DomainError(f"Give the {label}.", field=field, code="required")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field, code="min_value")
    if number >= AMOUNT_LIMIT:
        raise DomainError(f"The {label} is too large.", field=field, code="max_value")
    return number


def refuse_taken(model: type[DomainModel], *, field: str, value: str, pk: int | None) -> None:
    """A current record of ``model`` uses ``value`` for ``field`` already (case-insensitive)."""
    clash = (
        model._default_manager.filter(archived_at__isnull=True, **{f"{field}__iexact": value})
        .exclude(pk=pk)
        .first()
    )
    if clash is not None:
        raise DuplicateError(
            f"“{clash}” has the {field.upper() if field == 'sku' else field} {value} already.",
            field=field,
        )


def refuse_archived(record: DomainModel | None, *, field: str, label: str) -> None:
    if record is not None and record.is_archived:
        raise DomainError(
            f"The {label} “{record}” is archived; choose a current one.",
            field=field,
            code="archived",
        )


def catalog_record_archive(
    *, actor: Any, record: DomainModel, expected_version: int | None = None
) -> DomainModel:
    """Archive a family, product, bundle or bundle item; a family with current products, or a
    product in a current bundle, stays until those are archived or moved."""
    require(actor, Action.DELETE, record)
    if isinstance(record, ProductFamily):
        count = record.products.filter(archived_at__isnull=True).count()
        if count:
            raise DomainError(
                f"{count} current product{'s are' if count != 1 else ' is'} in this family; "
                "archive or move them first.",
                code="in_use",
            )
    if isinstance(record, Product):
        count = record.bundle_items.filter(
            archived_at__isnull=True, bundle__archived_at__isnull=True
        ).count()
        if count:
            raise DomainError(
                f"The product is in {count} current bundle{'s' if count != 1 else ''}; "
                "take it out first.",
                code="in_use",
            )
    return archive_record(record, actor=actor, expected_version=expected_version)


_UNIQUE = {ProductFamily: "code", Product: "sku", Bundle: "code"}


def catalog_record_restore(
    *, actor: Any, record: DomainModel, expected_version: int | None = None
) -> DomainModel:
    """Bring an archived record back, unless a current one took its code (or SKU) since."""
    require(actor, Action.DELETE, record)
    with transaction.atomic():
        field = _UNIQUE.get(type(record))
        if field and record.is_archived:
            refuse_taken(type(record), field=field, value=getattr(record, field), pk=record.pk)
        if isinstance(record, BundleItem) and record.is_archived:
            clash = BundleItem.objects.filter(
                bundle_id=record.bundle_id, product_id=record.product_id, archived_at__isnull=True
            ).exclude(pk=record.pk)
            if clash.exists():
                raise DuplicateError("The product is in the bundle already.", field="product")
        return restore_record(record, actor=actor, expected_version=expected_version)
