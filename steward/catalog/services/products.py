"""Writes on products and services (administrators only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.catalog.choices import OfferingKind
from steward.catalog.models import Product, ProductFamily
from steward.catalog.services.common import (
    amount,
    currency_code,
    refuse_archived,
    refuse_taken,
    required_text,
)
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, refuse_unknown_fields, update_record

PRODUCT_FIELDS = frozenset(
    {
        "family",
        "sku",
        "name",
        "kind",
        "unit",
        "currency",
        "list_price",
        "standard_cost",
        "recurring",
        "description",
    }
)


def check_product(product: Product) -> None:
    """The rules of one product, for a form, the API and the import alike."""
    product.sku = required_text(product.sku, field="sku", label="SKU").upper()
    if len(product.sku) > 60:
        raise DomainError("A SKU has at most 60 characters.", field="sku", code="max_length")
    product.name = required_text(product.name, field="name", label="name")
    if len(product.name) > 200:
        raise DomainError("A name has at most 200 characters.", field="name", code="max_length")
    if product.kind not in OfferingKind.values:
        raise DomainError(
            f"The kind is one of {', '.join(OfferingKind.values)}.", field="kind", code="invalid"
        )
    product.unit = (product.unit or "").strip() or "each"
    product.currency = currency_code(product.currency, field="currency")
    product.list_price = amount(product.list_price, field="list_price", label="list price")
    product.standard_cost = amount(
        product.standard_cost, field="standard_cost", label="standard cost"
    )
    refuse_archived(product.family, field="family", label="family")
    refuse_taken(Product, field="sku", value=product.sku, pk=product.pk)


def product_create(
    *,
    actor: Any,
    family: ProductFamily,
    sku: str,
    name: str,
    list_price: Decimal,
    standard_cost: Decimal,
    currency: str = "EUR",
    kind: str = OfferingKind.PRODUCT,
    unit: str = "each",
    recurring: bool = False,
    description: str = "",
) -> Product:
    require_create(actor, Product)
    product = Product(
        family=family,
        sku=sku,
        name=name,
        kind=kind,
        unit=unit,
        currency=currency,
        list_price=list_price,
        standard_cost=standard_cost,
        recurring=recurring,
        description=description,
    )
    with transaction.atomic():
        check_product(product)
        return create_record(product, actor=actor)


def _check_currency_in_bundles(product: Product) -> None:
    clash = product.bundle_items.filter(
        archived_at__isnull=True, bundle__archived_at__isnull=True
    ).exclude(bundle__currency=product.currency)
    first = clash.select_related("bundle").first()
    if first is not None:
        raise DomainError(
            f"The product is in the bundle “{first.bundle}”, priced in {first.bundle.currency}; "
            "a bundle's items are in its currency.",
            field="currency",
            code="bundle_currency",
        )


def product_update(
    *, actor: Any, product: Product, expected_version: int, **changes: Any
) -> Product:
    require(actor, Action.CHANGE, product)
    refuse_unknown_fields(changes, PRODUCT_FIELDS)

    def validate(locked: Product) -> None:
        check_product(locked)
        _check_currency_in_bundles(locked)

    return update_record(
        product, actor=actor, expected_version=expected_version, changes=changes, validate=validate
    )
