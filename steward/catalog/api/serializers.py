"""Serializers of the catalog API: outputs render rows, inputs only parse types (the services
decide what is allowed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from steward.catalog import selectors
from steward.catalog.choices import OfferingKind
from steward.catalog.models import Bundle, Product, ProductFamily
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer

CURRENCY = r"^[A-Za-z]{3}$"
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."
TEXT_MAX = 10_000


def _money(help_text: str, *, required: bool = True, allow_null: bool = False) -> Any:
    return serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal("999999999999.9999"),
        required=required,
        allow_null=allow_null,
        help_text=help_text,
    )


def _families(user: Any) -> Any:
    return selectors.family_choices(user=user)


def _products(user: Any) -> Any:
    return selectors.product_choices(user=user)


def _bundles(user: Any) -> Any:
    return selectors.bundle_list(user=user).filter(archived_at__isnull=True)


# --- families ----------------------------------------------------------------------------------


class ProductFamilySerializer(RecordOutputSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField()


class ProductFamilyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, help_text="Short unique code, e.g. PKG.")
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class ProductFamilyUpdateSerializer(ProductFamilyInputSerializer):
    code = serializers.CharField(max_length=30, required=False)
    name = serializers.CharField(max_length=120, required=False)
    version = version_field()


# --- products ----------------------------------------------------------------------------------


class ProductSerializer(RecordOutputSerializer):
    family = serializers.IntegerField(source="family_id")
    family_name = serializers.CharField(source="family.name")
    sku = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OfferingKind.choices)
    unit = serializers.CharField()
    currency = serializers.CharField()
    list_price = serializers.DecimalField(max_digits=16, decimal_places=4)
    standard_cost = serializers.DecimalField(max_digits=16, decimal_places=4)
    margin = serializers.DecimalField(
        max_digits=17, decimal_places=4, help_text="List price less standard cost."
    )
    margin_percent = serializers.DecimalField(
        max_digits=24,
        decimal_places=2,
        allow_null=True,
        help_text="Margin as a share of the list price, in per cent (none for a free item).",
    )
    recurring = serializers.BooleanField()
    description = serializers.CharField(allow_blank=True)


class ProductInputSerializer(serializers.Serializer):
    family = VisibleRelatedField(model=ProductFamily, choices=_families)
    sku = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OfferingKind.choices, required=False)
    unit = serializers.CharField(max_length=30, required=False)
    currency = serializers.RegexField(CURRENCY, max_length=3, help_text=CURRENCY_HELP)
    list_price = _money("Price of one unit.")
    standard_cost = _money("What one unit costs us.")
    recurring = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class ProductUpdateSerializer(ProductInputSerializer):
    family = VisibleRelatedField(model=ProductFamily, choices=_families, required=False)
    sku = serializers.CharField(max_length=60, required=False)
    name = serializers.CharField(max_length=200, required=False)
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    list_price = _money("Price of one unit.", required=False)
    standard_cost = _money("What one unit costs us.", required=False)
    version = version_field()


# --- bundles -----------------------------------------------------------------------------------


class BundleSerializer(RecordOutputSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField()
    price = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        allow_null=True,
        help_text="The bundle's own price; null means the sum of its items at list price.",
    )
    effective_price = serializers.DecimalField(
        max_digits=40,
        decimal_places=4,
        allow_null=True,
        read_only=True,
        help_text="What the bundle sells for: its own price or the sum of its items at list "
        "price; null when an item is in another currency.",
    )
    description = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: Any) -> Any:
        if not hasattr(instance, "effective_price"):
            instance.effective_price = selectors.prices_of([instance])[instance.pk].price
        return super().to_representation(instance)


class BundleInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    currency = serializers.RegexField(CURRENCY, max_length=3, help_text=CURRENCY_HELP)
    price = _money(
        "The bundle's own price; leave it out for the sum of its items.",
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class BundleUpdateSerializer(BundleInputSerializer):
    code = serializers.CharField(max_length=30, required=False)
    name = serializers.CharField(max_length=200, required=False)
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    version = version_field()


class BundleItemSerializer(RecordOutputSerializer):
    bundle = serializers.IntegerField(source="bundle_id")
    product = serializers.IntegerField(source="product_id")
    product_sku = serializers.CharField(source="product.sku")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)


class BundleItemInputSerializer(serializers.Serializer):
    bundle = VisibleRelatedField(model=Bundle, choices=_bundles)
    product = VisibleRelatedField(model=Product, choices=_products)
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="How many of the product the bundle holds (1 if left out).",
    )


class BundleItemUpdateSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    version = version_field()
