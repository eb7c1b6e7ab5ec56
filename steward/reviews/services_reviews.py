"""Writes on business reviews: schedule, prepare the agenda, record, cancel; decisions; action
items and their follow-up; and the two daily jobs (schedule from the cadence, chase overdue
actions).

A review moves planned → held or planned → cancelled, nothing else (``REVIEW_TRANSITIONS``);
an action item moves open → done | dropped and back to open (``ACTION_TRANSITIONS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.display import person_name
from steward.core.errors import DomainError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship
from steward.people.choices import UserKind
from steward.reviews import agenda, cadence
from steward.reviews.choices import ActionSide, ActionStatus, ReviewKind, ReviewStatus
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision

REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.PLANNED: frozenset({ReviewStatus.HELD, ReviewStatus.CANCELLED}),
    ReviewStatus.HELD: frozenset(),
    ReviewStatus.CANCELLED: frozenset(),
}
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.OPEN: frozenset({ActionStatus.DONE, ActionStatus.DROPPED}),
    ActionStatus.DONE: frozenset({ActionStatus.OPEN}),
    ActionStatus.DROPPED: frozenset({ActionStatus.OPEN}),
}

REVIEW_EDITABLE = frozenset({"title", "kind", "scheduled_on", "owner"})
ACTION_EDITABLE = frozenset(
    {"title", "due_on", "side", "owner", "owner_contact", "shared_with_portal", "follow_up"}
)
# A review scheduled by the cadence when the last one is overdue: time to find a date together.
OVERDUE_LEAD_DAYS = 14
# An overdue action's owner is reminded at most once in this many days.
CHASE_EVERY = dt.timedelta(days=7)


# --- reviews -------------------------------------------------------------------------------------


def _check_transition(table: dict[str, frozenset[str]], current: str, to: str, label: str) -> None:
    if to not in table.get(current, frozenset()):
        allowed = ", ".join(sorted(table.get(current, frozenset()))) or "nowhere"
        raise TransitionError(
            f"A {label} that is {current} cannot become {to} (it may go {allowed}).",
            field="status",
        )


def _check_live(relationship: Relationship) -> None:
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it before planning reviews on it.",
            code="archived",
            field="relationship",
        )


def _check_owner(owner: Any, field: str = "owner") -> None:
    kind = getattr(getattr(owner, "profile", None), "kind", None)
    if owner is None or not owner.is_active or kind == UserKind.EXTERNAL:
        raise DomainError("The owner must be an active person of ours.", field=field)


def _check_contacts(
    relationship: Relationship, contacts: Iterable[Contact], field: str = "contacts"
) -> list[Contact]:
    chosen = list(contacts)
    strangers = [c for c in chosen if c.organization_id != relationship.organization_id]
    if strangers:
        names = ", ".join(str(c) for c in strangers)
        raise DomainError(
            f"These contacts do not work for {relationship.organization}: {names}.", field=field
        )
    return chosen


def _check_attendees(attendees: Iterable[Any]) -> list[Any]:
    chosen = list(attendees)
    for person in chosen:
        _check_owner(person, field="attendees")
    return chosen


def _default_title(relationship: Relationship, kind: str, on: dt.date) -> str:
    return f"{ReviewKind(kind).label} with {relationship.organization}, {on:%B %Y}"


def _last_held(relationship_id: int, *, exclude: int | None = None) -> BusinessReview | None:
    held = BusinessReview.objects.filter(
        relationship_id=relationship_id, status=ReviewStatus.HELD, archived_at__isnull=True
    )
    if exclude is not None:
        held = held.exclude(pk=exclude)
    return held.order_by("-held_on", "-pk").first()


def _check_review(review: BusinessReview) -> None:
    review.title = review.title.strip()
    validate_fields(review, exclude=["agenda"])


def review_schedule(
    *,
    actor: Any,
    relationship: Relationship,
    scheduled_on: dt.date,
    kind: str = "",
    title: str = "",
    owner: Any = None,
    attendees: Iterable[Any] = (),
    contacts: Iterable[Contact] = (),
) -> BusinessReview:
    """Plan a review; its owner defaults to the relationship's, its previous is the last held."""
    require_create(actor, BusinessReview, parent=relationship)
    _check_live(relationship)
    owner = owner or relationship.owner
    _check_owner(owner)
    kind = kind or _kind_for(relationship)
    if kind not in ReviewKind.values:
        raise DomainError(f"“{kind}” is not a kind of review.", field="kind")
    review = BusinessReview(
        relationship=relationship,
        kind=kind,
        title=title.strip() or _default_title(relationship, kind, scheduled_on),
        scheduled_on=scheduled_on,
        owner=owner,
        previous=_last_held(relationship.pk),
    )
    _check_review(review)
    many = {
        "attendees": _check_attendees(attendees),
        "contacts": _check_contacts(relationship, contacts),
    }
    return create_record(review, actor=actor, many=many)


