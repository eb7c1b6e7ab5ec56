"""API endpoints for vendors, their checklist, prequalifications and lifecycle records.

Each viewset reads through the access policy (``restrict`` for lists, the selectors' ``*_get``
for one row) and writes through ``steward.suppliers.services``; the FilterSets of
``steward.suppliers.filtersets`` (and small ones here for the vendor's sub-records) filter lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, get_for_user
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.errors import DomainError
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.api.views import PartiesViewSet
from steward.suppliers import selectors, services
from steward.suppliers.api.serializers import (
    ChecklistItemSerializer,
    ChecklistItemUpdateSerializer,
    LifecycleTransitionSerializer,
    PrequalificationCreateSerializer,
    PrequalificationSerializer,
    RevokeSerializer,
    SegmentChangeSerializer,
    SegmentOverrideSerializer,
    TransitionSerializer,
    VendorCreateSerializer,
    VendorListSerializer,
    VendorSerializer,
    VendorUpdateSerializer,
    is_vendor_id,
)
from steward.suppliers.choices import ChecklistItemCode, Segment, Stage
from steward.suppliers.filtersets import SupplierFilterSet
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    LifecycleTransition,
    Prequalification,
    SegmentChange,
    Supplier,
)


@contextmanager
def fields_renamed(**names: str) -> Iterator[None]:
    """Report a service's refusal on the field as the API names it (``side`` → ``organization``)."""
    try:
        yield
    except DomainError as error:
        if error.field in names:
            error.field = names[error.field]
        raise


class PartialRecordViewSet(RecordViewSet):
    """A record type that lacks some of the shared custom actions (``restore``, say)."""

    omitted_actions: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        return [
            extra
            for extra in super().get_extra_actions()
            if extra.__name__ not in cls.omitted_actions
        ]


# --- vendors -----------------------------------------------------------------------------------

