"""Submitting a bid: a new immutable version of an invitee's offer, while the event takes bids.

The server's clock decides: a bid is in time from the opening moment (inclusive) until the
closing moment (exclusive), so one that arrives at the closing second is late. A refused late
or early bid leaves one entry in the event's log and nothing else. The version number is the
invitee's last plus one, taken under locks on the event and invitation rows, so two submissions
at once get two numbers. Nothing of a bid's contents goes into the log or the notification: the
buyer reads both before the seal lifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steward.bidding.models import Bid, BidAnswer, BidAttachment, BidLine
from steward.bidding.services.checks import (
    NOTES_MAX,
    BidRefusedError,
    CheckedBid,
    check_answers,
    check_currency,
    check_files,
    check_lines,
    plain_text,
)
from steward.core.access import principal_for
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.uploads import StoredUpload, store_upload
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.models import EventInvitation, SourcingEvent
from steward.sourcing.selectors import bidder_questions_of, lines_of
from steward.sourcing.services.common import locked_event
from steward.sourcing.services.log import log_event

RECEIVED_ALERT = "bidding.received"
UPLOAD_FOLDER = "bids"


class _RefusedByTheClockError(Exception):
    """Leaves the bid's transaction so the refusal can be logged on its own."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


def moment_text(moment: dt.datetime) -> str:
    """A moment as the server's zone shows it, to the second (deadlines are to the second)."""
    local = timezone.localtime(moment)
    return f"{local:%d %b %Y, %H:%M:%S} {local.tzname()}"


def timing_refusal(event: SourcingEvent, now: dt.datetime) -> DomainError | None:
    """Why the event takes no bid at ``now``, or None when it does."""
    if event.status == EventStatus.CANCELLED:
        return DomainError("The event was cancelled; it takes no bids.", code="not_open")
    if event.closes_at is not None and now >= event.closes_at:
        return DomainError(
            f"The bid was late: bids closed at {moment_text(event.closes_at)} and it arrived "
            f"at {moment_text(now)}, by the server's clock. It was not accepted.",
            code="late",
        )
    if event.status != EventStatus.OPEN or event.closes_at is None:
        return DomainError("The event is not open for bids.", code="not_open")
    if event.opens_at is not None and now < event.opens_at:
        return DomainError(
            f"Bids open at {moment_text(event.opens_at)}; this one arrived at "
            f"{moment_text(now)}, by the server's clock. It was not accepted.",
            code="not_open_yet",
        )
    if not event.accepts_bids_at(now):  # the model's own rule has the last word
        return DomainError("The event is not open for bids.", code="not_open")
    return None


def _refuse(
    event: SourcingEvent, invitation: EventInvitation, actor: Any, error: DomainError, now: Any
) -> NoReturn:
    """Raise ``error``; a bid refused by the clock leaves one log entry and nothing else."""
    if error.code in ("late", "not_open_yet"):
        why = "after the closing time" if error.code == "late" else "before the opening time"
        log_event(
            event,
            LogAction.BID_REFUSED,
            f"A bid arrived {why} and was refused.",
            actor=actor,
            invitation=invitation,
            detail={"reason": error.code},
            at=now,
        )
    raise error


def require_bidder(actor: Any, invitation: EventInvitation) -> None:
    """Only a portal user of the invited vendor bids, through an invitation it may see."""
    principal = principal_for(actor)
    visible = (
        principal.is_external
        and EventInvitation.objects.restrict(actor).filter(pk=invitation.pk).exists()
    )
    if not visible:
        raise PermissionDenied("Only the invited vendor's portal users bid.")


def _checked(
    event: SourcingEvent,
    *,
    currency: Any,
    lines: Iterable[Any],
    answers: Any,
    notes: str,
    attachments: Any,
    day: dt.date,
) -> CheckedBid:
    event_lines = list(lines_of(event))
    questions = list(bidder_questions_of(event))
    problems: list[DomainError] = []
    checked = CheckedBid(currency="", notes="")
    steps = (
        ("currency", lambda: check_currency(currency, event, day)),
        ("lines", lambda: check_lines(event_lines, lines)),
        ("answers", lambda: check_answers(questions, answers)),
        (
            "notes",
            lambda: plain_text(notes, field_name="notes", label="The notes", limit=NOTES_MAX),
        ),
        ("files", lambda: check_files(event_lines, attachments)),
    )
    for name, step in steps:
        try:
            setattr(checked, name, step())
        except DomainError as error:
            problems.extend(getattr(error, "problems", [error]))
    if problems:
        raise BidRefusedError(problems)
    return checked


