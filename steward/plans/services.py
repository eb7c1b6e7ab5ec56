"""Writes on plans: initiatives on a relationship and their milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
from steward.parties.models import Relationship
from steward.plans.choices import InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative, Milestone

INITIATIVE_EDITABLE = frozenset(
    {
        "title",
        "kind",
        "status",
        "owner",
        "description",
        "starts_on",
        "ends_on",
        "currency",
        "budget",
        "expected_value",
        "delivered_value",
    }
)
MILESTONE_EDITABLE = frozenset({"title", "due_on", "owner", "status", "completed_on"})


def _check_initiative(initiative: Initiative) -> None:
    initiative.title = initiative.title.strip()
    initiative.currency = initiative.currency.strip().upper()
    validate_fields(initiative)
    if initiative.starts_on and initiative.ends_on and initiative.ends_on < initiative.starts_on:
        raise DomainError("The end date cannot be before the start date.", field="ends_on")
    for field in ("budget", "expected_value", "delivered_value"):
        value = getattr(initiative, field)
        if value is not None and value < 0:
            raise DomainError("Amounts cannot be negative.", field=field)


def initiative_create(
    *,
    actor: Any,
    relationship: Relationship,
    title: str,
    kind: str,
    owner: Any | None = None,
    **fields: Any,
) -> Initiative:
    """Start an initiative on a relationship; its owner defaults to the one who starts it."""
    require_create(actor, Initiative, parent=relationship)
    refuse_unknown_fields(fields, INITIATIVE_EDITABLE)
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it before planning on it.",
            code="archived",
            field="relationship",
        )
    initiative = Initiative(
        relationship=relationship, title=title, kind=kind, owner=owner or actor, **fields
    )
    _check_initiative(initiative)
    return create_record(initiative, actor=actor)


def initiative_update(
    *, actor: Any, initiative: Initiative, expected_version: int, **changes: Any
) -> Initiative:
    require(actor, Action.CHANGE, initiative)
    refuse_unknown_fields(changes, INITIATIVE_EDITABLE)
    return update_record(
        initiative,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_initiative,
    )


def _check_milestone(milestone: Milestone) -> None:
    milestone.title = milestone.title.strip()
    validate_fields(milestone)
    if milestone.status == MilestoneStatus.DONE and milestone.completed_on is None:
        milestone.completed_on = timezone.localdate()
    if milestone.status != MilestoneStatus.DONE:
        milestone.completed_on = None
    if milestone.completed_on and milestone.completed_on > timezone.localdate():
        raise DomainError("A milestone cannot be completed in the future.", field="completed_on")


def milestone_add(
    *,
    actor: Any,
    initiative: Initiative,
    title: str,
    due_on: dt.date,
    owner: Any | None = None,
) -> Milestone:
    require_create(actor, Milestone, parent=initiative)
    if initiative.is_archived:
        raise DomainError(
            "The initiative is archived; restore it before planning on it.",
            code="archived",
            field="initiative",
        )
    if initiative.status in (InitiativeStatus.DONE, InitiativeStatus.CANCELLED):
        raise DomainError(
            f"The initiative is {initiative.get_status_display().lower()}; reopen it to plan "
            "more milestones.",
            field="initiative",
        )
    milestone = Milestone(initiative=initiative, title=title, due_on=due_on, owner=owner)
    _check_milestone(milestone)
    return create_record(milestone, actor=actor)


def milestone_update(
    *, actor: Any, milestone: Milestone, expected_version: int, **changes: Any
) -> Milestone:
    require(actor, Action.CHANGE, milestone)
    refuse_unknown_fields(changes, MILESTONE_EDITABLE)
    with transaction.atomic():
        return update_record(
            milestone,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=_check_milestone,
        )
