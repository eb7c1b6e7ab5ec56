"""The whitespace matrix: cells of product families x locations (and buying units), each with
who supplies it today, what the customer spends on it and what it could bring us."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from steward.accounts import selectors
from steward.accounts.choices import Holder
from steward.accounts.models import BuyingUnit, WhitespaceCell
from steward.accounts.services.common import (
    check_site,
    currency_code,
    optional_amount,
    require_account,
)
from steward.accounts.services.installed import check_unit
from steward.catalog.models import ProductFamily
from steward.core.access import Action, require
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, refuse_unknown_fields, update_record
from steward.parties.models import Relationship, Site

CELL_FIELDS = frozenset({"holder", "competitor", "currency", "current_spend", "potential", "notes"})


def _check_cell(cell: WhitespaceCell) -> None:
    if cell.holder not in Holder.values:
        raise DomainError(
            f"The holder is one of {', '.join(Holder.values)}.", field="holder", code="invalid"
        )
    cell.competitor = (cell.competitor or "").strip()
    if cell.holder == Holder.COMPETITOR and not cell.competitor:
        raise DomainError(
            "Name the competitor who supplies it.", field="competitor", code="required"
        )
    if cell.holder != Holder.COMPETITOR:
        cell.competitor = ""
    if len(cell.competitor) > 120:
        raise DomainError("At most 120 characters.", field="competitor", code="max_length")
    cell.currency = currency_code(cell.currency, field="currency")
    cell.current_spend = optional_amount(
        cell.current_spend, field="current_spend", label="current spend"
    )
    cell.potential = optional_amount(cell.potential, field="potential", label="potential")


def _check_place(cell: WhitespaceCell) -> None:
    if cell.family.is_archived:
        raise DomainError(f"“{cell.family}” is archived.", field="family", code="archived")
    check_site(cell.relationship, cell.site)
    check_unit(cell.relationship, cell.buying_unit, cell.site)
    if cell.buying_unit is not None and cell.buying_unit.site_id is None:
        raise DomainError(
            f"“{cell.buying_unit}” has no location; give it one first.",
            field="buying_unit",
            code="no_location",
        )
    clash = WhitespaceCell.objects.filter(
        relationship_id=cell.relationship_id,
        family_id=cell.family_id,
        site_id=cell.site_id,
        buying_unit_id=cell.buying_unit_id,
        archived_at__isnull=True,
    ).exclude(pk=cell.pk)
    if clash.exists():
        raise DuplicateError("The matrix has this cell already.", field="family")


def whitespace_cell_create(
    *,
    actor: Any,
    relationship: Relationship,
    family: ProductFamily,
    site: Site,
    buying_unit: BuyingUnit | None = None,
    holder: str = Holder.UNKNOWN,
    competitor: str = "",
    currency: str | None = None,
    current_spend: Decimal | None = None,
    potential: Decimal | None = None,
    notes: str = "",
) -> WhitespaceCell:
    require_account(actor, relationship)
    cell = WhitespaceCell(
        relationship=relationship,
        family=family,
        site=site,
        buying_unit=buying_unit,
        holder=holder,
        competitor=competitor,
        currency=currency or selectors.account_currency(relationship),
        current_spend=current_spend,
        potential=potential,
        notes=notes,
    )
    with transaction.atomic():
        _check_place(cell)
        _check_cell(cell)
        return create_record(cell, actor=actor)


def whitespace_cell_update(
    *, actor: Any, cell: WhitespaceCell, expected_version: int | None = None, **fields: Any
) -> WhitespaceCell:
    """Change who holds a cell, its spend or its potential (the pipeline marks a cell ours
    when an opportunity opened from it is won). Without ``expected_version`` the cell is
    changed as it stands."""
    require(actor, Action.CHANGE, cell)
    refuse_unknown_fields(fields, CELL_FIELDS)
    return update_record(
        cell,
        actor=actor,
        expected_version=expected_version,
        changes=fields,
        validate=_check_cell,
    )


def whitespace_fill(*, actor: Any, relationship: Relationship) -> int:
    """Create every missing cell (holder unknown) for each current family x matrix row, in
    one step; returns how many were created. Running it again creates nothing."""
    require_account(actor, relationship)
    with transaction.atomic():
        # Serialize fills of one account: the account's row is the lock.
        Relationship.objects.select_for_update().filter(pk=relationship.pk).first()
        existing = list(selectors.cells_of(relationship))
        have = {(c.site_id, c.buying_unit_id, c.family_id) for c in existing}
        families = list(ProductFamily.objects.filter(archived_at__isnull=True))
        currency = selectors.account_currency(relationship)
        missing = [
            WhitespaceCell(
                relationship=relationship,
                family=family,
                site=row.site,
                buying_unit=row.unit,
                currency=currency,
            )
            for row in selectors.matrix_rows(relationship, existing)
            for family in families
            if (row.site.pk, row.unit.pk if row.unit else None, family.pk) not in have
        ]
        if missing:
            bulk_create_with_history(
                missing,
                WhitespaceCell,
                default_user=actor,
                default_change_reason="Matrix filled",
            )
    return len(missing)
