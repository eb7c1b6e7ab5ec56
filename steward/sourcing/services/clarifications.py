"""Questions bidders ask and the answers the buyer publishes to every invitee.

The asker is kept (``Clarification.invitation``) for the buyer only: what is published carries
the question and the answer, never who asked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import principal_for
from steward.core.errors import DomainError
from steward.core.services import create_record
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.models import Clarification, EventInvitation
from steward.sourcing.services.log import log_event

QUESTION_MAX = 4000


def clarification_ask(*, actor: Any, invitation: EventInvitation, question: str) -> Clarification:
    """A bidder's question on the event it is invited to, while the event is open."""
    principal = principal_for(actor)
    if not (
        principal.is_external
        and invitation.visible_to_vendor
        and principal.portal_organization_id == invitation.supplier.relationship.organization_id
    ):
        raise DomainError("Only the invited vendor's portal users ask questions.", code="forbidden")
    event = invitation.event
    if invitation.status == InvitationStatus.DECLINED:
        raise DomainError("You declined this invitation.", code="declined")
    if event.status != EventStatus.OPEN or event.is_closed_at():
        raise DomainError("The event is closed to questions.", code="closed", field="question")
    text = (question or "").strip()
    if not text:
        raise DomainError("Write the question.", code="required", field="question")
    if len(text) > QUESTION_MAX:
        raise DomainError(
            f"The question is longer than {QUESTION_MAX} characters.",
            code="too_long",
            field="question",
        )
    with transaction.atomic():
        record = create_record(
            Clarification(event=event, invitation=invitation, question=text, asked_by=actor),
            actor=actor,
        )
        log_event(
            event,
            LogAction.QUESTION_ASKED,
            f"Question {record.pk} asked by an invitee.",
            actor=actor,
            invitation=invitation,
        )
    return record


def published_for(invitation: EventInvitation) -> list[Clarification]:
    """What an invitee may read: every published answer, and its own questions still waiting.

    Called after the invitation itself was fetched through the access policy.
    """
    published = Clarification.objects.active().filter(
        event_id=invitation.event_id, published_at__isnull=False
    )
    waiting = Clarification.objects.active().filter(
        invitation=invitation, published_at__isnull=True
    )
    return sorted([*published, *waiting], key=lambda c: (c.published_at or timezone.now(), c.pk))
