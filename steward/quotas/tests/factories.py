"""Test data of the quotas app: won opportunities made with the ORM (the pipeline's services are
not what these tests are about), exchange rates, quotas, and a finance person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import factory

from steward.parties.models import Relationship
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.pipeline.choices import CreditRole, PenetrationType, Stage
from steward.pipeline.models import Opportunity, OpportunityCredit
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective
from steward.spend.models import ExchangeRate


def finance_user(username: str = "finance") -> Any:
    """An inside user of the finance function, with no job role."""
    return UserFactory(username=username, profile__function=Function.FINANCE)


def rate(currency: str, day: dt.date, value: str) -> ExchangeRate:
    """One unit of ``currency`` is worth ``value`` base-currency units from ``day``."""
    return ExchangeRate.objects.create(currency=currency, rate_date=day, rate=Decimal(value))


def won(
    *,
    relationship: Relationship,
    owner: Any,
    amount: str,
    cost: str = "0",
    currency: str = "EUR",
    closed_on: dt.date,
    credits: Sequence[tuple[Any, str]] = (),  # noqa: A002 - the pipeline's word
    stage: str = Stage.WON,
    name: str = "Won deal",
) -> Opportunity:
    """A won opportunity (stage ``won``, closed on ``closed_on``) with its credit splits."""
    opportunity = Opportunity.objects.create(
        relationship=relationship,
        name=name,
        owner=owner,
        stage=stage,
        probability=100 if stage == Stage.WON else 50,
        close_date=closed_on,
        closed_on=closed_on if stage in (Stage.WON, Stage.LOST) else None,
        penetration_type=PenetrationType.NEW_PRODUCT,
        currency=currency,
        amount=Decimal(amount),
        cost=Decimal(cost),
    )
    for user, percent in credits:
        OpportunityCredit.objects.create(
            opportunity=opportunity, user=user, role=CreditRole.SPECIALIST, percent=Decimal(percent)
        )
    return opportunity


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 3, 31)
    currency = "EUR"
    sales_target = Decimal("90000.00")
    margin_target = Decimal("30000.00")


class RevenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountRevenue

    month = dt.date(2026, 1, 1)
    currency = "EUR"
    revenue = Decimal("1000.00")
    cost = Decimal("600.00")


class ServiceCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCost

    month = dt.date(2026, 1, 1)
    kind = "support"
    currency = "EUR"
    amount = Decimal("100.00")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingObjective

    title = factory.Sequence(lambda n: f"Course {n}")
    due_on = dt.date(2026, 2, 1)
