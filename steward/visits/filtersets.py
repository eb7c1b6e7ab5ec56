"""Filter sets of the visit notes, shared by the API list and its exports."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.visits.models import Visit


class VisitFilterSet(StewardFilterSet):
    search_fields = ("relationship__organization__display_name", "activity__summary")
    account = IdFilter(field_name="relationship_id", label="Account")
    location = IdFilter(field_name="location_id", label="Location")
    recorded_by = IdFilter(field_name="recorded_by_id", label="Recorded by")
    visited_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte")
    visited_until = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(("visited_on", "visited_on"), ("created_at", "created"))
    )

    class Meta:
        model = Visit
        fields = ["account", "location", "recorded_by", "visited_from", "visited_until"]
