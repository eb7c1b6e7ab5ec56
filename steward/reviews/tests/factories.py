from __future__ import annotations

import datetime as dt

import factory

from steward.parties.tests.factories import RelationshipFactory
from steward.reviews.choices import ActionSide, ActivityKind, ReviewKind
from steward.reviews.models import ActionItem, Activity, BusinessReview


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity written directly (no history), logged by its relationship's owner."""

    class Meta:
        model = Activity

    relationship = factory.SubFactory(RelationshipFactory)
    kind = ActivityKind.MEETING
    subject = factory.Sequence(lambda n: f"Meeting {n}")
    occurred_on = dt.date(2024, 5, 14)
    logged_by = factory.LazyAttribute(lambda a: a.relationship.owner)


class BusinessReviewFactory(factory.django.DjangoModelFactory):
    """A planned review written directly (no history), owned by its relationship's owner."""

    class Meta:
        model = BusinessReview

    relationship = factory.SubFactory(RelationshipFactory)
    kind = ReviewKind.BUSINESS_REVIEW
    title = factory.Sequence(lambda n: f"Review {n}")
    scheduled_on = dt.date(2030, 3, 14)
    owner = factory.LazyAttribute(lambda r: r.relationship.owner)


class ActionItemFactory(factory.django.DjangoModelFactory):
    """An open action of ours owned by the relationship's owner."""

    class Meta:
        model = ActionItem

    relationship = factory.SubFactory(RelationshipFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    side = ActionSide.OURS
    owner = factory.LazyAttribute(lambda a: a.relationship.owner)
    due_on = dt.date(2030, 4, 30)
