"""What the award services share: the system's reading of a closed event, award lines built
from it, and the portal users who answer for a vendor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.awards import evaluation as ev
from steward.awards.choices import AwardStatus
from steward.awards.matrix import Sheet, baseline_of, read_sheet
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.bidding.models import Bid
from steward.core.errors import DomainError
from steward.core.services import create_record
from steward.sourcing.models import EventInvitation, SourcingEvent

TEXT_MAX = 4000
# Awards that still stand: waiting for approval, or for the vendor.
PENDING = (AwardStatus.PROPOSED, AwardStatus.AWAITING_CONFIRMATION)
# Awards the vendor let go: their lines fall to the next-ranked bid.
FAILED = (AwardStatus.DECLINED, AwardStatus.LAPSED)


def system_sheet(event: SourcingEvent) -> Sheet:
    """The event's evaluation as the system reads it (every bid), once the seal has lifted;
    ``read_sheet`` refuses before the closing time."""
    return read_sheet(event, bids=Bid.objects.all(), scores=CriterionScore.objects.all())


def lock_event(event: SourcingEvent) -> SourcingEvent:
    """The event's row serializes every award decision on it (taken first, always)."""
    return SourcingEvent.objects.select_for_update().get(pk=event.pk)


def rank_of(sheet: Sheet, invitation_id: int, line_ids: Iterable[int]) -> int:
    """The invitee's place among the bidders of exactly these lines (by total TCO)."""
    ranking = sheet.evaluation.ranking(list(line_ids))
    return next((t.rank for t in ranking if t.bidder == invitation_id), len(ranking) + 1)


def award_create(
    *,
    actor: Any,
    sheet: Sheet,
    invitation_id: int,
    line_ids: list[int],
    status: str,
    justification: str = "",
    previous: Award | None = None,
    now: dt.datetime | None = None,
) -> Award:
    """An award of ``line_ids`` to the invitee's last bid, at its prices in the event's currency."""
    event = sheet.event
    cells = [sheet.evaluation.cell(line_id, invitation_id) for line_id in line_ids]
    total = sum((c.cost.price for c in cells if c is not None), Decimal(0))
    awaiting = status == AwardStatus.AWAITING_CONFIRMATION
    award = create_record(
        Award(
            event=event,
            invitation=sheet.invitations[invitation_id],
            bid=sheet.bids[invitation_id],
            status=status,
            rank=rank_of(sheet, invitation_id, line_ids),
            previous=previous,
            low_bid_justification=justification,
            total=ev.money(total),
            visible_to_vendor=awaiting,
            confirm_by=confirm_deadline(event, now) if awaiting else None,
        ),
        actor=actor,
        reason="Award proposed" if previous is None else "Award fell to the next-ranked bid",
    )
    for line_id in line_ids:
        line = sheet.line(line_id)
        cost = sheet.evaluation.cell(line_id, invitation_id)
        assert cost is not None  # the callers checked that the invitee bid every line
        create_record(
            AwardLine(
                award=award,
                line=line,
                bid_line=sheet.bid_lines[(invitation_id, line_id)],
                quantity=line.quantity,
                unit_price=ev.money(cost.cost.unit_price, ev.UNIT),
                baseline_unit_price=baseline_of(line)[0],
            ),
            actor=actor,
        )
    return award


def confirm_deadline(event: SourcingEvent, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=event.confirm_days)


def award_line_ids(award: Award) -> list[int]:
    return list(award.lines.order_by("line__number").values_list("line_id", flat=True))


def organization_of(invitation: EventInvitation) -> int:
    return int(invitation.supplier.relationship.organization_id)


def plain_text(value: str | None, *, field: str, required: str = "") -> str:
    """Free text as typed, trimmed; ``required`` is the refusal when it is empty."""
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError("Remove the NUL character from the text.", field=field)
    if len(text) > TEXT_MAX:
        raise DomainError(
            f"The text is longer than {TEXT_MAX} characters.", field=field, code="too_long"
        )
    if required and not text:
        raise DomainError(required, field=field, code="required")
    return text
