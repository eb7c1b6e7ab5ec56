"""Filter sets of issues: the issue list, its API and its export share one."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.issues import lifecycle
from steward.issues.choices import IssueCategory, IssueSource, IssueStatus, Severity
from steward.issues.models import EscalationLevel, Issue
from steward.parties.choices import Side


class IssueFilterSet(StewardFilterSet):
    search_fields = (
        "reference",
        "title",
        "description",
        "relationship__organization__display_name",
    )

    status = django_filters.MultipleChoiceFilter(choices=IssueStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="Open (not resolved)")
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    category = django_filters.MultipleChoiceFilter(choices=IssueCategory.choices)
    source = django_filters.MultipleChoiceFilter(choices=IssueSource.choices)
    owner = IdFilter(field_name="owner_id", label="Owner id")
    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    contract = IdFilter(field_name="contract_id", label="Contract id")
    side = django_filters.ChoiceFilter(field_name="relationship__side", choices=Side.choices)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue (past the response or resolution target)"
    )
    escalated = django_filters.BooleanFilter(method="filter_escalated", label="Escalated")
    opened_after = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__gte")
    opened_before = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__lte")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("opened_at", "opened"),
            ("resolve_by", "resolve_by"),
            ("severity", "severity"),
            ("status", "status"),
            ("reference", "reference"),
            ("escalation_level", "escalation"),
        )
    )

    class Meta:
        model = Issue
        fields = [
            "q",
            "status",
            "open",
            "severity",
            "category",
            "source",
            "owner",
            "relationship",
            "contract",
            "side",
            "overdue",
            "escalated",
            "opened_after",
            "opened_before",
            "archived",
        ]

    def filter_open(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=lifecycle.OPEN)
        return queryset.exclude(status__in=lifecycle.OPEN)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        clause = lifecycle.overdue_q(timezone.now())
        return queryset.filter(clause) if value else queryset.exclude(clause)

    def filter_escalated(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return (
            queryset.filter(escalation_level__gt=0)
            if value
            else queryset.filter(escalation_level=0)
        )


class EscalationLevelFilterSet(StewardFilterSet):
    search_fields = ("name",)

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    internal_contact = IdFilter(field_name="internal_contact_id", label="Internal contact id")

    class Meta:
        model = EscalationLevel
        fields = ["q", "relationship", "internal_contact", "archived"]
