"""Buying units: parts of the customer that buy on their own, at a location."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from steward.accounts.models import BuyingUnit
from steward.accounts.services.common import check_site, require_account
from steward.core.access import Action, require
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, refuse_unknown_fields, update_record
from steward.parties.models import Relationship, Site

UNIT_FIELDS = frozenset({"name", "site", "description"})


def _check_unit(unit: BuyingUnit) -> None:
    unit.name = (unit.name or "").strip()
    if not unit.name:
        raise DomainError("Give the buying unit a name.", field="name", code="required")
    if len(unit.name) > 120:
        raise DomainError("A name has at most 120 characters.", field="name", code="max_length")
    check_site(unit.relationship, unit.site)
    clash = BuyingUnit.objects.filter(
        relationship_id=unit.relationship_id, name__iexact=unit.name, archived_at__isnull=True
    ).exclude(pk=unit.pk)
    if clash.exists():
        raise DuplicateError(f"The account has a buying unit “{unit.name}” already.", field="name")


def buying_unit_create(
    *,
    actor: Any,
    relationship: Relationship,
    name: str,
    site: Site | None = None,
    description: str = "",
) -> BuyingUnit:
    require_account(actor, relationship)
    unit = BuyingUnit(relationship=relationship, name=name, site=site, description=description)
    with transaction.atomic():
        _check_unit(unit)
        return create_record(unit, actor=actor)


def buying_unit_update(
    *, actor: Any, unit: BuyingUnit, expected_version: int, **changes: Any
) -> BuyingUnit:
    require(actor, Action.CHANGE, unit)
    refuse_unknown_fields(changes, UNIT_FIELDS)
    if (
        "site" in changes
        and changes["site"] != unit.site
        and unit.cells.filter(archived_at__isnull=True).exists()
    ):
        raise DomainError(
            "The buying unit has whitespace cells at its location; archive them before moving it.",
            field="site",
            code="in_use",
        )
    return update_record(
        unit, actor=actor, expected_version=expected_version, changes=changes, validate=_check_unit
    )