def _kind_for(relationship: Relationship) -> str:
    if relationship.side == Side.DEMAND:
        return ReviewKind.ACCOUNT_REVIEW
    return ReviewKind.BUSINESS_REVIEW


def review_update(
    *,
    actor: Any,
    review: BusinessReview,
    expected_version: int,
    attendees: Iterable[Any] | None = None,
    contacts: Iterable[Contact] | None = None,
    **changes: Any,
) -> BusinessReview:
    """Change a review's plan (title, kind, date, owner) while planned; people at any time."""
    require(actor, Action.CHANGE, review)
    refuse_unknown_fields(changes, REVIEW_EDITABLE)
    if review.status == ReviewStatus.CANCELLED:
        raise DomainError("The review was cancelled; it cannot change.", field="status")
    if review.status != ReviewStatus.PLANNED and changes.keys() & {"scheduled_on", "kind"}:
        field = "scheduled_on" if "scheduled_on" in changes else "kind"
        raise DomainError("The review was held; its date and kind are history.", field=field)
    if changes.get("owner") is not None:
        _check_owner(changes["owner"])
    elif "owner" in changes:
        raise DomainError("A review needs an owner.", field="owner")
    many: dict[str, list[Any]] = {}
    if attendees is not None:
        many["attendees"] = _check_attendees(attendees)
    if contacts is not None:
        many["contacts"] = _check_contacts(review.relationship, contacts)
    return update_record(
        review,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many=many or None,
        validate=_check_review,
    )


def review_prepare_agenda(*, actor: Any, review: BusinessReview) -> BusinessReview:
    """Assemble (or refresh) the agenda from the relationship's current numbers."""
    require(actor, Action.CHANGE, review)
    with transaction.atomic():
        locked = lock_for_update(review, expected_version=None)
        if locked.status != ReviewStatus.PLANNED:
            raise DomainError(
                "The agenda is kept as the meeting saw it once the review is held or cancelled.",
                code="not_planned",
                field="status",
            )
        _fill_agenda(locked)
        return save_with_history(locked, actor=actor, reason="Agenda prepared")


def _fill_agenda(review: BusinessReview) -> None:
    review.agenda = agenda.agenda_build(review, today=timezone.localdate())
    review.agenda_prepared_at = timezone.now()


def review_record(
    *,
    actor: Any,
    review: BusinessReview,
    minutes: str,
    held_on: dt.date,
    attendees: Iterable[Any] | None = None,
    contacts: Iterable[Contact] | None = None,
) -> BusinessReview:
    """The review was held: its minutes, the day, who came. An agenda never prepared is built."""
    require(actor, Action.CHANGE, review)
    minutes = minutes.strip()
    if not minutes:
        raise DomainError("Write the minutes of the review.", code="required", field="minutes")
    if held_on > timezone.localdate():
        raise DomainError("A review is recorded once it was held.", field="held_on")
    people = _check_attendees(attendees) if attendees is not None else None
    their_people = _check_contacts(review.relationship, contacts) if contacts is not None else None
    with transaction.atomic():
        locked = lock_for_update(review, expected_version=None)
        _check_transition(REVIEW_TRANSITIONS, locked.status, ReviewStatus.HELD, "review")
        before = locked.previous.held_on if locked.previous is not None else None
        if before is not None and held_on < before:
            raise DomainError(
                f"The previous review was held on {before}; this one came after.",
                field="held_on",
            )
        if locked.agenda_prepared_at is None:
            _fill_agenda(locked)
        locked.minutes = minutes
        locked.held_on = held_on
        locked.status = ReviewStatus.HELD
        _set_people(locked, people, their_people)
        return save_with_history(locked, actor=actor, reason="Review held")


