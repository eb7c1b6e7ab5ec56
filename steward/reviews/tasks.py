"""Background work on business reviews, run daily by the scheduler (see ``ReviewsConfig.ready``).

Each task receives the day it covers as ``slot`` (an ISO date) and is safe to run again: a
relationship with a planned review gets no second one, and an overdue action is chased at most
once a week.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.reviews.services_reviews import action_items_chase, reviews_schedule_from_cadence

SCHEDULE_JOB = "reviews.schedule_from_cadence"
CHASE_JOB = "reviews.chase_actions"


@task()
def reviews_schedule(*, slot: str) -> int:
    """Plan the next review of every relationship whose cadence calls for one."""
    return len(reviews_schedule_from_cadence(today=dt.date.fromisoformat(slot)))


@task()
def action_items_chase_overdue(*, slot: str) -> int:
    """Remind the owners of overdue open action items (once a week per action)."""
    return action_items_chase(today=dt.date.fromisoformat(slot))
