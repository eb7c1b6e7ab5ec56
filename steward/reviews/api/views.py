"""API endpoints for activities: meetings, calls, visits and notes on a relationship.

Reads start from the access policy (an activity follows its relationship); writes go through
``steward.reviews.services``. Delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from steward.core.access import Action
from steward.core.api.viewsets import ErrorCodes
from steward.parties.api.views import PartiesViewSet
from steward.reviews import selectors, services
from steward.reviews.api.serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
)
from steward.reviews.filtersets import ActivityFilterSet
from steward.reviews.models import Activity

_DATES_AND_CONTACTS: dict[str, tuple[str, ...]] = {
    "occurred_on": ("invalid",),
    "follow_up_on": ("invalid",),
    "contacts": ("invalid",),
}


@extend_schema_view(
    create=extend_schema(description="Log an activity that happened on a relationship."),
    destroy=extend_schema(description="Archive the activity (it can be restored)."),
)
class ActivityViewSet(PartiesViewSet):
    queryset = Activity.objects.none()
    filterset_class = ActivityFilterSet
    output_serializer_class = ActivitySerializer
    create_serializer_class = ActivityCreateSerializer
    update_serializer_class = ActivityUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_DATES_AND_CONTACTS, "relationship": ("archived",)},
        "update": _DATES_AND_CONTACTS,
        "partial_update": _DATES_AND_CONTACTS,
    }

    def select_list(self) -> QuerySet[Activity]:
        return (
            Activity.objects.restrict(self.request.user, Action.VIEW)
            .select_related("relationship__organization")
            .prefetch_related("participants", "contacts")
        )

    def select_one(self, action: Action = Action.VIEW) -> Activity:
        return selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Activity:
        return services.activity_log(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Activity, data: dict[str, Any], version: int
    ) -> Activity:
        return services.activity_update(
            actor=self.request.user,
            activity=record,
            expected_version=version,
            participants=data.pop("participants", None),
            contacts=data.pop("contacts", None),
            **data,
        )