def _set_people(
    review: BusinessReview, attendees: list[Any] | None, contacts: list[Contact] | None
) -> None:
    if attendees is not None:
        review.attendees.set(attendees)
    if contacts is not None:
        review.contacts.set(contacts)


def review_cancel(*, actor: Any, review: BusinessReview, reason: str) -> BusinessReview:
    require(actor, Action.CHANGE, review)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the review is cancelled.", code="required", field="reason")
    with transaction.atomic():
        locked = lock_for_update(review, expected_version=None)
        _check_transition(REVIEW_TRANSITIONS, locked.status, ReviewStatus.CANCELLED, "review")
        locked.status = ReviewStatus.CANCELLED
        locked.cancel_reason = reason
        return save_with_history(locked, actor=actor, reason=f"Cancelled: {reason}")


def review_archive(
    *, actor: Any, review: BusinessReview, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, review)
    return archive_record(review, actor=actor, expected_version=expected_version)


def review_restore(
    *, actor: Any, review: BusinessReview, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, review)
    return restore_record(review, actor=actor, expected_version=expected_version)


# --- decisions -----------------------------------------------------------------------------------


def _check_decision_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("Write what was decided.", code="required", field="text")
    return text


def review_decision_add(*, actor: Any, review: BusinessReview, text: str) -> ReviewDecision:
    require_create(actor, ReviewDecision, parent=review)
    if review.status == ReviewStatus.CANCELLED or review.is_archived:
        raise DomainError(
            "The review was cancelled or archived; no decisions are taken in it.",
            code="not_open",
            field="review",
        )
    decision = ReviewDecision(review=review, text=_check_decision_text(text), recorded_by=actor)
    return create_record(decision, actor=actor)


def review_decision_update(
    *, actor: Any, decision: ReviewDecision, expected_version: int, text: str
) -> ReviewDecision:
    require(actor, Action.CHANGE, decision)
    return update_record(
        decision,
        actor=actor,
        expected_version=expected_version,
        changes={"text": _check_decision_text(text)},
    )


def review_decision_archive(
    *, actor: Any, decision: ReviewDecision, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, decision)
    return archive_record(decision, actor=actor, expected_version=expected_version)


def review_decision_restore(
    *, actor: Any, decision: ReviewDecision, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, decision)
    return restore_record(decision, actor=actor, expected_version=expected_version)


# --- action items --------------------------------------------------------------------------------


def _check_action(action: ActionItem) -> None:
    """Who owns it matches its side; a contact of theirs works for the counterparty."""
    action.title = action.title.strip()
    validate_fields(action)
    if action.side == ActionSide.OURS:
        if action.owner_contact_id is not None:
            raise DomainError(
                "An action on our side is owned by one of our people, not a contact.",
                field="owner_contact",
            )
        if action.owner_id is None:
            raise DomainError("Who of ours owns this action?", code="required", field="owner")
        _check_owner(action.owner)
    else:
        if action.owner_id is not None:
            raise DomainError(
                "An action on their side is owned by one of their contacts, not by us.",
                field="owner",
            )
        if action.owner_contact_id is None:
            raise DomainError(
                "Which of their contacts owns this action?", code="required", field="owner_contact"
            )
        contact = action.owner_contact
        relationship = action.relationship
        assert contact is not None
        if contact.organization_id != relationship.organization_id:
            raise DomainError(
                f"{contact} does not work for {relationship.organization}.", field="owner_contact"
            )
        if contact.is_archived:
            raise DomainError(f"{contact} is archived.", field="owner_contact")


