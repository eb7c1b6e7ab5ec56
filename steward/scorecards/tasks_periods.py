"""Background jobs of the scorecard engine for periods.

Each task receives the day it covers as ``slot`` (an ISO date) and is safe to run again for the
same day: a closed period is not closed again, and opening a period that exists returns it.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.scorecards.services.periods import periods_close_ended

PERIODS_CLOSE_JOB = "scorecards.periods_close"


@task()
def scorecard_periods_close(*, slot: str) -> int:
    """Close the periods that ended before that day and open the current ones."""
    return len(periods_close_ended(today=dt.date.fromisoformat(slot)))


def schedule_period_jobs() -> None:
    from steward.core.schedule import daily, register_periodic

    # After the SLA periods are judged (03:00), so the cards read the final attainment.
    register_periodic(PERIODS_CLOSE_JOB, scorecard_periods_close, daily(hour=4))
