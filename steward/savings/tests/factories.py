"""Factories of savings records for tests, written directly (the services are tested apart)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from steward.people.tests.factories import UserFactory
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.spend.money import month_add, month_of, month_start


def month_ago(months: int, *, day: int = 1) -> dt.date:
    """A day of the month ``months`` before the current one (1: last month)."""
    start = month_start(month_add(month_of(timezone.localdate()), -months))
    return start.replace(day=day)


class SavingsInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsInitiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    kind = SavingsKind.NEGOTIATION
    status = SavingsStatus.IDENTIFIED
    owner = factory.SubFactory(UserFactory)
    baseline_method = BaselineMethod.ANNUAL_SPEND


class TcoComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TcoComparison

    title = factory.Sequence(lambda n: f"Comparison {n}")
    annual_quantity = Decimal(1000)
    horizon_years = 3
    owner = factory.SubFactory(UserFactory)


class TcoOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TcoOption

    comparison = factory.SubFactory(TcoComparisonFactory)
    supplier = factory.SubFactory("steward.suppliers.tests.factories.SupplierFactory")
    unit_price = Decimal("10.0000")