def action_item_add(
    *,
    actor: Any,
    title: str,
    due_on: dt.date,
    relationship: Relationship | None = None,
    review: BusinessReview | None = None,
    side: str = ActionSide.OURS,
    owner: Any = None,
    owner_contact: Contact | None = None,
    shared_with_portal: bool = False,
    follow_up: str = "",
) -> ActionItem:
    """An action from a review (or on a relationship directly), owned on either side."""
    if review is not None:
        if relationship is not None and relationship.pk != review.relationship_id:
            raise DomainError("The review is on another relationship.", field="review")
        relationship = review.relationship
        if review.status == ReviewStatus.CANCELLED or review.is_archived:
            raise DomainError(
                "The review was cancelled or archived; it takes no actions.",
                code="not_open",
                field="review",
            )
    if relationship is None:
        raise DomainError(
            "Name the relationship or the review.", code="required", field="relationship"
        )
    require_create(actor, ActionItem, parent=relationship)
    _check_live(relationship)
    if side == ActionSide.OURS and owner is None and owner_contact is None:
        owner = actor
    action = ActionItem(
        relationship=relationship,
        review=review,
        title=title,
        side=side,
        owner=owner,
        owner_contact=owner_contact,
        due_on=due_on,
        shared_with_portal=shared_with_portal,
        follow_up=follow_up.strip(),
    )
    _check_action(action)
    return create_record(action, actor=actor)


def action_item_update(
    *, actor: Any, action_item: ActionItem, expected_version: int, **changes: Any
) -> ActionItem:
    require(actor, Action.CHANGE, action_item)
    refuse_unknown_fields(changes, ACTION_EDITABLE)
    # Switching sides clears the other side's owner unless the change names it.
    if changes.get("side") == ActionSide.THEIRS:
        changes.setdefault("owner", None)
    elif changes.get("side") == ActionSide.OURS:
        changes.setdefault("owner_contact", None)
    return update_record(
        action_item,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_action,
    )


def _note(actor: Any, text: str) -> str:
    who = person_name(actor) if getattr(actor, "pk", None) else "Steward"
    return f"{timezone.localdate():%Y-%m-%d} {who}: {text}"


def _move_action(
    *, actor: Any, action_item: ActionItem, to: str, note: str, reason: str
) -> ActionItem:
    require(actor, Action.CHANGE, action_item)
    with transaction.atomic():
        locked = lock_for_update(action_item, expected_version=None)
        if locked.is_archived:
            raise DomainError("The action is archived; restore it first.", code="archived")
        _check_transition(ACTION_TRANSITIONS, locked.status, to, "action")
        locked.status = to
        locked.done_at = timezone.now() if to == ActionStatus.DONE else None
        if note:
            locked.follow_up = "\n".join(filter(None, [locked.follow_up, _note(actor, note)]))
        return save_with_history(locked, actor=actor, reason=reason)


def action_item_complete(*, actor: Any, action_item: ActionItem, note: str = "") -> ActionItem:
    return _move_action(
        actor=actor, action_item=action_item, to=ActionStatus.DONE, note=note.strip(), reason="Done"
    )


def action_item_drop(*, actor: Any, action_item: ActionItem, reason: str) -> ActionItem:
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the action is dropped.", code="required", field="reason")
    return _move_action(
        actor=actor,
        action_item=action_item,
        to=ActionStatus.DROPPED,
        note=f"dropped: {reason}",
        reason="Dropped",
    )


def action_item_reopen(*, actor: Any, action_item: ActionItem, reason: str = "") -> ActionItem:
    return _move_action(
        actor=actor,
        action_item=action_item,
        to=ActionStatus.OPEN,
        note=f"reopened: {reason.strip()}" if reason.strip() else "reopened",
        reason="Reopened",
    )


def action_item_follow_up(*, actor: Any, action_item: ActionItem, note: str) -> ActionItem:
    """Add a dated progress note (what was chased, what was heard back)."""
    require(actor, Action.CHANGE, action_item)
    note = note.strip()
    if not note:
        raise DomainError("Write the follow-up note.", code="required", field="note")
    with transaction.atomic():
        locked = lock_for_update(action_item, expected_version=None)
        if locked.is_archived:
            raise DomainError("The action is archived; restore it first.", code="archived")
        locked.follow_up = "\n".join(filter(None, [locked.follow_up, _note(actor, note)]))
        return save_with_history(locked, actor=actor, reason="Follow-up noted")


