"""A closed sourcing event with bids, on top of the cast, for the awards tests.

The event is owned by the cast's ``owner`` (whose manager is ``manager``), in EUR, closed an hour
ago; vendor A is the cast's ``rel_a`` (portal user ``portal_a``), vendor B the cast's ``rel_b``
(``portal_b``), vendor C a fresh organization. Bids are written directly as rows (as submitted
before the closing time); ``bid`` takes the prices per line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.bidding.models import Bid, BidLine
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import AwardRule, EvaluationMethod, EventKind, EventStatus
from steward.sourcing.models import EvaluationCriterion, EventInvitation, EventLine, SourcingEvent
from steward.sourcing.tests.factories import (
    EventFactory,
    InvitationFactory,
    LineFactory,
    prequalified_vendor,
)
from steward.suppliers.models import Category, Supplier
from steward.suppliers.tests.factories import CategoryFactory

D = Decimal


@dataclass
class World:
    cast: Cast
    category: Category
    event: SourcingEvent
    lines: list[EventLine]
    vendor_a: Supplier
    vendor_b: Supplier
    vendor_c: Supplier
    inv_a: EventInvitation
    inv_b: EventInvitation
    inv_c: EventInvitation
    criteria: list[EvaluationCriterion] = field(default_factory=list)

    def line(self, number: int) -> EventLine:
        return next(line for line in self.lines if line.number == number)


def closed_event(owner: Any, category: Category, **fields: Any) -> SourcingEvent:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "owner": owner,
        "category": category,
        "status": EventStatus.CLOSED,
        "opens_at": now - dt.timedelta(days=7),
        "closes_at": now - dt.timedelta(hours=1),
        "scorecard_weight": D(0),
    }
    event = EventFactory(**{**defaults, **fields})
    assert isinstance(event, SourcingEvent)
    return event


def bid(
    invitation: EventInvitation,
    prices: dict[EventLine, Decimal | dict[str, Any]],
    *,
    currency: str = "EUR",
    minutes_before_close: int = 30,
    number: int | None = None,
) -> Bid:
    """A submitted bid version: ``prices`` maps each offered line to its unit price (or to the
    bid line's fields, ``unit_price`` among them)."""
    event = invitation.event
    assert event.closes_at is not None
    version = number or (Bid.objects.filter(invitation=invitation).count() + 1)
    portal_user = _a_submitter(invitation)
    made = Bid.objects.create(
        invitation=invitation,
        number=version,
        currency=currency,
        submitted_at=event.closes_at - dt.timedelta(minutes=minutes_before_close),
        submitted_by=portal_user,
    )
    for line, offer in prices.items():
        fields = offer if isinstance(offer, dict) else {"unit_price": offer}
        BidLine.objects.create(bid=made, line=line, lead_time_days=fields.pop("lead", 10), **fields)
    return made


def _a_submitter(invitation: EventInvitation) -> Any:
    from django.contrib.auth import get_user_model

    from steward.people.tests.factories import UserFactory

    organization = invitation.supplier.relationship.organization
    existing = get_user_model().objects.filter(profile__organization=organization).first()
    return existing or UserFactory(profile__organization=organization)


def build_world(
    cast: Cast,
    *,
    lines: int = 2,
    weighted: bool = False,
    rule: str = AwardRule.SINGLE,
    **event_fields: Any,
) -> World:
    """The event with ``lines`` lines (line 1: 1000 units, target 2.50, last price 2.80; line
    2: 500 units, target 4.50, last price 4.80) and vendors A, B and C invited, none of them
    bidding yet."""
    category = CategoryFactory()
    assert isinstance(category, Category)
    if weighted:
        event_fields.setdefault("kind", EventKind.RFP)
        event_fields["evaluation_method"] = EvaluationMethod.WEIGHTED
    event = closed_event(cast.owner, category, award_rule=rule, **event_fields)
    made = [
        LineFactory(event=event, number=n, quantity=D(1000))
        if n == 1
        else LineFactory(
            event=event,
            number=n,
            quantity=D(500),
            target_unit_price=D("4.50"),
            last_unit_price=D("4.80"),
        )
        for n in range(1, lines + 1)
    ]
    vendor_a = prequalified_vendor(category, relationship=cast.rel_a)
    vendor_b = prequalified_vendor(category, relationship=cast.rel_b)
    vendor_c = prequalified_vendor(category)
    invite = {
        name: InvitationFactory(event=event, supplier=vendor, visible_to_vendor=True)
        for name, vendor in (("a", vendor_a), ("b", vendor_b), ("c", vendor_c))
    }
    return World(
        cast=cast,
        category=category,
        event=event,
        lines=[line for line in made if isinstance(line, EventLine)],
        vendor_a=vendor_a,
        vendor_b=vendor_b,
        vendor_c=vendor_c,
        inv_a=invite["a"],
        inv_b=invite["b"],
        inv_c=invite["c"],
    )


def three_bids(world: World) -> World:
    """A cheapest on both lines (2.00, 4.00), B next (2.20, 4.10), C dearest (2.40, 4.50)."""
    l1, l2 = world.line(1), world.line(2)
    bid(world.inv_a, {l1: D("2.00"), l2: D("4.00")}, minutes_before_close=40)
    bid(world.inv_b, {l1: D("2.20"), l2: D("4.10")}, minutes_before_close=30)
    bid(world.inv_c, {l1: D("2.40"), l2: D("4.50")}, minutes_before_close=20)
    return world


def fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)
