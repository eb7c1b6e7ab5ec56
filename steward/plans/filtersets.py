"""Filter sets of plans: the initiative list, its API and export, and the sourcing roadmap."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.choices import Side
from steward.plans.choices import InitiativeKind, InitiativeStatus
from steward.plans.models import Initiative


class InitiativeFilterSet(StewardFilterSet):
    search_fields = ("title", "description", "relationship__organization__display_name")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    side = django_filters.ChoiceFilter(field_name="relationship__side", choices=Side.choices)
    kind = django_filters.MultipleChoiceFilter(choices=InitiativeKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=InitiativeStatus.choices)
    owner = IdFilter(field_name="owner_id", label="Owner id")
    starts_after = django_filters.DateFilter(
        method="filter_running_on_or_after", label="Running on or after"
    )
    ends_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("starts_on", "starts"),
            ("ends_on", "ends"),
            ("title", "title"),
            ("status", "status"),
            ("budget", "budget"),
        )
    )

    class Meta:
        model = Initiative
        fields = [
            "q",
            "relationship",
            "side",
            "kind",
            "status",
            "owner",
            "starts_after",
            "ends_before",
            "archived",
        ]

    def filter_running_on_or_after(
        self, queryset: QuerySet[Any], name: str, value: Any
    ) -> QuerySet[Any]:
        """Initiatives still running on ``value``: ending then or later, or with no end yet
        and not starting before it is over (an open end counts as its start day)."""
        if value is None:
            return queryset
        return queryset.filter(
            Q(ends_on__gte=value) | Q(ends_on__isnull=True, starts_on__gte=value)
        )
