"""Periodic jobs: a small registry the apps fill in, and the scheduler `steward worker` runs.

An app registers its jobs in ``AppConfig.ready``::

    register_periodic("people.daily_digest", digests_enqueue, daily(hour=7))

Every worker process runs a :class:`Scheduler`. On each tick it works out the current *slot* of
every job (``2026-11-25`` for a daily job once its hour has come, ``2026-11-25T07`` for an hourly
one) and claims it by inserting a :class:`~steward.core.models.ScheduledRun` row. The unique
``(job, slot)`` constraint lets exactly one claim succeed however many workers on however many
machines try at once; the losers get an IntegrityError and move on. The winner enqueues the task
in the same transaction as its claim, so the queued task and the claim commit together or not at
all: no slot is run twice, and none is lost to a crash between the claim and the enqueue.

A task receives the slot as its one keyword argument, ``slot``, so that it can be idempotent
for the period it covers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.models import ScheduledRun

logger = logging.getLogger(__name__)


class Cadence(Protocol):
    def slot(self, now: dt.datetime) -> str | None:
        """The slot due at ``now`` (local time), or None when nothing is due yet."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Daily:
    """Once a day, from ``hour`` (server-local time) on; a late worker still runs that day's slot.

    ``hour`` may be a callable so that a setting is read when the slot is computed, not when the
    app registered the job.
    """

    hour: int | Callable[[], int]

    def current_hour(self) -> int:
        hour = self.hour() if callable(self.hour) else self.hour
        if not 0 <= hour <= 23:
            raise ValueError(f"A daily job's hour must lie between 0 and 23, not {hour}.")
        return hour

    def slot(self, now: dt.datetime) -> str | None:
        if now.hour < self.current_hour():
            return None
        return now.date().isoformat()

    def describe(self) -> str:
        return f"daily at {self.current_hour():02d}:00"


@dataclass(frozen=True)
class Hourly:
    """Once an hour."""

    def slot(self, now: dt.datetime) -> str | None:
        return now.strftime("%Y-%m-%dT%H")

    def describe(self) -> str:
        return "hourly"


def daily(*, hour: int | Callable[[], int]) -> Daily:
    return Daily(hour=hour)


def hourly() -> Hourly:
    return Hourly()


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task; enqueued with slot=<slot>
    cadence: Cadence


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task: Any, cadence: Cadence) -> None:
    """Add a job to the schedule; registering the same name again replaces it."""
    if len(name) > ScheduledRun._meta.get_field("job").max_length:  # type: ignore[operator]
        raise ValueError(f"The job name {name!r} is too long.")
    _jobs[name] = PeriodicJob(name=name, task=task, cadence=cadence)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def claim_slot(job: str, slot: str) -> ScheduledRun | None:
    """Record that ``job`` runs for ``slot``; None when someone has claimed it already.

    Must be called inside a transaction that also does the work the claim stands for, so a
    failure releases the claim.
    """
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job, slot=slot)
    except IntegrityError:
        return None


class Scheduler:
    """Enqueues periodic jobs when due. One per worker process; safe to run on many machines."""

    def __init__(self, jobs: Iterable[PeriodicJob] | None = None) -> None:
        self._fixed_jobs = list(jobs) if jobs is not None else None
        # Slots this process already knows are taken, so a tick costs no query until the next
        # slot comes round.
        self._settled: dict[str, str] = {}

    @property
    def jobs(self) -> list[PeriodicJob]:
        return self._fixed_jobs if self._fixed_jobs is not None else periodic_jobs()

    def tick(self, now: dt.datetime | None = None) -> list[ScheduledRun]:
        """Claim and enqueue every job whose current slot nobody has claimed yet."""
        local_now = timezone.localtime(now or timezone.now())
        claimed = []
        for job in self.jobs:
            slot = job.cadence.slot(local_now)
            if slot is None or self._settled.get(job.name) == slot:
                continue
            try:
                run = self._claim_and_enqueue(job, slot)
            except Exception:
                # One broken job must not starve the others; its slot stays open for a retry.
                logger.exception("Could not enqueue %s for %s", job.name, slot)
                continue
            self._settled[job.name] = slot
            if run is not None:
                claimed.append(run)
        return claimed

    def _claim_and_enqueue(self, job: PeriodicJob, slot: str) -> ScheduledRun | None:
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            return None
        with transaction.atomic():
            run = claim_slot(job.name, slot)
            if run is None:
                logger.debug("%s @ %s was claimed by another worker", job.name, slot)
                return None
            # The queue lives in this database, so the task row commits with the claim.
            result = job.task.enqueue(slot=slot)
            run.task_result_id = str(result.id)[:64]
            run.save(update_fields=["task_result_id"])
        logger.info("Enqueued %s for %s (task %s)", job.name, slot, run.task_result_id)
        return run
