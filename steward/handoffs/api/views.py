"""The handoffs API: handoffs with their status actions, and their items with close and reopen.

Each handler parses, calls one selector or service, and renders. A handoff is cancelled, never
deleted; an item is removed (archived) only while its handoff is a draft, and closed otherwise.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet
from steward.handoffs import selectors, services
from steward.handoffs.api import serializers as s
from steward.handoffs.filtersets import HandoffFilterSet, HandoffItemFilterSet
from steward.handoffs.models import Handoff, HandoffItem

TEXT = ("required", "too_long", "invalid")
OPTIONAL_TEXT = ("too_long", "invalid")
STATUS = ("invalid_transition",)
VERSIONED: dict[str, tuple[str, ...]] = {"version": ("version_mismatch",), "If-Match": ("invalid",)}
HANDOFF_FIELDS: dict[str, tuple[str, ...]] = {
    "receiver": ("inactive", "not_internal", "not_on_account", "required"),
    "opportunity": ("other_account", "not_won"),
    "go_live": ("order", "invalid"),
    "implementation_start": ("invalid",),
    "first_review_on": ("invalid",),
    "summary": OPTIONAL_TEXT,
}
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "kind": ("invalid",),
    "title": TEXT,
    "details": OPTIONAL_TEXT,
    "owner": ("inactive", "not_internal", "required"),
    "due_on": ("required", "not_applicable", "invalid"),
    "contact": ("required", "archived", "other_organization"),
    "contact_role": ("required", "too_long", "invalid"),
    "severity": ("required", "out_of_range", "not_applicable"),
    "mitigation": ("required", "too_long", "invalid"),
    "non_field_errors": ("finished", "archived", "invalid"),
}


def _refuse_portal(request: Request) -> None:
    if principal_for(request.user).is_external:
        raise exceptions.PermissionDenied("Handoffs are kept by inside users.")


class HandoffViewSet(RecordViewSet):
    """Handoffs of newly won accounts from business development to the account manager. Read by
    the preparer, the account's owner and team, their managers and auditors."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Handoff.objects.none()
    filterset_class = HandoffFilterSet
    output_serializer_class = s.HandoffSerializer
    create_serializer_class = s.HandoffInputSerializer
    update_serializer_class = s.HandoffUpdateSerializer
    # A handoff is cancelled, never archived: nothing to restore.
    restore = None  # type: ignore[assignment]
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "partial_update",
        "history",
        "submit",
        "accept",
        "send_back",
        "complete",
        "cancel",
    )
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "submit": serializers.Serializer,
        "accept": s.HandoffNoteSerializer,
        "send_back": s.HandoffReasonSerializer,
        "complete": serializers.Serializer,
        "cancel": s.HandoffReasonSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **HANDOFF_FIELDS,
            "relationship": ("not_an_account", "archived", "duplicate"),
        },
        "partial_update": {
            **HANDOFF_FIELDS,
            "non_field_errors": ("not_draft", "archived", "invalid"),
        },
        "submit": {"non_field_errors": ("not_ready",), "status": STATUS, **HANDOFF_FIELDS},
        "accept": {"note": OPTIONAL_TEXT, "status": STATUS},
        "send_back": {"reason": TEXT, "status": STATUS},
        "complete": {"non_field_errors": ("open_items",), "status": STATUS},
        "cancel": {"reason": TEXT, "status": STATUS},
    }

    def select_list(self) -> QuerySet[Handoff]:
        rows = selectors.with_item_counts(selectors.handoff_list(user=self.request.user))
        return rows.prefetch_related("transitions").order_by("-created_at", "-pk")

    def select_one(self, action: Action = Action.VIEW) -> Handoff:
        return selectors.handoff_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Handoff:
        _refuse_portal(self.request)
        data.pop("version", None)
        return services.handoff_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Handoff, data: dict[str, Any], version: int) -> Any:
        return services.handoff_update(
            actor=self.request.user, handoff=record, expected_version=version, **data
        )

    @extend_schema(request=None, responses=s.HandoffSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Hand the account over (its preparer): needs a receiver, a first review date and an
        item; the receiver is told it waits for their acceptance."""
        handoff = self.select_one(Action.CHANGE)
        return self.answer(services.handoff_submit(actor=request.user, handoff=handoff))

    @extend_schema(request=s.HandoffNoteSerializer, responses=s.HandoffSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Accept the handoff: only its receiver, explicitly (an administrator cannot)."""
        handoff = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services.handoff_accept(actor=request.user, handoff=handoff, note=data.get("note", ""))
        )

    @extend_schema(request=s.HandoffReasonSerializer, responses=s.HandoffSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send the handoff back to a draft with a reason (its receiver)."""
        handoff = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services.handoff_send_back(actor=request.user, handoff=handoff, reason=data["reason"])
        )

    @extend_schema(request=None, responses=s.HandoffSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Complete an accepted handoff once every item is closed (refused naming open ones)."""
        handoff = self.select_one(Action.CHANGE)
        return self.answer(services.handoff_complete(actor=request.user, handoff=handoff))

    @extend_schema(request=s.HandoffReasonSerializer, responses=s.HandoffSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Cancel a draft or a handoff handed over, with a reason (its preparer)."""
        handoff = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services.handoff_cancel(actor=request.user, handoff=handoff, reason=data["reason"])
        )


class HandoffItemViewSet(RecordViewSet):
    """The items of handoffs: checklist steps, milestones, commitments, risks, named contacts.
    Worked by the account's team; each stays open until closed with a note."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = HandoffItem.objects.none()
    filterset_class = HandoffItemFilterSet
    output_serializer_class = s.HandoffItemSerializer
    create_serializer_class = s.HandoffItemInputSerializer
    update_serializer_class = s.HandoffItemUpdateSerializer
    # A removed item is added again rather than restored.
    restore = None  # type: ignore[assignment]
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "partial_update",
        "destroy",
        "history",
        "close",
        "reopen",
    )
    versioned_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.versioned_actions,
        "close",
        "reopen",
    )
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "close": s.ItemCloseSerializer,
        "reopen": s.ItemReopenSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": ITEM_FIELDS,
        "partial_update": ITEM_FIELDS,
        "destroy": {"If-Match": ("invalid",), "non_field_errors": ("finished", "not_draft")},
        "close": {
            "note": OPTIONAL_TEXT,
            **VERSIONED,
            "non_field_errors": ("finished", "archived", "closed"),
        },
        "reopen": {**VERSIONED, "non_field_errors": ("finished", "archived", "open")},
    }

    def select_list(self) -> QuerySet[HandoffItem]:
        return selectors.item_list(user=self.request.user).order_by("handoff_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> HandoffItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> HandoffItem:
        _refuse_portal(self.request)
        data.pop("version", None)
        return services.item_add(actor=self.request.user, handoff=data.pop("handoff"), **data)

    def perform_update_record(self, record: HandoffItem, data: dict[str, Any], version: int) -> Any:
        return services.item_update(
            actor=self.request.user, item=record, expected_version=version, **data
        )

    def perform_archive(self, record: HandoffItem, version: int | None) -> Any:
        return services.item_remove(actor=self.request.user, item=record, expected_version=version)

    @extend_schema(request=s.ItemCloseSerializer, responses=s.HandoffItemSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close an open item with a note (who and when are recorded)."""
        item = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=False)
        return self.answer(
            services.item_close(
                actor=request.user, item=item, note=data.get("note", ""), expected_version=version
            )
        )

    @extend_schema(request=s.ItemReopenSerializer, responses=s.HandoffItemSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a closed item again."""
        item = self.select_one(Action.CHANGE)
        version = self.requested_version(self.parse().get("version"), required=False)
        return self.answer(
            services.item_reopen(actor=request.user, item=item, expected_version=version)
        )
