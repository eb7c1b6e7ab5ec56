"""The vendor's answer to an award, and what happens without one.

The winner's portal users confirm or decline an approved award before its ``confirm_by``.
Confirming drafts the contract and records the saving (``handover.py``). Declining, or letting
the deadline pass (``awards_lapse_due``, a scheduled job), makes the lines fall to the next bid in
the ranking for the same lines after the one that failed, skipping vendors that already let
them go; that award waits for its vendor's confirmation at once. With no bid left the owner is
told, and an event whose awards all fell through is closed again to be awarded anew. When no
award is waiting any more, the bidders who won nothing are told (never who won, or at what).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.awards.choices import AwardStatus
from steward.awards.matrix import last_bids
from steward.awards.models import Award
from steward.awards.services import handover, notify
from steward.awards.services.common import (
    FAILED,
    PENDING,
    award_create,
    award_line_ids,
    lock_event,
    organization_of,
    plain_text,
    system_sheet,
)
from steward.bidding.models import Bid
from steward.core.access import Action, principal_for, require
from steward.core.errors import DomainError, TransitionError
from steward.core.services import save_with_history
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import EventLogEntry, SourcingEvent
from steward.sourcing.services.log import log_event
from steward.sourcing.services.status import set_status

logger = logging.getLogger(__name__)


def _require_winner(actor: Any, award: Award) -> None:
    """Only the awarded vendor's own portal users answer an award."""
    require(actor, Action.VIEW, award)
    principal = principal_for(actor)
    if not principal.is_external or principal.portal_organization_id != organization_of(
        award.invitation
    ):
        raise PermissionDenied("Only the awarded vendor's portal users confirm or decline.")


def _locked_open(award: Award, now: dt.datetime) -> tuple[SourcingEvent, Award]:
    """The event and the award under locks (event first), refused unless it awaits an answer."""
    event = lock_event(award.event)
    locked = (
        Award.objects.select_for_update().select_related("event", "invitation").get(pk=award.pk)
    )
    if locked.status != AwardStatus.AWAITING_CONFIRMATION:
        raise TransitionError(
            f"This award is {locked.get_status_display().lower()}; there is nothing to answer.",
            field="status",
        )
    if locked.confirm_by is not None and now > locked.confirm_by:
        raise DomainError(
            "The time to confirm this award has passed; it lapses.",
            field="status",
            code="expired",
        )
    return event, locked


def award_confirm(*, actor: Any, award: Award) -> Award:
    """The vendor takes the award: a draft contract and the saving follow."""
    _require_winner(actor, award)
    now = timezone.now()
    with transaction.atomic():
        event, locked = _locked_open(award, now)
        locked.status = AwardStatus.CONFIRMED
        locked.responded_at = now
        locked.responded_by = actor
        save_with_history(locked, actor=actor, reason="Confirmed by the vendor")
        log_event(
            event,
            LogAction.AWARD_CONFIRMED,
            "Award confirmed by the vendor.",
            actor=actor,
            invitation=locked.invitation,
        )
        _hand_over(event, locked)
        notify.tell_owner(
            event,
            kind=notify.RESPONDED_ALERT,
            title=f"{locked.invitation.supplier} confirmed the award of {event.reference}",
            body="A draft contract and the saving are recorded; see the award.",
        )
        tell_unsuccessful_when_done(event)
    return locked


def _hand_over(event: SourcingEvent, award: Award) -> None:
    drafter = handover.drafter_of(award)
    contract = handover.contract_draft(award, drafter=drafter)
    log_event(
        event,
        LogAction.CONTRACT_DRAFTED,
        f"Contract drafted: {contract.get_kind_display()} “{contract.title}”.",
        actor=drafter,
        invitation=award.invitation,
        detail={"award": award.pk, "contract": contract.pk},
    )
    savings = handover.savings_record(award, drafter=drafter, contract=contract)
    if savings is not None:
        log_event(
            event,
            LogAction.SAVINGS_RECORDED,
            "Saving recorded against the target or last price paid.",
            actor=drafter,
            invitation=award.invitation,
            detail={"award": award.pk, "savings": savings.pk},
        )
    award.contract = contract
    award.savings = savings
    save_with_history(award, actor=drafter, reason="Contract drafted, saving recorded")


def award_decline(*, actor: Any, award: Award, reason: str) -> Award:
    """The vendor turns the award down; its lines fall to the next-ranked bid."""
    _require_winner(actor, award)
    reason = plain_text(reason, field="reason", required="Say why you decline the award.")
    now = timezone.now()
    with transaction.atomic():
        event, locked = _locked_open(award, now)
        locked.status = AwardStatus.DECLINED
        locked.responded_at = now
        locked.responded_by = actor
        locked.response_note = reason
        save_with_history(locked, actor=actor, reason="Declined by the vendor")
        log_event(
            event,
            LogAction.AWARD_DECLINED,
            f"Award declined by the vendor: {reason}",
            actor=actor,
            invitation=locked.invitation,
        )
        fall_to_next(event, locked, now=now)
    return locked


