"""API endpoints of the savings register, the levers and TCO comparisons.

Reads start from the access policy: an initiative reaches its owner (and the owner's managers),
whoever may see its vendor, finance, administrators and auditors; a comparison its owner (and
managers), finance, administrators and auditors; an option follows its comparison. Realized
savings, levers and suggested prices are measured over the reader's spend scope. Writes go
through ``steward.savings.services``; delete archives.
"""

from __future__ import annotations

import builtins
from typing import Any, ClassVar

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.savings import selectors
from steward.savings.api.serializers import (
    FromLeverSerializer,
    LeverSerializer,
    SavingsInitiativeCreateSerializer,
    SavingsInitiativeSerializer,
    SavingsInitiativeUpdateSerializer,
    SavingsTransitionSerializer,
    TcoComparisonInputSerializer,
    TcoComparisonSerializer,
    TcoComparisonUpdateSerializer,
    TcoOptionCreateSerializer,
    TcoOptionSerializer,
    TcoOptionUpdateSerializer,
    lever_value,
)
from steward.savings.filtersets import (
    SavingsInitiativeFilterSet,
    TcoComparisonFilterSet,
    TcoOptionFilterSet,
)
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.savings.services import initiatives as initiative_services
from steward.savings.services import tco as tco_services

_AMOUNT_CODES = ("invalid", "required")
_INITIATIVE_ERRORS: dict[str, tuple[str, ...]] = {
    "title": ("required",),
    "kind": ("invalid",),
    "owner": ("invalid",),
    "supplier": ("invalid", "required"),
    "category": ("invalid",),
    "contract": ("invalid",),
    "baseline_method": ("invalid",),
    "baseline_unit_price": _AMOUNT_CODES,
    "baseline_annual_spend": _AMOUNT_CODES,
    "estimated_annual_savings": ("invalid",),
    "negotiated_unit_price": ("invalid",),
    "negotiated_annual_savings": ("invalid",),
    "effective_date": ("required",),
    "end_date": ("invalid",),
    "status": ("invalid",),
    "non_field_errors": ("archived", "invalid"),
}
_COMPARISON_ERRORS: dict[str, tuple[str, ...]] = {
    "title": ("required",),
    "annual_quantity": ("invalid",),
    "horizon_years": ("invalid",),
    "owner": ("invalid",),
    "category": ("invalid",),
    "non_field_errors": ("archived", "invalid"),
}
_OPTION_ERRORS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(tco_services.OPTION_INPUTS, ("invalid",)),
    "unit_price": ("invalid", "required"),
    "supplier": ("invalid", "duplicate"),
    "comparison": ("archived",),
    "non_field_errors": ("archived", "invalid"),
}


