"""Submitting bids: who may, when (the deadline's edges, by the server's clock, in any zone),
what a bid must hold (every error names its line and field and nothing is written), revision
history (immutable versions, race-safe numbering) and what the log and notification say."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from steward.bidding.models import Bid, BidAnswer, BidAttachment, BidLine
from steward.bidding.services import BidFile, BidRefusedError, LineOffer, bid_submit
from steward.bidding.tests.factories import (
    BidWorld,
    build_bid_world,
    make_event,
    offer,
    pdf_file,
    rate,
    submit,
)
from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.models import EventLogEntry, SourcingEvent
from steward.sourcing.tests.factories import BidderQuestionFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def footprint() -> tuple[int, ...]:
    """Everything a submission could leave behind."""
    return (
        Bid.objects.count(),
        BidLine.objects.count(),
        BidAnswer.objects.count(),
        BidAttachment.objects.count(),
        EventLogEntry.objects.count(),
        Notification.objects.count(),
        len(stored_files()),
    )


def set_times(world: BidWorld, *, opens_at: Any, closes_at: Any) -> SourcingEvent:
    SourcingEvent.objects.filter(pk=world.event.pk).update(opens_at=opens_at, closes_at=closes_at)
    world.event.refresh_from_db()
    world.invitation_a.refresh_from_db()
    return world.event


# --- a bid goes in --------------------------------------------------------------------------


def test_a_portal_user_of_the_invited_vendor_submits_a_bid(world: BidWorld) -> None:
    # given vendor A's portal user and an open event
    portal = world.cast.portal_a
    # when it bids on both lines with a file
    bid = submit(world, world.invitation_a, portal, attachments=[pdf_file()], notes="Net 30.")
    # then version 1 holds the lines, the answer and the file, as submitted
    assert bid.number == 1
    assert bid.submitted_by == portal
    assert bid.currency == "EUR"
    lines = {bl.line.number: bl for bl in bid.lines.all()}
    assert lines[1].unit_price == Decimal("2.4000")
    assert lines[2].unit_price == Decimal("12.00")
    assert lines[1].price_per == Decimal(1)
    assert lines[1].lead_time_days == 10
    assert bid.answers.get().text == "Two years, parts and labour."
    attachment = bid.attachments.get()
    assert attachment.original_name == "offer.pdf"
    assert attachment.file.read().startswith(b"%PDF")
    assert attachment.file.name.startswith("bids/")


def test_the_log_and_the_owner_notification_carry_no_amounts(world: BidWorld) -> None:
    # when vendor A bids
    submit(world, world.invitation_a, world.cast.portal_a, prices=("7.1234", "99.55"))
    # then the log says which version arrived, never what it offers
    entry = EventLogEntry.objects.get(event=world.event, action=LogAction.BID_SUBMITTED)
    assert entry.summary == "Bid version 1 submitted."
    assert entry.detail == {"version": 1}
    assert entry.invitation_id == world.invitation_a.pk
    # and the owner is told that a bid arrived, without amounts or the vendor
    note = Notification.objects.get(recipient=world.cast.owner, kind="bidding.received")
    text = f"{note.title} {note.body}"
    assert "A bid was received" in note.title
    for secret in ("7.1234", "7.12", "99.55", "EUR", "Aurora", "version"):
        assert secret not in text, secret
    assert not Notification.objects.filter(recipient=world.cast.portal_b).exists()


def test_inside_users_never_bid(world: BidWorld) -> None:
    for user in (world.cast.admin, world.cast.owner, world.buyer, world.cast.auditor):
        with pytest.raises(PermissionDenied):
            submit(world, world.invitation_a, user)
    assert Bid.objects.count() == 0


def test_another_vendors_portal_user_cannot_bid_on_an_invitation(world: BidWorld) -> None:
    with pytest.raises(PermissionDenied):
        submit(world, world.invitation_a, world.cast.portal_b)
    assert Bid.objects.count() == 0


def test_a_draft_invitation_is_not_the_vendors_yet(world: BidWorld) -> None:
    world.invitation_a.__class__.objects.filter(pk=world.invitation_a.pk).update(
        visible_to_vendor=False
    )
    world.invitation_a.refresh_from_db()
    with pytest.raises(PermissionDenied):
        submit(world, world.invitation_a, world.cast.portal_a)


def test_a_declined_invitation_takes_no_bid(world: BidWorld) -> None:
    world.invitation_a.__class__.objects.filter(pk=world.invitation_a.pk).update(
        status=InvitationStatus.DECLINED
    )
    world.invitation_a.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a)
    assert refused.value.code == "declined"
    assert Bid.objects.count() == 0


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_an_event_that_is_not_open_takes_no_bid(world: BidWorld, status: str) -> None:
    SourcingEvent.objects.filter(pk=world.event.pk).update(status=status)
    world.invitation_a.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a)
    assert refused.value.code == "not_open"
    assert not EventLogEntry.objects.filter(action=LogAction.BID_REFUSED).exists()


# --- the deadline's edges --------------------------------------------------------------------


def test_a_bid_one_microsecond_before_the_closing_time_is_in_time(world: BidWorld) -> None:
    closes = timezone.now() + dt.timedelta(hours=1)
    set_times(world, opens_at=closes - dt.timedelta(days=1), closes_at=closes)
    bid = submit(
        world, world.invitation_a, world.cast.portal_a, now=closes - dt.timedelta(microseconds=1)
    )
    assert bid.submitted_at == closes - dt.timedelta(microseconds=1)


def test_a_bid_at_the_closing_second_is_late_and_only_logged(world: BidWorld) -> None:
    # given an event closing at a known moment
    closes = dt.datetime(2031, 3, 14, 15, 0, tzinfo=UTC)
    set_times(world, opens_at=closes - dt.timedelta(days=1), closes_at=closes)
    before = footprint()
    # when a bid arrives at exactly that moment
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file()], now=closes)
    # then it is refused as late, saying when bidding closed
    assert refused.value.code == "late"
    assert "late" in refused.value.message
    assert "14 Mar 2031, 15:00:00 UTC" in refused.value.message
    # and one log entry is all it left
    after = footprint()
    assert after[4] == before[4] + 1
    assert after[:4] + after[5:] == before[:4] + before[5:]
    entry = EventLogEntry.objects.get(action=LogAction.BID_REFUSED)
    assert entry.invitation_id == world.invitation_a.pk
    assert entry.at == closes
    assert entry.detail == {"reason": "late"}
    assert "2.4" not in entry.summary


def test_a_bid_long_after_the_closing_time_is_late_even_if_the_job_has_not_closed_it(
    world: BidWorld,
) -> None:
    closes = timezone.now() - dt.timedelta(minutes=5)
    set_times(world, opens_at=closes - dt.timedelta(days=1), closes_at=closes)
    assert world.fresh_event().status == EventStatus.OPEN
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a)
    assert refused.value.code == "late"
    assert Bid.objects.count() == 0


def test_a_bid_before_the_opening_time_is_refused_and_at_it_accepted(world: BidWorld) -> None:
    opens = timezone.now() + dt.timedelta(hours=1)
    set_times(world, opens_at=opens, closes_at=opens + dt.timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        submit(
            world, world.invitation_a, world.cast.portal_a, now=opens - dt.timedelta(microseconds=1)
        )
    assert refused.value.code == "not_open_yet"
    assert EventLogEntry.objects.filter(action=LogAction.BID_REFUSED).count() == 1
    assert submit(world, world.invitation_a, world.cast.portal_a, now=opens).number == 1


AUCKLAND = ZoneInfo("Pacific/Auckland")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("closes", "moment"),
    [
        # 09:00 on New Year's Day in Auckland (summer, +13) is 20:00 UTC the day before.
        (
            dt.datetime(2031, 1, 1, 9, 0, tzinfo=AUCKLAND),
            dt.datetime(2030, 12, 31, 20, 0, tzinfo=UTC),
        ),
        # 17:00 on 1 July in New York (daylight saving, -4) is 21:00 UTC.
        (
            dt.datetime(2031, 7, 1, 17, 0, tzinfo=NEW_YORK),
            dt.datetime(2031, 7, 1, 21, 0, tzinfo=UTC),
        ),
        # 17:00 on 1 December in New York (standard time, -5) is 22:00 UTC.
        (
            dt.datetime(2031, 12, 1, 17, 0, tzinfo=NEW_YORK),
            dt.datetime(2031, 12, 1, 22, 0, tzinfo=UTC),
        ),
    ],
    ids=["auckland-summer", "new-york-summer", "new-york-winter"],
)
def test_a_closing_time_set_in_another_zone_is_the_same_moment_for_the_server(
    world: BidWorld, closes: dt.datetime, moment: dt.datetime
) -> None:
    # given a closing time entered in the buyer's zone
    set_times(world, opens_at=closes - dt.timedelta(days=3), closes_at=closes)
    assert world.fresh_event().closes_at == moment
    # when bids arrive by the server's (UTC) clock just before and at that moment
    bid = submit(
        world, world.invitation_a, world.cast.portal_a, now=moment - dt.timedelta(microseconds=1)
    )
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, now=moment)
    # then the first is in time and the second late
    assert bid.number == 1
    assert refused.value.code == "late"
    assert Bid.objects.count() == 1


def test_the_late_message_shows_the_closing_time_in_the_servers_zone(
    world: BidWorld, settings: Any
) -> None:
    settings.TIME_ZONE = "Pacific/Auckland"
    closes = dt.datetime(2031, 1, 1, 9, 0, tzinfo=AUCKLAND)
    set_times(world, opens_at=closes - dt.timedelta(days=3), closes_at=closes)
    with pytest.raises(DomainError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, now=closes + dt.timedelta(seconds=2))
    assert "bids closed at 01 Jan 2031, 09:00:00 NZDT" in refused.value.message
    assert "arrived at 01 Jan 2031, 09:00:02 NZDT" in refused.value.message


# --- revisions -------------------------------------------------------------------------------


def test_three_versions_each_kept_as_submitted_and_the_latest_counts(world: BidWorld) -> None:
    portal = world.cast.portal_a
    first = submit(world, world.invitation_a, portal, prices=("3.0000", "15.00"))
    second = submit(world, world.invitation_a, portal, prices=("2.8000", "14.00"))
    third = submit(world, world.invitation_a, portal, prices=("2.5000", "13.00"))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    # each version keeps its own prices
    prices = {
        bid.number: sorted(bid.lines.values_list("unit_price", flat=True))
        for bid in Bid.objects.filter(invitation=world.invitation_a)
    }
    assert prices == {
        1: [Decimal("3.0000"), Decimal("15.0000")],
        2: [Decimal("2.8000"), Decimal("14.0000")],
        3: [Decimal("2.5000"), Decimal("13.0000")],
    }
    # and the latest is the one the lists call latest
    from steward.bidding.filtersets import latest_only

    assert list(latest_only(Bid.objects.all()).values_list("pk", flat=True)) == [third.pk]
    # another vendor's numbering is its own
    assert submit(world, world.invitation_b, world.cast.portal_b).number == 1


def test_a_submitted_version_cannot_be_changed(world: BidWorld) -> None:
    bid = submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file()])
    line = bid.lines.first()
    answer = bid.answers.get()
    attachment = bid.attachments.get()
    assert line is not None
    bid.notes = "changed"
    line.unit_price = Decimal("0.0001")
    answer.text = "changed"
    attachment.original_name = "changed.pdf"
    for record in (bid, line, answer, attachment):
        with pytest.raises(ValidationError, match="cannot be changed"):
            record.save()
    fresh = Bid.objects.get(pk=bid.pk)
    assert fresh.notes == ""
    assert fresh.lines.get(line__number=1).unit_price == Decimal("2.4000")


def test_the_database_refuses_a_second_version_with_the_same_number(world: BidWorld) -> None:
    bid = submit(world, world.invitation_a, world.cast.portal_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.create(
            invitation=world.invitation_a,
            number=bid.number,
            currency="EUR",
            submitted_at=timezone.now(),
            submitted_by=world.cast.portal_a,
        )


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_get_two_numbers_on_postgresql(cast: Cast) -> None:
    # given two requests of vendor A's portal user arriving together
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent submissions need PostgreSQL (SQLite serializes writers)")
    world = build_bid_world(cast)
    barrier = threading.Barrier(2)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def bidder() -> None:
        try:
            barrier.wait()
            numbers.append(submit(world, world.invitation_a, world.cast.portal_a).number)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bidder) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then both went in, numbered one after the other
    assert errors == []
    assert sorted(numbers) == [1, 2]


# --- bad input: every error names its line and field, nothing is written ---------------------


BAD_LINE_VALUES = [
    ("unit_price", "", "required", "unit price: is missing"),
    ("unit_price", "abc", "invalid", "unit price: is not a number"),
    ("unit_price", "-1", "negative", "unit price: is negative"),
    ("unit_price", "1.23456", "decimal_places", "unit price: has more than 4 decimal places"),
    ("unit_price", "1e20", "too_large", "unit price: is too large"),
    ("unit_price", "NaN", "invalid", "unit price: is not a finite number"),
    ("price_per", "0", "invalid", "price per: is zero"),
    ("price_per", "0.0001", "decimal_places", "price per: has more than 3 decimal places"),
    ("delivery_cost", "5.001", "decimal_places", "delivery cost: has more than 2 decimal places"),
    ("lifecycle_cost", "-0.01", "negative", "life-cycle cost: is negative"),
    ("lead_time_days", "2.5", "not_whole", "lead time days: is not a whole number of days"),
    ("lead_time_days", "-1", "out_of_range", "lead time days: must be from 0 to 3650 days"),
    ("lead_time_days", "", "required", "lead time days: is missing"),
    ("notes", "a\x00b", "invalid", "notes: remove the NUL character"),
]


@pytest.mark.parametrize(("field", "value", "code", "fragment"), BAD_LINE_VALUES)
def test_a_bad_value_names_the_line_and_field_and_writes_nothing(
    world: BidWorld, field: str, value: str, code: str, fragment: str
) -> None:
    # given a bid whose line 2 has one bad value, with a file
    lines = [offer(world.line1, "2.40"), {**offer(world.line2, "12.00"), field: value}]
    before = footprint()
    # when it is submitted
    with pytest.raises(BidRefusedError) as refused:
        bid_submit(
            actor=world.cast.portal_a,
            invitation=world.invitation_a,
            currency="EUR",
            lines=lines,
            answers={world.question: "Two years."},
            attachments=[pdf_file()],
        )
    # then the one problem names line 2 and the field
    [problem] = refused.value.problems
    assert problem.code == code
    assert problem.field == f"lines[2].{field}"
    assert problem.message.startswith("Line 2 (Seal kit), ")
    assert fragment in problem.message
    # and nothing was written or stored
    assert footprint() == before


def test_every_problem_is_reported_at_once(world: BidWorld) -> None:
    BidderQuestionFactory(event=world.event, number=2, text="Certifications?", required=False)
    before = footprint()
    with pytest.raises(BidRefusedError) as refused:
        bid_submit(
            actor=world.cast.portal_a,
            invitation=world.invitation_a,
            currency="EURO",
            lines=[
                offer(world.line1, "x"),
                offer(world.line1, "1"),
                {"line": 999999, "unit_price": "1", "lead_time_days": 1},
                offer(world.line2, "1", lead_time_days="soon"),
            ],
            answers={},
            notes="fine",
            attachments=[pdf_file("fake.pdf", "")],
        )
    fields = [problem.field for problem in refused.value.problems]
    assert fields == [
        "currency",
        "lines[1].unit_price",
        "lines[1].line",
        "lines[row 3].line",
        "lines[2].lead_time_days",
        "answers[1]",
    ]
    codes = [problem.code for problem in refused.value.problems]
    assert codes == [
        "currency",
        "invalid",
        "duplicate_line",
        "unknown_line",
        "not_whole",
        "answer_required",
    ]
    assert footprint() == before


def test_a_bid_needs_a_line(world: BidWorld) -> None:
    with pytest.raises(BidRefusedError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, prices=())
    assert refused.value.problems[0].code == "no_lines"
    assert Bid.objects.count() == 0


def test_a_line_of_another_event_is_refused(world: BidWorld, cast: Cast) -> None:
    other = make_event(cast.owner, category=world.event.category)
    foreign = other.lines.get()
    with pytest.raises(BidRefusedError) as refused:
        bid_submit(
            actor=world.cast.portal_a,
            invitation=world.invitation_a,
            currency="EUR",
            lines=[offer(foreign, "1.00")],
            answers={world.question: "yes"},
        )
    assert [p.field for p in refused.value.problems] == ["lines[row 1].line"]


def test_required_answers_are_required_and_optional_ones_are_not(world: BidWorld) -> None:
    optional = BidderQuestionFactory(
        event=world.event, number=2, text="Anything else?", required=False
    )
    with pytest.raises(BidRefusedError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, answers={world.question: "  "})
    assert [p.field for p in refused.value.problems] == ["answers[1]"]
    assert "Question 1 needs an answer" in refused.value.message
    bid = submit(world, world.invitation_a, world.cast.portal_a, answers={world.question.pk: "Yes"})
    assert list(bid.answers.values_list("question_id", flat=True)) == [world.question.pk]
    assert optional.pk not in bid.answers.values_list("question_id", flat=True)


def test_answers_to_unknown_questions_are_refused(world: BidWorld) -> None:
    with pytest.raises(BidRefusedError) as refused:
        submit(
            world,
            world.invitation_a,
            world.cast.portal_a,
            answers=[
                {"question": world.question.pk, "text": "a"},
                {"question": 999999, "text": "b"},
            ],
        )
    assert [p.code for p in refused.value.problems] == ["unknown_question"]


def test_a_currency_without_a_rate_cannot_be_compared_and_is_refused(world: BidWorld) -> None:
    with pytest.raises(BidRefusedError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, currency="JPY")
    [problem] = refused.value.problems
    assert problem.code == "no_rate"
    assert problem.field == "currency"
    assert "cannot be compared" in problem.message
    assert Bid.objects.count() == 0
    # with a rate in the ledger the same bid goes in
    rate("JPY", "0.0062")
    assert submit(world, world.invitation_a, world.cast.portal_a, currency="jpy").currency == "JPY"


def test_a_refused_file_stores_nothing_and_names_the_file(world: BidWorld) -> None:
    before = footprint()
    fake = pdf_file("second.pdf")
    fake.file.write(b"")
    not_a_pdf = type(fake)("second.pdf", b"just text", content_type="application/pdf")
    with pytest.raises(BidRefusedError) as refused:
        submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file(), not_a_pdf])
    [problem] = refused.value.problems
    assert problem.field == "files[2]"
    assert problem.code == "file_content"
    assert problem.message.startswith("File 2: ")
    assert footprint() == before


def test_a_failure_after_storing_files_removes_them(world: BidWorld, monkeypatch: Any) -> None:
    # given the log write fails after the files were stored
    from steward.bidding.services import submission

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(submission, "log_event", broken)
    before = footprint()
    with pytest.raises(RuntimeError):
        submit(
            world,
            world.invitation_a,
            world.cast.portal_a,
            attachments=[pdf_file(), pdf_file("b.pdf")],
        )
    # then neither rows nor files remain
    assert footprint() == before


def test_files_may_belong_to_a_line_of_the_event(world: BidWorld) -> None:
    bid = submit(
        world,
        world.invitation_a,
        world.cast.portal_a,
        attachments=[BidFile(pdf_file("drawing.pdf"), line=world.line2.pk)],
    )
    assert bid.attachments.get().line == world.line2
    with pytest.raises(BidRefusedError) as refused:
        submit(
            world,
            world.invitation_a,
            world.cast.portal_a,
            attachments=[BidFile(pdf_file(), line=999999)],
        )
    assert refused.value.problems[0].field == "files[1]"


def test_line_offers_may_be_dataclasses_with_a_price_per_pack(world: BidWorld) -> None:
    bid = bid_submit(
        actor=world.cast.portal_a,
        invitation=world.invitation_a,
        currency="EUR",
        lines=[
            LineOffer(
                line=world.line1, unit_price=Decimal(240), price_per=Decimal(100), lead_time_days=7
            )
        ],
        answers={world.question: "Two years."},
    )
    line = bid.lines.get()
    assert (line.unit_price, line.price_per, line.lead_time_days) == (Decimal(240), Decimal(100), 7)
