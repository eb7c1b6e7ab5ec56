"""The event's status machine, the closing job and the log's append-only guarantees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from steward.core.errors import TransitionError
from steward.core.schedule import Scheduler, periodic_jobs
from steward.parties.tests.cast import Cast
from steward.sourcing import lifecycle
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import EventLogEntry, SourcingEvent
from steward.sourcing.services.log import log_event
from steward.sourcing.services.status import close_due_events, ensure_closed, set_status
from steward.sourcing.tasks import CLOSING_JOB, EveryMinutes, closing_run
from steward.sourcing.tests.factories import EventFactory, OpenEventFactory

pytestmark = pytest.mark.django_db

ALL = list(EventStatus.values)
ALLOWED = {
    ("draft", "open"),
    ("draft", "cancelled"),
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "award_proposed"),
    ("closed", "cancelled"),
    ("award_proposed", "awarded"),
    ("award_proposed", "closed"),
    ("awarded", "closed"),
}


@pytest.mark.parametrize(("from_status", "to_status"), [(a, b) for a in ALL for b in ALL])
def test_every_pair_of_statuses(cast: Cast, from_status: str, to_status: str) -> None:
    event = EventFactory(status=from_status)
    if (from_status, to_status) in ALLOWED:
        set_status(event, to_status, actor=cast.admin, reason="walk")
        event.refresh_from_db()
        assert event.status == to_status
    else:
        with pytest.raises(TransitionError):
            set_status(event, to_status, actor=cast.admin, reason="walk")
        event.refresh_from_db()
        assert event.status == from_status
    assert lifecycle.can_move(from_status, to_status) == ((from_status, to_status) in ALLOWED)


# --- closing -----------------------------------------------------------------------------------


def test_the_job_closes_open_events_past_their_closing_time_once(cast: Cast) -> None:
    now = timezone.now()
    due = OpenEventFactory(closes_at=now - dt.timedelta(minutes=1))
    at_the_second = OpenEventFactory(closes_at=now)
    later = OpenEventFactory(closes_at=now + dt.timedelta(microseconds=1))
    draft = EventFactory(closes_at=now - dt.timedelta(minutes=1))

    assert close_due_events(now=now) == 2
    assert close_due_events(now=now) == 0

    statuses = dict(SourcingEvent.objects.values_list("pk", "status"))
    assert statuses[due.pk] == statuses[at_the_second.pk] == EventStatus.CLOSED
    assert statuses[later.pk] == EventStatus.OPEN
    assert statuses[draft.pk] == EventStatus.DRAFT
    closed = EventLogEntry.objects.filter(action=LogAction.CLOSED)
    assert sorted(closed.values_list("event_id", flat=True)) == sorted([due.pk, at_the_second.pk])
    assert all(entry.actor_id is None for entry in closed)


def test_ensure_closed_is_lazy_and_idempotent(cast: Cast) -> None:
    event = OpenEventFactory(closes_at=timezone.now() + dt.timedelta(hours=1))
    assert ensure_closed(event).status == EventStatus.OPEN
    moment = event.closes_at
    assert ensure_closed(event, now=moment).status == EventStatus.CLOSED
    assert ensure_closed(event, now=moment).status == EventStatus.CLOSED
    assert EventLogEntry.objects.filter(event=event, action=LogAction.CLOSED).count() == 1


def test_the_closing_job_runs_every_few_minutes_through_the_scheduler(cast: Cast) -> None:
    cadence = EveryMinutes(5)
    morning = dt.datetime(2026, 3, 2, 9, 7, 30, tzinfo=dt.UTC)
    assert cadence.slot(morning) == "2026-03-02T09:05"
    assert cadence.slot(morning + dt.timedelta(minutes=2)) == "2026-03-02T09:05"
    assert cadence.slot(morning + dt.timedelta(minutes=3)) == "2026-03-02T09:10"
    assert "5 minutes" in cadence.describe()

    event = OpenEventFactory(closes_at=timezone.now() - dt.timedelta(seconds=1))
    [job] = [job for job in periodic_jobs() if job.name == CLOSING_JOB]
    runs = Scheduler(jobs=[job]).tick()  # the test settings run tasks at once
    assert len(runs) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    assert closing_run.call(slot="2026-03-02T09:05") == 0  # a second run finds nothing


# --- the log is append-only --------------------------------------------------------------------


def entry_of(event: SourcingEvent) -> EventLogEntry:
    return log_event(event, LogAction.CHANGED, "Something changed.")


def test_a_log_entry_refuses_to_be_saved_again_or_deleted(cast: Cast) -> None:
    entry = entry_of(EventFactory())
    entry.summary = "Rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        EventLogEntry.objects.filter(pk=entry.pk).update(summary="Rewritten")
    with pytest.raises(ValidationError):
        EventLogEntry.objects.filter(pk=entry.pk).delete()
    assert EventLogEntry.objects.get(pk=entry.pk).summary == "Something changed."


def test_the_database_refuses_to_change_a_log_entry(cast: Cast) -> None:
    entry = entry_of(EventFactory())
    table = EventLogEntry._meta.db_table
    forge = f"UPDATE {table} SET summary = %s WHERE id = %s"  # noqa: S608 - our own table
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(forge, ["Forged", entry.pk])
    assert EventLogEntry.objects.get(pk=entry.pk).summary == "Something changed."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the delete trigger is PostgreSQL's")
def test_the_database_refuses_to_delete_a_log_entry(cast: Cast) -> None:
    entry = entry_of(EventFactory())
    table = EventLogEntry._meta.db_table
    erase = f"DELETE FROM {table} WHERE id = %s"  # noqa: S608 - our own table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(erase, [entry.pk])
    assert EventLogEntry.objects.filter(pk=entry.pk).exists()