def action_item_archive(
    *, actor: Any, action_item: ActionItem, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, action_item)
    return archive_record(action_item, actor=actor, expected_version=expected_version)


def action_item_restore(
    *, actor: Any, action_item: ActionItem, expected_version: int | None = None
) -> Any:
    require(actor, Action.DELETE, action_item)
    return restore_record(action_item, actor=actor, expected_version=expected_version)


# --- jobs ----------------------------------------------------------------------------------------


def action_items_chase(*, today: dt.date) -> int:
    """Remind the owners of overdue open actions, once a week at most per action.

    Ours go to their owner; theirs to the relationship's owner, who chases the contact.
    Returns how many reminders were written. Running it twice in a week sends nothing new.
    """
    now = timezone.now()
    overdue = (
        ActionItem.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lt=today,
            archived_at__isnull=True,
            relationship__archived_at__isnull=True,
        )
        .filter(Q(chased_at__isnull=True) | Q(chased_at__lte=now - CHASE_EVERY))
        .select_related("relationship__organization", "owner_contact")
        .order_by("pk")
    )
    with transaction.atomic():
        chosen = list(overdue.select_for_update(of=("self",)))
        alerts = [
            Alert(
                recipient_id=(
                    a.owner_id
                    if a.side == ActionSide.OURS and a.owner_id
                    else a.relationship.owner_id
                ),
                kind="action_overdue",
                title=f"Overdue action: {a.title}",
                body=_chase_body(a, today),
                url=reverse("reviews:action-detail", args=[a.pk]),
            )
            for a in chosen
        ]
        notifications_send(alerts)
        ActionItem.objects.filter(pk__in=[a.pk for a in chosen]).update(chased_at=now)
    return len(alerts)


def _chase_body(action: ActionItem, today: dt.date) -> str:
    late = (today - action.due_on).days
    body = (
        f"Due {action.due_on:%Y-%m-%d} ({late} days ago), with {action.relationship.organization}."
    )
    if action.side == ActionSide.THEIRS and action.owner_contact is not None:
        body += f" Their owner is {action.owner_contact}; please chase them."
    return body


def reviews_schedule_from_cadence(*, today: dt.date) -> list[BusinessReview]:
    """Plan the next review of every relationship with a cadence and none planned.

    The next one falls at the last held review plus the cadence; when that day has passed (or
    the relationship was never reviewed) it falls two weeks from today. A relationship with a
    planned review (even one whose day has passed without being recorded) gets no second one:
    running the job again plans nothing new.
    """
    cadences = cadence.review_cadences()
    if not cadences:
        return []
    held = BusinessReview.objects.filter(
        relationship=OuterRef("pk"), status=ReviewStatus.HELD, archived_at__isnull=True
    ).order_by("-held_on", "-pk")
    planned_reviews = BusinessReview.objects.filter(
        relationship=OuterRef("pk"), status=ReviewStatus.PLANNED, archived_at__isnull=True
    )
    relationships = (
        Relationship.objects.filter(pk__in=list(cadences), archived_at__isnull=True)
        .exclude(Exists(planned_reviews))
        .select_related("organization")
        .annotate(
            last_held_id=Subquery(held.values("pk")[:1]),
            last_held_on=Subquery(held.values("held_on")[:1]),
        )
        .order_by("pk")
    )
    soonest = today + dt.timedelta(days=OVERDUE_LEAD_DAYS)
    planned = []
    with transaction.atomic():
        for relationship in relationships:
            last: dt.date | None = relationship.last_held_on
            due = last + dt.timedelta(days=cadences[relationship.pk]) if last else None
            on = due if due is not None and due >= today else soonest
            kind = _kind_for(relationship)
            review = BusinessReview(
                relationship=relationship,
                kind=kind,
                title=_default_title(relationship, kind, on),
                scheduled_on=on,
                owner_id=relationship.owner_id,
                previous_id=relationship.last_held_id,
            )
            planned.append(create_record(review, actor=None, reason="Scheduled from the cadence"))
    return planned