def _store(bid: Bid, checked: CheckedBid, actor: Any, stored: list[StoredUpload]) -> None:
    for upload, line in checked.files:
        kept = store_upload(upload, folder=UPLOAD_FOLDER)
        stored.append(kept)
        attachment = BidAttachment(
            bid=bid,
            line=line,
            original_name=kept.original_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            uploaded_by=actor,
        )
        attachment.file.name = kept.name
        attachment.save()


def _tell_owner(event: SourcingEvent) -> None:
    """A bid arrived: no vendor, no version, no amount (the owner reads this before close)."""
    notifications_send(
        [
            Alert(
                recipient_id=event.owner_id,
                kind=RECEIVED_ALERT,
                title=f"A bid was received on {event.reference}",
                body=f"Bids stay sealed until {moment_text(event.closes_at)}."
                if event.closes_at
                else "",
                url=event.get_absolute_url(),
            )
        ]
    )


def _write(
    *, actor: Any, invitation: EventInvitation, checked: CheckedBid, now: dt.datetime
) -> Bid:
    stored: list[StoredUpload] = []
    try:
        with transaction.atomic():
            # Locks in sourcing's order (the event, then the invitation): a deadline change
            # and a bid never interleave, and two bids of one invitee get two numbers.
            event = locked_event(invitation.event)
            locked = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.status == InvitationStatus.DECLINED:
                raise DomainError("You declined this invitation; it takes no bid.", code="declined")
            refusal = timing_refusal(event, now)
            if refusal is not None:
                raise _RefusedByTheClockError(refusal)
            last = Bid.objects.filter(invitation=locked).aggregate(last=Max("number"))["last"]
            bid = Bid(
                invitation=locked,
                number=(last or 0) + 1,
                currency=checked.currency,
                notes=checked.notes,
                submitted_at=now,
                submitted_by=actor,
            )
            bid.save()
            for line in checked.lines:
                line.bid = bid
            BidLine.objects.bulk_create(checked.lines)
            BidAnswer.objects.bulk_create(
                [BidAnswer(bid=bid, question=q, text=text) for q, text in checked.answers]
            )
            _store(bid, checked, actor, stored)
            log_event(
                event,
                LogAction.BID_SUBMITTED,
                f"Bid version {bid.number} submitted.",
                actor=actor,
                invitation=locked,
                detail={"version": bid.number},
                at=now,
            )
            _tell_owner(event)
            return bid
    except _RefusedByTheClockError as refused:
        event = SourcingEvent.objects.get(pk=invitation.event_id)
        _refuse(event, invitation, actor, refused.error, now)
    except BaseException:
        # The rows were rolled back: their stored files must not linger without them.
        for kept in stored:
            default_storage.delete(kept.name)
        raise


def bid_submit(
    *,
    actor: Any,
    invitation: EventInvitation,
    currency: str,
    lines: Iterable[Any],
    answers: Any = None,
    notes: str = "",
    attachments: Any = None,
    now: dt.datetime | None = None,
) -> Bid:
    """Submit the next version of the invitee's bid; every earlier version stays as it was.

    ``lines`` are mappings or ``LineOffer``s (line: an EventLine or its id, unit_price,
    price_per, lead_time_days, delivery_cost, lifecycle_cost, notes); ``answers`` maps a
    question (or its id) to the answer's text, or is a list of {question, text};
    ``attachments`` are uploads or ``BidFile``s. Raises BidRefusedError naming every bad line,
    field, answer or file, DomainError when the event takes no bid (a late one is logged), and
    PermissionDenied for anyone but the invited vendor's portal users.
    """
    now = now or timezone.now()
    require_bidder(actor, invitation)
    event = SourcingEvent.objects.get(pk=invitation.event_id)
    if invitation.status == InvitationStatus.DECLINED:
        raise DomainError("You declined this invitation; it takes no bid.", code="declined")
    refusal = timing_refusal(event, now)
    if refusal is not None:
        _refuse(event, invitation, actor, refusal, now)
    checked = _checked(
        event,
        currency=currency,
        lines=lines,
        answers=answers,
        notes=notes,
        attachments=attachments,
        day=timezone.localdate(now),
    )
    return _write(actor=actor, invitation=invitation, checked=checked, now=now)
