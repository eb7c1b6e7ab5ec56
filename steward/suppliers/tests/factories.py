from __future__ import annotations

import factory

from steward.parties.tests.factories import RelationshipFactory
from steward.suppliers.models import Category, Supplier


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    """A vendor record on a supply-side relationship, written directly (no checklist rows)."""

    class Meta:
        model = Supplier

    relationship = factory.SubFactory(RelationshipFactory, side="supply")
