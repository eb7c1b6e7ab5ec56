"""Writes of a handoff's items: add, change, close with a note, reopen, and remove while the
handoff is a draft. Each kind asks for what makes it useful:

- checklist step: a title (a due date if it has one);
- implementation milestone: a due date;
- commitment made during the sale: what was promised, to whom (a customer contact) and by when;
- risk: a severity from 1 to 5 and its mitigation;
- named contact: a customer contact and their role in the implementation (no due date).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    create_record,
    save_with_history,
    text,
    update_record,
)
from steward.handoffs import lifecycle, rules
from steward.handoffs.choices import HandoffStatus, ItemKind
from steward.handoffs.models import Handoff, HandoffItem
from steward.handoffs.services.common import TITLE_LIMIT, date_or_none, locked, person
from steward.parties.models import Contact, Organization

ITEM_FIELDS = frozenset(
    {
        "kind",
        "title",
        "details",
        "owner",
        "due_on",
        "contact",
        "contact_role",
        "severity",
        "mitigation",
    }
)
CONTACT_KINDS = frozenset({ItemKind.COMMITMENT, ItemKind.CONTACT})
DUE_KINDS = frozenset({ItemKind.MILESTONE, ItemKind.COMMITMENT})


def group_organization_ids(organization: Organization) -> set[int]:
    """The account's organization, its parent and the parent's other subsidiaries, and its own
    subsidiaries: the group whose people may be the account's contacts."""
    ids = {organization.pk}
    head = organization.parent_id or organization.pk
    ids.add(head)
    ids.update(
        Organization.objects.filter(parent_id__in={head, organization.pk}).values_list(
            "pk", flat=True
        )
    )
    return ids


def _check_contact(item: HandoffItem, handoff: Handoff) -> None:
    contact: Contact | None = item.contact
    if item.kind in CONTACT_KINDS and contact is None:
        label = "whom it was promised to" if item.kind == ItemKind.COMMITMENT else "the contact"
        raise DomainError(f"Choose {label}.", field="contact", code="required")
    if contact is None:
        return
    if contact.is_archived:
        raise DomainError("The contact is archived.", field="contact", code="archived")
    if contact.organization_id not in group_organization_ids(handoff.relationship.organization):
        raise DomainError(
            f"{contact} is not a contact of {handoff.relationship.organization} or its group.",
            field="contact",
            code="other_organization",
        )


def _clean(item: HandoffItem, handoff: Handoff) -> None:
    if item.kind not in ItemKind.values:
        raise DomainError("Choose a kind of item.", field="kind", code="invalid")
    item.title = text(item.title, field="title", label="title", required=True, limit=TITLE_LIMIT)
    item.details = text(item.details, field="details", label="details")
    item.contact_role = text(
        item.contact_role, field="contact_role", label="role in the implementation", limit=120
    )
    item.mitigation = text(item.mitigation, field="mitigation", label="mitigation")
    item.due_on = date_or_none(item.due_on, field="due_on", label="due date")
    person(item.owner, field="owner", role="owner of the item")
    if item.kind in DUE_KINDS and item.due_on is None:
        what = "by when it was promised" if item.kind == ItemKind.COMMITMENT else "its due date"
        raise DomainError(f"Give {what}.", field="due_on", code="required")
    if item.kind == ItemKind.CONTACT and item.due_on is not None:
        raise DomainError(
            "A named contact has no due date; leave it empty.",
            field="due_on",
            code="not_applicable",
        )
    _check_contact(item, handoff)
    if item.kind == ItemKind.CONTACT and not item.contact_role:
        raise DomainError(
            "Give the contact's role in the implementation.", field="contact_role", code="required"
        )
    if item.kind == ItemKind.RISK:
        _check_risk(item)
    elif item.severity is not None:
        raise DomainError("Only a risk has a severity.", field="severity", code="not_applicable")


def _check_risk(item: HandoffItem) -> None:
    severity = item.severity
    if severity is None:
        raise DomainError("Give the risk's severity (1 to 5).", field="severity", code="required")
    if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 5:
        raise DomainError("The severity is from 1 to 5.", field="severity", code="out_of_range")
    if not item.mitigation:
        raise DomainError("Say how the risk is mitigated.", field="mitigation", code="required")


def _working_handoff(actor: Any, handoff: Handoff) -> Handoff:
    """The item's handoff under its lock, refused once it is over or to who may not work it."""
    current = locked(handoff)
    if current.status not in lifecycle.WORKING:
        raise DomainError(
            f"The handoff is {current.get_status_display().lower()}: its items no longer change.",
            code="finished",
        )
    if not rules.may_work_items(actor, current):
        raise PermissionDenied("You may not work the items of this handoff.")
    return current


def item_add(
    *,
    actor: Any,
    handoff: Handoff,
    kind: str,
    title: str,
    owner: Any,
    details: str = "",
    due_on: Any = None,
    contact: Contact | None = None,
    contact_role: str = "",
    severity: int | None = None,
    mitigation: str = "",
) -> HandoffItem:
    with transaction.atomic():
        current = _working_handoff(actor, handoff)
        item = HandoffItem(
            handoff=current,
            kind=kind,
            title=title,
            details=details,
            owner=owner,
            due_on=due_on,
            contact=contact,
            contact_role=contact_role,
            severity=severity,
            mitigation=mitigation,
        )
        _clean(item, current)
        return create_record(item, actor=actor, reason="Added")


def item_update(
    *, actor: Any, item: HandoffItem, expected_version: int | None, **changes: Any
) -> HandoffItem:
    unknown = set(changes) - ITEM_FIELDS
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = _working_handoff(actor, item.handoff)
        return update_record(
            item,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=lambda row: _clean(row, current),
            reason="Changed",
        )


def _locked_item(item: HandoffItem, expected_version: int | None) -> HandoffItem:
    from steward.core.services import lock_for_update

    row = lock_for_update(item, expected_version=expected_version)
    if row.is_archived:
        raise DomainError("The item was removed.", code="archived")
    return row


def item_close(
    *, actor: Any, item: HandoffItem, note: str = "", expected_version: int | None = None
) -> HandoffItem:
    """Close an open item with a note (who and when are recorded)."""
    cleaned = text(note, field="note", label="note")
    with transaction.atomic():
        _working_handoff(actor, item.handoff)
        row = _locked_item(item, expected_version)
        if row.closed_at is not None:
            raise DomainError("The item is already closed.", code="closed")
        row.closed_at = timezone.now()
        row.closed_by = actor
        row.close_note = cleaned
        return save_with_history(row, actor=actor, reason="Closed")


def item_reopen(
    *, actor: Any, item: HandoffItem, expected_version: int | None = None
) -> HandoffItem:
    """Open a closed item again (its closing note stays in the history)."""
    with transaction.atomic():
        _working_handoff(actor, item.handoff)
        row = _locked_item(item, expected_version)
        if row.closed_at is None:
            raise DomainError("The item is open already.", code="open")
        row.closed_at = None
        row.closed_by = None
        row.close_note = ""
        return save_with_history(row, actor=actor, reason="Reopened")


def item_remove(
    *, actor: Any, item: HandoffItem, expected_version: int | None = None
) -> HandoffItem:
    """Take an item out of a draft (archived, kept in the history). Once handed over, an item
    is closed with a note instead: what was handed over stays visible."""
    with transaction.atomic():
        current = _working_handoff(actor, item.handoff)
        if current.status != HandoffStatus.DRAFT:
            raise DomainError(
                "Once handed over, an item is closed with a note, not removed.",
                code="not_draft",
            )
        return archive_record(
            item, actor=actor, expected_version=expected_version, reason="Removed"
        )
