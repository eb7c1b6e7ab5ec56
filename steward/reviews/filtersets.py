"""Filter sets of activities: one serves the web list, the API and the export."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.reviews.choices import ActivityKind
from steward.reviews.models import Activity


class ActivityFilterSet(StewardFilterSet):
    search_fields = ("subject", "summary", "relationship__organization__display_name")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices)
    logged_by = IdFilter(field_name="logged_by_id", label="Logged by (user id)")
    since = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")
    face_to_face = django_filters.BooleanFilter(label="Met face to face")
    ordering = django_filters.OrderingFilter(
        fields=(("occurred_on", "occurred"), ("subject", "subject"), ("kind", "kind"))
    )

    class Meta:
        model = Activity
        fields = [
            "q",
            "relationship",
            "kind",
            "logged_by",
            "since",
            "until",
            "face_to_face",
            "archived",
        ]
