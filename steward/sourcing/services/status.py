"""An event's status as time and the award move it; called by the closing job and by the apps
above (bidding checks the clock itself, awards moves the status on).

Every move goes through ``move``, which applies the table in ``sourcing/lifecycle.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.errors import TransitionError
from steward.core.services import save_with_history
from steward.sourcing import lifecycle
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.log import log_event


def move(event: SourcingEvent, to_status: str) -> None:
    """Set ``to_status`` on ``event`` (unsaved) if the table allows it; refuse otherwise."""
    if not lifecycle.can_move(event.status, to_status):
        raise TransitionError(
            f"An event cannot move from {event.get_status_display().lower()} to "
            f"{EventStatus(to_status).label.lower()}.",
            field="status",
        )
    event.status = to_status


def ensure_closed(event: SourcingEvent, *, now: Any = None) -> SourcingEvent:
    """Move an open event past its closing time to closed (once, logged); return it fresh."""
    now = now or timezone.now()
    # The caller's copy may be stale (published through another instance): ask the database.
    current = SourcingEvent.objects.filter(pk=event.pk).values_list("status", flat=True).first()
    if current != EventStatus.OPEN or not event.is_closed_at(now):
        if current is not None and current != event.status:
            event.refresh_from_db()
        return event
    with transaction.atomic():
        locked = SourcingEvent.objects.select_for_update().get(pk=event.pk)
        if locked.status == EventStatus.OPEN and locked.is_closed_at(now):
            move(locked, EventStatus.CLOSED)
            save_with_history(locked, actor=None, reason="Closed at its closing time")
            log_event(
                locked, LogAction.CLOSED, "Closed at its closing time; the bids are unsealed."
            )
    event.refresh_from_db()
    return event


def close_due_events(*, now: Any = None) -> int:
    """The closing job: every open event past its closing time; returns how many closed."""
    now = now or timezone.now()
    due = SourcingEvent.objects.filter(status=EventStatus.OPEN, closes_at__lte=now).order_by("pk")
    return sum(1 for event in due if ensure_closed(event, now=now).status == EventStatus.CLOSED)


def set_status(event: SourcingEvent, status: str, *, actor: Any, reason: str) -> SourcingEvent:
    """Move the event to ``status`` with a history entry (the awards app's transitions).

    Refused with a TransitionError when the table does not allow the move.
    """
    move(event, status)
    save_with_history(event, actor=actor, reason=reason)
    return event
