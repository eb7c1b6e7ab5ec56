"""The sourcing API: events and their parts, invitations, questions and answers, the log.

Each handler parses, calls one selector or service, and renders. Parts (lines, questions to
bidders, criteria, the team) are versioned records: PATCH names the version read, DELETE takes
the part out (archived, kept in the history); a removed part stays removed (add it again).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.uploads import ALLOWED_TYPES, stored_file_response
from steward.sourcing import selectors, services
from steward.sourcing.api import serializers as s
from steward.sourcing.filtersets import (
    BidderQuestionFilterSet,
    ClarificationFilterSet,
    EvaluationCriterionFilterSet,
    EventAttachmentFilterSet,
    EventInvitationFilterSet,
    EventLineFilterSet,
    EventLogFilterSet,
    SourcingEventFilterSet,
    SourcingEventMemberFilterSet,
)
from steward.sourcing.models import (
    BidderQuestion,
    Clarification,
    EvaluationCriterion,
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
    SourcingEventMember,
)

TEXT = ("required", "too_long", "invalid")
OPTIONAL_TEXT = ("too_long", "invalid")
FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
DRAFT_ONLY: dict[str, tuple[str, ...]] = {"non_field_errors": ("not_draft", "archived")}
# Fields an open event no longer changes answer "open"; see services/events.py.
FROZEN_WHEN_OPEN = (
    "title",
    "category",
    "currency",
    "opens_at",
    "award_rule",
    "open_to_category",
    "reverse_auction",
    "confirm_days",
    "scorecard_weight",
    "quality_cost_rate",
)
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": TEXT,
    "description": OPTIONAL_TEXT,
    "currency": ("required", "invalid", "invalid_currency"),
    "closes_at": ("past", "order"),
    "opens_at": ("invalid",),
    "category": ("invalid",),
}
EVENT_UPDATE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(FROZEN_WHEN_OPEN, ("open",)),
    **{name: (*codes, "open") for name, codes in EVENT_FIELDS.items()},
    "closes_at": ("past", "order", "shortened", "required"),
    "evaluation_method": ("has_criteria", "open"),
    "non_field_errors": ("not_editable", "archived"),
}
LINE_FIELDS: dict[str, tuple[str, ...]] = {
    "description": TEXT,
    "specification": OPTIONAL_TEXT,
    "unit": TEXT,
    "kind": ("invalid",),
    "quantity": ("required",),
    **DRAFT_ONLY,
}
CRITERION_FIELDS: dict[str, tuple[str, ...]] = {
    "name": (*TEXT, "duplicate"),
    "description": OPTIONAL_TEXT,
    "max_value": ("invalid", "out_of_range", "sum_too_high"),
    "non_field_errors": ("not_draft", "not_weighted", "archived"),
}


def _refuse_portal(request: Request) -> None:
    if principal_for(request.user).is_external:
        raise exceptions.PermissionDenied("Sourcing events are run by inside users.")


class PartViewSet(RecordViewSet):
    """A part of an event: created under an event the user may change, edited while a draft."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # A removed part is added again rather than restored.
    restore = None  # type: ignore[assignment]

    def select_list(self) -> QuerySet[Any]:
        model = self.viewset_model()
        return selectors.part_list(user=self.request.user, model=model).order_by("event_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Any:
        return selectors.part_get(
            user=self.request.user, model=self.viewset_model(), pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        return super().create(request, *args, **kwargs)


# --- events ------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description="Start a draft event; it gets the next reference of its kind and year "
        "(RFQ-2026-0001)."
    ),
    partial_update=extend_schema(
        description="A draft changes freely. An open event changes only its description, and "
        "its closing time may move later (never earlier, never once passed); the invitees "
        "are told."
    ),
)
class SourcingEventViewSet(RecordViewSet):
    """Requests for quotation and proposal. Procurement sees and runs them all; others their
    own and those they are on the team of."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = SourcingEvent.objects.none()
    filterset_class = SourcingEventFilterSet
    output_serializer_class = s.SourcingEventSerializer
    create_serializer_class = s.SourcingEventInputSerializer
    update_serializer_class = s.SourcingEventUpdateSerializer
    # An event is cancelled, never archived: nothing to restore.
    restore = None  # type: ignore[assignment]
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "partial_update",
        "history",
        "publish",
        "cancel",
    )
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "publish": serializers.Serializer,
        "cancel": s.SourcingEventCancelSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**EVENT_FIELDS, "owner": ("inactive", "not_internal"), "kind": ("invalid",)},
        "partial_update": EVENT_UPDATE,
        "publish": {"non_field_errors": ("not_publishable",), "status": ("invalid_transition",)},
        "cancel": {"reason": TEXT, "status": ("invalid_transition",)},
    }

    def select_list(self) -> QuerySet[SourcingEvent]:
        return selectors.event_list(user=self.request.user).order_by("-created_at", "-pk")

    def select_one(self, action: Action = Action.VIEW) -> SourcingEvent:
        event = selectors.event_get(user=self.request.user, pk=self.kwargs["pk"], action=action)
        return services.ensure_closed(event)

    def perform_create_record(self, data: dict[str, Any]) -> SourcingEvent:
        data.pop("version", None)
        return services.event_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: SourcingEvent, data: dict[str, Any], version: int
    ) -> SourcingEvent:
        return services.event_update(
            actor=self.request.user, event=record, expected_version=version, **data
        )

    @extend_schema(request=None, responses=s.SourcingEventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a draft for bids: every line, the closing time, the currency, criteria of a
        weighted event and an invitee (or the category) must be there; the invitees are told."""
        event = self.select_one(Action.CHANGE)
        return self.answer(services.event_publish(actor=request.user, event=event))

    @extend_schema(request=s.SourcingEventCancelSerializer, responses=s.SourcingEventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Cancel a draft, open or closed event with a reason; the invitees are told."""
        event = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services.event_cancel(actor=request.user, event=event, reason=data["reason"])
        )


# --- parts -------------------------------------------------------------------------------------


class EventLineViewSet(PartViewSet):
    """The lines of events: added, changed and removed while the event is a draft."""

    queryset = EventLine.objects.none()
    filterset_class = EventLineFilterSet
    output_serializer_class = s.EventLineSerializer
    create_serializer_class = s.EventLineInputSerializer
    update_serializer_class = s.EventLineUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": LINE_FIELDS,
        "partial_update": LINE_FIELDS,
        "destroy": DRAFT_ONLY,
    }

    def perform_create_record(self, data: dict[str, Any]) -> EventLine:
        data.pop("version", None)
        return services.line_add(actor=self.request.user, event=data.pop("event"), **data)

    def perform_update_record(self, record: EventLine, data: dict[str, Any], version: int) -> Any:
        return services.line_update(
            actor=self.request.user, line=record, expected_version=version, **data
        )

    def perform_archive(self, record: EventLine, version: int | None) -> Any:
        return services.line_remove(actor=self.request.user, line=record, expected_version=version)


class BidderQuestionViewSet(PartViewSet):
    """Questions every bid answers, kept while the event is a draft."""

    queryset = BidderQuestion.objects.none()
    filterset_class = BidderQuestionFilterSet
    output_serializer_class = s.BidderQuestionSerializer
    create_serializer_class = s.BidderQuestionInputSerializer
    update_serializer_class = s.BidderQuestionUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"text": TEXT, **DRAFT_ONLY},
        "partial_update": {"text": TEXT, **DRAFT_ONLY},
        "destroy": DRAFT_ONLY,
    }

    def perform_create_record(self, data: dict[str, Any]) -> BidderQuestion:
        return services.bidder_question_add(
            actor=self.request.user,
            event=data["event"],
            text=data["text"],
            required=data.get("required", True),
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.bidder_question_update(
            actor=self.request.user, question=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.bidder_question_remove(
            actor=self.request.user, question=record, expected_version=version
        )


class EvaluationCriterionViewSet(PartViewSet):
    """Non-price criteria of weighted events: each worth at most 0.3 of the price, together at
    most 0.3; kept while the event is a draft."""

    queryset = EvaluationCriterion.objects.none()
    filterset_class = EvaluationCriterionFilterSet
    output_serializer_class = s.EvaluationCriterionSerializer
    create_serializer_class = s.EvaluationCriterionInputSerializer
    update_serializer_class = s.EvaluationCriterionUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": CRITERION_FIELDS,
        "partial_update": CRITERION_FIELDS,
        "destroy": DRAFT_ONLY,
    }

    def select_list(self) -> QuerySet[Any]:
        return super().select_list().order_by("event_id", "order", "pk")

    def perform_create_record(self, data: dict[str, Any]) -> EvaluationCriterion:
        data.pop("version", None)
        return services.criterion_add(actor=self.request.user, event=data.pop("event"), **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.criterion_update(
            actor=self.request.user, criterion=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.criterion_remove(
            actor=self.request.user, criterion=record, expected_version=version
        )


class SourcingEventMemberViewSet(PartViewSet):
    """The event's team: colleagues who read it (review) or run it with the owner (edit)."""

    queryset = SourcingEventMember.objects.none()
    filterset_class = SourcingEventMemberFilterSet
    output_serializer_class = s.SourcingEventMemberSerializer
    create_serializer_class = s.SourcingEventMemberInputSerializer
    update_serializer_class = s.SourcingEventMemberUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"user": ("inactive", "not_internal", "duplicate"), "access": ("invalid",)},
        "partial_update": {"access": ("invalid",), "non_field_errors": ("archived",)},
    }

    def perform_create_record(self, data: dict[str, Any]) -> SourcingEventMember:
        return services.member_add(
            actor=self.request.user,
            event=data["event"],
            user=data["user"],
            access=data.get("access", "review"),
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.member_update(
            actor=self.request.user, member=record, expected_version=version, access=data["access"]
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.member_remove(
            actor=self.request.user, member=record, expected_version=version
        )


DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, media_type): OpenApiTypes.BINARY for media_type in sorted(set(ALLOWED_TYPES.values()))
}


