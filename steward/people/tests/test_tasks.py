"""The daily digest: who gets it, what is in it, and that a day's digest goes out once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from steward.core import registry
from steward.core.models import Notification
from steward.core.notifications import Alert, notifications_send
from steward.core.registry import DueItem
from steward.core.schedule import Scheduler, periodic_jobs
from steward.people.tasks import DIGEST_JOB, digest_send, digests_enqueue
from steward.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
DAY = TODAY.isoformat()


class DueBook:
    """A due-item provider for the tests: items per user name; records what it was asked."""

    def __init__(self) -> None:
        self.items: dict[str, list[DueItem]] = {}
        self.asked: list[tuple[str, dt.date, dt.date]] = []

    def __setitem__(self, username: str, items: list[DueItem]) -> None:
        self.items[username] = items

    def provide(self, user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
        self.asked.append((user.username, today, until))
        return [item for item in self.items.get(user.username, []) if item.due_on <= until]


@pytest.fixture
def due(monkeypatch: pytest.MonkeyPatch) -> DueBook:
    book = DueBook()
    monkeypatch.setitem(registry._due_providers, "test", book.provide)
    return book


def at_hour(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(TODAY, dt.time(hour)))


def item(title: str, days_from_today: int, **extra: str) -> DueItem:
    return DueItem(
        title=title,
        due_on=TODAY + dt.timedelta(days=days_from_today),
        url=extra.pop("url", f"/things/{title.lower().replace(' ', '-')}/"),
        kind=extra.pop("kind", "Contract renewal"),
        **extra,
    )


def test_the_digest_lists_overdue_and_coming_items_with_links(due: DueBook, settings: Any) -> None:
    # given a person with one overdue item, one due today, one in a week and one beyond
    settings.STEWARD_BASE_URL = "https://steward.example.com/"
    person = UserFactory(username="olga", first_name="Olga")
    due["olga"] = [
        item("Renew Contoso freight", -2, detail="Contoso Freight AG"),
        item("Quarterly review Fabrikam", 0, kind="Review"),
        item("Security audit Litware", 7),
        item("Far away", 8),
    ]
    # when her digest for the day is sent
    assert digest_send.call(user_id=person.pk, day=DAY) is True
    # then one email lists what is due within seven days, overdue first, with absolute links
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Steward: 3 due by Wed 2 Dec (1 overdue)"
    text = message.body
    assert "Hello Olga" in text
    assert text.index("OVERDUE") < text.index("Renew Contoso freight") < text.index("DUE BY")
    assert "was due Mon 23 Nov 2026, 2 days ago" in text
    assert "https://steward.example.com/things/renew-contoso-freight/" in text
    assert "Quarterly review Fabrikam (Review)\n  due today" in text
    assert "Security audit Litware" in text
    assert "Far away" not in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://steward.example.com/things/security-audit-litware/"' in html
    assert "Contoso Freight AG" in html
    # and the provider was asked for the seven days from the digest's day
    assert due.asked == [("olga", TODAY, TODAY + dt.timedelta(days=7))]


def test_html_in_titles_is_escaped(due: DueBook) -> None:
    person = UserFactory(username="pat")
    due["pat"] = [item("<script>x</script> renewal", 1, url="/x/")]
    digest_send.call(user_id=person.pk, day=DAY)
    html = str(mail.outbox[0].alternatives[0][0])
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; renewal" in html


def test_a_day_is_sent_once_however_often_it_runs(due: DueBook) -> None:
    # given a person with something due
    person = UserFactory(username="quinn")
    due["quinn"] = [item("Renew Northwind", 3)]
    # when the day's digest runs twice, then the next day once
    first = digest_send.call(user_id=person.pk, day=DAY)
    again = digest_send.call(user_id=person.pk, day=DAY)
    next_day = digest_send.call(user_id=person.pk, day=(TODAY + dt.timedelta(days=1)).isoformat())
    # then one email per day went out
    assert (first, again, next_day) == (True, False, True)
    assert len(mail.outbox) == 2


def test_nothing_due_means_no_email(due: DueBook) -> None:
    person = UserFactory(username="rosa")
    assert digest_send.call(user_id=person.pk, day=DAY) is False
    assert mail.outbox == []


def test_a_failed_send_can_be_retried(due: DueBook, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a mail server that fails once
    person = UserFactory(username="sam")
    due["sam"] = [item("Renew Tailspin", 1)]
    original_send = mail.EmailMultiAlternatives.send
    failures = iter([ConnectionRefusedError("mail server down")])

    def flaky_send(self: Any, *args: Any, **kwargs: Any) -> int:
        for error in failures:
            raise error
        return original_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky_send)
    # when the digest fails, then runs again
    with pytest.raises(ConnectionRefusedError):
        digest_send.call(user_id=person.pk, day=DAY)
    # then the failure did not count as sent, and the retry delivered it
    assert digest_send.call(user_id=person.pk, day=DAY) is True
    assert len(mail.outbox) == 1


def test_only_active_inside_people_who_want_it_and_have_an_address_get_one(
    due: DueBook,
) -> None:
    # given people in every situation, each with something due
    wanted = UserFactory(username="wanted")
    UserFactory(username="opted_out", profile__digest_enabled=False)
    UserFactory(username="left", is_active=False)
    UserFactory(username="no_address", email="")
    # (people sits below parties, so the portal user's organization is made by name)
    vendor = apps.get_model("parties", "Organization").objects.create(
        legal_name="Contoso Freight AG", name_key="contoso freight", owner=wanted
    )
    UserFactory(username="portal", profile__organization=vendor)
    for name in ("wanted", "opted_out", "left", "no_address", "portal"):
        due[name] = [item(f"Renewal for {name}", 2)]
    # when the periodic job fans out for the day
    queued = digests_enqueue.call(slot=DAY)
    # then only the person who wants a digest and can receive it got one
    assert queued == 1
    assert [message.to for message in mail.outbox] == [[wanted.email]]


def test_the_scheduled_job_sends_each_digest_once_across_workers(
    due: DueBook, settings: Any
) -> None:
    # given the registered digest job at 07:00 and two people with things due
    settings.STEWARD_DIGEST_HOUR = 7
    (job,) = [job for job in periodic_jobs() if job.name == DIGEST_JOB]
    for name in ("tara", "uma"):
        UserFactory(username=name)
        due[name] = [item(f"Review with {name}", 1)]
    # when two workers look at the schedule before and after seven
    workers = [Scheduler(jobs=[job]), Scheduler(jobs=[job])]
    workers[0].tick(at_hour(6))
    for worker in workers:
        worker.tick(at_hour(7))
        worker.tick(at_hour(12))
    # then each person received exactly one digest that day
    assert sorted(message.to[0] for message in mail.outbox) == [
        "tara@example.com",
        "uma@example.com",
    ]


def test_new_unread_alerts_come_with_the_digest_and_alone_are_enough_to_send_it(
    due: DueBook, settings: Any
) -> None:
    settings.STEWARD_BASE_URL = "https://steward.example.com"
    # given a person with nothing due but two new alerts, one of them already read,
    # and an unread one from last week
    person = UserFactory(username="rosa")
    notifications_send(
        [
            Alert(
                person.pk, "vendor_segment_changed", "Acme moved to strategic", url="/vendors/7/"
            ),
            Alert(person.pk, "segment", "Beta moved to leverage"),
            Alert(person.pk, "segment", "Old news"),
        ]
    )
    Notification.objects.filter(title="Beta moved to leverage").update(read_at=at_hour(8))
    Notification.objects.filter(title="Old news").update(
        created_at=at_hour(8) - dt.timedelta(days=6)
    )
    Notification.objects.exclude(title="Old news").update(created_at=at_hour(7))
    # when the day's digest runs
    assert digest_send.call(user_id=person.pk, day=DAY) is True
    # then it carries the unread new alert with its link, and says nothing is due
    (message,) = mail.outbox
    assert message.subject == "Steward: 1 new alert"
    assert "NEW ALERTS\n\n- Acme moved to strategic" in message.body
    assert "https://steward.example.com/vendors/7/" in message.body
    assert "Beta moved" not in message.body
    assert "Old news" not in message.body
    assert "Nothing falls due this week" in message.body


def test_nothing_due_and_no_alerts_sends_nothing(due: DueBook) -> None:
    person = UserFactory(username="sam")
    assert digest_send.call(user_id=person.pk, day=DAY) is False
    assert mail.outbox == []
