"""Filters of the imports and the spend reference data: one set per list, shared by the pages,
the API and exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.spend.choices import ImportStatus, RuleField, RuleMatch, SourceKind
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendSource,
    VendorAlias,
)


class SpendSourceFilterSet(StewardFilterSet):
    search_fields = ("name",)

    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices)
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("kind", "kind")))

    class Meta:
        model = SpendSource
        fields = ["q", "kind", "archived"]


class SpendImportFilterSet(StewardFilterSet):
    search_fields = ("filename", "source__name")

    status = django_filters.MultipleChoiceFilter(choices=ImportStatus.choices)
    source = IdFilter(field_name="source_id", label="Source id")
    created_by = IdFilter(field_name="created_by_id", label="Imported by (user id)")
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Imported on or after"
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Imported on or before"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("created_at", "created"),
            ("filename", "file"),
            ("status", "status"),
            ("lines_added", "added"),
        )
    )

    class Meta:
        model = SpendImport
        fields = ["q", "status", "source", "created_by", "created_after", "created_before"]


class CategoryRuleFilterSet(StewardFilterSet):
    search_fields = ("pattern", "category__name", "category__code")

    field = django_filters.MultipleChoiceFilter(choices=RuleField.choices)
    match = django_filters.MultipleChoiceFilter(choices=RuleMatch.choices)
    category = IdFilter(field_name="category_id", label="Category id")
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    ordering = django_filters.OrderingFilter(
        fields=(("priority", "priority"), ("pattern", "pattern"), ("field", "field"))
    )

    class Meta:
        model = CategoryRule
        fields = ["q", "field", "match", "category", "supplier", "archived"]


class CostCenterFilterSet(StewardFilterSet):
    search_fields = ("code", "name")

    ordering = django_filters.OrderingFilter(fields=(("code", "code"), ("name", "name")))

    class Meta:
        model = CostCenter
        fields = ["q", "archived"]


class CurrencyFilter(django_filters.CharFilter):
    """A currency code, matched whatever its case (``usd`` finds USD)."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return super().filter(qs, value.strip().upper() if isinstance(value, str) else value)


class ExchangeRateFilterSet(StewardFilterSet):
    currency = CurrencyFilter(max_length=3, label="Currency")
    date_from = django_filters.DateFilter(
        field_name="rate_date", lookup_expr="gte", label="From (rate date)"
    )
    date_to = django_filters.DateFilter(
        field_name="rate_date", lookup_expr="lte", label="To (rate date)"
    )
    ordering = django_filters.OrderingFilter(
        fields=(("rate_date", "date"), ("currency", "currency"), ("rate", "rate"))
    )

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date_from", "date_to", "archived"]


class VendorAliasFilterSet(StewardFilterSet):
    search_fields = ("raw_name", "supplier__relationship__organization__display_name")

    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    ordering = django_filters.OrderingFilter(
        fields=(("raw_name", "name"), ("created_at", "created"))
    )

    class Meta:
        model = VendorAlias
        fields = ["q", "supplier", "archived"]


class ContractPriceFilterSet(StewardFilterSet):
    search_fields = ("item", "description")

    contract = IdFilter(field_name="contract_id", label="Contract id")
    currency = CurrencyFilter(max_length=3, label="Currency")
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="In force on")
    ordering = django_filters.OrderingFilter(
        fields=(("item", "item"), ("valid_from", "from"), ("unit_price", "price"))
    )

    class Meta:
        model = ContractPrice
        fields = ["q", "contract", "currency", "valid_on", "archived"]

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.exclude(valid_from__gt=value).exclude(valid_to__lt=value)
