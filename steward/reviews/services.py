"""Writes on activities: meetings, calls and visits logged against a relationship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
from steward.parties.models import Contact, Relationship
from steward.reviews.models import Activity

ACTIVITY_EDITABLE = frozenset(
    {"kind", "subject", "occurred_on", "summary", "follow_up_on", "face_to_face"}
)
# An activity is logged after the fact; one dated further ahead is a plan, not a log entry.
MAX_DAYS_AHEAD = 1


def _check_activity(activity: Activity) -> None:
    activity.subject = activity.subject.strip()
    validate_fields(activity)
    if activity.occurred_on > timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            "An activity is logged once it happened; plan future meetings as a follow-up.",
            field="occurred_on",
        )
    if activity.follow_up_on and activity.follow_up_on < activity.occurred_on:
        raise DomainError("The follow-up cannot be before the activity.", field="follow_up_on")


def _check_contacts(relationship: Relationship, contacts: Iterable[Contact]) -> list[Contact]:
    chosen = list(contacts)
    strangers = [c for c in chosen if c.organization_id != relationship.organization_id]
    if strangers:
        names = ", ".join(str(c) for c in strangers)
        raise DomainError(
            f"These contacts do not work for {relationship.organization}: {names}.",
            field="contacts",
        )
    return chosen


def activity_log(
    *,
    actor: Any,
    relationship: Relationship,
    subject: str,
    occurred_on: dt.date,
    kind: str = "meeting",
    summary: str = "",
    follow_up_on: dt.date | None = None,
    face_to_face: bool = False,
    participants: Iterable[Any] = (),
    contacts: Iterable[Contact] = (),
) -> Activity:
    require_create(actor, Activity, parent=relationship)
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it before logging on it.",
            code="archived",
            field="relationship",
        )
    activity = Activity(
        relationship=relationship,
        kind=kind,
        subject=subject,
        occurred_on=occurred_on,
        summary=summary,
        follow_up_on=follow_up_on,
        face_to_face=face_to_face,
        logged_by=actor,
    )
    _check_activity(activity)
    many = {
        "participants": list(participants),
        "contacts": _check_contacts(relationship, contacts),
    }
    return create_record(activity, actor=actor, many=many)


def activity_update(
    *,
    actor: Any,
    activity: Activity,
    expected_version: int,
    participants: Iterable[Any] | None = None,
    contacts: Iterable[Contact] | None = None,
    **changes: Any,
) -> Activity:
    require(actor, Action.CHANGE, activity)
    refuse_unknown_fields(changes, ACTIVITY_EDITABLE)
    many: dict[str, list[Any]] = {}
    if participants is not None:
        many["participants"] = list(participants)
    if contacts is not None:
        many["contacts"] = _check_contacts(activity.relationship, contacts)
    return update_record(
        activity,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many=many or None,
        validate=_check_activity,
    )
