"""Writes of a handoff: create, edit while a draft, and its status moves through the table in
``handoffs/lifecycle.py`` (submit, accept, send back, complete, cancel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, allows
from steward.core.display import person_name
from steward.core.errors import DomainError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, save_with_history, text, update_record
from steward.handoffs import lifecycle, rules
from steward.handoffs.choices import HandoffStatus
from steward.handoffs.models import Handoff
from steward.handoffs.services.common import date_or_none, locked, person, record_transition
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.pipeline.choices import Stage
from steward.pipeline.models import Opportunity

EDITABLE_FIELDS = frozenset(
    {"receiver", "opportunity", "summary", "implementation_start", "go_live", "first_review_on"}
)
OPEN_ITEMS_NAMED = 10


# --- checks --------------------------------------------------------------------------------------


def _check_account(relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "A handoff is made for a customer account (a demand-side relationship).",
            field="relationship",
            code="not_an_account",
        )
    if relationship.is_archived:
        raise DomainError(
            "The account is archived; restore it before handing it over.",
            field="relationship",
            code="archived",
        )


def _check_receiver(receiver: Any, relationship: Relationship) -> None:
    person(receiver, field="receiver", role="receiver")
    if not allows(receiver, Action.CHANGE, relationship):
        raise DomainError(
            f"{person_name(receiver)} is neither the account's owner nor on its team with "
            "edit access; add them to the account team first.",
            field="receiver",
            code="not_on_account",
        )


def _check_opportunity(opportunity: Opportunity | None, relationship: Relationship) -> None:
    if opportunity is None:
        return
    if opportunity.relationship_id != relationship.pk:
        raise DomainError(
            "The opportunity belongs to another account.", field="opportunity", code="other_account"
        )
    if opportunity.stage != Stage.WON:
        raise DomainError(
            f"The opportunity “{opportunity.name}” is not won "
            f"({opportunity.get_stage_display().lower()}).",
            field="opportunity",
            code="not_won",
        )


def _check_dates(handoff: Handoff) -> None:
    start, go_live = handoff.implementation_start, handoff.go_live
    if start and go_live and go_live < start:
        raise DomainError(
            "The go-live cannot be before the implementation start.", field="go_live", code="order"
        )


def _check_no_other_open(relationship: Relationship, *, exclude: int | None = None) -> None:
    others = Handoff.objects.filter(relationship=relationship, archived_at__isnull=True).exclude(
        status__in=lifecycle.FINISHED
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise DomainError(
            "The account already has a handoff under way; complete or cancel it first.",
            field="relationship",
            code="duplicate",
        )


def _clean(handoff: Handoff) -> None:
    handoff.summary = text(handoff.summary, field="summary", label="summary")
    for name, label in (
        ("implementation_start", "implementation start"),
        ("go_live", "go-live"),
        ("first_review_on", "first review date"),
    ):
        setattr(handoff, name, date_or_none(getattr(handoff, name), field=name, label=label))
    _check_dates(handoff)
    if handoff.receiver is not None:
        _check_receiver(handoff.receiver, handoff.relationship)
    _check_opportunity(handoff.opportunity, handoff.relationship)


# --- create and edit -----------------------------------------------------------------------------


def handoff_create(
    *,
    actor: Any,
    relationship: Relationship,
    receiver: Any = None,
    opportunity: Opportunity | None = None,
    summary: str = "",
    implementation_start: dt.date | None = None,
    go_live: dt.date | None = None,
    first_review_on: dt.date | None = None,
) -> Handoff:
    """Start a draft handoff of ``relationship``; the receiver defaults to its owner."""
    _check_account(relationship)
    if not rules.may_prepare(actor, relationship):
        raise PermissionDenied("You may not prepare a handoff of this account.")
    handoff = Handoff(
        relationship=relationship,
        handed_over_by=actor,
        receiver=receiver if receiver is not None else relationship.owner,
        opportunity=opportunity,
        summary=summary,
        implementation_start=implementation_start,
        go_live=go_live,
        first_review_on=first_review_on,
    )
    _clean(handoff)
    with transaction.atomic():
        Relationship.objects.select_for_update().filter(pk=relationship.pk).first()
        _check_no_other_open(relationship)
        create_record(handoff, actor=actor, reason="Prepared")
        record_transition(handoff, from_status="", actor=actor)
    return handoff


def handoff_update(
    *, actor: Any, handoff: Handoff, expected_version: int | None, **changes: Any
) -> Handoff:
    """Change a draft's receiver, opportunity, dates or summary (its preparer or an admin)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = locked(handoff)
        if current.status not in lifecycle.EDITABLE:
            raise DomainError(
                f"The handoff is {current.get_status_display().lower()}: it changes only while "
                "a draft.",
                code="not_draft",
            )
        if not rules.may_edit(actor, current):
            raise PermissionDenied("Only who prepares the handoff changes it.")
        return update_record(
            current,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=_clean,
            reason="Changed",
        )


# --- status moves --------------------------------------------------------------------------------


def move(handoff: Handoff, to_status: str) -> str:
    """Set ``to_status`` on ``handoff`` (unsaved) if the table allows it; return the old one."""
    if not lifecycle.can_move(handoff.status, to_status):
        raise TransitionError(
            f"A handoff cannot move from {handoff.get_status_display().lower()} to "
            f"{HandoffStatus(to_status).label.lower()}.",
            field="status",
        )
    before = handoff.status
    handoff.status = to_status
    return before


def submit_problems(handoff: Handoff) -> list[str]:
    """What a draft lacks before it can be handed over (empty when it is ready)."""
    problems = []
    if handoff.receiver_id is None:
        problems.append("Choose the account manager who receives the account.")
    if handoff.first_review_on is None:
        problems.append("Set the first review date.")
    if not handoff.items.filter(archived_at__isnull=True).exists():
        problems.append("Add at least one item (a step, milestone, commitment, risk or contact).")
    return problems


