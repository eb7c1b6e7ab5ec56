"""Writes on bundles and their items (administrators only). A bundle's items are in its
currency, so its price can be the sum of their list prices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.catalog.models import Bundle, BundleItem, Product
from steward.catalog.services.common import (
    AMOUNT_LIMIT,
    currency_code,
    refuse_archived,
    refuse_taken,
    required_text,
)
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, refuse_unknown_fields, update_record

BUNDLE_FIELDS = frozenset({"code", "name", "currency", "price", "description"})


def _check_bundle(bundle: Bundle) -> None:
    bundle.code = required_text(bundle.code, field="code", label="code").upper()
    if len(bundle.code) > 30:
        raise DomainError("A code has at most 30 characters.", field="code", code="max_length")
    bundle.name = required_text(bundle.name, field="name", label="name")
    bundle.currency = currency_code(bundle.currency, field="currency")
    if bundle.price is not None and (bundle.price < 0 or bundle.price >= AMOUNT_LIMIT):
        raise DomainError(
            "The price is zero or more (leave it empty for the sum of the items).",
            field="price",
            code="min_value",
        )
    refuse_taken(Bundle, field="code", value=bundle.code, pk=bundle.pk)
    if bundle.pk:
        other = (
            bundle.items.filter(archived_at__isnull=True)
            .exclude(product__currency=bundle.currency)
            .select_related("product")
            .first()
        )
        if other is not None:
            raise DomainError(
                f"“{other.product}” is priced in {other.product.currency}; a bundle's items are "
                f"in its currency, so the bundle cannot change to {bundle.currency}.",
                field="currency",
                code="item_currency",
            )


def bundle_create(
    *,
    actor: Any,
    code: str,
    name: str,
    currency: str = "EUR",
    price: Decimal | None = None,
    description: str = "",
) -> Bundle:
    require_create(actor, Bundle)
    bundle = Bundle(code=code, name=name, currency=currency, price=price, description=description)
    with transaction.atomic():
        _check_bundle(bundle)
        return create_record(bundle, actor=actor)


def bundle_update(*, actor: Any, bundle: Bundle, expected_version: int, **changes: Any) -> Bundle:
    require(actor, Action.CHANGE, bundle)
    refuse_unknown_fields(changes, BUNDLE_FIELDS)
    return update_record(
        bundle,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_bundle,
    )


def _check_item(item: BundleItem) -> None:
    refuse_archived(item.bundle, field="bundle", label="bundle")
    refuse_archived(item.product, field="product", label="product")
    if item.product.currency != item.bundle.currency:
        raise DomainError(
            f"“{item.product}” is priced in {item.product.currency} and the bundle in "
            f"{item.bundle.currency}; a bundle's items are in its currency.",
            field="product",
            code="item_currency",
        )
    quantity = item.quantity
    if quantity is None or not quantity.is_finite() or quantity <= 0:
        raise DomainError("The quantity is more than zero.", field="quantity", code="min_value")
    if quantity >= Decimal(10) ** 10:
        raise DomainError("The quantity is too large.", field="quantity", code="max_value")
    clash = BundleItem.objects.filter(
        bundle_id=item.bundle_id, product_id=item.product_id, archived_at__isnull=True
    ).exclude(pk=item.pk)
    if clash.exists():
        raise DuplicateError("The product is in the bundle already.", field="product")


def bundle_item_add(
    *, actor: Any, bundle: Bundle, product: Product, quantity: Decimal = Decimal(1)
) -> BundleItem:
    require(actor, Action.CHANGE, bundle)
    require_create(actor, BundleItem)
    item = BundleItem(bundle=bundle, product=product, quantity=quantity)
    with transaction.atomic():
        _check_item(item)
        return create_record(item, actor=actor, reason=f"Added to {bundle}")


def bundle_item_update(
    *, actor: Any, item: BundleItem, expected_version: int, **changes: Any
) -> BundleItem:
    require(actor, Action.CHANGE, item)
    refuse_unknown_fields(changes, frozenset({"quantity"}))
    return update_record(
        item,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_item,
    )
