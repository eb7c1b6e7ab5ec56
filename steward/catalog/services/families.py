"""Writes on product families (administrators only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from steward.catalog.models import ProductFamily
from steward.catalog.services.common import refuse_taken, required_text
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, refuse_unknown_fields, update_record

FAMILY_FIELDS = frozenset({"code", "name", "description", "position"})


def _check_family(family: ProductFamily) -> None:
    family.code = required_text(family.code, field="code", label="code").upper()
    family.name = required_text(family.name, field="name", label="name")
    if len(family.code) > 30:
        raise DomainError("A code has at most 30 characters.", field="code", code="max_length")
    if len(family.name) > 120:
        raise DomainError("A name has at most 120 characters.", field="name", code="max_length")
    refuse_taken(ProductFamily, field="code", value=family.code, pk=family.pk)


def family_create(
    *, actor: Any, code: str, name: str, description: str = "", position: int = 0
) -> ProductFamily:
    require_create(actor, ProductFamily)
    family = ProductFamily(code=code, name=name, description=description, position=position)
    with transaction.atomic():
        _check_family(family)
        return create_record(family, actor=actor)


def family_update(
    *, actor: Any, family: ProductFamily, expected_version: int, **changes: Any
) -> ProductFamily:
    require(actor, Action.CHANGE, family)
    refuse_unknown_fields(changes, FAMILY_FIELDS)
    return update_record(
        family,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_family,
    )
