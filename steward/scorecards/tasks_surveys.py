"""Background jobs of the scorecard engine for surveys: send, chase, close.

Each task receives the day it covers as ``slot`` (an ISO date) and is safe to run again for the
same day: sending adds only missing responses, a survey is chased at most once every three days,
and a closed survey is not closed again.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.scorecards.services.surveys import surveys_chase as chase
from steward.scorecards.services.surveys import surveys_close as close
from steward.scorecards.services.surveys import surveys_send_due

SEND_JOB = "scorecards.surveys_send"
CHASE_JOB = "scorecards.surveys_chase"
CLOSE_JOB = "scorecards.surveys_close"


@task()
def surveys_send(*, slot: str) -> int:
    """Send the surveys of open periods that end within two weeks."""
    return surveys_send_due(today=dt.date.fromisoformat(slot))


@task()
def surveys_chase(*, slot: str) -> int:
    """Remind respondents who have not answered, at most once every three days per survey."""
    return chase(today=dt.date.fromisoformat(slot))


@task()
def surveys_close(*, slot: str) -> int:
    """Close the surveys whose last day has passed or whose period was closed."""
    return close(today=dt.date.fromisoformat(slot))


def schedule_survey_jobs() -> None:
    from steward.core.schedule import daily, register_periodic

    # Close first, so a survey past its last day is not chased; send before the chase.
    register_periodic(CLOSE_JOB, surveys_close, daily(hour=1))
    register_periodic(SEND_JOB, surveys_send, daily(hour=7))
    register_periodic(CHASE_JOB, surveys_chase, daily(hour=8))