def awards_lapse_due(now: dt.datetime | None = None) -> int:
    """The scheduled job: every award past its confirm-by lapses and falls to the next bid.

    Each award in its own transaction, rechecked under its lock: safe to run twice or at once.
    One that cannot fall (a rate archived since, say) stays as it is, is logged and is tried
    again at the next run; the others go on.
    """
    now = now or timezone.now()
    due = Award.objects.filter(
        status=AwardStatus.AWAITING_CONFIRMATION, confirm_by__lt=now
    ).order_by("confirm_by", "pk")
    lapsed = 0
    for award in due.select_related("event"):
        try:
            lapsed += _lapse(award, now)
        except DomainError as error:
            logger.warning("Award %s could not lapse: %s", award.pk, error.message)
    return lapsed


def _lapse(award: Award, now: dt.datetime) -> int:
    with transaction.atomic():
        event = lock_event(award.event)
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.status != AwardStatus.AWAITING_CONFIRMATION or not (
            locked.confirm_by and locked.confirm_by < now
        ):
            return 0
        locked.status = AwardStatus.LAPSED
        save_with_history(locked, actor=None, reason="Lapsed unconfirmed")
        log_event(
            event,
            LogAction.AWARD_LAPSED,
            "Award lapsed: the vendor did not confirm in time.",
            invitation=locked.invitation,
        )
        fall_to_next(event, locked, now=now)
    return 1


def _next_invitation(event: SourcingEvent, failed: Award, sheet: Any) -> tuple[int, Any] | None:
    """The next bid for the failed award's lines: after it in the ranking for those lines,
    skipping every vendor that let (some of) these lines go already."""
    line_ids = award_line_ids(failed)
    ranking = sheet.evaluation.ranking(line_ids)
    let_go = set(
        Award.objects.filter(
            event=event, status__in=FAILED, lines__line_id__in=line_ids
        ).values_list("invitation_id", flat=True)
    )
    position = next(
        (i for i, total in enumerate(ranking) if total.bidder == failed.invitation_id), -1
    )
    for total in ranking[position + 1 :]:
        if total.bidder not in let_go:
            return cast("int", total.bidder), line_ids
    return None


def fall_to_next(event: SourcingEvent, failed: Award, *, now: dt.datetime) -> Award | None:
    """Give the failed award's lines to the next-ranked bid, or tell the owner none is left."""
    sheet = system_sheet(event)
    chosen = _next_invitation(event, failed, sheet)
    if chosen is None:
        _no_bid_left(event, failed)
        return None
    invitation_id, line_ids = chosen
    award = award_create(
        actor=None,
        sheet=sheet,
        invitation_id=invitation_id,
        line_ids=line_ids,
        status=AwardStatus.AWAITING_CONFIRMATION,
        previous=failed,
        now=now,
    )
    log_event(
        event,
        LogAction.AWARD_FELL_TO_NEXT,
        f"Award fell to the bid ranked {award.rank} for the same lines.",
        invitation=award.invitation,
        detail={"award": award.pk, "previous": failed.pk},
    )
    notify.tell_winner(award)
    notify.tell_owner(
        event,
        kind=notify.RESPONDED_ALERT,
        title=f"Award of {event.reference} fell to {award.invitation.supplier} (ranked "
        f"{award.rank})",
        body=f"{failed.invitation.supplier} {failed.get_status_display().lower()}.",
    )
    return award


def _no_bid_left(event: SourcingEvent, failed: Award) -> None:
    standing = event.awards.filter(status__in=(*PENDING, AwardStatus.CONFIRMED))
    reopened = not standing.exists() and event.status == EventStatus.AWARDED
    if reopened:
        set_status(event, EventStatus.CLOSED, actor=None, reason="Every award fell through")
    notify.tell_owner(
        event,
        kind=notify.NO_BID_LEFT_ALERT,
        title=f"Award of {event.reference}: no bid left for the lines "
        f"{failed.invitation.supplier} let go",
        body="The event is closed again: propose a new award."
        if reopened
        else "Those lines stay unawarded.",
    )
    tell_unsuccessful_when_done(event)


def tell_unsuccessful_when_done(event: SourcingEvent) -> int:
    """Once no award waits and one is confirmed, tell the bidders that won nothing (once)."""
    awards = event.awards.all()
    if awards.filter(status__in=PENDING).exists():
        return 0
    if not awards.filter(status=AwardStatus.CONFIRMED).exists():
        return 0
    if EventLogEntry.objects.filter(event=event, action=LogAction.BIDDERS_NOTIFIED).exists():
        return 0
    winners = set(
        awards.filter(status=AwardStatus.CONFIRMED).values_list("invitation_id", flat=True)
    )
    losers = [
        b.invitation for b in last_bids(Bid.objects.all(), event) if b.invitation_id not in winners
    ]
    told = notify.tell_unsuccessful(event, losers)
    log_event(
        event,
        LogAction.BIDDERS_NOTIFIED,
        f"{len(losers)} unsuccessful bidder(s) told the event is awarded.",
        detail={"invitations": [i.pk for i in losers], "alerts": told},
    )
    return told
