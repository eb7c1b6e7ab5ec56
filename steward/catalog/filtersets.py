"""Filter sets of the catalog lists, shared by the web pages, the API and the exports."""

from __future__ import annotations

import django_filters

from steward.catalog.choices import OfferingKind
from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.core.filtersets import IdFilter, StewardFilterSet


class ProductFamilyFilterSet(StewardFilterSet):
    search_fields = ("code", "name")
    ordering = django_filters.OrderingFilter(
        fields=(("position", "position"), ("code", "code"), ("name", "name"))
    )

    class Meta:
        model = ProductFamily
        fields = ["q", "archived"]


class ProductFilterSet(StewardFilterSet):
    search_fields = ("sku", "name")
    family = IdFilter(field_name="family_id", label="Family")
    kind = django_filters.ChoiceFilter(choices=OfferingKind.choices)
    currency = django_filters.CharFilter(
        field_name="currency", lookup_expr="iexact", max_length=3, label="Currency"
    )
    recurring = django_filters.BooleanFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("sku", "sku"),
            ("name", "name"),
            ("family__name", "family"),
            ("list_price", "list_price"),
            ("standard_cost", "standard_cost"),
        )
    )

    class Meta:
        model = Product
        fields = ["q", "family", "kind", "currency", "recurring", "archived"]


class BundleFilterSet(StewardFilterSet):
    search_fields = ("code", "name")
    currency = django_filters.CharFilter(
        field_name="currency", lookup_expr="iexact", max_length=3, label="Currency"
    )
    ordering = django_filters.OrderingFilter(fields=(("code", "code"), ("name", "name")))

    class Meta:
        model = Bundle
        fields = ["q", "currency", "archived"]


class BundleItemFilterSet(StewardFilterSet):
    search_fields = ("product__sku", "product__name")
    bundle = IdFilter(field_name="bundle_id", label="Bundle")
    product = IdFilter(field_name="product_id", label="Product")

    class Meta:
        model = BundleItem
        fields = ["bundle", "product", "archived"]
