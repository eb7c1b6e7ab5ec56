"""Filter sets of the accounts lists, shared by the web pages, the API and the exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from steward.accounts.choices import Holder, Segment
from steward.accounts.models import AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell
from steward.core.access import principal_for
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.choices import RelationshipStatus, Tier
from steward.parties.models import Relationship, RelationshipMember

SCOPES = [("mine", "Mine"), ("team", "My team's")]


class AccountFilterSet(StewardFilterSet):
    """The portfolio: demand-side relationships. ``scope`` narrows to the user's own accounts
    (owned or on the team) or to those their reports own."""

    search_fields = ("organization__display_name", "organization__legal_name", "summary")
    owner = IdFilter(field_name="owner_id", label="Owner")
    tier = django_filters.MultipleChoiceFilter(choices=Tier.choices)
    status = django_filters.MultipleChoiceFilter(choices=RelationshipStatus.choices)
    segment = django_filters.MultipleChoiceFilter(
        field_name="account_profile__segment", choices=Segment.choices
    )
    scope = django_filters.ChoiceFilter(choices=SCOPES, method="filter_scope", label="Whose")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("organization__display_name", "organization"),
            ("tier", "tier"),
            ("status", "status"),
            ("owner__last_name", "owner"),
            ("account_profile__segment", "segment"),
        )
    )

    class Meta:
        model = Relationship
        fields = ["q", "owner", "tier", "status", "segment", "scope", "archived"]

    def filter_scope(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user = getattr(self.request, "user", None)
        principal = principal_for(user)
        if value == "mine":
            on_team = RelationshipMember.objects.filter(
                relationship=OuterRef("pk"),
                user_id=principal.user_id or 0,
                archived_at__isnull=True,
            )
            return queryset.filter(Q(owner_id=principal.user_id) | Q(Exists(on_team)))
        if value == "team":
            return queryset.filter(owner_id__in=sorted(principal.report_ids))
        return queryset


class AccountPartFilterSet(StewardFilterSet):
    account = IdFilter(field_name="relationship_id", label="Account")


class AccountProfileFilterSet(AccountPartFilterSet):
    segment = django_filters.MultipleChoiceFilter(choices=Segment.choices)

    class Meta:
        model = AccountProfile
        fields = ["account", "segment", "archived"]


class BuyingUnitFilterSet(AccountPartFilterSet):
    search_fields = ("name", "description")
    site = IdFilter(field_name="site_id", label="Location")

    class Meta:
        model = BuyingUnit
        fields = ["account", "site", "archived"]


class InstalledProductFilterSet(AccountPartFilterSet):
    search_fields = ("product__sku", "product__name")
    product = IdFilter(field_name="product_id", label="Product")
    site = IdFilter(field_name="site_id", label="Location")
    current = django_filters.BooleanFilter(method="filter_current", label="Current")

    class Meta:
        model = InstalledProduct
        fields = ["account", "product", "site", "current", "archived"]

    def filter_current(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        from django.utils import timezone

        today = timezone.localdate()
        current = Q(until__isnull=True) | Q(until__gte=today)
        return queryset.filter(current) if value else queryset.exclude(current)


class WhitespaceCellFilterSet(AccountPartFilterSet):
    search_fields = ("competitor", "notes", "family__name")
    family = IdFilter(field_name="family_id", label="Family")
    site = IdFilter(field_name="site_id", label="Location")
    buying_unit = IdFilter(field_name="buying_unit_id", label="Buying unit")
    holder = django_filters.MultipleChoiceFilter(choices=Holder.choices)

    class Meta:
        model = WhitespaceCell
        fields = ["account", "family", "site", "buying_unit", "holder", "archived"]
