"""Background jobs of third-party risk: thin, idempotent, calling services."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.core.schedule import daily, register_periodic
from steward.risk.services import vendor_risk_score_refresh

SCORES_JOB = "risk.scores_refresh"


@task()
def risk_scores_refresh(*, slot: str) -> int:
    """Recompute every vendor's risk score for that day (certificates expire overnight).
    Setting the same figures again changes nothing, so a slot run twice is harmless."""
    return vendor_risk_score_refresh(today=dt.date.fromisoformat(slot))


def schedule() -> None:
    register_periodic(SCORES_JOB, risk_scores_refresh, daily(hour=5))
