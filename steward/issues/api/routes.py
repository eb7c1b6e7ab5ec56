"""The issues app's API routes, gathered for the /api/v1/ router, and its single-record paths."""

from __future__ import annotations

from typing import Any

from steward.issues.api.views import (
    EscalationLevelViewSet,
    IssueEscalationViewSet,
    IssueTransitionViewSet,
    IssueViewSet,
    SeverityTargetViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("issues", IssueViewSet, "issue"),
    ("issue-transitions", IssueTransitionViewSet, "issue-transition"),
    ("issue-escalations", IssueEscalationViewSet, "issue-escalation"),
    ("escalation-levels", EscalationLevelViewSet, "escalation-level"),
    ("severity-targets", SeverityTargetViewSet, "severity-target"),
]

# Single records outside the router (no collection, no id in the path).
PATHS: list[Any] = []
