"""Writes of the issue engine; every one a keyword-only function taking the actor."""

from steward.issues.services.breaches import issue_open_for_breach
from steward.issues.services.escalation import issues_escalate_overdue
from steward.issues.services.issues import (
    issue_archive,
    issue_escalate,
    issue_open,
    issue_restore,
    issue_transition,
    issue_update,
)
from steward.issues.services.ladder import (
    escalation_level_add,
    escalation_level_archive,
    escalation_level_restore,
    escalation_level_update,
    severity_target_update,
)

__all__ = [
    "escalation_level_add",
    "escalation_level_archive",
    "escalation_level_restore",
    "escalation_level_update",
    "issue_archive",
    "issue_escalate",
    "issue_open",
    "issue_open_for_breach",
    "issue_restore",
    "issue_transition",
    "issue_update",
    "issues_escalate_overdue",
    "severity_target_update",
]
