"""The event's team: colleagues who read it (evaluators, the requester) or run it with the owner.

Removing someone archives their membership, which ends their access through it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from steward.core.access import Access, Action, require, require_create
from steward.core.display import person_name
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    update_record,
)
from steward.sourcing.choices import LogAction
from steward.sourcing.models import SourcingEvent, SourcingEventMember
from steward.sourcing.services.common import locked_event
from steward.sourcing.services.log import log_event


def _check_access(access: str) -> str:
    if access not in Access.values:
        raise DomainError(f"“{access}” is not a kind of access.", field="access")
    return access


def member_add(
    *, actor: Any, event: SourcingEvent, user: Any, access: str = Access.REVIEW
) -> SourcingEventMember:
    require_create(actor, SourcingEventMember, parent=event)
    check_internal_person(user, field="user", role="team member")
    _check_access(access)
    duplicate = DuplicateError(f"{person_name(user)} is on the event's team already.", field="user")
    if user.pk == event.owner_id:
        raise DomainError(
            f"{person_name(user)} owns the event already.", field="user", code="duplicate"
        )
    with transaction.atomic():
        locked = locked_event(event)
        if locked.members.filter(user=user, archived_at__isnull=True).exists():
            raise duplicate
        member = SourcingEventMember(event=locked, user=user, access=access)
        try:
            with transaction.atomic():
                create_record(member, actor=actor, reason="Joined the team")
        except IntegrityError as clash:
            raise duplicate from clash
        log_event(
            locked,
            LogAction.CHANGED,
            f"{person_name(user)} joined the team ({member.get_access_display().lower()}).",
            actor=actor,
        )
    return member


def member_update(
    *, actor: Any, member: SourcingEventMember, expected_version: int | None, access: str
) -> SourcingEventMember:
    require(actor, Action.CHANGE, member)
    _check_access(access)
    with transaction.atomic():
        updated = update_record(
            member,
            actor=actor,
            expected_version=expected_version,
            changes={"access": access},
            reason="Access changed",
        )
        log_event(
            member.event,
            LogAction.CHANGED,
            f"{person_name(updated.user)} now has {updated.get_access_display().lower()} access.",
            actor=actor,
        )
    return updated


def member_remove(
    *, actor: Any, member: SourcingEventMember, expected_version: int | None = None
) -> SourcingEventMember:
    require(actor, Action.DELETE, member)
    with transaction.atomic():
        removed = archive_record(
            member, actor=actor, expected_version=expected_version, reason="Left the team"
        )
        log_event(
            member.event,
            LogAction.CHANGED,
            f"{person_name(removed.user)} left the team.",
            actor=actor,
        )
    return removed
