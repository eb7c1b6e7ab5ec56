"""Filter sets of the quotas lists, shared by the web pages, the API and the exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.quotas.choices import CostKind
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective


class QuotaFilterSet(StewardFilterSet):
    search_fields = ("person__username", "person__first_name", "person__last_name", "notes")
    person = IdFilter(field_name="person_id", label="Person")
    on = django_filters.DateFilter(method="filter_on", label="In force on")
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(("starts_on", "starts"), ("ends_on", "ends"), ("sales_target", "sales_target"))
    )

    class Meta:
        model = Quota
        fields = ["person"]

    def filter_on(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class AccountFactFilterSet(StewardFilterSet):
    search_fields = ("relationship__organization__display_name",)
    relationship = IdFilter(field_name="relationship_id", label="Account")
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte", label="From")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label="To")
    currency = django_filters.CharFilter(field_name="currency", lookup_expr="iexact")


class AccountRevenueFilterSet(AccountFactFilterSet):
    product = IdFilter(field_name="product_id", label="Product")
    ordering = django_filters.OrderingFilter(fields=(("month", "month"), ("revenue", "revenue")))

    class Meta:
        model = AccountRevenue
        fields = ["relationship", "product"]


class ServiceCostFilterSet(AccountFactFilterSet):
    kind = django_filters.ChoiceFilter(choices=CostKind.choices)
    ordering = django_filters.OrderingFilter(fields=(("month", "month"), ("amount", "amount")))

    class Meta:
        model = ServiceCost
        fields = ["relationship", "kind"]


class TrainingObjectiveFilterSet(StewardFilterSet):
    search_fields = ("title", "person__username", "person__last_name")
    person = IdFilter(field_name="person_id", label="Person")
    required = django_filters.BooleanFilter()
    completed = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", exclude=True
    )
    ordering = django_filters.OrderingFilter(fields=(("due_on", "due"), ("title", "title")))

    class Meta:
        model = TrainingObjective
        fields = ["person", "required"]
