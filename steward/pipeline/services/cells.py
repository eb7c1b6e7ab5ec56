"""One click turns an open whitespace cell into an opportunity; winning it makes the cell ours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.accounts.choices import OPEN_HOLDERS, Holder
from steward.accounts.models import InstalledProduct, WhitespaceCell
from steward.accounts.services import whitespace_cell_update
from steward.core.access import Action, allows, require
from steward.core.errors import DomainError, DuplicateError
from steward.pipeline.choices import OPEN_STAGES, PenetrationType
from steward.pipeline.models import Opportunity
from steward.pipeline.services.opportunities import opportunity_create

# A new opportunity from a cell is expected to close a quarter out, until its owner says.
DEFAULT_CLOSE_IN = dt.timedelta(days=90)


def penetration_for(cell: WhitespaceCell, *, today: dt.date | None = None) -> str:
    """Nothing installed at the location: a new location; something installed there but
    nothing of this family: a new product; this family installed there already: a new buyer."""
    today = today or timezone.localdate()
    installed = InstalledProduct.objects.filter(
        relationship_id=cell.relationship_id, site_id=cell.site_id, archived_at__isnull=True
    ).exclude(until__lt=today)
    if not installed.exists():
        return PenetrationType.NEW_LOCATION
    if not installed.filter(product__family_id=cell.family_id).exists():
        return PenetrationType.NEW_PRODUCT
    return PenetrationType.NEW_BUYER


def opportunity_from_cell(*, actor: Any, cell: WhitespaceCell) -> Opportunity:
    """Open an opportunity on the cell's account, location and buying unit, linked to it."""
    require(actor, Action.CHANGE, cell)
    if cell.is_archived or cell.holder not in OPEN_HOLDERS:
        raise DomainError(
            f"The cell is {cell.get_holder_display().lower()}: only an open cell (a "
            "competitor's, in-house or unknown) becomes an opportunity.",
            field="cell",
            code="not_open",
        )
    if Opportunity.objects.filter(
        whitespace_cell=cell, stage__in=OPEN_STAGES, archived_at__isnull=True
    ).exists():
        raise DuplicateError("An open opportunity was opened from this cell already.", field="cell")
    family = cell.family
    return opportunity_create(
        actor=actor,
        relationship=cell.relationship,
        name=f"{family.name} at {cell.site.name}"[:200],
        close_date=timezone.localdate() + DEFAULT_CLOSE_IN,
        penetration_type=penetration_for(cell),
        currency=cell.currency,
        site=cell.site,
        buying_unit=cell.buying_unit,
        whitespace_cell=cell,
        description=cell.notes,
    )


def mark_cell_ours(*, actor: Any, opportunity: Opportunity) -> None:
    """The cell a won opportunity came from is ours now, through the accounts app's service.

    The winner changes the cell when they may change the account's whitespace (its owner and
    editing team); an opportunity owner who only reads the account leaves the cell to them.
    """
    cell = opportunity.whitespace_cell
    if cell is None or cell.holder == Holder.US or not allows(actor, Action.CHANGE, cell):
        return
    whitespace_cell_update(actor=actor, cell=cell, holder=Holder.US)