class EventAttachmentViewSet(StewardViewSet):
    """Documents of events (multipart upload), downloaded by the event's team; invitees download
    them from their portal. Added to a draft or an open event, removed only from a draft."""

    queryset = EventAttachment.objects.none()
    filterset_class = EventAttachmentFilterSet
    output_serializer_class = s.EventAttachmentSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "destroy")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.EventAttachmentInputSerializer
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"file": FILE_CODES, "line": ("invalid",), "non_field_errors": ("closed",)},
        "destroy": {"non_field_errors": ("not_draft",)},
    }

    def select_list(self) -> QuerySet[EventAttachment]:
        rows = selectors.part_list(user=self.request.user, model=EventAttachment)
        return rows.order_by("event_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> EventAttachment:
        return selectors.part_get(
            user=self.request.user, model=EventAttachment, pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        data = self.parse()
        attachment = services.attachment_add(
            actor=request.user, event=data["event"], upload=data["file"], line=data.get("line")
        )
        return self.answer(attachment, code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Remove a draft's document (archived, kept in the history)."""
        services.attachment_remove(actor=request.user, attachment=self.select_one(Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DOWNLOAD_RESPONSES, description="The file, as it was uploaded.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        return stored_file_response(self.select_one())


# --- invitations, questions and answers, the log -----------------------------------------------


class EventInvitationViewSet(StewardViewSet):
    """Vendors invited to bid. The team invites (an ineligible vendor only with a reason); an
    invitee's portal users see their own invitations once the event is published, and may
    decline."""

    queryset = EventInvitation.objects.none()
    filterset_class = EventInvitationFilterSet
    output_serializer_class = s.EventInvitationSerializer
    http_method_names = ["get", "post", "head", "options"]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "decline")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.EventInvitationInputSerializer,
        "decline": s.EventInvitationDeclineSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "override_reason": ("ineligible", "too_long", "invalid"),
            "supplier": ("duplicate", "archived", "does_not_exist"),
            "non_field_errors": ("closed",),
        },
        "decline": {"reason": TEXT, "non_field_errors": ("forbidden", "declined", "closed")},
    }

    def select_list(self) -> QuerySet[EventInvitation]:
        rows = selectors.part_list(user=self.request.user, model=EventInvitation)
        return rows.select_related("supplier__relationship__organization").order_by(
            "event_id", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> EventInvitation:
        return selectors.part_get(
            user=self.request.user, model=EventInvitation, pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        data = self.parse()
        invitation = services.invitation_create(
            actor=request.user,
            event=data["event"],
            supplier=data["supplier"],
            override_reason=data.get("override_reason", ""),
        )
        return self.answer(invitation, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EventInvitationDeclineSerializer, responses=s.EventInvitationSerializer
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The invited vendor's portal user declines to bid, saying why."""
        invitation = self.select_one()
        data = self.parse()
        declined = services.invitation_decline(
            actor=request.user, invitation=invitation, reason=data["reason"]
        )
        return self.answer(declined)


class ClarificationViewSet(StewardViewSet):
    """Questions bidders asked and the answers published to every invitee, for the event's
    team (who asked is theirs to see). POST publishes a clarification of the buyer's own."""

    queryset = Clarification.objects.none()
    filterset_class = ClarificationFilterSet
    output_serializer_class = s.ClarificationSerializer
    http_method_names = ["get", "post", "head", "options"]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "answer_question", "publish")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.ClarificationInputSerializer,
        "answer_question": s.ClarificationAnswerSerializer,
        "publish": serializers.Serializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"question": TEXT, "answer": TEXT, "non_field_errors": ("closed",)},
        "answer_question": {"answer": TEXT, "non_field_errors": ("closed", "published")},
        "publish": {"answer": ("required",), "non_field_errors": ("closed", "published")},
    }

    def select_list(self) -> QuerySet[Clarification]:
        rows = selectors.part_list(user=self.request.user, model=Clarification)
        return rows.order_by("event_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Clarification:
        return selectors.part_get(
            user=self.request.user, model=Clarification, pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        data = self.parse()
        posted = services.clarification_post(
            actor=request.user,
            event=data["event"],
            question=data["question"],
            answer=data["answer"],
        )
        return self.answer(posted, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClarificationAnswerSerializer, responses=s.ClarificationSerializer)
    @action(detail=True, methods=["post"], url_path="answer")
    def answer_question(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answer a question; published to every invitee (without the asker) unless
        ``publish`` is false."""
        clarification = self.select_one()
        data = self.parse()
        answered = services.clarification_answer(
            actor=request.user,
            clarification=clarification,
            answer=data["answer"],
            publish=data.get("publish", True),
        )
        return self.answer(answered)

    @extend_schema(request=None, responses=s.ClarificationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Publish an answered question to every invitee."""
        clarification = self.select_one()
        published = services.clarification_publish(actor=request.user, clarification=clarification)
        return self.answer(published)


class EventLogViewSet(StewardViewSet):
    """Every action on the events you may see, with its time: append-only, read-only, never a
    bid amount."""

    queryset = EventLogEntry.objects.none()
    filterset_class = EventLogFilterSet
    output_serializer_class = s.EventLogEntrySerializer
    http_method_names = ["get", "head", "options"]

    def select_list(self) -> QuerySet[EventLogEntry]:
        rows = EventLogEntry.objects.restrict(self.request.user, Action.VIEW)
        return rows.order_by("event_id", "at", "pk")
