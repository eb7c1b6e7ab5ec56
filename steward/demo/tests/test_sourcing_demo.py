"""The demo's sourcing story: an RFQ awarded with its contract and saving, one open and sealed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from steward.awards.choices import AwardStatus
from steward.awards.models import Award
from steward.bidding.models import Bid
from steward.bidding.ranking import reverse_auction_rank
from steward.contracts.choices import ContractStatus
from steward.savings.choices import SavingsKind
from steward.sourcing.choices import EventStatus
from steward.sourcing.models import Clarification, EventInvitation, SourcingEvent

pytestmark = pytest.mark.django_db


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def test_an_awarded_rfq_drafted_its_contract_and_recorded_the_saving(loaded: Any) -> None:
    event = SourcingEvent.objects.get(status=EventStatus.AWARDED)
    award = Award.objects.get(event=event)
    assert award.status == AwardStatus.CONFIRMED
    assert award.contract is not None
    assert award.contract.status == ContractStatus.DRAFT
    assert award.savings is not None
    assert award.savings.kind == SavingsKind.SOURCING_AWARD
    assert award.savings.negotiated_annual_savings > 0
    # three bids, one in USD, and the buyer sees them now that the event is closed
    bids = Bid.objects.restrict(_user("vendor.manager")).filter(invitation__event=event)
    assert bids.count() == 3
    assert {bid.currency for bid in bids} == {"EUR", "USD"}


def test_an_open_rfq_has_three_bidders_one_revised_and_stays_sealed(loaded: Any) -> None:
    event = SourcingEvent.objects.get(status=EventStatus.OPEN)
    assert not event.is_closed_at()
    stored = Bid.objects.filter(invitation__event=event)
    assert stored.count() == 4  # three bidders, one revised
    assert stored.filter(number=2).count() == 1
    for username in ("vendor.manager", "admin", "auditor"):
        assert not Bid.objects.restrict(_user(username)).filter(invitation__event=event).exists()
    assert Clarification.objects.filter(event=event, published_at__isnull=False).exists()


def test_the_portal_login_is_invited_to_bid_and_sees_its_rank(loaded: Any) -> None:
    portal = _user("portal")
    invitation = EventInvitation.objects.restrict(portal).get(event__status=EventStatus.OPEN)
    assert Bid.objects.restrict(portal).filter(invitation=invitation).count() == 2
    rank = reverse_auction_rank(invitation)
    assert rank is not None
    assert 1 <= rank.position <= rank.of == 3
