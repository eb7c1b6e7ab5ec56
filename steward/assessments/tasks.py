"""Background work on assessments, run daily by the scheduler (see plugins.register)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.assessments.services.reassessments import reassessments_schedule

REASSESSMENTS_JOB = "assessments.reassessments"


@task()
def reassessments_draft(*, slot: str) -> dict[str, int]:
    """Draft the reassessments falling due; a second run for the same day drafts nothing."""
    return {"drafted": len(reassessments_schedule(today=dt.date.fromisoformat(slot)))}
