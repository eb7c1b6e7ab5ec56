"""Background work on awards, run hourly by the scheduler (see plugins.register)."""

from __future__ import annotations

from django_tasks import task

from steward.awards.services import awards_lapse_due

LAPSE_JOB = "awards.lapse"


@task()
def awards_lapse(*, slot: str) -> dict[str, int]:
    """Lapse the awards past their confirm-by; a second run finds nothing more to lapse."""
    return {"lapsed": awards_lapse_due()}
