"""The post-visit note: one step, one transaction.

``visit_note_record`` logs the visit as a ``reviews.Activity`` (face to face by default), sets
"last met" on the relationship map of the account's current plan for every attendee on it (and
a new sentiment where one is given), adds the new actions (into the plan's action plan when
there is a plan) and closes the actions ticked as done; a ``Visit`` keeps what it changed.

Every row is checked before anything is written, and everything runs in one transaction: a
refusal anywhere leaves the database as it was. Errors name the field, and for a row of a list
its position (``attendees[1].sentiment``, ``new_actions[0].due_on``), as the API reports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.accountplans import services as plan_services
from steward.accountplans.choices import PlanStatus, Sentiment
from steward.accountplans.models import AccountPlan, PlanStakeholder
from steward.accounts.selectors import locations_of
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.services import check_internal_person, create_record, text
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship, Site
from steward.reviews.choices import ActionSide, ActionStatus
from steward.reviews.models import ActionItem
from steward.reviews.services import activity_log
from steward.reviews.services_reviews import action_item_add, action_item_complete
from steward.visits import rules
from steward.visits.choices import VISIT_KINDS, ChangeKind
from steward.visits.models import Visit

SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class Attendee:
    """A person of the customer who was there, and their sentiment if it changed."""

    contact: Contact
    sentiment: str = ""


@dataclass(frozen=True)
class NewAction:
    """An action agreed at the visit: ours (owned by one of our people) or theirs (by one of
    the customer's people)."""

    title: str
    due_on: dt.date | None
    side: str = ActionSide.OURS
    owner: Any = None
    owner_contact: Contact | None = None


# --- checks --------------------------------------------------------------------------------------


def _check_account(actor: Any, relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "A visit note is recorded on a customer account.",
            field="relationship",
            code="not_an_account",
        )
    if relationship.is_archived:
        raise DomainError(
            "The account is archived; restore it before recording a visit.",
            field="relationship",
            code="archived",
        )
    if not rules.may_record(actor, relationship):
        raise PermissionDenied("You may not record visits to this account.")


def _check_visit(kind: str, visited_on: Any, today: dt.date) -> None:
    if kind not in VISIT_KINDS:
        raise DomainError("A visit is a site visit or a meeting.", field="kind", code="invalid")
    if isinstance(visited_on, dt.datetime) or not isinstance(visited_on, dt.date):
        raise DomainError("Give the visit date.", field="visited_on", code="required")
    if visited_on > today:
        raise DomainError(
            "The visit date is in the future: record the note once the visit happened.",
            field="visited_on",
            code="future",
        )


def _check_location(relationship: Relationship, location: Site | None) -> None:
    if location is not None and not locations_of(relationship).filter(pk=location.pk).exists():
        raise DomainError(
            f"{location} is not a location of {relationship.organization}.",
            field="location",
            code="not_in_account",
        )


def _check_person_of_account(contact: Contact, relationship: Relationship, *, field: str) -> None:
    if contact.organization_id != relationship.organization_id:
        raise DomainError(
            f"{contact} is not a person of {relationship.organization}.",
            field=field,
            code="not_in_account",
        )
    if contact.is_archived:
        raise DomainError(f"{contact} is archived.", field=field, code="archived")


def _check_attendees(
    relationship: Relationship,
    attendees: Sequence[Attendee],
    on_map: dict[int, PlanStakeholder],
    plan: AccountPlan | None,
) -> None:
    seen: set[int] = set()
    for index, attendee in enumerate(attendees):
        row = f"attendees[{index}]"
        _check_person_of_account(attendee.contact, relationship, field=f"{row}.contact")
        if attendee.contact.pk in seen:
            raise DomainError(
                f"Attendee {index + 1}: {attendee.contact} is listed twice.",
                field=f"{row}.contact",
                code="duplicate",
            )
        seen.add(attendee.contact.pk)
        if not attendee.sentiment:
            continue
        if attendee.sentiment not in Sentiment.values:
            raise DomainError(
                f"Attendee {index + 1}: “{attendee.sentiment}” is not a sentiment.",
                field=f"{row}.sentiment",
                code="invalid",
            )
        if plan is None or attendee.contact.pk not in on_map:
            raise DomainError(
                f"Attendee {index + 1}: {attendee.contact} is not on the relationship map of "
                "the account's current plan; put them on the map to keep their sentiment.",
                field=f"{row}.sentiment",
                code="not_on_map",
            )


def _check_new_actions(
    relationship: Relationship, actions: Sequence[NewAction], visited_on: dt.date
) -> list[NewAction]:
    cleaned = []
    for index, action in enumerate(actions):
        row, label = f"new_actions[{index}]", f"New action {index + 1}"
        title = text(
            action.title, field=f"{row}.title", label="title", required=True, limit=SUBJECT_LIMIT
        )
        if action.due_on is None:
            raise DomainError(
                f"{label}: give its due date.", field=f"{row}.due_on", code="required"
            )
        if action.due_on < visited_on:
            raise DomainError(
                f"{label}: the due date {action.due_on:%Y-%m-%d} is before the visit.",
                field=f"{row}.due_on",
                code="before_visit",
            )
        if action.side == ActionSide.OURS:
            if action.owner_contact is not None:
                raise DomainError(
                    f"{label}: an action of ours is owned by one of our people.",
                    field=f"{row}.owner_contact",
                    code="wrong_side",
                )
            if action.owner is not None:
                check_internal_person(action.owner, field=f"{row}.owner", role="owner")
        elif action.side == ActionSide.THEIRS:
            if action.owner is not None:
                raise DomainError(
                    f"{label}: an action of theirs is owned by one of their people.",
                    field=f"{row}.owner",
                    code="wrong_side",
                )
            if action.owner_contact is None:
                raise DomainError(
                    f"{label}: which of their people owns it?",
                    field=f"{row}.owner_contact",
                    code="required",
                )
            _check_person_of_account(
                action.owner_contact, relationship, field=f"{row}.owner_contact"
            )
        else:
            raise DomainError(
                f"{label}: the side is ours or theirs.", field=f"{row}.side", code="invalid"
            )
        cleaned.append(
            NewAction(
                title=title,
                due_on=action.due_on,
                side=action.side,
                owner=action.owner,
                owner_contact=action.owner_contact,
            )
        )
    return cleaned


def _check_done_actions(relationship: Relationship, actions: Sequence[ActionItem]) -> None:
    seen: set[int] = set()
    for index, action in enumerate(actions):
        field = f"done_actions[{index}]"
        if action.relationship_id != relationship.pk:
            raise DomainError(
                f"“{action}” is an action of another account.", field=field, code="other_account"
            )
        if action.is_archived or action.status != ActionStatus.OPEN or action.pk in seen:
            raise DomainError(f"“{action}” is not open.", field=field, code="not_open")
        seen.add(action.pk)


# --- the note ------------------------------------------------------------------------------------


def _plan_of(relationship: Relationship) -> AccountPlan | None:
    """The account's current plan: active and not archived (read under its lock)."""
    return (
        AccountPlan.objects.select_for_update()
        .filter(relationship=relationship, status=PlanStatus.ACTIVE, archived_at__isnull=True)
        .first()
    )


def _update_map(
    *,
    actor: Any,
    attendees: Sequence[Attendee],
    on_map: dict[int, PlanStakeholder],
    visited_on: dt.date,
) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    for attendee in attendees:
        stakeholder = on_map.get(attendee.contact.pk)
        if stakeholder is None:
            continue
        updates: dict[str, Any] = {}
        name = str(attendee.contact)
        before = stakeholder.last_met_on
        # An older visit recorded late does not move "last met" back.
        if before is None or before < visited_on:
            updates["last_met_on"] = visited_on
            changes.append(
                _change(ChangeKind.LAST_MET, attendee.contact.pk, name, before, visited_on)
            )
        if attendee.sentiment and attendee.sentiment != stakeholder.sentiment:
            updates["sentiment"] = attendee.sentiment
            changes.append(
                _change(
                    ChangeKind.SENTIMENT,
                    attendee.contact.pk,
                    name,
                    stakeholder.sentiment,
                    attendee.sentiment,
                )
            )
        if updates:
            plan_services.stakeholder_update(
                actor=actor, stakeholder=stakeholder, expected_version=None, **updates
            )
    return changes


def _change(kind: str, target: int, name: str, before: Any, after: Any) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return {
        "kind": str(kind),
        "target": target,
        "name": name,
        "before": plain(before),
        "after": plain(after),
    }


def _add_actions(
    *,
    actor: Any,
    relationship: Relationship,
    plan: AccountPlan | None,
    actions: Sequence[NewAction],
) -> list[dict[str, Any]]:
    changes = []
    for index, action in enumerate(actions):
        assert action.due_on is not None
        values: dict[str, Any] = {
            "title": action.title,
            "due_on": action.due_on,
            "side": action.side,
            "owner": action.owner,
            "owner_contact": action.owner_contact,
        }
        try:
            if plan is not None:
                link = plan_services.action_link_create(actor=actor, plan=plan, **values)
                item = link.action_item
            else:
                item = action_item_add(actor=actor, relationship=relationship, **values)
        except DomainError as error:
            raise DomainError(
                f"New action {index + 1}: {error.message}",
                field=f"new_actions[{index}].{error.field or 'title'}",
                code=error.code,
            ) from error
        owner = (
            str(item.owner_contact) if item.side == ActionSide.THEIRS else person_name(item.owner)
        )
        changes.append(
            _change(
                ChangeKind.ACTION_ADDED,
                item.pk,
                item.title,
                None,
                f"{owner}, due {item.due_on:%Y-%m-%d}",
            )
        )
    return changes


def _close_actions(
    *, actor: Any, actions: Sequence[ActionItem], visited_on: dt.date
) -> list[dict[str, Any]]:
    changes = []
    for action in actions:
        done = action_item_complete(
            actor=actor,
            action_item=action,
            note=f"done, noted after the visit of {visited_on:%Y-%m-%d}",
        )
        changes.append(_change(ChangeKind.ACTION_DONE, done.pk, done.title, "open", "done"))
    return changes


def visit_note_record(
    *,
    actor: Any,
    relationship: Relationship,
    visited_on: dt.date,
    summary: str,
    subject: str = "",
    kind: str = VISIT_KINDS[0],
    face_to_face: bool = True,
    location: Site | None = None,
    attendees: Sequence[Attendee] = (),
    new_actions: Sequence[NewAction] = (),
    done_actions: Sequence[ActionItem] = (),
) -> Visit:
    """Record what one visit to ``relationship`` changed, all of it or nothing."""
    _check_account(actor, relationship)
    _check_visit(kind, visited_on, timezone.localdate())
    summary = text(summary, field="summary", label="summary", required=True)
    subject = text(subject, field="subject", label="subject", limit=SUBJECT_LIMIT)
    subject = subject or f"Visit to {location or relationship.organization}"[:SUBJECT_LIMIT]
    _check_location(relationship, location)
    cleaned_actions = _check_new_actions(relationship, new_actions, visited_on)
    _check_done_actions(relationship, done_actions)
    with transaction.atomic():
        Relationship.objects.select_for_update().filter(pk=relationship.pk).first()
        plan = _plan_of(relationship)
        on_map = (
            {
                s.contact_id: s
                for s in plan.stakeholders.active().filter(
                    contact_id__in=[a.contact.pk for a in attendees]
                )
            }
            if plan is not None
            else {}
        )
        _check_attendees(relationship, attendees, on_map, plan)
        activity = activity_log(
            actor=actor,
            relationship=relationship,
            subject=subject,
            occurred_on=visited_on,
            kind=kind,
            summary=summary,
            face_to_face=face_to_face,
            participants=[actor],
            contacts=[a.contact for a in attendees],
        )
        changes = _update_map(
            actor=actor, attendees=attendees, on_map=on_map, visited_on=visited_on
        )
        changes += _add_actions(
            actor=actor, relationship=relationship, plan=plan, actions=cleaned_actions
        )
        changes += _close_actions(actor=actor, actions=done_actions, visited_on=visited_on)
        visit = Visit(
            relationship=relationship,
            activity=activity,
            location=location,
            visited_on=visited_on,
            recorded_by=actor,
            plan=plan,
            changes=changes,
        )
        return create_record(visit, actor=actor, reason="Recorded")
