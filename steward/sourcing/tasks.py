"""Background work on sourcing events: closing events at their closing time.

Bids are refused by the clock whatever the status says, and every event page closes a due event
as it is read; the job catches up the events nobody looks at, every few minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django_tasks import task

from steward.sourcing.services.status import close_due_events

CLOSING_JOB = "sourcing.close_due_events"
CLOSING_EVERY_MINUTES = 5


@dataclass(frozen=True)
class EveryMinutes:
    """A cadence of the scheduler (see ``steward.core.schedule``): one slot per ``minutes``."""

    minutes: int

    def slot(self, now: dt.datetime) -> str | None:
        start = now.replace(minute=now.minute - now.minute % self.minutes, second=0, microsecond=0)
        return start.strftime("%Y-%m-%dT%H:%M")

    def describe(self) -> str:
        return f"every {self.minutes} minutes"


@task()
def closing_run(*, slot: str) -> int:
    """Close every open event past its closing time; safe to run twice (returns how many)."""
    return close_due_events()
