"""The periodic schedule: slots, one claim per slot however many workers, and `steward worker`."""

from __future__ import annotations

import datetime as dt
import io
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from steward.core import schedule
from steward.core.models import ScheduledRun
from steward.core.schedule import PeriodicJob, Scheduler, claim_slot, daily, hourly
from steward.core.tasks import housekeeping

ran_slots: list[str] = []
_ran_lock = threading.Lock()


@task()
def note_slot(*, slot: str) -> str:
    """A stand-in periodic job that records each slot it ran for."""
    with _ran_lock:
        ran_slots.append(slot)
    return slot


@pytest.fixture(autouse=True)
def _forget_runs() -> Iterator[None]:
    ran_slots.clear()
    yield
    ran_slots.clear()


def at(hour: int, day: int = 25, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute))  # noqa: DTZ001


NIGHTLY = PeriodicJob(name="test.nightly", task=note_slot, cadence=daily(hour=7))


# --- cadences ------------------------------------------------------------------------------------


def test_a_daily_job_is_due_from_its_hour_until_the_day_ends() -> None:
    cadence = daily(hour=7)
    assert cadence.slot(at(6, minute=59)) is None
    assert cadence.slot(at(7)) == "2026-11-25"
    assert cadence.slot(at(23, minute=59)) == "2026-11-25"
    assert cadence.slot(at(0, day=26)) is None


def test_a_daily_hour_may_come_from_a_setting_read_when_due(settings: Any) -> None:
    # given a cadence that reads its hour when asked
    cadence = daily(hour=lambda: settings.STEWARD_DIGEST_HOUR)
    # when the setting changes after registration, then the new hour applies
    settings.STEWARD_DIGEST_HOUR = 9
    assert cadence.slot(at(8)) is None
    assert cadence.slot(at(9)) == "2026-11-25"


def test_a_daily_hour_outside_the_day_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 23"):
        daily(hour=24).slot(at(10))


def test_an_hourly_job_has_one_slot_per_hour() -> None:
    assert hourly().slot(at(7, minute=1)) == hourly().slot(at(7, minute=59)) == "2026-11-25T07"
    assert hourly().slot(at(8)) == "2026-11-25T08"


def test_registering_a_job_twice_keeps_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "_jobs", {})
    schedule.register_periodic("test.job", note_slot, hourly())
    schedule.register_periodic("test.job", note_slot, daily(hour=1))
    (job,) = schedule.periodic_jobs()
    assert job.cadence == daily(hour=1)


def test_the_apps_register_the_digest_and_housekeeping() -> None:
    names = {job.name for job in schedule.periodic_jobs()}
    assert {"people.daily_digest", "core.housekeeping"} <= names


# --- claiming slots ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_slot_is_claimed_once() -> None:
    # when the same slot is claimed twice, then only the first claim holds
    assert claim_slot("test.job", "2026-11-25") is not None
    assert claim_slot("test.job", "2026-11-25") is None
    assert claim_slot("test.job", "2026-11-26") is not None
    assert ScheduledRun.objects.filter(job="test.job").count() == 2


@pytest.mark.django_db
def test_two_workers_enqueue_a_due_slot_once() -> None:
    # given two workers, each with its own scheduler
    first, second = Scheduler(jobs=[NIGHTLY]), Scheduler(jobs=[NIGHTLY])
    # when both look at the schedule before, at and after the job's hour
    assert first.tick(at(6)) == []
    claimed = first.tick(at(7)) + second.tick(at(7)) + first.tick(at(8)) + second.tick(at(9))
    # then exactly one of them enqueued the day's run, and it ran once
    assert len(claimed) == 1
    assert ran_slots == ["2026-11-25"]
    run = ScheduledRun.objects.get(job="test.nightly")
    assert run.slot == "2026-11-25"
    assert run.task_result_id


@pytest.mark.django_db
def test_the_next_slot_is_enqueued_when_it_comes() -> None:
    scheduler = Scheduler(jobs=[NIGHTLY])
    scheduler.tick(at(7))
    scheduler.tick(at(7, day=26))
    assert ran_slots == ["2026-11-25", "2026-11-26"]


