"""The customer's people on an opportunity (with their buying role) and the credit splits."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.core.access import Action, require, require_create
from steward.core.display import person_name
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    lock_for_update,
    save_with_history,
    text,
)
from steward.parties.models import Contact
from steward.pipeline.choices import BuyingRole, CreditRole
from steward.pipeline.models import Opportunity, OpportunityContact, OpportunityCredit
from steward.pipeline.services.common import locked, require_current
from steward.pipeline.services.opportunities import group_organization_ids

HUNDRED = Decimal(100)


def contact_add(
    *,
    actor: Any,
    opportunity: Opportunity,
    contact: Contact,
    buying_role: str,
    notes: str = "",
) -> OpportunityContact:
    """Name a person of the customer (or its group) and the part they play in the decision."""
    require_create(actor, OpportunityContact, parent=opportunity)
    if buying_role not in BuyingRole.values:
        raise DomainError("Choose the contact's buying role.", field="buying_role", code="invalid")
    cleaned_notes = text(notes, field="notes", label="notes")
    with transaction.atomic():
        current = locked(opportunity)
        require_current(current)
        if contact.is_archived or contact.organization_id not in group_organization_ids(
            current.relationship
        ):
            raise DomainError(
                "The contact is not one of the customer's (or its group's) people.",
                field="contact",
                code="invalid",
            )
        if OpportunityContact.objects.filter(
            opportunity=current,
            contact=contact,
            buying_role=buying_role,
            archived_at__isnull=True,
        ).exists():
            raise DuplicateError(
                f"{contact} is {BuyingRole(buying_role).label.lower()} on it already.",
                field="contact",
            )
        row = OpportunityContact(
            opportunity=current, contact=contact, buying_role=buying_role, notes=cleaned_notes
        )
        create_record(row, actor=actor, reason="Contact added")
    return row


def contact_update(
    *,
    actor: Any,
    opportunity_contact: OpportunityContact,
    expected_version: int | None,
    notes: str,
) -> OpportunityContact:
    require(actor, Action.CHANGE, opportunity_contact)
    cleaned = text(notes, field="notes", label="notes")
    with transaction.atomic():
        row = lock_for_update(opportunity_contact, expected_version=expected_version)
        if row.is_archived:
            raise DomainError("This contact was removed from the opportunity.", code="archived")
        if row.notes != cleaned:
            row.notes = cleaned
            save_with_history(row, actor=actor, reason="Changed")
    return row


def contact_remove(
    *, actor: Any, opportunity_contact: OpportunityContact, expected_version: int | None = None
) -> OpportunityContact:
    require(actor, Action.DELETE, opportunity_contact)
    return archive_record(
        opportunity_contact, actor=actor, expected_version=expected_version, reason="Removed"
    )


def _check_split(user: Any, role: str, percent: Any, seen: set[int]) -> Decimal:
    check_internal_person(user, field="splits", role="credited person")
    if user.pk in seen:
        raise DomainError(
            f"{person_name(user)} is credited twice; give one share each.",
            field="splits",
            code="duplicate",
        )
    seen.add(user.pk)
    if role not in CreditRole.values:
        raise DomainError(f"“{role}” is not a credit role.", field="splits", code="invalid")
    share = Decimal(str(percent))
    if not Decimal(0) < share <= HUNDRED or share != share.quantize(Decimal("0.01")):
        raise DomainError(
            f"{person_name(user)}'s share is above 0 and at most 100 per cent, in hundredths.",
            field="splits",
            code="invalid",
        )
    return share


def credits_set(
    *,
    actor: Any,
    opportunity: Opportunity,
    splits: Iterable[tuple[Any, str, Any]],
) -> list[OpportunityCredit]:
    """Replace who gets credit: the shares add up to exactly 100; none means the owner's 100 %.

    Attainment credits each person Σ amount * percent ÷ 100 of won opportunities.
    """
    require(actor, Action.CHANGE, opportunity)
    seen: set[int] = set()
    wanted = [
        (user, role, _check_split(user, role, percent, seen)) for user, role, percent in splits
    ]
    total = sum((share for _, _, share in wanted), Decimal(0))
    if wanted and total != HUNDRED:
        raise DomainError(
            f"The shares add up to {total} per cent; they must add up to exactly 100.",
            field="splits",
            code="not_100",
        )
    with transaction.atomic():
        current = locked(opportunity)
        require_current(current)
        for old in OpportunityCredit.objects.filter(opportunity=current, archived_at__isnull=True):
            archive_record(old, actor=actor, reason="Credits replaced")
        return [
            create_record(
                OpportunityCredit(opportunity=current, user=user, role=role, percent=share),
                actor=actor,
                reason="Credited",
            )
            for user, role, share in wanted
        ]


def credit_shares(opportunity: Opportunity) -> list[tuple[Any, str, Decimal]]:
    """Who gets what share: the credit rows, or the owner's 100 % when there are none."""
    rows: list[tuple[Any, str, Decimal]] = [
        (row.user, row.role, row.percent)
        for row in OpportunityCredit.objects.filter(
            opportunity=opportunity, archived_at__isnull=True
        ).select_related("user")
    ]
    return rows or [(opportunity.owner, CreditRole.OWNER, HUNDRED)]
