"""A bidding world on top of the cast and sourcing's factories.

``owner`` owns an RFQ open for bids (two lines, one required question) in a category for
which vendor A (``portal_a``'s) and vendor B (``portal_b``'s) are prequalified and invited;
``member`` is on the event's team; ``buyer`` is a procurement user, who sees every event by
function. The event closes in a day; ``unseal`` moves its closing time into the past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.bidding.models import Bid
from steward.bidding.services import bid_submit
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.tests.factories import UserFactory
from steward.sourcing.choices import EventStatus
from steward.sourcing.models import (
    BidderQuestion,
    EventInvitation,
    EventLine,
    SourcingEvent,
)
from steward.sourcing.tests.factories import (
    BidderQuestionFactory,
    InvitationFactory,
    LineFactory,
    MemberFactory,
    OpenEventFactory,
    prequalified_vendor,
    procurement_user,
)
from steward.spend.models import ExchangeRate
from steward.suppliers.tests.factories import CategoryFactory


def pdf_file(name: str = "offer.pdf", text: str = "our offer") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@dataclass
class BidWorld:
    cast: Cast
    buyer: Any
    event: SourcingEvent
    line1: EventLine
    line2: EventLine
    question: BidderQuestion
    invitation_a: EventInvitation
    invitation_b: EventInvitation

    def fresh_event(self) -> SourcingEvent:
        return SourcingEvent.objects.get(pk=self.event.pk)


def make_event(owner: Any, **kwargs: Any) -> SourcingEvent:
    now = timezone.now()
    values: dict[str, Any] = {
        "owner": owner,
        "title": "Ball bearings for line 4",
        "opens_at": now - dt.timedelta(days=2),
        "closes_at": now + dt.timedelta(days=1),
        "line1__description": "Ball bearing 6204",
        "line1__quantity": Decimal(1000),
    }
    values.update(kwargs)
    event = OpenEventFactory(**values)
    assert isinstance(event, SourcingEvent)
    return event


def invite(event: SourcingEvent, relationship: Any = None) -> EventInvitation:
    supplier = prequalified_vendor(event.category, relationship=relationship)
    invitation = InvitationFactory(event=event, supplier=supplier)
    assert isinstance(invitation, EventInvitation)
    return invitation


def build_bid_world(cast: Cast, **event_kwargs: Any) -> BidWorld:
    category = CategoryFactory(code="bearings", name="Bearings")
    event = make_event(cast.owner, category=category, **event_kwargs)
    line2 = LineFactory(event=event, number=2, description="Seal kit", quantity=Decimal(50))
    question = BidderQuestionFactory(event=event, number=1, text="What warranty do you give?")
    MemberFactory(event=event, user=cast.member, access="review")
    return BidWorld(
        cast=cast,
        buyer=procurement_user(),
        event=event,
        line1=EventLine.objects.get(event=event, number=1),
        line2=line2,
        question=question,
        invitation_a=invite(event, cast.rel_a),
        invitation_b=invite(event, cast.rel_b),
    )


def vendor_with_portal_user(event: SourcingEvent, name: str) -> tuple[EventInvitation, Any]:
    """A third vendor, invited, with a portal user of its own."""
    organization = OrganizationFactory(legal_name=f"{name} GmbH", display_name=name)
    relationship = RelationshipFactory(organization=organization)
    portal = UserFactory(username=f"portal_{name.lower()}", profile__organization=organization)
    return invite(event, relationship), portal


def offer(
    line: EventLine, unit_price: str, lead_time_days: Any = 10, **more: Any
) -> dict[str, Any]:
    return {"line": line, "unit_price": unit_price, "lead_time_days": lead_time_days, **more}


def submit(
    world: BidWorld,
    invitation: EventInvitation,
    portal: Any,
    prices: tuple[str, ...] = ("2.4000", "12.00"),
    **kwargs: Any,
) -> Bid:
    """A complete bid (both lines priced, the question answered) unless told otherwise."""
    lines = [
        offer(line, price) for line, price in zip((world.line1, world.line2), prices, strict=False)
    ]
    kwargs.setdefault("answers", {world.question: "Two years, parts and labour."})
    kwargs.setdefault("currency", world.event.currency)
    return bid_submit(actor=portal, invitation=invitation, lines=lines, **kwargs)


def unseal(event: SourcingEvent) -> SourcingEvent:
    """Move the event's closing time just into the past (the seal lifts by the clock)."""
    SourcingEvent.objects.filter(pk=event.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1), status=EventStatus.CLOSED
    )
    return SourcingEvent.objects.get(pk=event.pk)


def rate(currency: str, value: str, *, days_ago: int = 30) -> ExchangeRate:
    """What one unit of ``currency`` is worth in the base currency (EUR in tests)."""
    return ExchangeRate.objects.create(
        currency=currency,
        rate_date=timezone.localdate() - dt.timedelta(days=days_ago),
        rate=Decimal(value),
    )