_VENDOR_CREATE_ERRORS: dict[str, tuple[str, ...]] = {
    "organization": ("required", "duplicate"),
    "relationship": ("invalid", "duplicate"),
    "owner": ("not_allowed", "invalid"),
    "tier": ("invalid",),
    "summary": ("invalid",),
    "non_field_errors": ("archived",),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Start a vendor: send `organization` to open a supply relationship with it (owner, "
            "tier and summary optional), or `relationship` to make an existing supply-side "
            "relationship a vendor. It starts as a prospect with an empty checklist and is "
            "placed on the Kraljic matrix at once."
        )
    ),
    partial_update=extend_schema(
        description="Change the type, categories or segmentation inputs; it is re-placed at once."
    ),
    destroy=extend_schema(description="Archive the vendor record (it can be restored)."),
)
class VendorViewSet(PartiesViewSet):
    # A vendor's primary key is its relationship's; the API calls it ``id`` like everywhere else.
    lookup_url_kwarg = "id"
    queryset = Supplier.objects.none()
    filterset_class = SupplierFilterSet
    list_serializer_class = VendorListSerializer
    output_serializer_class = VendorSerializer
    create_serializer_class = VendorCreateSerializer
    update_serializer_class = VendorUpdateSerializer
    action_input_serializers = {
        **PartiesViewSet.action_input_serializers,
        "transition": TransitionSerializer,
        "segment_override": SegmentOverrideSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.forbidden_actions,
        "transition",
        "segment_override",
    )
    versioned_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.versioned_actions,
        "transition",
        "segment_override",
    )
    version_required_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.version_required_actions,
        "segment_override",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _VENDOR_CREATE_ERRORS,
        "transition": {
            "to_stage": ("invalid_transition", "checklist_incomplete"),
            "reason": ("required",),
            "version": ("version_mismatch",),
            "If-Match": ("invalid",),
        },
        "segment_override": {
            "reason": ("required",),
            "version": ("version_mismatch",),
            "If-Match": ("invalid",),
            "non_field_errors": ("archived",),
        },
    }

    def select_list(self) -> QuerySet[Supplier]:
        return (
            Supplier.objects.restrict(self.request.user, Action.VIEW)
            .select_related("relationship__organization")
            .prefetch_related(Prefetch("categories", queryset=Category.objects.only("pk")))
        )

    def select_one(self, action: Action = Action.VIEW) -> Supplier:
        if not is_vendor_id(self.kwargs["id"]):
            raise Http404
        return selectors.supplier_get(user=self.request.user, pk=self.kwargs["id"], action=action)

    def render(self, record: Any, serializer_class: Any = None) -> Any:
        serializer_class = serializer_class or self.get_output_serializer_class()
        context = dict(self.get_serializer_context())
        if issubclass(serializer_class, VendorSerializer):
            context["vendor_state"] = {
                "flags": selectors.supplier_flags(supplier=record),
                "next_stages": selectors.next_stages(supplier=record),
            }
        return serializer_class(record, context=context).data

    def get_output_serializer_class(self) -> Any:
        if self.action in ("transition", "segment_override"):
            return VendorSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Supplier:
        relationship = data.pop("relationship", None)
        if relationship is not None:
            return services.supplier_profile_create(
                actor=self.request.user, relationship=relationship, **data
            )
        with fields_renamed(side="organization"):
            return services.supplier_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Supplier, data: dict[str, Any], version: int) -> Any:
        return services.supplier_update(
            actor=self.request.user,
            supplier=record,
            expected_version=version,
            categories=data.pop("categories", None),
            reason=data.pop("reason", ""),
            **data,
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the vendor to another lifecycle stage.

        Only the moves of the lifecycle table are allowed, and becoming active needs the
        checklist done; a refused move answers 400 on `to_stage` naming the stages allowed.
        """
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=False)
        moved = services.supplier_transition(
            actor=request.user,
            supplier=record,
            to_stage=data["to_stage"],
            reason=data["reason"],
            expected_version=version,
        )
        return self.answer(moved)

    @action(detail=True, methods=["post"], url_path="segment-override")
    def segment_override(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Place the vendor in a quadrant by judgement (a reason is required), or clear it."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=True)
        assert version is not None
        with fields_renamed(override_reason="reason"):
            placed = services.supplier_override_segment(
                actor=request.user,
                supplier=record,
                expected_version=version,
                segment=data["segment"],
                reason=data.get("reason", ""),
            )
        return self.answer(placed)


# --- the checklist -----------------------------------------------------------------------------


class ChecklistItemFilterSet(StewardFilterSet):
    search_fields = ("note",)

    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    code = django_filters.MultipleChoiceFilter(choices=ChecklistItemCode.choices)
    done = django_filters.BooleanFilter()

    class Meta:
        model = ChecklistItem
        fields = ["q", "vendor", "code", "done", "archived"]


@extend_schema_view(
    partial_update=extend_schema(
        description=(
            "Tick or untick the item, with a note. Items of a stage the vendor has left are "
            "locked (400 on `done`)."
        )
    )
)
class ChecklistItemViewSet(RecordViewSet):
    http_method_names = ["get", "patch", "head", "options"]
    queryset = ChecklistItem.objects.none()
    filterset_class = ChecklistItemFilterSet
    output_serializer_class = ChecklistItemSerializer
    update_serializer_class = ChecklistItemUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {"partial_update": {"done": ("locked",)}}

    def select_one(self, action: Action = Action.VIEW) -> ChecklistItem:
        items = ChecklistItem.objects.select_related("supplier")
        return get_for_user(items, user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_update_record(
        self, record: ChecklistItem, data: dict[str, Any], version: int
    ) -> ChecklistItem:
        return services.checklist_set(
            actor=self.request.user,
            item=record,
            done=data.get("done", record.done),
            note=data.get("note", record.note),
            expected_version=version,
        )


# --- prequalifications -------------------------------------------------------------------------


class PrequalificationFilterSet(StewardFilterSet):
    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    category = IdFilter(field_name="category_id", label="Category id")
    current = django_filters.BooleanFilter(
        method="filter_current", label="Neither revoked nor expired"
    )

    class Meta:
        model = Prequalification
        fields = ["vendor", "category", "current", "archived"]

    def filter_current(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        current = Q(revoked_on__isnull=True, expires_on__gte=timezone.localdate())
        return queryset.filter(current) if value else queryset.exclude(current)


@extend_schema_view(
    create=extend_schema(
        description=(
            "Prequalify a vendor for a category (renew by granting again with a later expiry). "
            "Only vendors in qualification, onboarding, active or under review may hold one."
        )
    )
)
class PrequalificationViewSet(PartialRecordViewSet):
    http_method_names = ["get", "post", "head", "options"]
    omitted_actions = ("restore",)
    queryset = Prequalification.objects.none()
    filterset_class = PrequalificationFilterSet
    output_serializer_class = PrequalificationSerializer
    create_serializer_class = PrequalificationCreateSerializer
    action_input_serializers = {"revoke": RevokeSerializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "revoke", "history")
    versioned_actions: ClassVar[tuple[str, ...]] = ("revoke",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"category": ("wrong_stage",), "expires_on": ("invalid",)},
        "revoke": {
            "reason": ("required",),
            "version": ("version_mismatch",),
            "If-Match": ("invalid",),
            "non_field_errors": ("archived",),
        },
    }

    def select_list(self) -> QuerySet[Prequalification]:
        return Prequalification.objects.restrict(self.request.user, Action.VIEW).order_by(
            "-expires_on", "-pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> Prequalification:
        return selectors.prequalification_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> Prequalification:
        return services.prequalification_grant(
            actor=self.request.user,
            supplier=data["vendor"],
            category=data["category"],
            expires_on=data.get("expires_on"),
        )

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke the prequalification now, with a reason."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=False)
        revoked = services.prequalification_revoke(
            actor=request.user, grant=record, reason=data["reason"], expected_version=version
        )
        return self.answer(revoked)


# --- what happened: lifecycle moves and quadrant changes (read-only) ---------------------------


class LifecycleTransitionFilterSet(django_filters.FilterSet):
    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    to_stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")

    class Meta:
        model = LifecycleTransition
        fields = ["vendor", "to_stage", "since"]


class LifecycleTransitionViewSet(StewardViewSet):
    """Every move of a vendor through its lifecycle, newest first (append-only)."""

    queryset = LifecycleTransition.objects.none()
    filterset_class = LifecycleTransitionFilterSet
    output_serializer_class = LifecycleTransitionSerializer


class SegmentChangeFilterSet(django_filters.FilterSet):
    vendor = IdFilter(field_name="supplier_id", label="Vendor id")
    to_segment = django_filters.MultipleChoiceFilter(choices=Segment.choices)
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")

    class Meta:
        model = SegmentChange
        fields = ["vendor", "to_segment", "since"]


class SegmentChangeViewSet(StewardViewSet):
    """Every move of a vendor to another quadrant, newest first (written by segmentation)."""

    queryset = SegmentChange.objects.none()
    filterset_class = SegmentChangeFilterSet
    output_serializer_class = SegmentChangeSerializer
