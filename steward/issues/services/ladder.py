"""Writes on a relationship's escalation ladder and on the targets per severity."""

from __future__ import annotations

from typing import Any

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    restore_record,
    update_record,
    validate_fields,
)
from steward.issues.models import EscalationLevel, SeverityTarget
from steward.parties.models import Relationship

LEVEL_EDITABLE = frozenset(
    {"level", "name", "internal_contact", "counterparty_contact", "after_hours"}
)
TARGET_EDITABLE = frozenset({"response_hours", "resolution_hours"})


def _check_level(rung: EscalationLevel) -> None:
    rung.name = rung.name.strip()
    if not rung.name:
        raise DomainError("Name the level (e.g. Director).", field="name", code="required")
    validate_fields(rung)
    check_internal_person(rung.internal_contact, field="internal_contact", role="internal contact")
    contact = rung.counterparty_contact
    if contact is not None:
        if contact.organization_id != rung.relationship.organization_id:
            raise DomainError(
                f"{contact} does not work for {rung.relationship.organization}.",
                field="counterparty_contact",
                code="wrong_organization",
            )
        if contact.is_archived:
            raise DomainError(
                f"{contact} is archived.", field="counterparty_contact", code="archived"
            )
    clash = (
        EscalationLevel.objects.active()
        .filter(relationship_id=rung.relationship_id, level=rung.level)
        .exclude(pk=rung.pk)
    )
    if clash.exists():
        raise DuplicateError(f"The ladder has a level {rung.level} already.", field="level")


def escalation_level_add(
    *,
    actor: Any,
    relationship: Relationship,
    level: int,
    name: str,
    internal_contact: Any,
    counterparty_contact: Any | None = None,
    after_hours: int = 0,
) -> EscalationLevel:
    """Add a rung: who hears of an issue that climbs to it, and how long after a missed target."""
    require_create(actor, EscalationLevel, parent=relationship)
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it first.", field="relationship", code="archived"
        )
    rung = EscalationLevel(
        relationship=relationship,
        level=level,
        name=name,
        internal_contact=internal_contact,
        counterparty_contact=counterparty_contact,
        after_hours=after_hours,
    )
    _check_level(rung)
    return create_record(rung, actor=actor)


def escalation_level_update(
    *, actor: Any, rung: EscalationLevel, expected_version: int, **changes: Any
) -> EscalationLevel:
    require(actor, Action.CHANGE, rung)
    refuse_unknown_fields(changes, LEVEL_EDITABLE)
    return update_record(
        rung, actor=actor, expected_version=expected_version, changes=changes, validate=_check_level
    )


def escalation_level_archive(
    *, actor: Any, rung: EscalationLevel, expected_version: int | None = None
) -> EscalationLevel:
    """Take a rung off the ladder (issues that climbed it keep their record)."""
    require(actor, Action.DELETE, rung)
    return archive_record(rung, actor=actor, expected_version=expected_version)


def escalation_level_restore(
    *, actor: Any, rung: EscalationLevel, expected_version: int | None = None
) -> EscalationLevel:
    require(actor, Action.DELETE, rung)
    clash = (
        EscalationLevel.objects.active()
        .filter(relationship_id=rung.relationship_id, level=rung.level)
        .exclude(pk=rung.pk)
    )
    if clash.exists():
        raise DuplicateError(f"The ladder has a level {rung.level} again.", field="level")
    return restore_record(rung, actor=actor, expected_version=expected_version)


def _check_target(target: SeverityTarget) -> None:
    validate_fields(target)
    if target.resolution_hours < target.response_hours:
        raise DomainError(
            "An issue cannot be resolved before it is responded to: the resolution target must "
            "be at least the response target.",
            field="resolution_hours",
        )


def severity_target_update(
    *, actor: Any, target: SeverityTarget, expected_version: int, **changes: Any
) -> SeverityTarget:
    """Change how fast issues of a severity must be answered (administrators).

    Issues already open keep the due dates they were given.
    """
    require(actor, Action.CHANGE, target)
    refuse_unknown_fields(changes, TARGET_EDITABLE)
    return update_record(
        target,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_target,
    )
