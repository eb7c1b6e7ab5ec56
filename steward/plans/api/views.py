"""API endpoints for initiatives and milestones.

Reads start from the access policy (an initiative follows its relationship; a milestone its
initiative); writes go through ``steward.plans.services``. Delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from steward.core.access import Action
from steward.core.api.viewsets import ErrorCodes
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.api.views import PartiesViewSet
from steward.plans import selectors, services
from steward.plans.api.serializers import (
    InitiativeCreateSerializer,
    InitiativeSerializer,
    InitiativeUpdateSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
)
from steward.plans.choices import MilestoneStatus
from steward.plans.filtersets import InitiativeFilterSet
from steward.plans.models import Initiative, Milestone

_AMOUNTS: dict[str, tuple[str, ...]] = {
    "ends_on": ("invalid",),
    "budget": ("invalid",),
    "expected_value": ("invalid",),
    "delivered_value": ("invalid",),
}


@extend_schema_view(
    create=extend_schema(
        description="Start an initiative on a relationship (a vendor's, or an account's)."
    ),
    destroy=extend_schema(description="Archive the initiative (it can be restored)."),
)
class InitiativeViewSet(PartiesViewSet):
    queryset = Initiative.objects.none()
    filterset_class = InitiativeFilterSet
    output_serializer_class = InitiativeSerializer
    create_serializer_class = InitiativeCreateSerializer
    update_serializer_class = InitiativeUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_AMOUNTS, "relationship": ("archived",)},
        "update": _AMOUNTS,
        "partial_update": _AMOUNTS,
    }

    def select_list(self) -> QuerySet[Initiative]:
        return Initiative.objects.restrict(self.request.user, Action.VIEW).select_related(
            "relationship__organization"
        )

    def select_one(self, action: Action = Action.VIEW) -> Initiative:
        return selectors.initiative_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Initiative:
        return services.initiative_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Initiative, data: dict[str, Any], version: int
    ) -> Initiative:
        return services.initiative_update(
            actor=self.request.user, initiative=record, expected_version=version, **data
        )


class MilestoneFilterSet(StewardFilterSet):
    search_fields = ("title",)

    initiative = IdFilter(field_name="initiative_id", label="Initiative id")
    relationship = IdFilter(field_name="initiative__relationship_id", label="Relationship id")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    status = django_filters.MultipleChoiceFilter(choices=MilestoneStatus.choices)
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(fields=(("due_on", "due"), ("title", "title")))

    class Meta:
        model = Milestone
        fields = [
            "q",
            "initiative",
            "relationship",
            "owner",
            "status",
            "due_after",
            "due_before",
            "archived",
        ]


@extend_schema_view(
    create=extend_schema(
        description="Plan a milestone of an initiative (not of one that is done or cancelled)."
    ),
    destroy=extend_schema(description="Archive the milestone (it can be restored)."),
)
class MilestoneViewSet(PartiesViewSet):
    queryset = Milestone.objects.none()
    filterset_class = MilestoneFilterSet
    output_serializer_class = MilestoneSerializer
    create_serializer_class = MilestoneCreateSerializer
    update_serializer_class = MilestoneUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"initiative": ("invalid", "archived")}
    }

    def select_one(self, action: Action = Action.VIEW) -> Milestone:
        return selectors.milestone_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Milestone:
        return services.milestone_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Milestone, data: dict[str, Any], version: int
    ) -> Milestone:
        return services.milestone_update(
            actor=self.request.user, milestone=record, expected_version=version, **data
        )
