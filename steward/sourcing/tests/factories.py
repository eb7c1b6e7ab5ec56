"""Sourcing rows for tests, shared with the bidding and awards apps.

Factories write rows directly (no services, no log entries), so a test states the world it needs
in one line: ``OpenEventFactory()`` is an RFQ open for bids with one line; ``InvitationFactory``
invites a fresh prequalified vendor, visible to its portal users once the event is published.
``prequalified_vendor(category)`` makes a vendor that the eligibility rules accept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.parties.models import Relationship
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.scorecards.tests.factories import period_with_criteria, scored_card
from steward.sourcing.choices import EvaluationMethod, EventKind, EventStatus
from steward.sourcing.models import (
    BidderQuestion,
    Clarification,
    EvaluationCriterion,
    EventInvitation,
    EventLine,
    SourcingEvent,
    SourcingEventMember,
)
from steward.suppliers.choices import Stage
from steward.suppliers.models import Category, Prequalification, Supplier
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory


def drawing(name: str = "drawing.pdf", text: str = "bore 20 mm") -> SimpleUploadedFile:
    """A small PDF as a browser would upload it."""
    body = b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def procurement_user(username: str = "buyer", **kwargs: Any) -> Any:
    """An inside buyer: procurement sees and runs every sourcing event by function."""
    return UserFactory(username=username, profile__function=Function.PROCUREMENT, **kwargs)


def prequalify(
    supplier: Supplier,
    category: Category,
    *,
    granted_by: Any = None,
    on: dt.date | None = None,
    days: int = 365,
) -> Prequalification:
    """Prequalify ``supplier`` for ``category`` from ``on`` (today) for ``days`` days, and put it
    at a stage that may be prequalified (active) if it is not there yet."""
    on = on or timezone.localdate()
    if supplier.stage not in {Stage.QUALIFICATION, Stage.ONBOARDING, Stage.ACTIVE}:
        Supplier.objects.filter(pk=supplier.pk).update(stage=Stage.ACTIVE)
        supplier.stage = Stage.ACTIVE
    return Prequalification.objects.create(
        supplier=supplier,
        category=category,
        granted_on=on,
        expires_on=on + dt.timedelta(days=days),
        granted_by=granted_by or supplier.relationship.owner,
    )


def block_sourcing(supplier: Supplier) -> None:
    """Give the vendor a closed scorecard whose poor standing blocks sourcing."""
    period = period_with_criteria(closed=True)
    scored_card(
        period=period,
        relationship=supplier.relationship,
        scores={"delivery": Decimal(20), "quality": Decimal(60)},
    )


def prequalified_vendor(
    category: Category,
    *,
    relationship: Relationship | None = None,
    granted_by: Any = None,
    on: dt.date | None = None,
) -> Supplier:
    """A vendor eligible to bid in ``category``: active and prequalified today.

    Pass ``relationship`` to make the vendor of an existing relationship (the cast's ``rel_a``
    so that ``portal_a`` is its portal user); otherwise a new organization is made.
    """
    if relationship is not None:
        existing = Supplier.objects.filter(pk=relationship.pk).first()
        supplier = existing or SupplierFactory(relationship=relationship, stage=Stage.ACTIVE)
    else:
        supplier = SupplierFactory(stage=Stage.ACTIVE)
    assert isinstance(supplier, Supplier)
    prequalify(supplier, category, granted_by=granted_by, on=on)
    return supplier


class EventFactory(factory.django.DjangoModelFactory):
    """A draft RFQ closing in a week, owned by a procurement buyer."""

    class Meta:
        model = SourcingEvent
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"RFQ-T-{n:05d}")
    kind = EventKind.RFQ
    title = factory.Sequence(lambda n: f"Bearings lot {n}")
    category = factory.SubFactory(CategoryFactory)
    currency = "EUR"
    owner = factory.SubFactory(
        UserFactory,
        username=factory.Sequence(lambda n: f"buyer{n}"),
        profile__function=Function.PROCUREMENT,
    )
    status = EventStatus.DRAFT
    opens_at: Any = None
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class OpenEventFactory(EventFactory):
    """An event open for bids with one line (``line1``)."""

    status = EventStatus.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    line1 = factory.RelatedFactory(
        "steward.sourcing.tests.factories.LineFactory", factory_related_name="event", number=1
    )


class WeightedEventFactory(EventFactory):
    """An RFP evaluated on weighted criteria."""

    kind = EventKind.RFP
    reference = factory.Sequence(lambda n: f"RFP-T-{n:05d}")
    evaluation_method = EvaluationMethod.WEIGHTED


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventLine

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Ball bearing 62{n:02d}")
    quantity = Decimal(1000)
    unit = "each"
    target_unit_price = Decimal("2.5000")
    last_unit_price = Decimal("2.8000")


class BidderQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BidderQuestion

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "What warranty do you give?"
    required = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    event = factory.SubFactory(WeightedEventFactory)
    name = factory.Sequence(lambda n: f"Quality {n}")
    max_value = Decimal("0.1000")
    order = factory.Sequence(lambda n: n)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A prequalified vendor invited to the event; visible to the vendor unless the event is a
    draft. Pass ``supplier=prequalified_vendor(category, relationship=cast.rel_a)`` to invite
    the cast's vendor A (whose portal user is ``portal_a``)."""

    class Meta:
        model = EventInvitation

    event = factory.SubFactory(OpenEventFactory)
    supplier = factory.LazyAttribute(lambda o: prequalified_vendor(o.event.category))
    invited_by = factory.LazyAttribute(lambda o: o.event.owner)
    visible_to_vendor = factory.LazyAttribute(lambda o: o.event.status != EventStatus.DRAFT)


class ClarificationFactory(factory.django.DjangoModelFactory):
    """A question an invitee asked, waiting for the buyer's answer."""

    class Meta:
        model = Clarification

    invitation = factory.SubFactory(InvitationFactory)
    event = factory.LazyAttribute(lambda o: o.invitation.event)
    question = "May we quote an equivalent part?"
    asked_by = factory.LazyAttribute(lambda o: o.event.owner)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourcingEventMember

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    access = "review"
