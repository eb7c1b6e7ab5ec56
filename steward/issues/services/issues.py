"""Writes on issues: open, edit, move along the status machine, escalate by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.issues import lifecycle
from steward.issues.choices import IssueSource, IssueStatus, MissedTarget
from steward.issues.models import EscalationLevel, Issue, IssueEscalation, IssueTransition
from steward.issues.services.common import derive_due_dates, next_reference
from steward.parties.models import Relationship

EDITABLE = frozenset(
    {"title", "description", "category", "severity", "owner", "shared_with_portal"}
)
ESCALATION_ALERT = "issues.escalated"
ASSIGNED_ALERT = "issues.assigned"
_REFERENCE_ATTEMPTS = 5


# --- open and edit ---------------------------------------------------------------------------


def _check_links(issue: Issue) -> None:
    """Contract, service level and initiative must belong to the issue's relationship."""
    relationship_id = issue.relationship_id
    if issue.service_level is not None:
        level_contract = issue.service_level.contract
        if level_contract.relationship_id != relationship_id:
            raise DomainError(
                "The service level is on a contract with another relationship than the issue's.",
                field="service_level",
            )
        if issue.contract is None:
            issue.contract = level_contract
        elif issue.contract.pk != level_contract.pk:
            raise DomainError(
                "The service level belongs to another contract.", field="service_level"
            )
    if issue.contract is not None and issue.contract.relationship_id != relationship_id:
        raise DomainError(
            "The contract is with another relationship than the issue's.", field="contract"
        )
    if issue.initiative is not None and issue.initiative.relationship_id != relationship_id:
        raise DomainError(
            "The initiative belongs to another relationship than the issue's.",
            field="initiative",
        )


def _check_issue(issue: Issue) -> None:
    issue.title = issue.title.strip()
    if not issue.title:
        raise DomainError("Give the issue a title.", field="title", code="required")
    validate_fields(issue, exclude=["reference"])
    check_internal_person(issue.owner, field="owner", role="owner")
    _check_links(issue)


def _refuse_archived(relationship: Relationship) -> None:
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it before raising issues on it.",
            field="relationship",
            code="archived",
        )


def issue_open(
    *,
    actor: Any,
    relationship: Relationship,
    title: str,
    category: str,
    severity: str,
    description: str = "",
    owner: Any | None = None,
    contract: Any | None = None,
    service_level: Any | None = None,
    initiative: Any | None = None,
    source: str = IssueSource.MANUAL,
    sla_breach: Any | None = None,
    opened_at: dt.datetime | None = None,
    shared_with_portal: bool = False,
) -> Issue:
    """Raise an issue on a relationship; its due dates follow from the severity's targets.

    ``actor`` None is the system (an SLA breach opening its issue): no permission is asked and
    the issue is reported by its owner.
    """
    if actor is not None:
        require_create(actor, Issue, parent=relationship)
    _refuse_archived(relationship)
    when = opened_at or timezone.now()
    if when > timezone.now():
        raise DomainError("An issue cannot be opened in the future.", field="opened_at")
    issue = Issue(
        relationship=relationship,
        title=title,
        category=category,
        severity=severity,
        description=description,
        owner=owner or relationship.owner,
        reported_by=actor or owner or relationship.owner,
        contract=contract,
        service_level=service_level,
        initiative=initiative,
        source=source,
        sla_breach=sla_breach,
        opened_at=when,
        shared_with_portal=shared_with_portal,
    )
    due = derive_due_dates(issue)
    issue.respond_by, issue.resolve_by = due.respond_by, due.resolve_by
    _check_issue(issue)
    return _insert_with_reference(issue, actor=actor)


def _insert_with_reference(issue: Issue, *, actor: Any) -> Issue:
    """Save under the next free reference, trying again if another writer just took it."""
    for attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                issue.reference = next_reference()
                create_record(issue, actor=actor, reason="Opened")
                _notify_new_owner(issue, actor)
                return issue
        except IntegrityError:
            issue.pk = None
            if attempt == _REFERENCE_ATTEMPTS - 1 or not _reference_taken(issue.reference):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _reference_taken(reference: str) -> bool:
    return Issue.objects.filter(reference=reference).exists()


def _notify_new_owner(issue: Issue, actor: Any) -> None:
    if actor is not None and issue.owner_id == actor.pk:
        return
    notifications_send(
        [
            Alert(
                recipient_id=issue.owner_id,
                kind=ASSIGNED_ALERT,
                title=f"Issue {issue.reference} is yours: {issue.title}",
                body=f"{issue.get_severity_display()} issue with {issue.relationship}, "
                f"to be resolved by {timezone.localtime(issue.resolve_by):%Y-%m-%d %H:%M}.",
                url=issue.get_absolute_url(),
            )
        ]
    )


def issue_update(*, actor: Any, issue: Issue, expected_version: int, **changes: Any) -> Issue:
    """Edit an issue; a new severity derives the due dates again from when it was opened."""
    require(actor, Action.CHANGE, issue)
    refuse_unknown_fields(changes, EDITABLE)
    previous_owner = issue.owner_id

    def validate(locked: Issue) -> None:
        _check_issue(locked)
        due = derive_due_dates(locked)
        locked.respond_by, locked.resolve_by = due.respond_by, due.resolve_by

    updated = update_record(
        issue,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate,
        reason="Edited",
    )
    if updated.owner_id != previous_owner:
        _notify_new_owner(updated, actor)
    return updated


# --- the status machine ------------------------------------------------------------------------


