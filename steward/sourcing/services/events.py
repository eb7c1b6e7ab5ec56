"""Writes on sourcing events: create, edit, publish, cancel.

A draft changes freely. Once open, only the description changes, and the closing time may be
moved later (never earlier, never once it has passed); the move is logged and announced to the
invitees. Publishing checks everything a bidder needs (see ``publish_problems``). Every change
lands in the event's log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    check_internal_person,
    create_record,
    lock_for_update,
    save_with_history,
    text,
    validate_fields,
)
from steward.sourcing import lifecycle
from steward.sourcing.choices import EvaluationMethod, EventKind, EventStatus, LogAction
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.common import REASON_LIMIT
from steward.sourcing.services.criteria import criteria_problem
from steward.sourcing.services.invitations import invitation_title, invite_category
from steward.sourcing.services.log import log_event
from steward.sourcing.services.notify import (
    CANCELLED_ALERT,
    DEADLINE_ALERT,
    INVITED_ALERT,
    current_invitations,
    tell_invitees,
)
from steward.sourcing.services.references import next_reference
from steward.sourcing.services.status import move
from steward.spend.services.reference_checks import currency_code
from steward.suppliers.models import Category

DRAFT_FIELDS = frozenset(
    {
        "title",
        "description",
        "category",
        "currency",
        "opens_at",
        "closes_at",
        "evaluation_method",
        "award_rule",
        "open_to_category",
        "reverse_auction",
        "confirm_days",
        "scorecard_weight",
        "quality_cost_rate",
    }
)
OPEN_FIELDS = frozenset({"description", "closes_at"})
REFERENCE_ATTEMPTS = 5
TIME_LABELS = {"opens_at": "opening time", "closes_at": "closing time"}


# --- checks ------------------------------------------------------------------------------------


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    """Text trimmed, the currency upper-cased and checked, times aware."""
    cleaned = dict(changes)
    if "title" in cleaned:
        cleaned["title"] = text(
            cleaned["title"], field="title", label="title", required=True, limit=200
        )
    if "description" in cleaned:
        cleaned["description"] = text(
            cleaned["description"], field="description", label="description"
        )
    if "currency" in cleaned:
        cleaned["currency"] = currency_code(cleaned["currency"], field="currency")
    for name in ("opens_at", "closes_at"):
        moment = cleaned.get(name)
        if moment is not None and timezone.is_naive(moment):
            raise DomainError(f"Give the {TIME_LABELS[name]} with its time zone.", field=name)
    return cleaned


def _check_times(event: SourcingEvent) -> None:
    if event.opens_at and event.closes_at and event.closes_at <= event.opens_at:
        raise DomainError(
            "The closing time must come after the opening time.", field="closes_at", code="order"
        )


def _check_category(category: Category) -> None:
    if category.archived_at is not None:
        raise DomainError(f"The category {category} is archived.", field="category")


def _validated(event: SourcingEvent) -> None:
    _check_times(event)
    _check_category(event.category)
    validate_fields(event, exclude=["reference", "owner", "category"])


# --- create ------------------------------------------------------------------------------------


def event_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    category: Category,
    currency: str,
    description: str = "",
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    evaluation_method: str | None = None,
    award_rule: str = "single",
    open_to_category: bool = False,
    reverse_auction: bool = False,
    confirm_days: int = 5,
    scorecard_weight: Any = None,
    quality_cost_rate: Any = None,
    owner: Any = None,
) -> SourcingEvent:
    """A draft event with the next reference of its kind and year; ``actor`` owns it unless
    ``owner`` (one of our people) is named."""
    require_create(actor, SourcingEvent)
    if kind not in EventKind.values:
        raise DomainError(f"“{kind}” is not a kind of sourcing event.", field="kind")
    owner = owner or actor
    check_internal_person(owner, field="owner", role="event owner")
    fields = _clean(
        {
            "title": title,
            "description": description,
            "currency": currency,
            "opens_at": opens_at,
            "closes_at": closes_at,
        }
    )
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError("The closing time has passed already.", field="closes_at", code="past")
    event = SourcingEvent(
        kind=kind,
        category=category,
        owner=owner,
        evaluation_method=evaluation_method
        or (EvaluationMethod.WEIGHTED if kind == EventKind.RFP else EvaluationMethod.LOWEST_PRICE),
        award_rule=award_rule,
        open_to_category=open_to_category,
        reverse_auction=reverse_auction,
        confirm_days=confirm_days,
        **fields,
    )
    if scorecard_weight is not None:
        event.scorecard_weight = scorecard_weight
    if quality_cost_rate is not None:
        event.quality_cost_rate = quality_cost_rate
    _validated(event)
    return _insert_numbered(actor, event)


def _insert_numbered(actor: Any, event: SourcingEvent) -> SourcingEvent:
    """Insert with the next free reference; a clash with a concurrent creation takes the next."""
    day = timezone.localdate()
    for attempt in range(REFERENCE_ATTEMPTS):
        event.reference = next_reference(event.kind, day)
        try:
            with transaction.atomic():
                create_record(event, actor=actor, reason="Created")
                log_event(event, LogAction.CREATED, f"{event.reference} created.", actor=actor)
                return event
        except IntegrityError:
            event.pk = None
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# --- update ------------------------------------------------------------------------------------


def event_update(
    *, actor: Any, event: SourcingEvent, expected_version: int | None, **changes: Any
) -> SourcingEvent:
    """Change a draft freely; an open event's description, or its closing time moved later."""
    require(actor, Action.CHANGE, event)
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise DomainError(f"The {name.replace('_', ' ')} cannot be changed.", field=name)
    changes = _clean(changes)
    with transaction.atomic():
        locked = lock_for_update(event, expected_version=expected_version)
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        if not changed:
            return locked
        old_close = locked.closes_at
        _check_allowed(locked, changed)
        for name, value in changed.items():
            setattr(locked, name, value)
        _validated(locked)
        _check_method(locked)
        save_with_history(locked, actor=actor, reason="Details changed")
        _log_changes(actor, locked, changed, old_close)
    return locked


