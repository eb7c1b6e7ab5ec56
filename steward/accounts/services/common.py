"""Checks the account services share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.models import DomainModel
from steward.core.services import archive_record, restore_record
from steward.parties.choices import Side
from steward.parties.models import Organization, Relationship, Site
from steward.spend.services.reference_checks import currency_code

__all__ = ["currency_code"]
AMOUNT_LIMIT = Decimal(10) ** 14


def require_account(actor: Any, relationship: Relationship, action: Action = Action.CHANGE) -> None:
    """``relationship`` is a demand-side account ``actor`` may ``action``."""
    require(actor, action, relationship)
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "This is a supply-side relationship; key account records belong to accounts "
            "(demand-side relationships).",
            field="relationship",
            code="not_an_account",
        )
    if relationship.is_archived:
        raise DomainError(
            "The account is archived; restore it first.", field="relationship", code="archived"
        )


def group_ids(organization: Organization) -> set[int]:
    ids = {organization.pk}
    if organization.parent_id:
        ids.add(organization.parent_id)
    ids.update(organization.subsidiaries.values_list("pk", flat=True))
    return ids


def check_site(relationship: Relationship, site: Site | None, *, field: str = "site") -> None:
    """A location of the account: a current site of its organization or its group."""
    if site is None:
        return
    if site.organization_id not in group_ids(relationship.organization):
        raise DomainError(
            f"“{site}” is not a location of {relationship.organization} or its group.",
            field=field,
            code="not_a_location",
        )
    if site.is_archived:
        raise DomainError(f"“{site}” is archived.", field=field, code="archived")


def optional_amount(value: Any, *, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise DomainError(f"The {label} cannot be negative.", field=field, code="min_value")
    if number >= AMOUNT_LIMIT:
        raise DomainError(f"The {label} is too large.", field=field, code="max_value")
    return number


def account_record_archive(
    *, actor: Any, record: DomainModel, expected_version: int | None = None
) -> DomainModel:
    """Archive a buying unit, an installed product or a whitespace cell (kept in the history)."""
    require(actor, Action.DELETE, record)
    return archive_record(record, actor=actor, expected_version=expected_version)


def account_record_restore(
    *, actor: Any, record: DomainModel, expected_version: int | None = None
) -> DomainModel:
    require(actor, Action.DELETE, record)
    from steward.accounts.models import BuyingUnit, WhitespaceCell

    if record.is_archived and isinstance(record, BuyingUnit):
        clash = BuyingUnit.objects.filter(
            relationship_id=record.relationship_id,
            name__iexact=record.name,
            archived_at__isnull=True,
        )
        if clash.exists():
            raise DomainError(
                "The account has a current buying unit of this name.",
                field="name",
                code="duplicate",
            )
    if record.is_archived and isinstance(record, WhitespaceCell):
        cells = WhitespaceCell.objects.filter(
            relationship_id=record.relationship_id,
            family_id=record.family_id,
            site_id=record.site_id,
            buying_unit_id=record.buying_unit_id,
            archived_at__isnull=True,
        )
        if cells.exists():
            raise DomainError(
                "The matrix has a current cell there.", field="family", code="duplicate"
            )
    return restore_record(record, actor=actor, expected_version=expected_version)
