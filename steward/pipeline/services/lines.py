"""An opportunity's lines from the catalog; the opportunity's amount and cost are their sums.

A line's unit price defaults to the product's list price and its unit cost is the product's
standard cost, both converted into the opportunity's currency at today's rate when the line is
added (the cost is kept as it was then).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.catalog.models import Product
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    save_with_history,
)
from steward.pipeline.amounts import line_amount, line_cost, to_price
from steward.pipeline.models import Opportunity, OpportunityLine
from steward.pipeline.services.common import (
    line_sums,
    locked,
    record_stage_change,
    require_current,
    require_open,
)
from steward.spend.conversion import convert

LINE_FIELDS = frozenset({"quantity", "unit_price", "discount_percent"})
# A line's (and an opportunity's) amount has at most 14 digits before the decimal point.
LINE_LIMIT = Decimal("1e13")


def _decimal(value: Any, *, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise DomainError(f"Give the {label} as a number.", field=field) from error
    if not number.is_finite():
        raise DomainError(f"Give the {label} as a number.", field=field)
    return number


def _check_numbers(quantity: Decimal, unit_price: Decimal, discount: Decimal) -> None:
    if quantity <= 0:
        raise DomainError("Give a quantity above zero.", field="quantity", code="invalid")
    if quantity >= Decimal("1e10"):
        raise DomainError("The quantity is too large.", field="quantity", code="invalid")
    if unit_price < 0 or unit_price >= Decimal("1e12"):
        raise DomainError(
            "Give a unit price of zero or more (below a trillion).",
            field="unit_price",
            code="invalid",
        )
    if quantity * unit_price >= LINE_LIMIT:
        raise DomainError(
            "The line's amount is too large; split it or check the quantity and price.",
            field="quantity",
            code="invalid",
        )
    if not Decimal(0) <= discount <= Decimal(100):
        raise DomainError(
            "The discount is a percentage from 0 to 100.", field="discount_percent", code="invalid"
        )


def _refresh_totals(opportunity: Opportunity, *, actor: Any) -> Opportunity:
    """Keep the opportunity's amount and cost equal to its lines' sums (and record a change)."""
    amount, cost = line_sums(opportunity)
    if (amount, cost) == (opportunity.amount, opportunity.cost):
        return opportunity
    if amount >= Decimal("1e14"):
        raise DomainError(
            "The opportunity's amount is too large.", field="quantity", code="invalid"
        )
    amount_changed = amount != opportunity.amount
    opportunity.amount, opportunity.cost = amount, cost
    save_with_history(opportunity, actor=actor, reason="Lines changed")
    if amount_changed:
        record_stage_change(opportunity, actor=actor, from_stage=opportunity.stage)
    return opportunity


def line_add(
    *,
    actor: Any,
    opportunity: Opportunity,
    product: Product,
    quantity: Any,
    unit_price: Any = None,
    discount_percent: Any = 0,
) -> OpportunityLine:
    """Add a product; the price defaults to its list price in the opportunity's currency."""
    require_create(actor, OpportunityLine, parent=opportunity)
    if product.is_archived:
        raise DomainError("The product is no longer sold.", field="product", code="archived")
    with transaction.atomic():
        current = locked(opportunity)
        require_current(current)
        require_open(current, "lines change")
        today = timezone.localdate()
        qty = _decimal(quantity, field="quantity", label="quantity")
        if unit_price is None or unit_price == "":
            price = to_price(convert(product.list_price, product.currency, current.currency, today))
        else:
            price = to_price(_decimal(unit_price, field="unit_price", label="unit price"))
        discount = _decimal(discount_percent or 0, field="discount_percent", label="discount")
        _check_numbers(qty, price, discount)
        unit_cost = to_price(
            convert(product.standard_cost, product.currency, current.currency, today)
        )
        line = OpportunityLine(
            opportunity=current,
            product=product,
            quantity=qty,
            unit_price=price,
            discount_percent=discount,
            unit_cost=unit_cost,
            amount=line_amount(qty, price, discount),
            cost=line_cost(qty, unit_cost),
        )
        create_record(line, actor=actor, reason="Line added")
        _refresh_totals(current, actor=actor)
    return line


def line_update(
    *, actor: Any, line: OpportunityLine, expected_version: int | None, **changes: Any
) -> OpportunityLine:
    """Change the quantity, the price or the discount of an open opportunity's line."""
    refuse_unknown_fields(changes, LINE_FIELDS)
    require(actor, Action.CHANGE, line)
    with transaction.atomic():
        current = locked(line.opportunity)
        require_current(current)
        require_open(current, "lines change")
        row = lock_for_update(line, expected_version=expected_version)
        if row.is_archived:
            raise DomainError("This line was removed.", code="archived")
        qty = _decimal(changes.get("quantity", row.quantity), field="quantity", label="quantity")
        price = to_price(
            _decimal(changes.get("unit_price", row.unit_price), field="unit_price", label="price")
        )
        discount = _decimal(
            changes.get("discount_percent", row.discount_percent),
            field="discount_percent",
            label="discount",
        )
        _check_numbers(qty, price, discount)
        if (qty, price, discount) != (row.quantity, row.unit_price, row.discount_percent):
            row.quantity, row.unit_price, row.discount_percent = qty, price, discount
            row.amount = line_amount(qty, price, discount)
            row.cost = line_cost(qty, row.unit_cost)
            save_with_history(row, actor=actor, reason="Changed")
            _refresh_totals(current, actor=actor)
    return row


def line_remove(
    *, actor: Any, line: OpportunityLine, expected_version: int | None = None
) -> OpportunityLine:
    require(actor, Action.DELETE, line)
    with transaction.atomic():
        current = locked(line.opportunity)
        require_current(current)
        require_open(current, "lines change")
        removed = archive_record(line, actor=actor, expected_version=expected_version)
        _refresh_totals(current, actor=actor)
    return removed