def _check_allowed(event: SourcingEvent, changed: dict[str, Any]) -> None:
    now = timezone.now()
    if event.status == EventStatus.DRAFT:
        closes = changed.get("closes_at")
        if closes is not None and closes <= now:
            raise DomainError(
                "The closing time has passed already.", field="closes_at", code="past"
            )
        return
    if event.status != EventStatus.OPEN:
        raise DomainError(
            f"The event is {event.get_status_display().lower()}: it no longer changes.",
            code="not_editable",
        )
    frozen = sorted(set(changed) - OPEN_FIELDS)
    if frozen:
        raise DomainError(
            f"The event is open: its {frozen[0].replace('_', ' ')} no longer changes (only "
            "the description, and the closing time moved later).",
            field=frozen[0],
            code="open",
        )
    if "closes_at" in changed:
        _check_extension(event, changed["closes_at"], now)


def _check_extension(event: SourcingEvent, closes_at: Any, now: dt.datetime) -> None:
    if closes_at is None:
        raise DomainError("An open event keeps a closing time.", field="closes_at", code="required")
    if event.is_closed_at(now):
        raise DomainError(
            "The closing time has passed: it can no longer move.", field="closes_at", code="past"
        )
    if event.closes_at is not None and closes_at < event.closes_at:
        raise DomainError(
            "The closing time of an open event only moves later, never earlier.",
            field="closes_at",
            code="shortened",
        )


def _check_method(event: SourcingEvent) -> None:
    if (
        event.evaluation_method != EvaluationMethod.WEIGHTED
        and event.criteria.filter(archived_at__isnull=True).exists()
    ):
        raise DomainError(
            "Remove the evaluation criteria before evaluating on the lowest price alone.",
            field="evaluation_method",
            code="has_criteria",
        )