def issue_transition(
    *,
    actor: Any,
    issue: Issue,
    to: str,
    reason: str = "",
    root_cause: str = "",
    corrective_action: str = "",
) -> Issue:
    """Move the issue along the table, recording who moved it, when and why.

    Resolving needs the root cause and the corrective action; reopening needs a reason.
    """
    require(actor, Action.CHANGE, issue)
    if to not in IssueStatus.values:
        raise TransitionError(f"“{to}” is not an issue status.", field="to")
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.is_archived:
            raise DomainError("The issue is archived.", code="archived")
        _guard(
            locked, to, reason=reason, root_cause=root_cause, corrective_action=corrective_action
        )
        _apply(
            actor,
            locked,
            to,
            reason=reason.strip(),
            root_cause=root_cause.strip(),
            corrective_action=corrective_action.strip(),
        )
    issue.refresh_from_db()
    return issue


def _guard(issue: Issue, to: str, *, reason: str, root_cause: str, corrective_action: str) -> None:
    current = IssueStatus(issue.status)
    target = IssueStatus(to)
    allowed = lifecycle.allowed_next(current)
    if target not in allowed:
        names = ", ".join(IssueStatus(s).label.lower() for s in sorted(allowed))
        raise TransitionError(
            f"An issue cannot move from {current.label.lower()} to {target.label.lower()}; "
            f"from {current.label.lower()} it may move to: {names or 'nowhere'}.",
            field="to",
        )
    if target in lifecycle.RESOLVING:
        if not root_cause.strip():
            raise DomainError(
                "Say what caused the issue before resolving it.",
                field="root_cause",
                code="required",
            )
        if not corrective_action.strip():
            raise DomainError(
                "Say what was done about it before resolving it.",
                field="corrective_action",
                code="required",
            )
    if lifecycle.is_reopen(current, target) and not reason.strip():
        raise DomainError("Say why the issue is reopened.", field="reason", code="required")


def _apply(
    actor: Any, issue: Issue, to: str, *, reason: str, root_cause: str, corrective_action: str
) -> None:
    now = timezone.now()
    from_status = issue.status
    issue.status = to
    if from_status == IssueStatus.NEW and issue.acknowledged_at is None:
        issue.acknowledged_at = now
    if to == IssueStatus.RESOLVED:
        issue.resolved_at = now
        issue.root_cause = root_cause
        issue.corrective_action = corrective_action
    elif to == IssueStatus.CLOSED:
        issue.closed_at = now
    elif lifecycle.is_reopen(from_status, to):
        issue.resolved_at = None
        issue.closed_at = None
    summary = f"{from_status} → {to}"
    save_with_history(issue, actor=actor, reason=f"{summary}: {reason}" if reason else summary)
    IssueTransition.objects.create(
        issue=issue, from_status=from_status, to_status=to, actor=actor, reason=reason
    )


# --- escalation by hand --------------------------------------------------------------------------


def issue_escalate(*, actor: Any, issue: Issue, note: str) -> Issue:
    """Climb one rung of the relationship's ladder now, saying why."""
    require(actor, Action.CHANGE, issue)
    if not note.strip():
        raise DomainError("Say why the issue is escalated.", field="note", code="required")
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status not in lifecycle.OPEN:
            raise DomainError(
                f"The issue is {locked.get_status_display().lower()}; only open issues escalate.",
                code="not_open",
            )
        level = locked.escalation_level + 1
        rung = (
            EscalationLevel.objects.active()
            .filter(relationship_id=locked.relationship_id, level=level)
            .select_related("internal_contact")
            .first()
        )
        if rung is None:
            raise DomainError(
                f"The escalation ladder of this relationship has no level {level}; add it first.",
                code="ladder_top",
            )
        now = timezone.now()
        escalation = IssueEscalation.objects.create(
            issue=locked,
            level=level,
            ladder_rung=rung,
            missed=MissedTarget.MANUAL,
            actor=actor,
            at=now,
            note=note.strip(),
        )
        locked.escalation_level, locked.escalated_at = level, now
        save_with_history(locked, actor=actor, reason=f"Escalated to L{level}")
        notifications_send(escalation_alerts(locked, [(escalation, rung)]))
    issue.refresh_from_db()
    return issue


def escalation_alerts(
    issue: Issue, climbed: list[tuple[IssueEscalation, EscalationLevel]]
) -> list[Alert]:
    """One alert to each rung's internal contact and one to the issue's owner."""
    if not climbed:
        return []
    top = climbed[-1][0]
    recipients: list[int] = []
    for _, rung in climbed:
        if rung.internal_contact_id not in recipients:
            recipients.append(rung.internal_contact_id)
    if issue.owner_id not in recipients:
        recipients.append(issue.owner_id)
    why = MissedTarget(top.missed).label
    return [
        Alert(
            recipient_id=recipient,
            kind=ESCALATION_ALERT,
            title=f"Issue {issue.reference} escalated to level {top.level}: {issue.title}",
            body=f"{why}. {issue.get_severity_display()} issue with {issue.relationship}."
            + (f" {top.note}" if top.note else ""),
            url=issue.get_absolute_url(),
        )
        for recipient in recipients
    ]


def issue_archive(*, actor: Any, issue: Issue, expected_version: int | None = None) -> Issue:
    """Take an issue raised by mistake out of the lists (it keeps its history)."""
    require(actor, Action.DELETE, issue)
    return archive_record(issue, actor=actor, expected_version=expected_version)


def issue_restore(*, actor: Any, issue: Issue, expected_version: int | None = None) -> Issue:
    require(actor, Action.DELETE, issue)
    return restore_record(issue, actor=actor, expected_version=expected_version)
