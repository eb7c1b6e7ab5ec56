"""Reads on bids, each starting from the access policy.

The policy seals a bid from every inside user until its event's closing time (by the
database's clock) and shows a portal user only its own organization's bids, so every list,
page, export and API here follows from ``Bid.objects.restrict``. One read is not content and
says so: how many invitees have bid (a count). What an invitee reads of the event itself
(lines, questions, files) is sourcing's (``steward.sourcing.selectors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from steward.bidding.filtersets import (
    BidAttachmentFilterSet,
    BidFilterSet,
    BidLineFilterSet,
    latest_only,
)
from steward.bidding.models import Bid, BidAnswer, BidAttachment, BidLine
from steward.core.access import Action, get_for_user
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation, SourcingEvent

VENDOR_NAME = "invitation__supplier__relationship__organization__display_name"


def bid_list(*, user: Any) -> QuerySet[Bid]:
    return Bid.objects.restrict(user, Action.VIEW).select_related(
        "invitation__event",
        "invitation__supplier__relationship__organization",
        "submitted_by",
    )


def with_contents(bids: QuerySet[Bid]) -> QuerySet[Bid]:
    """Bids with their lines (and event lines), answers and files, in four queries."""
    lines = BidLine.objects.select_related("line").order_by("line__number")
    answers = BidAnswer.objects.select_related("question").order_by("question__number")
    files = BidAttachment.objects.select_related("line").order_by("pk")
    return (
        bids.prefetch_related(Prefetch("lines", queryset=lines))
        .prefetch_related(Prefetch("answers", queryset=answers))
        .prefetch_related(Prefetch("attachments", queryset=files))
    )


def bid_filterset(*, user: Any, filters: Any) -> BidFilterSet:
    return BidFilterSet(filters, queryset=bid_list(user=user).order_by(VENDOR_NAME, "-number"))


def bid_get(*, user: Any, pk: Any) -> Bid:
    """One bid version the user may see (404 otherwise: sealed, or another vendor's)."""
    return get_for_user(with_contents(bid_list(user=user)), user=user, pk=pk)


def bids_for_invitation(user: Any, invitation: EventInvitation) -> QuerySet[Bid]:
    """The invitee's versions the user may see, newest first: a bidder's own history, or the
    buyer's view of one invitee after close."""
    return with_contents(bid_list(user=user).filter(invitation_id=invitation.pk)).order_by(
        "-number"
    )


def latest_bids(*, user: Any, event: SourcingEvent) -> QuerySet[Bid]:
    """Each invitee's last version that the user may see: nothing of a sealed event for the
    buyer, only its own for a bidder."""
    bids = bid_list(user=user).filter(invitation__event_id=event.pk)
    return latest_only(bids).order_by(VENDOR_NAME, "pk")


@dataclass(frozen=True)
class BidProgress:
    """How many invitees have bid: ``bidders`` of ``invitees`` (declined ones not counted)."""

    bidders: int
    invitees: int
    declined: int


def bid_progress(event: SourcingEvent) -> BidProgress:
    """A count, not content: whoever may see the event may know it, sealed or not. The bids
    are only tested for existence; no amount is read."""
    declined = Q(status=InvitationStatus.DECLINED)
    counts = (
        EventInvitation.objects.filter(
            event_id=event.pk, visible_to_vendor=True, archived_at__isnull=True
        )
        .annotate(has_bid=Exists(Bid.objects.filter(invitation_id=OuterRef("pk"))))
        .aggregate(
            invitees=Count("pk", filter=~declined),
            bidders=Count("pk", filter=~declined & Q(has_bid=True)),
            declined=Count("pk", filter=declined),
        )
    )
    return BidProgress(
        bidders=counts["bidders"], invitees=counts["invitees"], declined=counts["declined"]
    )


def bid_line_list(*, user: Any) -> QuerySet[BidLine]:
    return BidLine.objects.restrict(user, Action.VIEW).select_related("line")


def bid_line_filterset(*, user: Any, filters: Any) -> BidLineFilterSet:
    return BidLineFilterSet(
        filters, queryset=bid_line_list(user=user).order_by("bid_id", "line__number")
    )


def attachment_list(*, user: Any) -> QuerySet[BidAttachment]:
    return BidAttachment.objects.restrict(user, Action.VIEW)


def attachment_filterset(*, user: Any, filters: Any) -> BidAttachmentFilterSet:
    return BidAttachmentFilterSet(
        filters, queryset=attachment_list(user=user).order_by("bid_id", "pk")
    )


def attachment_get(*, user: Any, pk: Any) -> BidAttachment:
    """One file of a bid the user may see; a sealed or another vendor's file answers 404."""
    return get_for_user(BidAttachment.objects.all(), user=user, pk=pk)


# --- the bidder's side -------------------------------------------------------------------------


def bidder_invitations(*, user: Any) -> QuerySet[EventInvitation]:
    """The invitations the user may see (a portal user: its organization's published ones)."""
    return (
        EventInvitation.objects.restrict(user, Action.VIEW)
        .select_related("event", "supplier__relationship__organization")
        .order_by("event__closes_at", "pk")
    )


def invitation_get(*, user: Any, pk: Any) -> EventInvitation:
    return get_for_user(bidder_invitations(user=user), user=user, pk=pk)
