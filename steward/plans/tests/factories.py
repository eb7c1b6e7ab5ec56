from __future__ import annotations

import datetime as dt

import factory

from steward.parties.tests.factories import RelationshipFactory
from steward.plans.choices import InitiativeKind
from steward.plans.models import Initiative, Milestone


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative written directly (no history), owned by its relationship's owner."""

    class Meta:
        model = Initiative

    relationship = factory.SubFactory(RelationshipFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    kind = InitiativeKind.COST_DOWN
    owner = factory.LazyAttribute(lambda i: i.relationship.owner)
    starts_on = dt.date(2030, 1, 1)
    ends_on = dt.date(2030, 6, 30)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = dt.date(2030, 3, 31)
