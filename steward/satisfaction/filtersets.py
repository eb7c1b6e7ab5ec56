"""Filter sets of responses and survey requests: one serves the web list, the API and exports."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.satisfaction.choices import ResponseChannel, SurveyKind
from steward.satisfaction.models import SatisfactionResponse, SurveyRequest


class SatisfactionResponseFilterSet(StewardFilterSet):
    search_fields = (
        "comment",
        "respondent_email",
        "relationship__organization__display_name",
        "contact__last_name",
    )

    relationship = IdFilter(field_name="relationship_id", label="Account (relationship id)")
    owner = IdFilter(field_name="relationship__owner_id", label="Account owner (user id)")
    contact = IdFilter(field_name="contact_id", label="Contact id")
    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices)
    channel = django_filters.ChoiceFilter(choices=ResponseChannel.choices)
    detractors = django_filters.BooleanFilter(
        method="filter_detractors", label="NPS detractors (0-6) only"
    )
    since = django_filters.DateFilter(field_name="answered_on", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="answered_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(("answered_on", "answered"), ("score", "score"), ("kind", "kind"))
    )

    class Meta:
        model = SatisfactionResponse
        fields = [
            "q",
            "relationship",
            "owner",
            "contact",
            "kind",
            "channel",
            "detractors",
            "since",
            "until",
            "archived",
        ]

    def filter_detractors(
        self, queryset: QuerySet[SatisfactionResponse], name: str, value: bool | None
    ) -> QuerySet[SatisfactionResponse]:
        if value:
            return queryset.filter(kind=SurveyKind.NPS, score__lte=6)
        return queryset


class SurveyRequestFilterSet(StewardFilterSet):
    search_fields = ("email", "relationship__organization__display_name", "contact__last_name")

    relationship = IdFilter(field_name="relationship_id", label="Account (relationship id)")
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True, label="Answered"
    )

    class Meta:
        model = SurveyRequest
        fields = ["q", "relationship", "answered", "archived"]
