"""Writes on contracted prices: what a buy-side contract agrees to pay per item, against which
paid prices are compared. Whoever may change the contract (and finance) may price it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.contracts.models import Contract
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
from steward.core.tabular import parse_decimal
from steward.parties.choices import Side
from steward.spend.models import ContractPrice
from steward.spend.services.reference_checks import (
    archive_checked,
    currency_code,
    optional_text,
    refuse_archived,
    required_text,
)

# --- contracted prices ---------------------------------------------------------------------------

PRICE_EDITABLE = frozenset(
    {"contract", "item", "description", "unit", "unit_price", "currency", "valid_from", "valid_to"}
)
PRICE_PLACES = 4
PRICE_LIMIT = Decimal(10) ** 14  # 18 digits, 4 after the point


def _check_price_contract(actor: Any, contract: Contract | None) -> Contract:
    if contract is None:
        raise DomainError("Choose the contract.", field="contract", code="required")
    require_create(actor, ContractPrice, parent=contract)
    if contract.relationship.side != Side.SUPPLY:
        raise DomainError(
            f"“{contract}” is a sell-side contract; prices are compared on buy-side ones.",
            field="contract",
            code="not_buy_side",
        )
    refuse_archived(contract, field="contract", label="The contract")
    return contract


def _check_price(price: ContractPrice) -> None:
    price.item = required_text(
        price.item, field="item", message="Give the item or part code the ledger uses."
    )
    price.description = optional_text(price.description, field="description")
    price.unit = optional_text(price.unit, field="unit")
    if isinstance(price.unit_price, bool) or not isinstance(price.unit_price, Decimal | int | str):
        raise DomainError("Give the unit price as a decimal number.", field="unit_price")
    try:
        price.unit_price = parse_decimal(price.unit_price, places=PRICE_PLACES, limit=PRICE_LIMIT)
    except ValueError as error:
        raise DomainError(f"The unit price {error}.", field="unit_price") from error
    if price.unit_price < 0:
        raise DomainError("A price cannot be negative.", field="unit_price", code="min_value")
    price.currency = currency_code(price.currency, field="currency")
    for name in ("valid_from", "valid_to"):
        value = getattr(price, name)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise DomainError("Give a day, e.g. 2026-01-31.", field=name)
    if price.valid_from and price.valid_to and price.valid_to < price.valid_from:
        raise DomainError(
            "The price cannot end before it starts.", field="valid_to", code="ends_before_start"
        )
    validate_fields(price)
    refuse_overlap(price)


def refuse_overlap(price: ContractPrice) -> None:
    """One price per item of a contract on any day: validity periods may not overlap."""
    others = (
        ContractPrice.objects.active()
        .filter(contract_id=price.contract_id, item__iexact=price.item)
        .exclude(pk=price.pk)
    )
    for other in others:
        starts_before_other_ends = (
            other.valid_to is None or price.valid_from is None or price.valid_from <= other.valid_to
        )
        ends_after_other_starts = (
            other.valid_from is None or price.valid_to is None or price.valid_to >= other.valid_from
        )
        if starts_before_other_ends and ends_after_other_starts:
            span = f"{other.valid_from or 'the start'} to {other.valid_to or 'open end'}"
            raise DuplicateError(
                f"The contract prices “{other.item}” at {other.unit_price} {other.currency} "
                f"from {span}; the periods of one item's prices may not overlap.",
                field="valid_from",
            )


def contract_price_create(
    *,
    actor: Any,
    contract: Contract,
    item: str,
    unit_price: Decimal,
    currency: str = "",
    description: str = "",
    unit: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> ContractPrice:
    """A price agreed in a buy-side contract; the currency defaults to the contract's."""
    _check_price_contract(actor, contract)
    price = ContractPrice(
        contract=contract,
        item=item,
        unit_price=unit_price,
        currency=currency or contract.currency,
        description=description,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    with transaction.atomic():
        _check_price(price)
        return create_record(price, actor=actor)


def contract_price_update(
    *, actor: Any, price: ContractPrice, expected_version: int, **changes: Any
) -> ContractPrice:
    """Change a price, or move it to another contract (one the actor may also change)."""
    require(actor, Action.CHANGE, price)
    refuse_unknown_fields(changes, PRICE_EDITABLE)
    if "contract" in changes and changes["contract"] != price.contract:
        _check_price_contract(actor, changes["contract"])
    return update_record(
        price,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_price,
    )


def contract_price_archive(
    *, actor: Any, price: ContractPrice, expected_version: int | None = None
) -> ContractPrice:
    return archive_checked(actor, price, expected_version)