def _transition(
    *,
    actor: Any,
    handoff: Handoff,
    to_status: str,
    allowed: Callable[[Any, Handoff], bool],
    refusal: str,
    reason: str,
    note: str = "",
    prepare: Callable[[Handoff], None] | None = None,
    alerts: Callable[[Handoff], list[Alert]] | None = None,
) -> Handoff:
    """One status move under the handoff's lock: the table first (400), then who (403), then
    what the move needs; the timeline and the history record it, the alerts go out with it."""
    with transaction.atomic():
        current = locked(handoff)
        if not lifecycle.can_move(current.status, to_status):
            move(current, to_status)  # raises the TransitionError that names both statuses
        if not allowed(actor, current):
            raise PermissionDenied(refusal)
        before = move(current, to_status)
        if prepare is not None:
            prepare(current)
        save_with_history(current, actor=actor, reason=reason)
        record_transition(current, from_status=before, actor=actor, note=note)
        if alerts is not None:
            notifications_send(alerts(current))
    return current


def handoff_submit(*, actor: Any, handoff: Handoff) -> Handoff:
    """Hand the account over: needs a receiver, a first review date and an item; the receiver
    is told a handoff waits for their acceptance."""

    def ready(current: Handoff) -> None:
        problems = submit_problems(current)
        if problems:
            raise DomainError("Not ready to hand over: " + " ".join(problems), code="not_ready")
        _check_receiver(current.receiver, current.relationship)
        current.handed_over_at = timezone.now()

    return _transition(
        actor=actor,
        handoff=handoff,
        to_status=HandoffStatus.HANDED_OVER,
        allowed=rules.may_submit,
        refusal="Only who prepares the handoff hands it over.",
        prepare=ready,
        reason="Handed over",
        alerts=lambda h: [
            Alert(
                recipient_id=int(h.receiver_id or 0),
                kind="handoff_waiting",
                title=f"{h} waits for your acceptance",
                body=f"Handed over by {person_name(h.handed_over_by)}.",
                url=h.get_absolute_url(),
            )
        ],
    )


def handoff_accept(*, actor: Any, handoff: Handoff, note: str = "") -> Handoff:
    """The receiving account manager accepts the account, explicitly; nobody on their behalf."""
    cleaned = text(note, field="note", label="note")

    def stamp(current: Handoff) -> None:
        current.accepted_at = timezone.now()
        current.acceptance_note = cleaned

    return _transition(
        actor=actor,
        handoff=handoff,
        to_status=HandoffStatus.ACCEPTED,
        allowed=rules.may_answer,
        refusal="Only the receiving account manager accepts the handoff.",
        note=cleaned,
        prepare=stamp,
        reason="Accepted",
        alerts=lambda h: [
            Alert(
                recipient_id=h.handed_over_by_id,
                kind="handoff_accepted",
                title=f"{h} was accepted",
                body=cleaned,
                url=h.get_absolute_url(),
            )
        ],
    )


def handoff_send_back(*, actor: Any, handoff: Handoff, reason: str) -> Handoff:
    """The receiver returns the handoff to a draft with a reason; the preparer is told."""
    cleaned = text(reason, field="reason", label="reason", required=True)

    def keep(current: Handoff) -> None:
        current.sent_back_reason = cleaned

    return _transition(
        actor=actor,
        handoff=handoff,
        to_status=HandoffStatus.DRAFT,
        allowed=rules.may_answer,
        refusal="Only the receiving account manager sends the handoff back.",
        note=cleaned,
        prepare=keep,
        reason="Sent back",
        alerts=lambda h: [
            Alert(
                recipient_id=h.handed_over_by_id,
                kind="handoff_sent_back",
                title=f"{h} was sent back",
                body=cleaned,
                url=h.get_absolute_url(),
            )
        ],
    )


def open_item_titles(handoff: Handoff) -> list[str]:
    return list(
        handoff.items.filter(archived_at__isnull=True, closed_at__isnull=True)
        .order_by("due_on", "pk")
        .values_list("title", flat=True)
    )


def handoff_complete(*, actor: Any, handoff: Handoff) -> Handoff:
    """Complete an accepted handoff once every item is closed; refused naming the open ones."""

    def all_closed(current: Handoff) -> None:
        titles = open_item_titles(current)
        if titles:
            named = "; ".join(titles[:OPEN_ITEMS_NAMED])
            more = f" and {len(titles) - OPEN_ITEMS_NAMED} more" if len(titles) > 10 else ""
            raise DomainError(
                f"{len(titles)} item{'s are' if len(titles) > 1 else ' is'} still open: "
                f"{named}{more}. Close them first.",
                code="open_items",
            )
        current.completed_at = timezone.now()

    return _transition(
        actor=actor,
        handoff=handoff,
        to_status=HandoffStatus.COMPLETED,
        allowed=rules.may_complete,
        refusal="Only the receiver or the account's team completes the handoff.",
        prepare=all_closed,
        reason="Completed",
    )


def handoff_cancel(*, actor: Any, handoff: Handoff, reason: str) -> Handoff:
    """Cancel a draft or a handoff handed over, with a reason (its preparer or an admin)."""
    cleaned = text(reason, field="reason", label="reason", required=True)

    def keep(current: Handoff) -> None:
        current.cancelled_reason = cleaned

    return _transition(
        actor=actor,
        handoff=handoff,
        to_status=HandoffStatus.CANCELLED,
        allowed=rules.may_cancel,
        refusal="Only who prepares the handoff cancels it.",
        note=cleaned,
        prepare=keep,
        reason="Cancelled",
    )