class FlakyTask:
    """A task whose queue is away on the first try."""

    def __init__(self) -> None:
        self.tries = 0

    def enqueue(self, *, slot: str) -> Any:
        self.tries += 1
        if self.tries == 1:
            raise ConnectionError("queue unavailable")
        return note_slot.enqueue(slot=slot)


@pytest.mark.django_db
def test_a_job_that_cannot_be_enqueued_leaves_its_slot_open() -> None:
    # given a job whose first enqueue fails, scheduled before a healthy one
    flaky = PeriodicJob(name="test.flaky", task=FlakyTask(), cadence=hourly())
    scheduler = Scheduler(jobs=[flaky, NIGHTLY])
    # when the scheduler ticks twice within the hour
    first = scheduler.tick(at(7))
    second = scheduler.tick(at(7, minute=1))
    # then the failure claimed nothing and did not stop the other job; the retry succeeded
    assert [run.job for run in first] == ["test.nightly"]
    assert [run.job for run in second] == ["test.flaky"]
    assert ScheduledRun.objects.filter(job="test.flaky").count() == 1
    assert ran_slots == ["2026-11-25", "2026-11-25T07"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_workers_on_postgresql_claim_each_slot_once() -> None:
    # given two worker threads with their own database connections
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent claims need PostgreSQL (SQLite serializes writers)")
    slots = [at(7, day=day) for day in range(1, 21)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        scheduler = Scheduler(jobs=[NIGHTLY])
        try:
            for moment in slots:
                barrier.wait()
                scheduler.tick(moment)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # when both tick through twenty days in lock step
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then every day ran exactly once
    assert errors == []
    assert sorted(ran_slots) == sorted(moment.date().isoformat() for moment in slots)
    assert ScheduledRun.objects.filter(job="test.nightly").count() == len(slots)


# --- the worker command --------------------------------------------------------------------------


@pytest.fixture
def database_queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Use the real database queue with only the stand-in job on the schedule."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    monkeypatch.setattr(
        schedule,
        "_jobs",
        {"test.daily": PeriodicJob(name="test.daily", task=note_slot, cadence=daily(hour=0))},
    )
    # the database worker installs its own signal handlers; give pytest its own back
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_once_enqueues_due_jobs_runs_them_and_exits(database_queue: None) -> None:
    from django_tasks_db.models import DBTaskResult

    # when `steward worker --once` runs twice on the same day
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    call_command("worker", "--once", stdout=out)
    # then the day's job was enqueued once, through the database queue, and has run
    run = ScheduledRun.objects.get(job="test.daily")
    assert ran_slots == [run.slot]
    result = DBTaskResult.objects.get()
    assert result.task_path.endswith("test_schedule.note_slot")
    assert result.status == "SUCCESSFUL"
    assert "Enqueued 1 periodic job(s)." in out.getvalue()
    assert "Enqueued 0 periodic job(s)." in out.getvalue()


@pytest.mark.django_db
def test_worker_refuses_a_backend_without_a_queue(settings: Any) -> None:
    from django.core.management.base import CommandError

    # given the immediate backend (no queue to work on)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # then the worker says what is wrong instead of idling
    with pytest.raises(CommandError, match="needs the database task backend"):
        call_command("worker", "--once", stdout=io.StringIO())


# --- housekeeping --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_housekeeping_forgets_old_claims_only() -> None:
    # given a claim from long ago and one from today
    old = ScheduledRun.objects.create(job="test.job", slot="2026-01-01")
    ScheduledRun.objects.filter(pk=old.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(days=91)
    )
    recent = ScheduledRun.objects.create(job="test.job", slot="2026-11-25")
    # when housekeeping runs (twice, as a retry would)
    housekeeping.call(slot="2026-11-25")
    housekeeping.call(slot="2026-11-25")
    # then only the recent claim remains
    assert list(ScheduledRun.objects.values_list("pk", flat=True)) == [recent.pk]
