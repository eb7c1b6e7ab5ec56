"""Filter sets of the awards lists, shared by the web pages and the API."""

from __future__ import annotations

import django_filters

from steward.awards.choices import AwardStatus
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.core.filtersets import IdFilter, StewardFilterSet


class AwardFilterSet(StewardFilterSet):
    search_fields = (
        "event__reference",
        "event__title",
        "invitation__supplier__relationship__organization__display_name",
    )
    event = IdFilter(field_name="event_id", label="Event")
    supplier = IdFilter(field_name="invitation__supplier_id", label="Vendor")
    status = django_filters.MultipleChoiceFilter(choices=AwardStatus.choices)
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created"), ("confirm_by", "confirm_by"), ("total", "total"))
    )

    class Meta:
        model = Award
        fields = ["event", "supplier", "status"]


class AwardLineFilterSet(StewardFilterSet):
    award = IdFilter(field_name="award_id", label="Award")
    event = IdFilter(field_name="award__event_id", label="Event")

    class Meta:
        model = AwardLine
        fields = ["award", "event"]


class CriterionScoreFilterSet(StewardFilterSet):
    event = IdFilter(field_name="invitation__event_id", label="Event")
    invitation = IdFilter(field_name="invitation_id", label="Invitation")
    criterion = IdFilter(field_name="criterion_id", label="Criterion")

    class Meta:
        model = CriterionScore
        fields = ["event", "invitation", "criterion"]
