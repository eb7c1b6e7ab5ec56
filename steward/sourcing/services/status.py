"""An event's status as time and the award move it; called by the closing job and by the apps
above (bidding checks the clock itself, awards moves the status on)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.services import save_with_history
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.log import log_event


def ensure_closed(event: SourcingEvent, *, now: Any = None) -> SourcingEvent:
    """Move an open event past its closing time to closed (once, logged); return it fresh."""
    now = now or timezone.now()
    if event.status != EventStatus.OPEN or not event.is_closed_at(now):
        return event
    with transaction.atomic():
        locked = SourcingEvent.objects.select_for_update().get(pk=event.pk)
        if locked.status == EventStatus.OPEN and locked.is_closed_at(now):
            locked.status = EventStatus.CLOSED
            save_with_history(locked, actor=None, reason="Closed at its closing time")
            log_event(
                locked, LogAction.CLOSED, "Closed at its closing time; the bids are unsealed."
            )
    event.refresh_from_db()
    return event


def close_due_events(*, now: Any = None) -> int:
    """The closing job: every open event past its closing time; returns how many closed."""
    now = now or timezone.now()
    due = SourcingEvent.objects.filter(status=EventStatus.OPEN, closes_at__lte=now)
    return sum(1 for event in due if ensure_closed(event, now=now).status == EventStatus.CLOSED)


def set_status(event: SourcingEvent, status: str, *, actor: Any, reason: str) -> SourcingEvent:
    """Move the event to ``status`` with a history entry (the awards app's transitions)."""
    event.status = status
    save_with_history(event, actor=actor, reason=reason)
    return event
