"""Serializers of the accounts API: outputs render rows, inputs only parse types (the services
decide what is allowed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from steward.accounts import selectors
from steward.accounts.choices import Holder, Segment
from steward.accounts.models import BuyingUnit
from steward.catalog.models import Product, ProductFamily
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.choices import Side
from steward.parties.models import Relationship, Site

CURRENCY = r"^[A-Za-z]{3}$"
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."
TEXT_MAX = 10_000


def _accounts(user: Any) -> QuerySet[Relationship]:
    return Relationship.objects.restrict(user, Action.VIEW).filter(
        side=Side.DEMAND, archived_at__isnull=True
    )


def _relationships(user: Any) -> QuerySet[Relationship]:
    """Any relationship the user may see: the service says when one is not an account."""
    return Relationship.objects.restrict(user, Action.VIEW)


def _sites(user: Any) -> QuerySet[Site]:
    return Site.objects.restrict(user, Action.VIEW)


def _units(user: Any) -> QuerySet[BuyingUnit]:
    return selectors.part_list(user=user, model=BuyingUnit)


def _products(user: Any) -> QuerySet[Product]:
    return Product.objects.restrict(user, Action.VIEW)


def _families(user: Any) -> QuerySet[ProductFamily]:
    return ProductFamily.objects.restrict(user, Action.VIEW)


def _amount(help_text: str = "", *, required: bool = False) -> Any:
    return serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal("99999999999999.99"),
        required=required,
        allow_null=not required,
        help_text=help_text,
    )


def _out_amount(help_text: str = "") -> Any:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text=help_text
    )


# --- profiles ----------------------------------------------------------------------------------


class AccountProfileSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    segment = serializers.CharField(allow_blank=True)
    currency = serializers.CharField()
    wallet = _out_amount("What the customer spends a year on what we offer, from anyone.")
    expected_margin_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    customer_since = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)


class AccountProfileFieldsSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=[("", "—"), *Segment.choices], required=False)
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    wallet = _amount("What the customer spends a year on what we offer, from anyone.")
    expected_margin_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(-100),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
    )
    customer_since = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class AccountProfileCreateSerializer(AccountProfileFieldsSerializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_relationships, help_text="The demand-side relationship."
    )


class AccountProfileUpdateSerializer(AccountProfileFieldsSerializer):
    version = version_field()


# --- buying units ------------------------------------------------------------------------------


class BuyingUnitSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    name = serializers.CharField()
    site = serializers.IntegerField(source="site_id", allow_null=True)
    description = serializers.CharField(allow_blank=True)


class BuyingUnitCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_accounts)
    name = serializers.CharField(max_length=120)
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class BuyingUnitUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    version = version_field()


# --- installed base ----------------------------------------------------------------------------


class InstalledProductSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    product = serializers.IntegerField(source="product_id")
    product_sku = serializers.CharField(source="product.sku")
    site = serializers.IntegerField(source="site_id", allow_null=True)
    buying_unit = serializers.IntegerField(source="buying_unit_id", allow_null=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    annual_revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    annual_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    annual_margin = serializers.DecimalField(max_digits=17, decimal_places=2)
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class InstalledFieldsSerializer(serializers.Serializer):
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    buying_unit = VisibleRelatedField(
        model=BuyingUnit, choices=_units, required=False, allow_null=True
    )
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999.99"),
        required=False,
    )
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    annual_cost = _amount("Yearly cost to serve it (the product's standard cost if left out).")
    since = serializers.DateField(required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)


class InstalledProductCreateSerializer(InstalledFieldsSerializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_accounts)
    product = VisibleRelatedField(model=Product, choices=_products)
    annual_revenue = _amount("Yearly revenue it brings.", required=True)


class InstalledProductUpdateSerializer(InstalledFieldsSerializer):
    product = VisibleRelatedField(model=Product, choices=_products, required=False)
    annual_revenue = _amount("Yearly revenue it brings.")
    version = version_field()


# --- whitespace --------------------------------------------------------------------------------


class WhitespaceCellSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    family = serializers.IntegerField(source="family_id")
    site = serializers.IntegerField(source="site_id")
    buying_unit = serializers.IntegerField(source="buying_unit_id", allow_null=True)
    holder = serializers.ChoiceField(choices=Holder.choices)
    competitor = serializers.CharField(allow_blank=True)
    currency = serializers.CharField()
    current_spend = _out_amount("What the customer spends on it a year, with whoever.")
    potential = _out_amount("The yearly revenue it could bring us.")
    notes = serializers.CharField(allow_blank=True)


class WhitespaceFieldsSerializer(serializers.Serializer):
    holder = serializers.ChoiceField(choices=Holder.choices, required=False)
    competitor = serializers.CharField(required=False, allow_blank=True, max_length=120)
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    current_spend = _amount("What the customer spends on it a year, with whoever.")
    potential = _amount("The yearly revenue it could bring us.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)


class WhitespaceCellCreateSerializer(WhitespaceFieldsSerializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_accounts)
    family = VisibleRelatedField(model=ProductFamily, choices=_families)
    site = VisibleRelatedField(model=Site, choices=_sites)
    buying_unit = VisibleRelatedField(
        model=BuyingUnit, choices=_units, required=False, allow_null=True
    )


class WhitespaceCellUpdateSerializer(WhitespaceFieldsSerializer):
    version = version_field()


class WhitespaceFillSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="How many missing cells were created.")


class PenetrationSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    eligible = serializers.IntegerField(help_text="Cells that are not 'not a fit'.")
    held = serializers.IntegerField(help_text="Cells we supply.")
    percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="held ÷ eligible x 100."
    )
    share_of_wallet = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Our cells' spend ÷ the spend of eligible cells with a spend x 100.",
    )
    open_potential = serializers.DecimalField(
        max_digits=30, decimal_places=2, help_text="Potential of open cells."
    )
    currency = serializers.CharField()
