"""Filters of the savings register and TCO comparisons, shared by the pages, the API and exports."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption


class SavingsInitiativeFilterSet(StewardFilterSet):
    search_fields = ("title", "item", "notes", "supplier__relationship__organization__display_name")

    status = django_filters.MultipleChoiceFilter(choices=SavingsStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=SavingsKind.choices)
    baseline_method = django_filters.ChoiceFilter(choices=BaselineMethod.choices)
    owner = IdFilter(field_name="owner_id", label="Owner id")
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    category = IdFilter(field_name="category_id", label="Category id")
    contract = IdFilter(field_name="contract_id", label="Contract id")
    effective_from = django_filters.DateFilter(
        field_name="effective_date", lookup_expr="gte", label="Effective on or after"
    )
    effective_to = django_filters.DateFilter(
        field_name="effective_date", lookup_expr="lte", label="Effective on or before"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("effective_date", "effective"),
            ("baseline_annual_spend", "baseline"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = SavingsInitiative
        fields = [
            "q",
            "status",
            "kind",
            "baseline_method",
            "owner",
            "supplier",
            "category",
            "contract",
            "effective_from",
            "effective_to",
            "archived",
        ]


class TcoComparisonFilterSet(StewardFilterSet):
    search_fields = ("title", "item", "notes")

    category = IdFilter(field_name="category_id", label="Category id")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    ordering = django_filters.OrderingFilter(fields=(("title", "title"), ("created_at", "created")))

    class Meta:
        model = TcoComparison
        fields = ["q", "category", "owner", "archived"]


class TcoOptionFilterSet(StewardFilterSet):
    search_fields = ("notes", "supplier__relationship__organization__display_name")

    comparison = IdFilter(field_name="comparison_id", label="Comparison id")
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")

    class Meta:
        model = TcoOption
        fields = ["q", "comparison", "supplier", "archived"]
