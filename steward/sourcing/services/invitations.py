"""Inviting vendors to bid, and a vendor declining.

An ineligible vendor (not prequalified for the category, or whose standing blocks sourcing) is
invited only with a recorded reason, logged with the reasons it was ineligible. A vendor is never
invited twice. While the event is a draft its invitations stay hidden from the vendor; publishing
shows them, and an invitation made while the event is open shows (and is announced) at once.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.access import Action, allows, principal_for, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, lock_for_update, save_with_history, text
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.eligibility import eligibility_of, split_prequalified
from steward.sourcing.models import EventInvitation, SourcingEvent
from steward.sourcing.services.common import REASON_LIMIT, locked_event, require_open_before_close
from steward.sourcing.services.log import log_event
from steward.sourcing.services.notify import DECLINED_ALERT, INVITED_ALERT, tell_invitees, tell_team
from steward.suppliers.models import Supplier


def invitation_title(event: SourcingEvent) -> str:
    closes = timezone.localtime(event.closes_at) if event.closes_at else None
    until = f", bids until {closes:%d %b %Y %H:%M %Z}" if closes else ""
    return f"Invitation to bid: {event.reference} {event.title}{until}"


def invitation_create(
    *,
    actor: Any,
    event: SourcingEvent,
    supplier: Supplier,
    override_reason: str = "",
    now: Any = None,
) -> EventInvitation:
    """Invite ``supplier`` to bid on ``event`` (a draft, or open before its closing time)."""
    require_create(actor, EventInvitation, parent=event)
    reason = text(override_reason, field="override_reason", label="reason", limit=REASON_LIMIT)
    if supplier.archived_at is not None:
        raise DomainError(f"{supplier} is archived.", field="supplier", code="archived")
    today = timezone.localdate(now) if now else timezone.localdate()
    with transaction.atomic():
        locked = locked_event(event)
        require_open_before_close(locked, "vendors are invited", now)
        if EventInvitation.objects.filter(event=locked, supplier=supplier).exists():
            raise DuplicateError(
                f"{supplier} is invited to {locked.reference} already.", field="supplier"
            )
        check = eligibility_of(supplier, locked.category, today)
        reasons = check.describe(locked.category, today)
        if not check.eligible:
            _check_override(actor, supplier, reasons, reason)
        invitation = _invite(actor, locked, supplier, override_reason=reason if reasons else "")
        if reasons:
            log_event(
                locked,
                LogAction.INVITED_OVERRIDE,
                f"{supplier} invited although {'; '.join(reasons)}.",
                actor=actor,
                invitation=invitation,
                detail={"reasons": list(check.reasons), "override_reason": reason},
            )
        else:
            log_event(
                locked,
                LogAction.INVITED,
                f"{supplier} invited.",
                actor=actor,
                invitation=invitation,
            )
        if invitation.visible_to_vendor:
            tell_invitees([invitation], kind=INVITED_ALERT, title=invitation_title(locked))
    return invitation


def _check_override(actor: Any, supplier: Supplier, reasons: list[str], reason: str) -> None:
    # Overriding is a judgement about a vendor: the buyer must be able to see it at all.
    if not allows(actor, Action.VIEW, supplier):
        raise DomainError("No such vendor.", field="supplier", code="does_not_exist")
    if not reason:
        raise DomainError(
            f"{supplier} may not be invited: {'; '.join(reasons)}. Give a reason to invite "
            "it all the same.",
            field="override_reason",
            code="ineligible",
        )


def _invite(
    actor: Any, event: SourcingEvent, supplier: Supplier, *, override_reason: str
) -> EventInvitation:
    invitation = EventInvitation(
        event=event,
        supplier=supplier,
        invited_by=actor,
        override_reason=override_reason,
        visible_to_vendor=event.status == EventStatus.OPEN,
    )
    try:
        with transaction.atomic():
            return create_record(invitation, actor=actor, reason="Invited")
    except IntegrityError as clash:  # invited by someone else a moment ago
        raise DuplicateError(
            f"{supplier} is invited to {event.reference} already.", field="supplier"
        ) from clash


def invite_category(*, actor: Any, event: SourcingEvent) -> list[EventInvitation]:
    """Invite every eligible vendor of the event's category not invited yet (at publishing of
    an event open to its category). The caller holds the event's lock."""
    invited = set(EventInvitation.objects.filter(event=event).values_list("supplier_id", flat=True))
    eligible, _ = split_prequalified(event.category)
    made = []
    for supplier in eligible:
        if supplier.pk in invited:
            continue
        invitation = _invite(actor, event, supplier, override_reason="")
        log_event(
            event,
            LogAction.INVITED,
            f"{supplier} invited as prequalified for {event.category}.",
            actor=actor,
            invitation=invitation,
        )
        made.append(invitation)
    return made


def invitation_decline(*, actor: Any, invitation: EventInvitation, reason: str) -> EventInvitation:
    """The invited vendor's portal user declines to bid, saying why (before the closing time)."""
    principal = principal_for(actor)
    organization_id = invitation.supplier.relationship.organization_id
    if not (
        principal.is_external
        and invitation.visible_to_vendor
        and principal.portal_organization_id == organization_id
    ):
        raise DomainError(
            "Only the invited vendor's portal users decline its invitation.", code="forbidden"
        )
    why = text(reason, field="reason", label="reason for declining", required=True)
    with transaction.atomic():
        event = locked_event(invitation.event)
        locked = lock_for_update(invitation, expected_version=None)
        if locked.status == InvitationStatus.DECLINED:
            raise DomainError("You declined this invitation already.", code="declined")
        if event.status != EventStatus.OPEN or event.is_closed_at():
            raise DomainError(
                "The event is closed: there is nothing left to decline.", code="closed"
            )
        locked.status = InvitationStatus.DECLINED
        locked.declined_reason = why
        save_with_history(locked, actor=actor, reason="Declined by the vendor")
        log_event(
            event,
            LogAction.DECLINED,
            f"{locked.supplier} declined the invitation.",
            actor=actor,
            invitation=locked,
        )
        tell_team(
            event,
            kind=DECLINED_ALERT,
            title=f"{locked.supplier} declined to bid on {event.reference}",
            body=why,
        )
    return locked