def _log_changes(
    actor: Any, event: SourcingEvent, changed: dict[str, Any], old_close: dt.datetime | None
) -> None:
    others = sorted(set(changed) - {"closes_at"} if event.status == EventStatus.OPEN else changed)
    if others:
        fields = ", ".join(name.replace("_", " ") for name in others)
        log_event(event, LogAction.CHANGED, f"Changed: {fields}.", actor=actor)
    if event.status == EventStatus.OPEN and "closes_at" in changed:
        new_close = timezone.localtime(event.closes_at)
        log_event(
            event,
            LogAction.DEADLINE_CHANGED,
            f"Closing time moved to {new_close:%Y-%m-%d %H:%M %Z}.",
            actor=actor,
            detail={
                "from": old_close.isoformat() if old_close else None,
                "to": event.closes_at.isoformat() if event.closes_at else None,
            },
        )
        tell_invitees(
            current_invitations(event),
            kind=DEADLINE_ALERT,
            title=f"{event.reference}: bids now close {new_close:%d %b %Y %H:%M %Z}",
        )


# --- publish and cancel ------------------------------------------------------------------------


def publish_problems(event: SourcingEvent, now: dt.datetime | None = None) -> list[str]:
    """What keeps a draft from opening for bids; empty when it may be published."""
    now = now or timezone.now()
    problems = []
    if not event.lines.filter(archived_at__isnull=True).exists():
        problems.append("Add at least one line.")
    if event.closes_at is None:
        problems.append("Set the closing time.")
    elif event.closes_at <= now:
        problems.append("Move the closing time into the future.")
    if event.opens_at and event.closes_at and event.closes_at <= event.opens_at:
        problems.append("The closing time must come after the opening time.")
    if not event.currency:
        problems.append("Set the currency bids are compared in.")
    if event.evaluation_method == EvaluationMethod.WEIGHTED:
        maxima = list(
            event.criteria.filter(archived_at__isnull=True).values_list("max_value", flat=True)
        )
        if not maxima:
            problems.append("Add at least one evaluation criterion (a weighted evaluation).")
        elif problem := criteria_problem(maxima):
            problems.append(problem)
    if not event.open_to_category and not event.invitations.exists():
        problems.append("Invite at least one vendor, or open the event to its category.")
    return problems


def event_publish(*, actor: Any, event: SourcingEvent, now: Any = None) -> SourcingEvent:
    """Open a draft for bids: the invitees see it from now on and are told."""
    require(actor, Action.CHANGE, event)
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_for_update(event, expected_version=None)
        move(locked, EventStatus.OPEN)
        problems = publish_problems(locked, now)
        if problems:
            raise DomainError(" ".join(problems), code="not_publishable")
        if locked.open_to_category:
            invite_category(actor=actor, event=locked)
        invitations = current_invitations(locked)
        if not invitations:
            raise DomainError(
                f"No vendor is eligible to bid in {locked.category} today; invite one with a "
                "reason instead.",
                code="not_publishable",
            )
        for invitation in invitations:
            invitation.visible_to_vendor = True
            save_with_history(invitation, actor=actor, reason="Event published")
        save_with_history(locked, actor=actor, reason="Published")
        log_event(
            locked,
            LogAction.PUBLISHED,
            f"Published to {len(invitations)} vendor{'s' if len(invitations) != 1 else ''}.",
            actor=actor,
        )
        tell_invitees(invitations, kind=INVITED_ALERT, title=invitation_title(locked))
    return locked


def event_cancel(*, actor: Any, event: SourcingEvent, reason: str) -> SourcingEvent:
    """Cancel a draft, open or closed event, saying why; the invitees are told."""
    require(actor, Action.CHANGE, event)
    why = text(reason, field="reason", label="reason", required=True, limit=REASON_LIMIT)
    with transaction.atomic():
        locked = lock_for_update(event, expected_version=None)
        if locked.status not in lifecycle.CANCELLABLE:
            raise DomainError(
                f"The event is {locked.get_status_display().lower()}: it can no longer be "
                "cancelled.",
                field="status",
                code="invalid_transition",
            )
        move(locked, EventStatus.CANCELLED)
        locked.cancelled_reason = why
        save_with_history(locked, actor=actor, reason="Cancelled")
        log_event(locked, LogAction.CANCELLED, f"Cancelled: {why}"[:300], actor=actor)
        tell_invitees(
            current_invitations(locked),
            kind=CANCELLED_ALERT,
            title=f"{locked.reference} {locked.title} was cancelled",
            body=why,
        )
    return locked


def may_run(user: Any) -> bool:
    """May start sourcing events at all (any inside user who writes)."""
    return principal_for(user).may_write
