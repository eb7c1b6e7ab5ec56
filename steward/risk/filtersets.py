"""Filter sets of the risk lists: the web list, the API and the export share one each."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.risk import findings_lifecycle
from steward.risk.choices import (
    FindingSeverity,
    FindingSource,
    FindingStatus,
    RiskCategory,
    RiskStatus,
    RiskTreatment,
)
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor


class FindingFilterSet(StewardFilterSet):
    search_fields = (
        "title",
        "detail",
        "origin",
        "supplier__relationship__organization__display_name",
    )

    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    severity = django_filters.MultipleChoiceFilter(choices=FindingSeverity.choices)
    status = django_filters.MultipleChoiceFilter(choices=FindingStatus.choices)
    source = django_filters.MultipleChoiceFilter(choices=FindingSource.choices)
    owner = IdFilter(field_name="owner_id", label="Owner id")
    open = django_filters.BooleanFilter(method="filter_open", label="Open (not closed or accepted)")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue (open past its remediation date)"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("remediation_due_on", "due"),
            ("severity", "severity"),
            ("status", "status"),
            ("created_at", "raised"),
        )
    )

    class Meta:
        model = Finding
        fields = [
            "q",
            "vendor",
            "severity",
            "status",
            "source",
            "owner",
            "open",
            "overdue",
            "archived",
        ]

    def filter_open(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        clause = Q(status__in=findings_lifecycle.OPEN)
        return queryset.filter(clause) if value else queryset.exclude(clause)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        clause = Q(status__in=findings_lifecycle.OPEN, remediation_due_on__lt=timezone.localdate())
        return queryset.filter(clause) if value else queryset.exclude(clause)


class RiskFilterSet(StewardFilterSet):
    search_fields = (
        "title",
        "description",
        "controls",
        "treatment_plan",
        "relationship__organization__display_name",
    )

    relationship = IdFilter(field_name="relationship_id", label="Relationship (or vendor) id")
    category = django_filters.MultipleChoiceFilter(choices=RiskCategory.choices)
    status = django_filters.MultipleChoiceFilter(choices=RiskStatus.choices)
    treatment = django_filters.MultipleChoiceFilter(choices=RiskTreatment.choices)
    owner = IdFilter(field_name="owner_id", label="Owner id")
    review_due = django_filters.BooleanFilter(
        method="filter_review_due", label="Review date passed (open risks)"
    )

    class Meta:
        model = Risk
        fields = ["q", "relationship", "category", "status", "treatment", "owner", "archived"]

    def filter_review_due(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        clause = Q(status=RiskStatus.OPEN, review_on__lt=timezone.localdate())
        return queryset.filter(clause) if value else queryset.exclude(clause)


class RiskProfileFilterSet(django_filters.FilterSet):
    tier = django_filters.MultipleChoiceFilter(choices=[(t, f"Tier {t}") for t in (1, 2, 3, 4)])
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Reassessment overdue")

    class Meta:
        model = RiskProfile
        fields = ["tier", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        clause = Q(next_assessment_due__lt=timezone.localdate())
        return queryset.filter(clause) if value else queryset.exclude(clause)


class SubcontractorFilterSet(StewardFilterSet):
    search_fields = ("service", "organization__display_name", "notes")

    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    organization = IdFilter(field_name="organization_id", label="Organization id")
    handles_our_data = django_filters.BooleanFilter()

    class Meta:
        model = Subcontractor
        fields = ["q", "vendor", "organization", "handles_our_data", "archived"]
