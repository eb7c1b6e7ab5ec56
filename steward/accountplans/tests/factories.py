"""Account plans over the shared cast and the demand-side accounts of
``steward.accounts.tests.world``; rows are written directly (no history)."""

from __future__ import annotations

import datetime as dt

import factory

from steward.accountplans.choices import DecisionRole, Sentiment
from steward.accountplans.models import (
    AccountPlan,
    PlanAction,
    PlanInitiative,
    PlanObjective,
    PlanReview,
    PlanStakeholder,
)
from steward.parties.tests.factories import ContactFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountPlan

    title = factory.Sequence(lambda n: f"Account plan {n}")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)
    goals = "Grow the plants' output by a tenth."
    needs = "Fewer stoppages."


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStakeholder

    contact = factory.LazyAttribute(
        lambda s: ContactFactory(organization=s.plan.relationship.organization)
    )
    decision_role = DecisionRole.DECISION_MAKER
    sentiment = Sentiment.SUPPORTER


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanObjective

    title = factory.Sequence(lambda n: f"Objective {n}")


class InitiativeLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanInitiative


class ActionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanReview

    held_on = dt.date(2026, 3, 1)
