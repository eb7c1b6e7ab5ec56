"""The escalation job: open issues past a target climb their relationship's ladder.

Candidates are read in one query (open issues past a target they have not met) and their
ladders in a second; the climb is worked out by ``targets.rungs_due`` and written in bulk. An
escalation is unique per issue and level, so a second run at the same moment writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from steward.core.notifications import Alert, notifications_send
from steward.issues import lifecycle
from steward.issues.models import EscalationLevel, Issue, IssueEscalation
from steward.issues.services.issues import escalation_alerts
from steward.issues.targets import Rung, missed_target, rungs_due


def issues_escalate_overdue(*, now: dt.datetime) -> int:
    """Escalate every open issue whose next rung's time has come; returns how many climbed."""
    with transaction.atomic():
        issues = list(
            Issue.objects.select_for_update(of=("self",))
            .filter(lifecycle.overdue_q(now), archived_at__isnull=True)
            .select_related("relationship__organization")
            .order_by("pk")
        )
        if not issues:
            return 0
        ladders = _ladders({issue.relationship_id for issue in issues})
        escalations: list[IssueEscalation] = []
        alerts: list[Alert] = []
        climbed_issues: list[Issue] = []
        for issue in issues:
            climbed = _climb(issue, ladders.get(issue.relationship_id, {}), now)
            if not climbed:
                continue
            escalations.extend(escalation for escalation, _ in climbed)
            alerts.extend(escalation_alerts(issue, climbed))
            issue.escalation_level = climbed[-1][0].level
            issue.escalated_at = now
            issue.version += 1
            climbed_issues.append(issue)
        if not climbed_issues:
            return 0
        IssueEscalation.objects.bulk_create(escalations)
        bulk_update_with_history(
            climbed_issues,
            Issue,
            ["escalation_level", "escalated_at", "version"],
            default_change_reason="Escalated: target missed",
        )
        notifications_send(alerts)
    return len(climbed_issues)


def _ladders(relationship_ids: set[int]) -> dict[int, dict[int, EscalationLevel]]:
    rungs = (
        EscalationLevel.objects.active()
        .filter(relationship_id__in=relationship_ids)
        .order_by("relationship_id", "level")
    )
    ladders: dict[int, dict[int, EscalationLevel]] = defaultdict(dict)
    for rung in rungs:
        ladders[rung.relationship_id][rung.level] = rung
    return ladders


def _climb(
    issue: Issue, ladder: dict[int, EscalationLevel], now: dt.datetime
) -> list[tuple[IssueEscalation, EscalationLevel]]:
    miss = missed_target(
        now=now,
        acknowledged=issue.acknowledged_at is not None,
        resolved=issue.status not in lifecycle.OPEN,
        respond_by=issue.respond_by,
        resolve_by=issue.resolve_by,
    )
    if miss is None or not ladder:
        return []
    due = rungs_due(
        [Rung(level, rung.after_hours, rung.pk) for level, rung in ladder.items()],
        current_level=issue.escalation_level,
        missed_at=miss.at,
        now=now,
    )
    return [
        (
            IssueEscalation(
                issue=issue,
                level=rung.level,
                ladder_rung=ladder[rung.level],
                missed=miss.target,
                actor=None,
                at=now,
            ),
            ladder[rung.level],
        )
        for rung in due
    ]
