"""Filter sets of the pipeline lists, shared by the web pages, the API and the exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from steward.core.access import principal_for
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.pipeline.choices import BuyingRole, ForecastCategory, PenetrationType, Stage
from steward.pipeline.models import (
    Opportunity,
    OpportunityContact,
    OpportunityCredit,
    OpportunityLine,
    ProposalDocument,
    StageChange,
)

SCOPES = [("mine", "Mine"), ("team", "My team's")]


class OpportunityFilterSet(StewardFilterSet):
    search_fields = ("name", "relationship__organization__display_name", "next_step")
    scope = django_filters.ChoiceFilter(choices=SCOPES, method="filter_scope", label="Whose")
    owner = IdFilter(field_name="owner_id", label="Owner")
    relationship = IdFilter(field_name="relationship_id", label="Account")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    forecast_category = django_filters.MultipleChoiceFilter(
        choices=ForecastCategory.choices, label="Category"
    )
    penetration_type = django_filters.ChoiceFilter(
        choices=PenetrationType.choices, label="Penetration"
    )
    close_from = django_filters.DateFilter(
        field_name="close_date", lookup_expr="gte", label="Closes from"
    )
    close_to = django_filters.DateFilter(
        field_name="close_date", lookup_expr="lte", label="Closes by"
    )
    whitespace_cell = IdFilter(field_name="whitespace_cell_id", label="Whitespace cell")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("close_date", "close_date"),
            ("amount", "amount"),
            ("stage", "stage"),
            ("probability", "probability"),
        )
    )

    # The user whose "mine" and "team" the scope means; set by the selector.
    user: Any = None

    class Meta:
        model = Opportunity
        fields = ["owner", "relationship", "stage", "forecast_category", "penetration_type"]

    def filter_scope(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # The selector names the user; the API's filter backend passes the request.
        principal = principal_for(self.user or getattr(self.request, "user", None))
        if value == "mine":
            return queryset.filter(owner_id=principal.user_id)
        return queryset.filter(
            Q(owner_id=principal.user_id) | Q(owner_id__in=sorted(principal.report_ids))
        )


class OpportunityPartFilterSet(StewardFilterSet):
    opportunity = IdFilter(field_name="opportunity_id", label="Opportunity")


class OpportunityLineFilterSet(OpportunityPartFilterSet):
    search_fields = ("product__name", "product__sku")
    product = IdFilter(field_name="product_id", label="Product")

    class Meta:
        model = OpportunityLine
        fields = ["opportunity", "product"]


class OpportunityContactFilterSet(OpportunityPartFilterSet):
    search_fields = ("contact__first_name", "contact__last_name")
    buying_role = django_filters.ChoiceFilter(choices=BuyingRole.choices)

    class Meta:
        model = OpportunityContact
        fields = ["opportunity", "buying_role"]


class OpportunityCreditFilterSet(OpportunityPartFilterSet):
    user = IdFilter(field_name="user_id", label="Person")

    class Meta:
        model = OpportunityCredit
        fields = ["opportunity", "user"]


class ProposalDocumentFilterSet(OpportunityPartFilterSet):
    search_fields = ("title", "original_name")

    class Meta:
        model = ProposalDocument
        fields = ["opportunity"]


class StageChangeFilterSet(django_filters.FilterSet):
    """Stage changes are append-only: no archive, no search."""

    opportunity = IdFilter(field_name="opportunity_id", label="Opportunity")
    to_stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)

    class Meta:
        model = StageChange
        fields = ["opportunity", "to_stage"]
