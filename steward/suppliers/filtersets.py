"""Filter sets of the supply side: one each serves the web list, the API and the CSV export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.choices import Tier
from steward.suppliers.choices import RelationshipType, Segment, Stage
from steward.suppliers.models import Category, Prequalification, SegmentPlaybook, Supplier

# A vendor that has sat in qualification or onboarding this long is stalled.
STALLED_AFTER_DAYS = 30
ONBOARDING_STAGES = (Stage.QUALIFICATION, Stage.ONBOARDING)
PREQUALIFIED_STAGES = (Stage.QUALIFICATION, Stage.ONBOARDING, Stage.ACTIVE, Stage.UNDER_REVIEW)


def mismatch_q() -> Q:
    """Vendors whose relationship type does not suit their quadrant's playbook.

    Four playbook rows become one condition, so the check stays a single query over vendors.
    """
    condition = Q(pk__in=[])
    for segment, compatible in SegmentPlaybook.objects.values_list("segment", "compatible_types"):
        condition |= Q(segment=segment) & ~Q(relationship_type__in=list(compatible or []))
    return condition


def stalled_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=STALLED_AFTER_DAYS), dt.time.min)
    )
    return Q(stage__in=ONBOARDING_STAGES) & (
        Q(stage_changed_at__lt=cutoff) | Q(stage_changed_at__isnull=True, created_at__lt=cutoff)
    )


def lapsed_prequalification_q(today: dt.date | None = None) -> Q:
    """A vendor still in play whose prequalification for a category ran out and was not renewed."""
    today = today or timezone.localdate()
    current = Prequalification.objects.filter(
        supplier_id=OuterRef("supplier_id"),
        category_id=OuterRef("category_id"),
        revoked_on__isnull=True,
        expires_on__gte=today,
    )
    lapsed = Prequalification.objects.filter(
        supplier_id=OuterRef("pk"), revoked_on__isnull=True, expires_on__lt=today
    ).filter(~Exists(current))
    return Q(stage__in=PREQUALIFIED_STAGES) & Q(Exists(lapsed))


class SupplierFilterSet(StewardFilterSet):
    search_fields = (
        "relationship__organization__display_name",
        "relationship__organization__legal_name",
        "relationship__summary",
    )

    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    segment = django_filters.MultipleChoiceFilter(choices=Segment.choices)
    relationship_type = django_filters.MultipleChoiceFilter(
        choices=RelationshipType.choices, label="Relationship type"
    )
    tier = django_filters.MultipleChoiceFilter(
        field_name="relationship__tier", choices=Tier.choices
    )
    owner = IdFilter(field_name="relationship__owner_id", label="Owner id")
    category = django_filters.ModelMultipleChoiceFilter(
        field_name="categories__code",
        to_field_name="code",
        queryset=Category.objects.all(),
        label="Category",
    )
    placed = django_filters.BooleanFilter(method="filter_placed", label="Placed on the matrix")
    overridden = django_filters.BooleanFilter(
        method="filter_overridden", label="Placed by override"
    )
    mismatch = django_filters.BooleanFilter(
        method="filter_mismatch", label="Type does not suit segment"
    )
    stalled = django_filters.BooleanFilter(method="filter_stalled", label="Onboarding stalled")
    lapsed_prequalification = django_filters.BooleanFilter(
        method="filter_lapsed", label="Prequalification lapsed"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("relationship__organization__display_name", "name"),
            ("stage", "stage"),
            ("segment", "segment"),
            ("relationship_type", "type"),
            ("relationship__owner__last_name", "owner"),
            ("annual_spend", "spend"),
            ("profit_impact", "profit_impact"),
            ("supply_risk", "supply_risk"),
            ("stage_changed_at", "stage_changed"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Supplier
        fields = [
            "q",
            "stage",
            "segment",
            "relationship_type",
            "tier",
            "owner",
            "category",
            "placed",
            "overridden",
            "mismatch",
            "stalled",
            "lapsed_prequalification",
            "archived",
        ]

    @staticmethod
    def _switch(queryset: QuerySet[Any], condition: Q, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_placed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._switch(queryset, ~Q(segment=""), value)

    def filter_overridden(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._switch(queryset, ~Q(segment_override=""), value)

    def filter_mismatch(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._switch(queryset, mismatch_q(), value)

    def filter_stalled(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._switch(queryset, stalled_q(), value)

    def filter_lapsed(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._switch(queryset, lapsed_prequalification_q(), value)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        # Two categories can match one vendor; keep each vendor once.
        return queryset.distinct() if self.form.cleaned_data.get("category") else queryset


class CategoryFilterSet(StewardFilterSet):
    search_fields = ("code", "name", "description")

    parent = IdFilter(field_name="parent_id", label="Parent category id")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("code", "code")))

    class Meta:
        model = Category
        fields = ["q", "parent", "archived"]
