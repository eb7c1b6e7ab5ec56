"""The renewal radar: windows and teams, decisions per term, reminders at offsets exactly once,
the daily roll-forward, the renewal pack and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from steward.contracts import plugins, services, tasks, views_feed
from steward.contracts import selectors_renewals as radar_reads
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, RenewalDecision, RenewalReminderSent
from steward.contracts.services.renewals import REMINDER_ALERT, due_offset
from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.core.schedule import periodic_jobs
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def in_force(
    cast: Cast,
    *,
    title: str = "Castings supply",
    notice: dt.date | None = None,
    end: dt.date | None = None,
    status: str = ContractStatus.ACTIVE,
    actor: Any = None,
    relationship: Any = None,
) -> Contract:
    """A contract whose notice deadline and end are put straight where the test needs them."""
    contract = services.contract_create(
        actor=actor or cast.owner,
        relationship=relationship or cast.rel_a,
        title=title,
        kind=ContractKind.MASTER,
        start_date=dt.date(2025, 1, 1),
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=status, notice_deadline=notice, end_date=end or dt.date(2027, 12, 31)
    )
    contract.refresh_from_db()
    return contract


def days(n: int) -> dt.date:
    return ON + dt.timedelta(days=n)


# --- the radar -------------------------------------------------------------------------------


@pytest.fixture
def spread(cast: Cast) -> dict[str, Contract]:
    return {
        "today": in_force(cast, title="Today", notice=days(0)),
        "at30": in_force(cast, title="At 30", notice=days(30)),
        "at31": in_force(cast, title="At 31", notice=days(31)),
        "end45": in_force(cast, title="Ends at 45", notice=days(-5), end=days(45)),
        "at90": in_force(cast, title="At 90", notice=days(90), end=days(180)),
        "at91": in_force(cast, title="At 91", notice=days(91)),
        "expiring": in_force(cast, title="Expiring", notice=days(10), status="expiring"),
        "draft": in_force(cast, title="Draft", notice=days(10), status="draft"),
        "theirs": in_force(
            cast, title="Theirs", notice=days(5), actor=cast.outsider, relationship=cast.rel_b
        ),
    }


def titles(entries: list[radar_reads.RadarEntry]) -> list[str]:
    return [e.contract.title for e in entries]


def test_the_radar_windows_include_their_last_day(cast: Cast, spread: dict[str, Contract]) -> None:
    thirty = radar_reads.radar(user=cast.owner, on=ON, days=30)
    assert titles(thirty) == ["Today", "Expiring", "At 30"]
    assert [e.days_left for e in thirty] == [0, 10, 30]
    assert {e.trigger for e in thirty} == {"notice_deadline"}
    sixty = radar_reads.radar(user=cast.owner, on=ON, days=60)
    assert titles(sixty) == ["Today", "Expiring", "At 30", "At 31", "Ends at 45"]
    ends = sixty[-1]
    # its notice deadline has passed; the end of term is what the radar shows
    assert (ends.trigger, ends.date, ends.days_left) == ("end_date", days(45), 45)
    assert ends.trigger_label == "End of term"
    ninety = radar_reads.radar(user=cast.owner, on=ON, days=90)
    assert titles(ninety)[-1] == "At 90"
    assert "At 91" not in titles(ninety)
    assert "Draft" not in titles(ninety)


def test_the_radar_reads_through_the_access_policy(cast: Cast, spread: dict[str, Contract]) -> None:
    assert "Today" in titles(radar_reads.radar(user=cast.reviewer, on=ON))
    assert titles(radar_reads.radar(user=cast.outsider, on=ON)) == ["Theirs"]
    assert radar_reads.radar(user=cast.portal_a, on=ON, days=90) == []


def test_the_team_radar_shows_a_managers_reports(cast: Cast, spread: dict[str, Contract]) -> None:
    # the manager's report owns A's contracts; the outsider is no report of theirs
    team = titles(radar_reads.radar(user=cast.manager, on=ON, days=30, team=True))
    assert team == ["Today", "Expiring", "At 30"]
    # the director manages them indirectly
    assert radar_reads.radar(user=cast.director, on=ON, team=True)
    # one owner's radar, and a team radar of someone with no reports
    assert titles(radar_reads.radar(user=cast.admin, on=ON, owner=cast.outsider)) == ["Theirs"]
    assert radar_reads.radar(user=cast.member, on=ON, team=True) == []
    assert radar_reads.radar(user=cast.member, on=ON)  # they edit the relationship


def test_a_nonsense_window_is_refused(cast: Cast) -> None:
    with pytest.raises(ValueError, match="days ahead"):
        radar_reads.radar(user=cast.owner, on=ON, days=-1)


# --- decisions -------------------------------------------------------------------------------


def test_a_later_decision_for_the_same_term_supersedes_and_keeps_the_first(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    with pytest.raises(DomainError) as refused:
        services.renewal_decide(actor=cast.owner, contract=contract, decision="renew", rationale="")
    assert refused.value.field == "rationale"
    first = services.renewal_decide(
        actor=cast.owner, contract=contract, decision="renew", rationale="Good service"
    )
    assert first.for_term_ending == days(120)
    second = services.renewal_decide(
        actor=cast.member, contract=contract, decision="renegotiate", rationale="Price rose 12%"
    )
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert not first.is_current
    assert second.is_current
    assert second.supersedes == first
    assert first.history.count() == 2  # created, then superseded
    # a decision about another term stands alongside
    services.renewal_decide(
        actor=cast.owner,
        contract=contract,
        decision="terminate",
        rationale="Exit at the next term",
        for_term_ending=days(485),
    )
    current = RenewalDecision.objects.filter(contract=contract, superseded_at__isnull=True)
    assert current.count() == 2
    history = radar_reads.decision_history(user=cast.reviewer, contract=contract)
    assert len(history) == 3


def test_only_those_who_change_the_contract_decide(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30))
    for actor in (cast.reviewer, cast.outsider, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.renewal_decide(
                actor=actor, contract=contract, decision="renew", rationale="Fine"
            )
    assert not RenewalDecision.objects.restrict(cast.outsider).exists()


# --- reminders -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(91, None), (90, 90), (89, 90), (60, 60), (31, 60), (30, 30), (7, 7), (0, 7)],
)
def test_the_reminder_due_is_the_smallest_offset_reached(
    days_left: int, expected: int | None
) -> None:
    assert due_offset(days_left, [90, 60, 30, 7]) == expected


@pytest.fixture
def outbox(settings: Any) -> list[Any]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def reminders(cast: Cast) -> list[str]:
    return list(
        Notification.objects.filter(recipient=cast.owner, kind=REMINDER_ALERT)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_reminders_go_out_once_per_offset_even_when_the_task_runs_twice(
    cast: Cast, outbox: list[Any]
) -> None:
    # given a contract whose notice deadline is 90 days away
    contract = in_force(cast, notice=days(90))
    cast.owner.email = "owner@example.test"
    cast.owner.save()
    # when the daily task runs twice on each of several days
    for day in (ON, ON, days(1), days(30), days(30), days(31), days(83), days(83)):
        tasks.renewal_reminders_send.enqueue(slot=day.isoformat())
    # then the owner got the 90-, 60- and 7-day reminders, each once, in the app and by email
    sent = RenewalReminderSent.objects.filter(contract=contract).order_by("sent_on")
    assert [(r.offset, r.sent_on) for r in sent] == [(90, ON), (60, days(30)), (7, days(83))]
    assert len(reminders(cast)) == 3
    assert "in 90 days" in reminders(cast)[0]
    assert [m.to for m in outbox] == [["owner@example.test"]] * 3
    assert "Castings supply" in outbox[0].subject


def test_a_contract_entered_late_gets_only_the_latest_reminder(
    cast: Cast, outbox: list[Any]
) -> None:
    in_force(cast, notice=days(20))
    assert services.renewal_reminders_deliver(day=ON) == 1
    assert services.renewal_reminders_deliver(day=days(1)) == 0
    assert RenewalReminderSent.objects.get().offset == 30
    assert len(outbox) == 1
    # without an address there is no email; the alert still goes
    cast.owner.email = ""
    cast.owner.save()
    in_force(cast, title="Second", notice=days(25))
    assert services.renewal_reminders_deliver(day=days(1)) == 1
    assert len(outbox) == 1
    assert len(reminders(cast)) == 2
    # ended or draft contracts are not reminded
    in_force(cast, title="Draft", notice=days(7), status="draft")
    assert services.renewal_reminders_deliver(day=days(2)) == 0


def test_the_reminder_policy_is_the_administrators(cast: Cast) -> None:
    policy = services.reminder_policy()
    assert policy.offsets == [90, 60, 30, 7]
    with pytest.raises(PermissionDenied):
        services.reminder_policy_update(
            actor=cast.owner, expected_version=policy.version, offsets=[30]
        )
    typed_in: list[Any] = [30, "soon"]  # what a form or the API might send
    with pytest.raises(DomainError) as refused:
        services.reminder_policy_update(
            actor=cast.admin, expected_version=policy.version, offsets=typed_in
        )
    assert refused.value.field == "offsets"
    updated = services.reminder_policy_update(
        actor=cast.admin, expected_version=policy.version, offsets=[14, 45, 14]
    )
    assert updated.offsets == [45, 14]
    # reminders follow the new offsets
    in_force(cast, notice=days(45))
    assert services.renewal_reminders_deliver(day=ON) == 1
    assert RenewalReminderSent.objects.get().offset == 45


# --- roll-forward ----------------------------------------------------------------------------


def test_the_roll_forward_task_moves_auto_renewing_contracts_once(cast: Cast) -> None:
    # given an auto-renewing yearly contract from 2024 still showing its first term
    contract = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Cloud hosting",
        kind=ContractKind.MASTER,
        start_date=dt.date(2024, 1, 1),
        term_months=12,
        auto_renews=True,
        notice_count=3,
        notice_unit="months",
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE,
        end_date=dt.date(2024, 12, 31),
        notice_deadline=dt.date(2024, 9, 30),
    )
    fixed = in_force(cast, title="Fixed term", notice=days(10))
    # when the task runs twice in June 2025
    first = tasks.contracts_roll_forward.enqueue(slot="2025-06-01")
    second = tasks.contracts_roll_forward.enqueue(slot="2025-06-01")
    # then the contract is in its second term, moved once; the fixed one is untouched
    contract.refresh_from_db()
    assert contract.end_date == dt.date(2025, 12, 31)
    assert contract.notice_deadline == dt.date(2025, 9, 30)
    assert (first.return_value, second.return_value) == (1, 0)
    assert Contract.objects.get(pk=fixed.pk).notice_deadline == days(10)


# --- the renewal pack ------------------------------------------------------------------------


def test_the_renewal_pack_assembles_what_is_known(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    services.obligation_add(
        actor=cast.owner,
        contract=contract,
        title="Insurance certificate",
        kind="insurance",
        owed_by="them",
        due_on=days(10),
    )
    services.negotiation_log(
        actor=cast.owner, contract=contract, term="price", our_position="-5%", logged_on=ON
    )
    services.renewal_decide(
        actor=cast.owner, contract=contract, decision="renegotiate", rationale="Price"
    )
    radar_reads.register_pack_section("vendor", lambda user, c: {"name": str(c.relationship)})
    try:
        pack = radar_reads.renewal_pack(user=cast.reviewer, contract=contract, on=ON)
    finally:
        radar_reads._pack_sections.pop("vendor")
    assert pack["days_left"] == 30
    assert pack["terms"]["counterparty"] == "Aurora Metals"
    assert [o.title for o in pack["open_obligations"]] == ["Insurance certificate"]
    assert len(pack["negotiation"]) == 1
    assert pack["decisions"][0].decision == "renegotiate"
    assert pack["vendor"]["name"] == str(contract.relationship)
    assert pack["sla"] is None or set(pack["sla"]) == {"service_levels", "open_breaches", "credits"}
    with pytest.raises(PermissionDenied):
        radar_reads.renewal_pack(user=cast.outsider, contract=contract)


# --- the iCalendar feed ----------------------------------------------------------------------


def events(feed: bytes) -> list[tuple[str, dt.date]]:
    calendar = Calendar.from_ical(feed)
    return sorted(
        (str(event["summary"]), event.decoded("dtstart")) for event in calendar.walk("VEVENT")
    )


def test_the_feed_holds_deadlines_of_contracts_the_user_owns_or_serves_on(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    in_force(cast, title="Long gone", notice=days(-200), end=days(-100))
    in_force(cast, title="Draft", notice=days(5), status="draft")
    feed = radar_reads.feed_for_user(cast.owner, ON)
    assert feed.startswith(b"BEGIN:VCALENDAR")
    assert events(feed) == [
        ("End of term: Castings supply (Aurora Metals)", days(120)),
        ("Notice deadline: Castings supply (Aurora Metals)", days(30)),
    ]
    # the reviewer reads the contract but has no part in it; as a stakeholder they get it
    assert events(radar_reads.feed_for_user(cast.reviewer, ON)) == []
    services.stakeholder_add(actor=cast.owner, contract=contract, user=cast.reviewer, role="legal")
    assert len(events(radar_reads.feed_for_user(cast.reviewer, ON))) == 2
    assert events(radar_reads.feed_for_user(cast.outsider, ON)) == []


def test_notice_deadlines_are_due_items_and_the_daily_jobs_are_scheduled(cast: Cast) -> None:
    in_force(cast, notice=days(3))
    in_force(cast, title="Passed", notice=days(-1))
    (item,) = plugins.notice_deadlines_due(cast.owner, ON, days(7))
    assert (item.kind, item.due_on) == ("notice_deadline", days(3))
    assert plugins.notice_deadlines_due(cast.reviewer, ON, days(7)) == []  # not theirs
    scheduled = {job.name for job in periodic_jobs()}
    assert {tasks.ROLL_FORWARD_JOB, tasks.REMINDERS_JOB, tasks.OBLIGATION_ALERTS_JOB} <= scheduled


def test_the_feed_view_answers_a_good_token_only(cast: Cast, rf: Any) -> None:
    in_force(cast, notice=timezone.localdate() + dt.timedelta(days=5))
    token = views_feed.feed_token(cast.owner)
    response = views_feed.deadlines_feed(rf.get("/feed"), token=token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"Notice deadline: Castings supply" in response.content
    # a forged, malformed or portal user's token answers 404
    for bad in (f"{cast.owner.pk}-0000", "nonsense", views_feed.feed_token(cast.portal_a)):
        with pytest.raises(Http404):
            views_feed.deadlines_feed(rf.get("/feed"), token=bad)
    # a new password revokes the old URL
    cast.owner.set_password("a-new-long-passphrase")
    cast.owner.save()
    assert views_feed.user_for_feed_token(token) is None
    assert views_feed.user_for_feed_token(views_feed.feed_token(cast.owner)) == cast.owner
