"""Writing to an event's append-only log. Nothing here may carry a bid's contents: the log is
readable by the buyer before the seal lifts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from steward.sourcing.models import EventInvitation, EventLogEntry, SourcingEvent


def log_event(
    event: SourcingEvent,
    action: str,
    summary: str,
    *,
    actor: Any = None,
    invitation: EventInvitation | None = None,
    detail: dict[str, Any] | None = None,
    at: Any = None,
) -> EventLogEntry:
    """Append one entry; ``actor`` None means the system (a job, the clock)."""
    return EventLogEntry.objects.create(
        event=event,
        action=action,
        summary=summary[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        invitation=invitation,
        detail=detail or {},
        at=at or timezone.now(),
    )