# --- initiatives ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description=(
            "The savings register: initiatives you may see, each with its realized saving "
            "measured from later spend (over the spend you may see)."
        )
    ),
    create=extend_schema(
        description=(
            "Record an initiative. It starts identified unless `status` says in progress or "
            "delivered, which need the effective date, a vendor or category, and the baseline "
            "of the method."
        )
    ),
    partial_update=extend_schema(
        description="Edit the initiative (not its status: see transition); needs the version."
    ),
    destroy=extend_schema(description="Archive the initiative (it can be restored)."),
)
class SavingsInitiativeViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = SavingsInitiative.objects.none()
    filterset_class = SavingsInitiativeFilterSet
    output_serializer_class = SavingsInitiativeSerializer
    create_serializer_class = SavingsInitiativeCreateSerializer
    update_serializer_class = SavingsInitiativeUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "transition": SavingsTransitionSerializer,
        "from_lever": FromLeverSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "transition",
        "from_lever",
    )
    versioned_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.versioned_actions, "transition")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _INITIATIVE_ERRORS,
        "partial_update": _INITIATIVE_ERRORS,
        "transition": {
            "to_status": ("invalid", "invalid_transition"),
            "reason": ("required",),
            "effective_date": ("required",),
            "supplier": ("required",),
            "baseline_unit_price": ("required",),
            "baseline_annual_spend": ("required",),
            "non_field_errors": ("archived",),
        },
        "from_lever": {"lever": ("unknown_lever", "duplicate")},
        "restore": {"lever": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[SavingsInitiative]:
        return selectors.initiatives_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SavingsInitiative:
        return selectors.initiative_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def complete_page(self, page: builtins.list[Any]) -> builtins.list[Any]:
        return self._measured(page)

    def _measured(self, records: builtins.list[Any]) -> builtins.list[Any]:
        """Attach each record's realized saving: one query over the ledger for all of them."""
        measured = selectors.realized_for(
            records, user=self.request.user, today=timezone.localdate()
        )
        for record in records:
            record.measured = measured.get(record.pk)
        return records

    def render(self, record: Any, serializer_class: Any = None) -> Any:
        if isinstance(record, SavingsInitiative):
            self._measured([record])
        return super().render(record, serializer_class)

    def perform_create_record(self, data: dict[str, Any]) -> SavingsInitiative:
        return initiative_services.savings_initiative_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: SavingsInitiative, data: dict[str, Any], version: int
    ) -> SavingsInitiative:
        return initiative_services.savings_initiative_update(
            actor=self.request.user, initiative=record, expected_version=version, **data
        )

    def perform_archive(self, record: SavingsInitiative, version: int | None) -> Any:
        return initiative_services.savings_initiative_archive(
            actor=self.request.user, initiative=record, expected_version=version
        )

    def perform_restore(self, record: SavingsInitiative, version: int | None) -> Any:
        return initiative_services.savings_initiative_restore(
            actor=self.request.user, initiative=record, expected_version=version
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the initiative: identified → in progress → delivered, or cancelled (with a
        reason); a refused move answers 400 on `to_status` saying where it may go."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=False)
        moved = initiative_services.savings_initiative_transition(
            actor=request.user,
            initiative=record,
            to_status=data["to_status"],
            reason=data.get("reason", ""),
            expected_version=version,
        )
        return self.answer(moved)

    @action(detail=False, methods=["post"], url_path="from-lever", filter_backends=[])
    def from_lever(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take up a lever of savings-levers: an identified initiative you own, with the lever's
        spend as baseline and its estimate as the expected saving."""
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not record savings initiatives.")
        data = self.parse()
        initiative = initiative_services.savings_initiative_from_lever(
            actor=request.user, key=data["lever"]
        )
        return self.answer(initiative, code=status.HTTP_201_CREATED)

    def get_output_serializer_class(self) -> Any:
        if self.action in ("transition", "from_lever"):
            return SavingsInitiativeSerializer
        return super().get_output_serializer_class()


# --- levers --------------------------------------------------------------------------------------

LEVER_KEY_PATTERN = r"[a-z_]+-(supplier|category)-[0-9]+"


@extend_schema_view(
    list=extend_schema(
        description=(
            "What the ledger suggests over the last twelve whole months (over the spend you may "
            "see): consolidate fragmented categories, volume commitments or longer terms with "
            "steady vendors, off-contract spend onto contracts. Largest saving first by kind."
        )
    ),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, description="The lever's key.")
        ],
        description="One lever by its key; 404 when the ledger no longer suggests it.",
    ),
)
class SavingsLeverViewSet(StewardViewSet):
    http_method_names = ["get", "head", "options"]
    queryset = SavingsInitiative.objects.none()
    filter_backends = ()
    output_serializer_class = LeverSerializer
    lookup_field = "key"
    lookup_value_regex = LEVER_KEY_PATTERN

    forbidden_actions: ClassVar[tuple[str, ...]] = ("list", "retrieve")

    def _levers(self) -> builtins.list[Any]:
        if not principal_for(self.request.user).is_internal:
            raise exceptions.PermissionDenied("Savings levers are for internal users.")
        return selectors.levers_for(user=self.request.user, today=timezone.localdate())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self._levers()) or []
        rows = [lever_value(lever) for lever in page]
        return self.get_paginated_response(LeverSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = next((lever for lever in self._levers() if lever.key == kwargs["key"]), None)
        if found is None:
            raise exceptions.NotFound()
        return Response(LeverSerializer(lever_value(found)).data)


# --- TCO -----------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(description="Start a comparison; add vendors at tco-options."),
    partial_update=extend_schema(description="Edit the comparison; needs the version read."),
    destroy=extend_schema(description="Archive the comparison (it can be restored)."),
)
class TcoComparisonViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = TcoComparison.objects.none()
    filterset_class = TcoComparisonFilterSet
    output_serializer_class = TcoComparisonSerializer
    create_serializer_class = TcoComparisonInputSerializer
    update_serializer_class = TcoComparisonUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _COMPARISON_ERRORS,
        "partial_update": _COMPARISON_ERRORS,
    }

    def select_list(self) -> QuerySet[TcoComparison]:
        return selectors.comparisons_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> TcoComparison:
        return selectors.comparison_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def complete_page(self, page: builtins.list[Any]) -> builtins.list[Any]:
        prefetch_related_objects(page, selectors.live_options_prefetch())
        return page

    def perform_create_record(self, data: dict[str, Any]) -> TcoComparison:
        return tco_services.tco_comparison_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: TcoComparison, data: dict[str, Any], version: int
    ) -> TcoComparison:
        return tco_services.tco_comparison_update(
            actor=self.request.user, comparison=record, expected_version=version, **data
        )

    def perform_archive(self, record: TcoComparison, version: int | None) -> Any:
        return tco_services.tco_comparison_archive(
            actor=self.request.user, comparison=record, expected_version=version
        )

    def perform_restore(self, record: TcoComparison, version: int | None) -> Any:
        return tco_services.tco_comparison_restore(
            actor=self.request.user, comparison=record, expected_version=version
        )


@extend_schema_view(
    create=extend_schema(
        description=(
            "Add a vendor to a comparison. Inputs left out are suggested: the unit price from "
            "the average paid over 12 months (required when the ledger has none), rejection and "
            "late-delivery rates from its latest scorecard measurements, the risk cost from its "
            "risk score; `defaults` says which and from where."
        )
    ),
    partial_update=extend_schema(
        description="Change inputs; a value sent replaces its suggestion. Needs the version."
    ),
    destroy=extend_schema(description="Take the vendor out of the comparison (archive)."),
)
class TcoOptionViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = TcoOption.objects.none()
    filterset_class = TcoOptionFilterSet
    output_serializer_class = TcoOptionSerializer
    create_serializer_class = TcoOptionCreateSerializer
    update_serializer_class = TcoOptionUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _OPTION_ERRORS,
        "partial_update": _OPTION_ERRORS,
        "restore": {"supplier": ("duplicate",), "comparison": ("archived",)},
    }

    def select_list(self) -> QuerySet[TcoOption]:
        return selectors.options_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> TcoOption:
        return selectors.option_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> TcoOption:
        return tco_services.tco_option_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: TcoOption, data: dict[str, Any], version: int
    ) -> TcoOption:
        return tco_services.tco_option_update(
            actor=self.request.user, option=record, expected_version=version, **data
        )

    def perform_archive(self, record: TcoOption, version: int | None) -> Any:
        return tco_services.tco_option_archive(
            actor=self.request.user, option=record, expected_version=version
        )

    def perform_restore(self, record: TcoOption, version: int | None) -> Any:
        return tco_services.tco_option_restore(
            actor=self.request.user, option=record, expected_version=version
        )
