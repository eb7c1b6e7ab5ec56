"""The reverse-auction rank: 1 + the number of strictly lower complete totals, in the event's
currency; incomplete bids are not ranked; nothing but a position and a count comes out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.bidding.models import Bid, BidLine
from steward.bidding.ranking import Rank, ordinal, reverse_auction_rank
from steward.bidding.tests.factories import BidWorld, rate, submit, vendor_with_portal_user
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation, SourcingEvent

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
# One EUR is the base; one USD is worth 0.9 EUR.
RATES = {"EUR": Decimal(1), "USD": Decimal("0.9")}


def auction(world: BidWorld) -> SourcingEvent:
    SourcingEvent.objects.filter(pk=world.event.pk).update(reverse_auction=True)
    for invitation in (world.invitation_a, world.invitation_b):
        invitation.refresh_from_db()
    return world.fresh_event()


@pytest.fixture
def bidders(world: BidWorld) -> list[EventInvitation]:
    """Five invitees of an auction: A, B and three more vendors."""
    world.event = auction(world)
    rate("USD", "0.9")
    more = [vendor_with_portal_user(world.event, name)[0] for name in ("Cobalt", "Delta", "Ember")]
    return [world.invitation_a, world.invitation_b, *more]


def write_bid(invitation: EventInvitation, prices: list[Decimal | None], currency: str) -> Bid:
    """A bid row written directly (the rank is under test, not submission)."""
    number = Bid.objects.filter(invitation=invitation).count() + 1
    bid = Bid.objects.create(
        invitation=invitation,
        number=number,
        currency=currency,
        submitted_at=timezone.now(),
        submitted_by=invitation.event.owner,
    )
    lines = invitation.event.lines.order_by("number")
    BidLine.objects.bulk_create(
        [
            BidLine(bid=bid, line=line, unit_price=price, price_per=Decimal(4), lead_time_days=1)
            for line, price in zip(lines, prices, strict=True)
            if price is not None
        ]
    )
    return bid


def expected_total(event: SourcingEvent, prices: list[Decimal | None], currency: str) -> Decimal:
    quantities = [line.quantity for line in event.lines.order_by("number")]
    raw = sum(
        (p * q / Decimal(4) for p, q in zip(prices, quantities, strict=True) if p is not None),
        Decimal(0),
    )
    return (raw * RATES[currency] / RATES[event.currency]).quantize(CENT)


price = st.one_of(
    st.none(),
    st.sampled_from([Decimal("1.0000"), Decimal("2.5000"), Decimal("2.7778")]),
    st.decimals(min_value=0, max_value=1000, places=4),
)
offer = st.tuples(st.lists(price, min_size=2, max_size=2), st.sampled_from(["EUR", "USD"]))
# Per invitee: a list of successive versions (the last counts); none at all means no bid.
histories = st.lists(st.lists(offer, min_size=0, max_size=3), min_size=5, max_size=5)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories=histories)
def test_the_rank_is_one_plus_the_number_of_strictly_lower_complete_totals(
    bidders: list[EventInvitation], histories: list[list[tuple[list[Decimal | None], str]]]
) -> None:
    with transaction.atomic():
        event = bidders[0].event
        complete: dict[int, Decimal] = {}
        for invitation, versions in zip(bidders, histories, strict=True):
            for prices, currency in versions:
                write_bid(invitation, prices, currency)
            if versions and None not in versions[-1][0]:
                complete[invitation.pk] = expected_total(event, *versions[-1])
        for invitation in bidders:
            rank = reverse_auction_rank(invitation)
            if invitation.pk not in complete:
                assert rank is None
                continue
            own = complete[invitation.pk]
            lower = sum(1 for total in complete.values() if total < own)
            assert rank == Rank(position=1 + lower, of=len(complete))
        transaction.set_rollback(True)


def test_a_bidder_sees_its_rank_among_complete_bids_only(world: BidWorld, bidders: Any) -> None:
    # given A and B bid on both lines, A lower; C offers only line 1 at a lower price
    cast = world.cast
    submit(world, world.invitation_a, cast.portal_a, prices=("2.0000", "10.00"))
    submit(world, world.invitation_b, cast.portal_b, prices=("2.5000", "10.00"))
    write_bid(bidders[2], [Decimal("0.0100"), None], "EUR")
    # then A is 1st of 2, B 2nd of 2, and C is not ranked until it prices every line
    assert str(reverse_auction_rank(world.invitation_a)) == "1st of 2"
    assert str(reverse_auction_rank(world.invitation_b)) == "2nd of 2"
    assert reverse_auction_rank(bidders[2]) is None
    # when B revises below A, the ranks turn
    submit(world, world.invitation_b, cast.portal_b, prices=("1.9000", "10.00"))
    assert reverse_auction_rank(world.invitation_b) == Rank(1, 2)
    assert reverse_auction_rank(world.invitation_a) == Rank(2, 2)


def test_equal_totals_share_a_place_across_currencies(world: BidWorld, bidders: Any) -> None:
    # 0.9 EUR per USD: 1000 USD is 900 EUR
    write_bid(world.invitation_a, [Decimal("3.6000"), Decimal(0)], "EUR")  # 900 EUR
    write_bid(world.invitation_b, [Decimal("4.0000"), Decimal(0)], "USD")  # 1000 USD = 900 EUR
    write_bid(bidders[2], [Decimal("4.0000"), Decimal(0)], "EUR")  # 1000 EUR
    assert reverse_auction_rank(world.invitation_a) == Rank(1, 3)
    assert reverse_auction_rank(world.invitation_b) == Rank(1, 3)
    assert reverse_auction_rank(bidders[2]) == Rank(3, 3)


def test_a_declined_invitee_leaves_the_ranking(world: BidWorld, bidders: Any) -> None:
    write_bid(world.invitation_a, [Decimal(2), Decimal(2)], "EUR")
    write_bid(world.invitation_b, [Decimal(1), Decimal(1)], "EUR")
    EventInvitation.objects.filter(pk=world.invitation_b.pk).update(
        status=InvitationStatus.DECLINED
    )
    assert reverse_auction_rank(world.invitation_a) == Rank(1, 1)


def test_no_rank_without_a_reverse_auction(world: BidWorld) -> None:
    submit(world, world.invitation_a, world.cast.portal_a)
    assert reverse_auction_rank(world.invitation_a) is None


def test_the_rank_carries_a_position_and_a_count_only() -> None:
    assert list(Rank.__dataclass_fields__) == ["position", "of"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
