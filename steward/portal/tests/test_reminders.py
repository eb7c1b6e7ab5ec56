"""Reminders 7, 3 and 1 days before what is due, each sent once, from a fixed today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail

from steward.core import registry
from steward.core.models import Notification
from steward.core.registry import DueItem
from steward.core.schedule import periodic_jobs
from steward.parties.tests.cast import Cast
from steward.portal.models import ReminderSent
from steward.portal.services import portal_reminders_send
from steward.portal.tasks import REMINDER_JOB, portal_reminders_run

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def due_in() -> Iterator[dict[str, list[int]]]:
    """A fake provider: for each user name, items due so many days after TODAY (fixed dates)."""
    plan: dict[str, list[int]] = {}

    def provider(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
        return [
            DueItem(
                title=f"Assessment {days}",
                due_on=TODAY + dt.timedelta(days=days),
                url=f"/assessments/{user.pk}-{days}/",
                kind="assessment",
            )
            for days in plan.get(user.username, [])
            if today <= TODAY + dt.timedelta(days=days) <= until
        ]

    registry.register_due("test.fake", provider)
    yield plan
    registry._due_providers.pop("test.fake", None)


def test_items_due_in_exactly_seven_three_or_one_days_are_reminded(
    cast: Cast, due_in: dict[str, list[int]]
) -> None:
    # given items due in 0..8 days for portal_a
    due_in["portal_a"] = list(range(9))
    # when the job runs today
    sent = portal_reminders_send(today=TODAY)
    # then exactly the 7-, 3- and 1-day items are reminded, in-app and by one email
    assert sent == 3
    assert set(ReminderSent.objects.values_list("days_before", flat=True)) == {7, 3, 1}
    titles = set(
        Notification.objects.filter(recipient=cast.portal_a).values_list("title", flat=True)
    )
    assert titles == {
        "Assessment 7: due in 7 days",
        "Assessment 3: due in 3 days",
        "Assessment 1: due in 1 day",
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.portal_a.email]
    assert "/assessments/" in mail.outbox[0].body


def test_running_twice_reminds_once(cast: Cast, due_in: dict[str, list[int]]) -> None:
    due_in["portal_a"] = [7, 3]
    assert portal_reminders_send(today=TODAY) == 2
    assert portal_reminders_send(today=TODAY) == 0
    assert Notification.objects.filter(recipient=cast.portal_a).count() == 2
    assert len(mail.outbox) == 1


def test_an_item_is_reminded_at_each_offset_as_days_pass(
    cast: Cast, due_in: dict[str, list[int]]
) -> None:
    # given one item due in 7 days from TODAY (the fake provider keeps its date)
    due_in["portal_a"] = [7]
    # when the job runs every day up to its due date
    total = sum(portal_reminders_send(today=TODAY + dt.timedelta(days=n)) for n in range(8))
    # then it was reminded 7, 3 and 1 days before, once each
    assert total == 3
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [1, 3, 7]


def test_inside_people_and_inactive_portal_users_get_no_portal_reminder(
    cast: Cast, due_in: dict[str, list[int]]
) -> None:
    due_in["owner"] = [7]
    due_in["portal_b"] = [7]
    cast.portal_b.is_active = False
    cast.portal_b.save()
    assert portal_reminders_send(today=TODAY) == 0
    assert not mail.outbox


def test_the_daily_job_is_scheduled_and_runs_for_its_day(
    cast: Cast, due_in: dict[str, list[int]]
) -> None:
    assert REMINDER_JOB in {job.name for job in periodic_jobs()}
    due_in["portal_a"] = [1]
    result = portal_reminders_run.call(slot=TODAY.isoformat())
    assert result == 1
