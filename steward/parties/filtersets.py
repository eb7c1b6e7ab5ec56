from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.core.models import Tag
from steward.parties.choices import Industry, RelationshipStatus, Side, SiteKind, Tier
from steward.parties.models import Contact, ContactRole, Organization, Relationship, Site

User = get_user_model()


class CountryCodesFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """``country=DE,FR``: ISO codes in any case. A long choice list would be copied per request."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return super().filter(qs, [code.strip().upper() for code in value if code.strip()])


class OrganizationFilterSet(StewardFilterSet):
    search_fields = ("display_name", "legal_name", "tax_id", "registration_number")

    country = CountryCodesFilter(field_name="country", label="Country codes (comma-separated)")
    industry = django_filters.MultipleChoiceFilter(choices=Industry.choices)
    tag = django_filters.ModelMultipleChoiceFilter(
        field_name="tags__slug", to_field_name="slug", queryset=Tag.objects.all(), label="Tag"
    )
    side = django_filters.ChoiceFilter(
        choices=Side.choices, method="filter_side", label="Has relationship"
    )
    parent = IdFilter(field_name="parent_id", label="Parent organization id")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("display_name", "name"),
            ("country", "country"),
            ("industry", "industry"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Organization
        fields = ["q", "country", "industry", "tag", "side", "parent", "owner", "archived"]

    def filter_side(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            pk__in=Relationship.objects.active().filter(side=value).values("organization_id")
        )


class SiteFilterSet(StewardFilterSet):
    search_fields = ("name", "city", "street", "postal_code")

    organization = IdFilter(field_name="organization_id")
    kind = django_filters.MultipleChoiceFilter(choices=SiteKind.choices)
    country = CountryCodesFilter(field_name="country", label="Country codes (comma-separated)")
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("city", "city"), ("created_at", "created"))
    )

    class Meta:
        model = Site
        fields = ["q", "organization", "kind", "country", "archived"]


class ContactFilterSet(StewardFilterSet):
    search_fields = ("first_name", "last_name", "email", "title", "organization__display_name")

    organization = IdFilter(field_name="organization_id")
    site = IdFilter(field_name="site_id")
    role = django_filters.ModelMultipleChoiceFilter(
        field_name="roles__code", to_field_name="code", queryset=ContactRole.objects.all()
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("last_name", "name"),
            ("organization__display_name", "organization"),
            ("influence", "influence"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Contact
        fields = ["q", "organization", "site", "role", "archived"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        # Two roles can match one contact; keep each contact once.
        return queryset.distinct() if self.form.cleaned_data.get("role") else queryset


class RelationshipFilterSet(StewardFilterSet):
    search_fields = ("organization__display_name", "organization__legal_name", "summary")

    side = django_filters.ChoiceFilter(choices=Side.choices)
    tier = django_filters.MultipleChoiceFilter(choices=Tier.choices)
    status = django_filters.MultipleChoiceFilter(choices=RelationshipStatus.choices)
    owner = IdFilter(field_name="owner_id")
    organization = IdFilter(field_name="organization_id")
    tag = django_filters.ModelMultipleChoiceFilter(
        field_name="tags__slug", to_field_name="slug", queryset=Tag.objects.all(), label="Tag"
    )
    review_before = django_filters.DateFilter(field_name="next_review_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("organization__display_name", "organization"),
            ("tier", "tier"),
            ("status", "status"),
            ("next_review_on", "next_review"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Relationship
        fields = ["q", "side", "tier", "status", "owner", "organization", "tag", "archived"]
