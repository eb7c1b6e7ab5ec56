"""What the handoff services share: free text, dates, the handoff's row lock, the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.core.errors import DomainError
from steward.core.services import check_internal_person
from steward.handoffs.models import Handoff, HandoffTransition

TITLE_LIMIT = 200


def date_or_none(value: Any, *, field: str, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(f"Give the {label} as a date.", field=field)
    return value


def person(user: Any, *, field: str, role: str) -> Any:
    """One of our people, active: an owner of an item, the receiver."""
    if user is None:
        raise DomainError(f"Choose the {role}.", field=field, code="required")
    check_internal_person(user, field=field, role=role)
    return user


def locked(handoff: Handoff) -> Handoff:
    """The handoff's row, re-read under a lock: its status and its items' changes queue on it."""
    return (
        Handoff.objects.select_related("relationship__organization")
        .select_for_update(of=("self",))
        .get(pk=handoff.pk)
    )


def record_transition(
    handoff: Handoff, *, from_status: str, actor: Any, note: str = ""
) -> HandoffTransition:
    return HandoffTransition.objects.create(
        handoff=handoff,
        from_status=from_status,
        to_status=handoff.status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
