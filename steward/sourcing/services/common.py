"""What every sourcing service shares: free text, the event's state and row lock, and changing
or removing a part of a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.models import DomainModel
from steward.core.services import archive_record, update_record
from steward.sourcing import lifecycle
from steward.sourcing.choices import LogAction
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.log import log_event

_P = TypeVar("_P", bound=DomainModel)
REASON_LIMIT = 2000


def locked_event(event: SourcingEvent) -> SourcingEvent:
    """The event's row, re-read under a lock: changes to its parts are serialized by it."""
    return SourcingEvent.objects.select_for_update().get(pk=event.pk)


def require_draft(event: SourcingEvent, what: str) -> None:
    """Refuse a change of the event's content once it is published."""
    if event.status not in lifecycle.EDITABLE:
        raise DomainError(
            f"The event is {event.get_status_display().lower()}: {what} only while it is a draft.",
            code="not_draft",
        )


def require_open_before_close(event: SourcingEvent, what: str, now: Any = None) -> None:
    """Refuse what may only happen while bids are still being taken (or being prepared)."""
    if event.status not in lifecycle.INVITING or event.is_closed_at(now or timezone.now()):
        raise DomainError(
            f"The event is {_state(event, now)}: {what} only before it closes.",
            code="closed",
        )


def _state(event: SourcingEvent, now: Any) -> str:
    if event.status in lifecycle.INVITING and event.is_closed_at(now or timezone.now()):
        return "past its closing time"
    return str(event.get_status_display()).lower()


def change_part(
    *,
    actor: Any,
    part: _P,
    expected_version: int | None,
    changes: dict[str, Any],
    what: str,
    summary: Callable[[_P], str],
    check: Callable[[SourcingEvent], None] | None = None,
    validate: Callable[[_P], None] | None = None,
) -> _P:
    """Change a part of a draft (a line, a question, a criterion) under the event's lock and log
    ``summary``; ``check`` sees the locked event first."""
    require(actor, Action.CHANGE, part)
    with transaction.atomic():
        event = locked_event(part.event)  # type: ignore[attr-defined]
        require_draft(event, what)
        if check is not None:
            check(event)
        updated = update_record(
            part,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=validate,
            reason="Changed",
        )
        log_event(event, LogAction.CHANGED, summary(updated), actor=actor)
    return updated


def remove_part(
    *,
    actor: Any,
    part: _P,
    expected_version: int | None,
    what: str,
    summary: Callable[[_P], str],
) -> _P:
    """Take a part out of a draft: archived (kept in the history), logged."""
    require(actor, Action.DELETE, part)
    with transaction.atomic():
        event = locked_event(part.event)  # type: ignore[attr-defined]
        require_draft(event, what)
        removed = archive_record(
            part, actor=actor, expected_version=expected_version, reason="Removed"
        )
        log_event(event, LogAction.CHANGED, summary(removed), actor=actor)
    return removed
