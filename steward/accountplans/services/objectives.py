"""Objectives agreed with the customer: who owns them on each side, how they are measured."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from steward.accountplans.choices import ObjectiveStatus, Visibility
from steward.accountplans.models import AccountPlan, PlanObjective
from steward.accountplans.services.common import (
    change_part,
    check_contact,
    remove_part,
    require_part_create,
    visibility,
)
from steward.core.errors import DomainError
from steward.core.services import check_internal_person, create_record, text
from steward.parties.models import Contact

FIELDS = frozenset(
    {"title", "owner", "stakeholder", "measure", "target", "due_on", "status", "visibility"}
)


def _check(objective: PlanObjective) -> None:
    objective.title = text(
        objective.title, field="title", label="objective", required=True, limit=200
    )
    objective.measure = text(objective.measure, field="measure", label="measure", limit=200)
    objective.target = text(objective.target, field="target", label="target", limit=200)
    if objective.status not in ObjectiveStatus.values:
        raise DomainError("Choose the objective's status.", field="status")
    if objective.owner_id is not None:
        check_internal_person(objective.owner, field="owner", role="objective's owner")
    if objective.stakeholder_id is not None:
        assert objective.stakeholder is not None
        check_contact(objective.plan, objective.stakeholder, field="stakeholder")
    visibility(objective.visibility)


def objective_add(
    *,
    actor: Any,
    plan: AccountPlan,
    title: str,
    owner: Any = None,
    stakeholder: Contact | None = None,
    measure: str = "",
    target: str = "",
    due_on: dt.date | None = None,
    status: str = ObjectiveStatus.NOT_STARTED,
    visibility: str = Visibility.CUSTOMER,
) -> PlanObjective:
    with transaction.atomic():
        locked = require_part_create(actor, PlanObjective, plan)
        objective = PlanObjective(
            plan=locked,
            title=title,
            owner=owner,
            stakeholder=stakeholder,
            measure=measure,
            target=target,
            due_on=due_on,
            status=status,
            visibility=visibility,
        )
        _check(objective)
        return create_record(objective, actor=actor)


def objective_update(
    *, actor: Any, objective: PlanObjective, expected_version: int | None, **changes: Any
) -> PlanObjective:
    return change_part(
        actor=actor,
        part=objective,
        expected_version=expected_version,
        changes=changes,
        allowed=FIELDS,
        validate=_check,
    )


def objective_remove(
    *, actor: Any, objective: PlanObjective, expected_version: int | None = None
) -> PlanObjective:
    return remove_part(actor=actor, part=objective, expected_version=expected_version)
