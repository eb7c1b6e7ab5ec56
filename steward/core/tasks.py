"""The kernel's own periodic housekeeping."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from steward.core.models import ScheduledRun

# Claims only guard the current slot; finished task results are kept a while for diagnosis.
SCHEDULED_RUNS_KEPT = dt.timedelta(days=90)
TASK_RESULTS_KEPT = dt.timedelta(days=30)


@task()
def housekeeping(*, slot: str) -> dict[str, int]:
    """Forget old schedule claims and finished task results. Safe to run any number of times."""
    now = timezone.now()
    runs, _ = ScheduledRun.objects.filter(enqueued_at__lt=now - SCHEDULED_RUNS_KEPT).delete()
    results, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - TASK_RESULTS_KEPT).delete()
    )
    return {"scheduled_runs": runs, "task_results": results}
