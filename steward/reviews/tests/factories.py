from __future__ import annotations

import datetime as dt

import factory

from steward.parties.tests.factories import RelationshipFactory
from steward.reviews.choices import ActivityKind
from steward.reviews.models import Activity


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity written directly (no history), logged by its relationship's owner."""

    class Meta:
        model = Activity

    relationship = factory.SubFactory(RelationshipFactory)
    kind = ActivityKind.MEETING
    subject = factory.Sequence(lambda n: f"Meeting {n}")
    occurred_on = dt.date(2024, 5, 14)
    logged_by = factory.LazyAttribute(lambda a: a.relationship.owner)
