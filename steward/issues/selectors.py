"""Reads on issues, every one scoped by the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from steward.core.access import Action, allows, can_create, get_for_user
from steward.issues import lifecycle
from steward.issues.filtersets import IssueFilterSet
from steward.issues.models import (
    EscalationLevel,
    Issue,
    IssueEscalation,
    IssueTransition,
    SeverityTarget,
)
from steward.parties.models import Relationship


def issue_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> IssueFilterSet:
    issues = Issue.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "owner", "contract", "service_level"
    )
    return IssueFilterSet(filters or {}, queryset=issues.order_by("-opened_at", "-pk"))


def issue_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Issue]:
    return issue_filterset(user=user, filters=filters).qs


def issue_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Issue:
    issues = Issue.objects.select_related(
        "relationship__organization",
        "owner",
        "reported_by",
        "contract",
        "service_level",
        "initiative",
        "sla_breach",
    )
    return get_for_user(issues, user=user, pk=pk, action=action)


def issue_timeline(*, user: Any, issue: Issue) -> list[dict[str, Any]]:
    """The issue's moves and escalations in the order they happened."""
    transitions = (
        IssueTransition.objects.restrict(user, Action.VIEW)
        .filter(issue=issue)
        .select_related("actor")
    )
    escalations = (
        IssueEscalation.objects.restrict(user, Action.VIEW)
        .filter(issue=issue)
        .select_related("actor", "ladder_rung__internal_contact")
    )
    entries: list[dict[str, Any]] = [
        {"kind": "opened", "at": issue.opened_at, "actor": issue.reported_by, "row": issue}
    ]
    entries += [{"kind": "transition", "at": t.at, "actor": t.actor, "row": t} for t in transitions]
    entries += [{"kind": "escalation", "at": e.at, "actor": e.actor, "row": e} for e in escalations]
    return sorted(entries, key=lambda entry: entry["at"])


def issue_state(*, user: Any, issue: Issue) -> dict[str, Any]:
    """What the issue's page may offer: the moves, escalation, editing."""
    now = timezone.now()
    can_change = not issue.is_archived and allows(user, Action.CHANGE, issue)
    moves = sorted(lifecycle.allowed_next(issue.status)) if can_change else []
    return {
        "can_change": can_change,
        "moves": moves,
        "can_escalate": can_change and issue.status in lifecycle.OPEN,
        "overdue": Issue.objects.filter(lifecycle.overdue_q(now), pk=issue.pk).exists(),
        "now": now,
    }


def escalation_ladder(*, user: Any, relationship: Relationship) -> QuerySet[EscalationLevel]:
    return (
        EscalationLevel.objects.restrict(user, Action.VIEW)
        .active()
        .filter(relationship=relationship)
        .select_related("internal_contact", "counterparty_contact")
        .order_by("level")
    )


def escalation_level_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> EscalationLevel:
    rungs = EscalationLevel.objects.select_related(
        "relationship__organization", "internal_contact", "counterparty_contact"
    )
    return get_for_user(rungs, user=user, pk=pk, action=action)


def severity_targets(*, user: Any) -> QuerySet[SeverityTarget]:
    return SeverityTarget.objects.restrict(user, Action.VIEW).active().order_by("response_hours")


def severity_target_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> SeverityTarget:
    return get_for_user(SeverityTarget.objects.all(), user=user, pk=pk, action=action)


def issues_for(*, user: Any, relationship: Relationship, limit: int = 10) -> dict[str, Any]:
    """The open issues of a relationship, for its page."""
    open_issues = issue_list(user=user, filters={"relationship": relationship.pk, "open": "true"})
    return {
        "relationship": relationship,
        "issues": list(open_issues[:limit]),
        "can_raise_issue": not relationship.is_archived
        and can_create(user, Issue, parent=relationship),
    }
