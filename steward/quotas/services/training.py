"""Writes on training objectives: a manager sets one for a report; the person (or a manager)
records its completion with evidence; "completed in time" is on or before the due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, allows, manages, principal_for
from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    restore_record,
    text,
    update_record,
)
from steward.quotas.models import TrainingObjective
from steward.quotas.services import common

TRAINING_EDITABLE = frozenset({"title", "required", "due_on"})


def _require_manager(actor: Any, person: Any) -> None:
    if not manages(actor, person):
        raise PermissionDenied(
            "Only the person's managers or an administrator set their training objectives."
        )


def _check(objective: TrainingObjective) -> None:
    objective.title = text(objective.title, field="title", label="title", limit=200, required=True)
    objective.due_on = common.day(objective.due_on, field="due_on", label="due date")
    if not isinstance(objective.required, bool):
        raise DomainError("Say whether the objective is required.", field="required")


def training_objective_set(
    *, actor: Any, person: Any, title: str, due_on: dt.date, required: bool = True
) -> TrainingObjective:
    """A training ``person`` must complete by ``due_on``."""
    _require_manager(actor, person)
    check_internal_person(person, field="person", role="person to train")
    objective = TrainingObjective(person=person, title=title, due_on=due_on, required=required)
    with transaction.atomic():
        _check(objective)
        return create_record(objective, actor=actor)


def training_objective_update(
    *, actor: Any, objective: TrainingObjective, expected_version: int, **changes: Any
) -> TrainingObjective:
    _require_manager(actor, objective.person)
    refuse_unknown_fields(changes, TRAINING_EDITABLE)
    return update_record(
        objective,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check,
    )


def may_complete(actor: Any, objective: TrainingObjective) -> bool:
    principal = principal_for(actor)
    if not principal.may_write:
        return False
    return objective.person_id == principal.user_id or manages(actor, objective.person_id)


def training_objective_complete(
    *,
    actor: Any,
    objective: TrainingObjective,
    completed_on: dt.date | None = None,
    evidence: str = "",
    expected_version: int | None = None,
) -> TrainingObjective:
    """Record that the person completed it (today unless a day is given), with evidence."""
    if not allows(actor, Action.VIEW, objective) or not may_complete(actor, objective):
        raise PermissionDenied("Only the person or their managers record a completion.")
    day = completed_on or timezone.localdate()
    day = common.day(day, field="completed_on", label="completion date")
    if day > timezone.localdate():
        raise DomainError(
            "A training cannot be completed in the future.", field="completed_on", code="future"
        )
    evidence = text(evidence, field="evidence", label="evidence", limit=255)
    return update_record(
        objective,
        actor=actor,
        expected_version=expected_version,
        changes={"completed_on": day, "evidence": evidence},
        reason="Completed",
    )


def training_objective_archive(
    *, actor: Any, objective: TrainingObjective, expected_version: int | None = None
) -> TrainingObjective:
    _require_manager(actor, objective.person)
    return archive_record(objective, actor=actor, expected_version=expected_version)


def training_objective_restore(
    *, actor: Any, objective: TrainingObjective, expected_version: int | None = None
) -> TrainingObjective:
    _require_manager(actor, objective.person)
    return restore_record(objective, actor=actor, expected_version=expected_version)
