"""The relationship map: the customer's people, their role in decisions, their influence and
sentiment, who of ours covers them and when we last met them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from steward.accountplans.choices import DecisionRole, Sentiment, Visibility
from steward.accountplans.models import AccountPlan, PlanStakeholder
from steward.accountplans.services.common import (
    change_part,
    check_contact,
    remove_part,
    require_part_create,
    visibility,
)
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import check_internal_person, create_record, text
from steward.parties.choices import Level
from steward.parties.models import Contact

FIELDS = frozenset(
    {"decision_role", "influence", "sentiment", "covered_by", "last_met_on", "notes", "visibility"}
)


def _check(stakeholder: PlanStakeholder) -> None:
    if stakeholder.decision_role not in DecisionRole.values:
        raise DomainError("Choose the person's role in decisions.", field="decision_role")
    if stakeholder.sentiment not in Sentiment.values:
        raise DomainError("Choose the person's sentiment.", field="sentiment")
    if stakeholder.influence is not None and stakeholder.influence not in Level.values:
        raise DomainError("Influence runs from 1 to 5.", field="influence")
    if stakeholder.covered_by_id is not None:
        check_internal_person(stakeholder.covered_by, field="covered_by", role="person covering")
    stakeholder.notes = text(stakeholder.notes, field="notes", label="notes")
    visibility(stakeholder.visibility)


def stakeholder_add(
    *,
    actor: Any,
    plan: AccountPlan,
    contact: Contact,
    decision_role: str,
    influence: int | None = None,
    sentiment: str = Sentiment.NEUTRAL,
    covered_by: Any = None,
    last_met_on: dt.date | None = None,
    notes: str = "",
    visibility: str = Visibility.CUSTOMER,
) -> PlanStakeholder:
    """Put one of the customer's people on the map (influence defaults to the contact's)."""
    duplicate = DuplicateError(f"{contact} is on the map already.", field="contact")
    with transaction.atomic():
        locked = require_part_create(actor, PlanStakeholder, plan)
        check_contact(locked, contact, field="contact")
        stakeholder = PlanStakeholder(
            plan=locked,
            contact=contact,
            decision_role=decision_role,
            influence=influence if influence is not None else contact.influence,
            sentiment=sentiment,
            covered_by=covered_by,
            last_met_on=last_met_on,
            notes=notes,
            visibility=visibility,
        )
        _check(stakeholder)
        if locked.stakeholders.active().filter(contact=contact).exists():
            raise duplicate
        try:
            with transaction.atomic():
                create_record(stakeholder, actor=actor)
        except IntegrityError as clash:
            raise duplicate from clash
    return stakeholder


def stakeholder_update(
    *, actor: Any, stakeholder: PlanStakeholder, expected_version: int | None, **changes: Any
) -> PlanStakeholder:
    return change_part(
        actor=actor,
        part=stakeholder,
        expected_version=expected_version,
        changes=changes,
        allowed=FIELDS,
        validate=_check,
    )


def stakeholder_remove(
    *, actor: Any, stakeholder: PlanStakeholder, expected_version: int | None = None
) -> PlanStakeholder:
    return remove_part(actor=actor, part=stakeholder, expected_version=expected_version)
