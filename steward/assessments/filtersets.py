"""Filter sets of the assessments lists, shared by the web pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from steward.assessments import assessments_lifecycle
from steward.assessments.choices import AssessmentStatus
from steward.assessments.models import Assessment, QuestionnaireTemplate
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.risk.choices import Depth


class AssessmentFilterSet(StewardFilterSet):
    search_fields = (
        "supplier__relationship__organization__display_name",
        "template_version__template__name",
    )
    supplier = IdFilter(field_name="supplier_id", label="Vendor")
    status = django_filters.MultipleChoiceFilter(choices=AssessmentStatus.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("due_on", "due"),
            ("status", "status"),
            ("score", "score"),
            ("supplier__relationship__organization__display_name", "vendor"),
        )
    )

    class Meta:
        model = Assessment
        fields = ["supplier", "status", "overdue"]

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = queryset.filter(
            status__in=assessments_lifecycle.OPEN, due_on__lt=timezone.localdate()
        )
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class TemplateFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    depth = django_filters.ChoiceFilter(choices=Depth.choices)

    class Meta:
        model = QuestionnaireTemplate
        fields = ["depth"]
