"""The installed base: what the customer has from us, with its yearly revenue and cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.accounts.models import BuyingUnit, InstalledProduct
from steward.accounts.services.common import (
    check_site,
    currency_code,
    optional_amount,
    require_account,
)
from steward.catalog.models import Product
from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.services import create_record, refuse_unknown_fields, update_record
from steward.parties.models import Relationship, Site

INSTALLED_FIELDS = frozenset(
    {
        "product",
        "site",
        "buying_unit",
        "quantity",
        "currency",
        "annual_revenue",
        "annual_cost",
        "since",
        "until",
    }
)


def check_unit(relationship: Relationship, unit: BuyingUnit | None, site: Site | None) -> None:
    if unit is None:
        return
    if unit.relationship_id != relationship.pk:
        raise DomainError(
            f"“{unit}” is a buying unit of another account.", field="buying_unit", code="invalid"
        )
    if unit.is_archived:
        raise DomainError(f"“{unit}” is archived.", field="buying_unit", code="archived")
    if site is not None and unit.site_id is not None and unit.site_id != site.pk:
        raise DomainError(
            f"“{unit}” is at {unit.site}, not at {site}.", field="buying_unit", code="other_site"
        )


def _check_installed(row: InstalledProduct) -> None:
    if row.product.is_archived and row._state.adding:
        raise DomainError(
            f"“{row.product}” is archived in the catalog.", field="product", code="archived"
        )
    check_site(row.relationship, row.site)
    check_unit(row.relationship, row.buying_unit, row.site)
    if row.site is None and row.buying_unit is not None:
        row.site = row.buying_unit.site
    quantity = row.quantity
    if quantity is None or quantity <= 0:
        raise DomainError("The quantity is more than zero.", field="quantity", code="min_value")
    row.currency = currency_code(row.currency, field="currency")
    for field, label in (("annual_revenue", "yearly revenue"), ("annual_cost", "yearly cost")):
        value = optional_amount(getattr(row, field), field=field, label=label)
        if value is None:
            raise DomainError(f"Give the {label}.", field=field, code="required")
        setattr(row, field, value)
    if row.since and row.until and row.until < row.since:
        raise DomainError("It cannot end before it started.", field="until", code="before_since")


def installed_product_add(
    *,
    actor: Any,
    relationship: Relationship,
    product: Product,
    annual_revenue: Decimal,
    annual_cost: Decimal | None = None,
    currency: str | None = None,
    quantity: Decimal = Decimal(1),
    site: Site | None = None,
    buying_unit: BuyingUnit | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> InstalledProduct:
    """Record what the customer has; the currency defaults to the product's, the yearly cost
    to the product's standard cost x quantity."""
    require_account(actor, relationship)
    if annual_cost is None:
        annual_cost = (product.standard_cost * quantity).quantize(Decimal("0.01"))
    row = InstalledProduct(
        relationship=relationship,
        product=product,
        site=site,
        buying_unit=buying_unit,
        quantity=quantity,
        currency=currency or product.currency,
        annual_revenue=annual_revenue,
        annual_cost=annual_cost,
        since=since,
        until=until,
    )
    with transaction.atomic():
        _check_installed(row)
        return create_record(row, actor=actor)


def installed_product_update(
    *, actor: Any, installed: InstalledProduct, expected_version: int, **changes: Any
) -> InstalledProduct:
    require(actor, Action.CHANGE, installed)
    refuse_unknown_fields(changes, INSTALLED_FIELDS)
    return update_record(
        installed,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_installed,
    )


def installed_product_end(
    *,
    actor: Any,
    installed: InstalledProduct,
    until: dt.date | None = None,
    expected_version: int | None = None,
) -> InstalledProduct:
    """The customer stopped using it on ``until`` (today by default); kept for retention."""
    require(actor, Action.CHANGE, installed)
    day = until or timezone.localdate()
    if installed.until is not None and installed.until <= day:
        raise DomainError(
            f"It ended on {installed.until:%Y-%m-%d} already.", field="until", code="ended"
        )
    return update_record(
        installed,
        actor=actor,
        expected_version=expected_version if expected_version is not None else installed.version,
        changes={"until": day},
        validate=_check_installed,
        reason="Ended",
    )
