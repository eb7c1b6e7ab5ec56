"""Background jobs of the issues engine: thin, idempotent, calling services."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from steward.core.schedule import hourly, register_periodic
from steward.issues.services import issues_escalate_overdue

ESCALATE_JOB = "issues.escalate"


@task()
def issues_escalate(*, slot: str) -> int:
    """Climb the ladder for open issues past a target. Escalations are unique per issue and
    level, so a slot run twice (or late) escalates nothing twice."""
    return issues_escalate_overdue(now=timezone.now())


def schedule() -> None:
    register_periodic(ESCALATE_JOB, issues_escalate, hourly())
