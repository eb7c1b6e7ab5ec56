"""Questions bidders ask and the answers the buyer publishes to every invitee.

The asker is kept (``Clarification.invitation``) for the buyer only: what is published carries
the question and the answer, never who asked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, lock_for_update, save_with_history
from steward.core.services import text as clean_text
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.models import Clarification, EventInvitation, SourcingEvent
from steward.sourcing.services.common import locked_event
from steward.sourcing.services.log import log_event
from steward.sourcing.services.notify import (
    CLARIFICATION_ALERT,
    QUESTION_ALERT,
    current_invitations,
    tell_invitees,
    tell_team,
)

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
    text = clean_text(
        question, field="question", label="question", required=True, limit=QUESTION_MAX
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
        tell_team(
            event,
            kind=QUESTION_ALERT,
            title=f"{event.reference}: a bidder asked a question",
            body=text[:500],
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


# --- the buyer's side ----------------------------------------------------------------------------

ANSWERABLE = frozenset({EventStatus.OPEN, EventStatus.CLOSED})


def _require_answerable(event: SourcingEvent) -> None:
    if event.status not in ANSWERABLE:
        raise DomainError(
            f"The event is {event.get_status_display().lower()}: its questions are no longer "
            "answered.",
            code="closed",
        )


def _announce(event: SourcingEvent) -> None:
    """Every invitee hears that an answer was published; never who asked."""
    tell_invitees(
        current_invitations(event),
        kind=CLARIFICATION_ALERT,
        title=f"{event.reference}: a clarification was published",
    )


def clarification_answer(
    *, actor: Any, clarification: Clarification, answer: str, publish: bool = True
) -> Clarification:
    """The buyer's answer to a question; published to every invitee at once unless ``publish``
    is false (then ``clarification_publish`` does it later)."""
    require(actor, Action.CHANGE, clarification)
    text = clean_text(answer, field="answer", label="answer", required=True, limit=QUESTION_MAX)
    with transaction.atomic():
        event = locked_event(clarification.event)
        _require_answerable(event)
        locked = lock_for_update(clarification, expected_version=None)
        if locked.published_at is not None:
            raise DomainError(
                "This clarification is published already: bidders have read it.",
                code="published",
            )
        locked.answer = text
        locked.answered_by = actor
        if publish:
            locked.published_at = timezone.now()
        save_with_history(locked, actor=actor, reason="Answered")
        log_event(
            event,
            LogAction.QUESTION_ANSWERED,
            f"Question {locked.pk} answered{' and published' if publish else ''}.",
            actor=actor,
            invitation=locked.invitation,
        )
        if publish:
            _announce(event)
    return locked


def clarification_publish(*, actor: Any, clarification: Clarification) -> Clarification:
    """Publish an answered clarification to every invitee."""
    require(actor, Action.CHANGE, clarification)
    with transaction.atomic():
        event = locked_event(clarification.event)
        _require_answerable(event)
        locked = lock_for_update(clarification, expected_version=None)
        if locked.published_at is not None:
            raise DomainError("This clarification is published already.", code="published")
        if not locked.answer:
            raise DomainError(
                "Answer the question before publishing it.", field="answer", code="required"
            )
        locked.published_at = timezone.now()
        save_with_history(locked, actor=actor, reason="Published")
        log_event(
            event,
            LogAction.QUESTION_ANSWERED,
            f"Answer to question {locked.pk} published.",
            actor=actor,
            invitation=locked.invitation,
        )
        _announce(event)
    return locked


def clarification_post(
    *, actor: Any, event: SourcingEvent, question: str, answer: str
) -> Clarification:
    """A clarification of the buyer's own (no asker), published to every invitee at once."""
    require_create(actor, Clarification, parent=event)
    asked = clean_text(
        question, field="question", label="question", required=True, limit=QUESTION_MAX
    )
    answered = clean_text(answer, field="answer", label="answer", required=True, limit=QUESTION_MAX)
    with transaction.atomic():
        locked = locked_event(event)
        if locked.status != EventStatus.OPEN or locked.is_closed_at():
            raise DomainError(
                "Clarifications are published while the event is open for bids.", code="closed"
            )
        record = create_record(
            Clarification(
                event=locked,
                question=asked,
                asked_by=actor,
                answer=answered,
                answered_by=actor,
                published_at=timezone.now(),
            ),
            actor=actor,
            reason="Published by the buyer",
        )
        log_event(
            locked,
            LogAction.QUESTION_ANSWERED,
            f"Clarification {record.pk} published by the buyer.",
            actor=actor,
        )
        _announce(locked)
    return record
