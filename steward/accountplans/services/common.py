"""What every plan service shares: text, visibility, the plan's lock and changing a part."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import transaction

from steward.accountplans.choices import PlanStatus, Visibility
from steward.accountplans.models import AccountPlan
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.models import DomainModel
from steward.core.services import archive_record, refuse_unknown_fields, update_record
from steward.parties.models import Contact, Organization

_P = TypeVar("_P", bound=DomainModel)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def visibility(value: Any, *, field: str = "visibility") -> str:
    if value not in Visibility.values:
        raise DomainError(
            f"“{value}” is neither internal nor customer-visible.", field=field, code="invalid"
        )
    return str(value)


def currency(value: Any, *, field: str) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise DomainError("Give an ISO 4217 currency code, e.g. EUR.", field=field)
    return value


def group_organization_ids(organization: Organization) -> set[int]:
    """The account's organization, its parent and the group's other companies."""
    root_id = organization.parent_id or organization.pk
    ids = {organization.pk, root_id}
    ids |= set(Organization.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def check_contact(plan: AccountPlan, contact: Contact, *, field: str) -> Contact:
    """A person of the customer (its organization or group), not archived."""
    if contact.organization_id not in group_organization_ids(plan.relationship.organization):
        raise DomainError(
            f"{contact} does not work for {plan.relationship.organization} or its group.",
            field=field,
            code="not_in_account",
        )
    if contact.is_archived:
        raise DomainError(f"{contact} is archived.", field=field, code="archived")
    return contact


def locked_plan(plan: AccountPlan) -> AccountPlan:
    return AccountPlan.objects.select_for_update().get(pk=plan.pk)


def require_open(plan: AccountPlan) -> None:
    """A closed or archived plan is kept as it was."""
    if plan.is_archived:
        raise DomainError("The plan is archived; restore it first.", code="archived")
    if plan.status != PlanStatus.ACTIVE:
        raise DomainError(
            "The plan is closed: it is kept as it was. Start a new plan instead.", code="closed"
        )


def require_part_create(actor: Any, model: type[DomainModel], plan: AccountPlan) -> AccountPlan:
    require_create(actor, model, parent=plan)
    locked = locked_plan(plan)
    require_open(locked)
    return locked


def change_part(
    *,
    actor: Any,
    part: _P,
    expected_version: int | None,
    changes: Mapping[str, Any],
    allowed: frozenset[str],
    validate: Callable[[_P], None] | None = None,
) -> _P:
    """Change a row of a plan, under the plan's lock, while the plan is open."""
    require(actor, Action.CHANGE, part)
    refuse_unknown_fields(changes, allowed)
    with transaction.atomic():
        require_open(locked_plan(part.plan))  # type: ignore[attr-defined]
        return update_record(
            part,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=validate,
            reason="Changed",
        )


def remove_part(*, actor: Any, part: _P, expected_version: int | None) -> _P:
    """Take a row out of the plan: archived, kept in the history."""
    require(actor, Action.DELETE, part)
    with transaction.atomic():
        require_open(locked_plan(part.plan))  # type: ignore[attr-defined]
        return archive_record(
            part, actor=actor, expected_version=expected_version, reason="Removed"
        )
