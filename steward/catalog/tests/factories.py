from __future__ import annotations

from decimal import Decimal

import factory

from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily


class ProductFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductFamily

    code = factory.Sequence(lambda n: f"FAM{n}")
    name = factory.Sequence(lambda n: f"Family {n}")
    position = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    family = factory.SubFactory(ProductFamilyFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    currency = "EUR"
    list_price = Decimal("100.0000")
    standard_cost = Decimal("60.0000")


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle

    code = factory.Sequence(lambda n: f"BND{n}")
    name = factory.Sequence(lambda n: f"Bundle {n}")
    currency = "EUR"


class BundleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BundleItem

    bundle = factory.SubFactory(BundleFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal(1)
