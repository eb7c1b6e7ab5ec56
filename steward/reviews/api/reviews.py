"""API endpoints of business reviews, their decisions and action items.

Reads start from the access policy (a review follows its relationship and its owner; a decision
its review; an action item its relationship and owner, and a portal user sees the action items
of their organization that were shared with them). Writes go through
``steward.reviews.services_reviews``; delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import renderers, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.core.api.viewsets import ErrorCodes, RecordViewSet
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.reviews import pack, selectors_reviews, services_reviews
from steward.reviews.choices import ActionSide, ActionStatus, ReviewKind, ReviewStatus
from steward.reviews.filtersets_reviews import (
    ActionItemFilterSet,
    BusinessReviewFilterSet,
    ReviewDecisionFilterSet,
)
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision

User = get_user_model()


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _contacts(user: Any) -> Any:
    return Contact.objects.restrict(user, Action.VIEW).active()


def _relationships(user: Any) -> Any:
    return Relationship.objects.restrict(user, Action.VIEW)


def _reviews(user: Any) -> Any:
    return BusinessReview.objects.restrict(user, Action.VIEW)


def _people_field(help_text: str, **kwargs: Any) -> VisibleRelatedField:
    return VisibleRelatedField(model=User, choices=_people, help_text=help_text, **kwargs)


def _contacts_field(help_text: str, **kwargs: Any) -> VisibleRelatedField:
    return VisibleRelatedField(model=Contact, choices=_contacts, help_text=help_text, **kwargs)


# --- serializers: reviews ------------------------------------------------------------------------


class AgendaSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="The values behind the section, for machines."
    )


class BusinessReviewSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    title = serializers.CharField()
    scheduled_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    held_on = serializers.DateField(allow_null=True)
    owner = serializers.IntegerField(source="owner_id")
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.none(), help_text="User ids of our attendees."
    )
    contacts = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Contact.objects.none(), help_text="Contact ids of their attendees."
    )
    previous = serializers.IntegerField(
        source="previous_id", allow_null=True, help_text="The review before this one."
    )
    agenda = AgendaSectionSerializer(many=True, help_text="As prepared; kept once held.")
    agenda_prepared_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.CharField(allow_blank=True)
    cancel_reason = serializers.CharField(allow_blank=True)


class BusinessReviewInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices, required=False)
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Empty: a name is made up."
    )
    scheduled_on = serializers.DateField()
    owner = _people_field("Empty: the relationship's owner.", required=False, allow_null=True)
    attendees = _people_field("User ids of our attendees.", many=True, required=False)
    contacts = _contacts_field(
        "Contact ids of their attendees (people of the organization).", many=True, required=False
    )


class BusinessReviewCreateSerializer(BusinessReviewInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=_relationships,
        help_text="The relationship (a vendor's id is its relationship's id).",
    )


class BusinessReviewUpdateSerializer(BusinessReviewInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    scheduled_on = serializers.DateField(required=False)
    owner = _people_field("The review's owner.", required=False)
    version = version_field()


class ReviewRecordSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=100_000, help_text="What was discussed.")
    held_on = serializers.DateField(help_text="When it was held (not in the future).")
    attendees = _people_field("User ids of our attendees.", many=True, required=False)
    contacts = _contacts_field("Contact ids of their attendees.", many=True, required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- serializers: decisions and actions ----------------------------------------------------------


class ReviewDecisionSerializer(RecordOutputSerializer):
    review = serializers.IntegerField(source="review_id")
    text = serializers.CharField()
    recorded_by = serializers.IntegerField(source="recorded_by_id")


class ReviewDecisionCreateSerializer(serializers.Serializer):
    review = VisibleRelatedField(model=BusinessReview, choices=_reviews, help_text="Review id.")
    text = serializers.CharField(max_length=10_000)


class ReviewDecisionUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)
    version = version_field()


class ActionItemSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    review = serializers.IntegerField(source="review_id", allow_null=True)
    title = serializers.CharField()
    side = serializers.ChoiceField(choices=ActionSide.choices)
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_contact = serializers.IntegerField(source="owner_contact_id", allow_null=True)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    done_at = serializers.DateTimeField(allow_null=True)
    follow_up = serializers.CharField(allow_blank=True)
    chased_at = serializers.DateTimeField(allow_null=True)
    shared_with_portal = serializers.BooleanField()


class ActionItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    side = serializers.ChoiceField(choices=ActionSide.choices, required=False)
    owner = _people_field(
        "Our owner (side ours; empty: whoever creates it).", required=False, allow_null=True
    )
    owner_contact = _contacts_field(
        "Their owner (side theirs): a contact of the organization.",
        required=False,
        allow_null=True,
    )
    shared_with_portal = serializers.BooleanField(required=False)
    follow_up = serializers.CharField(max_length=20_000, required=False, allow_blank=True)


class ActionItemCreateSerializer(ActionItemInputSerializer):
    review = VisibleRelatedField(
        model=BusinessReview,
        choices=_reviews,
        required=False,
        allow_null=True,
        help_text="The review it came from (its relationship is taken).",
    )
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=_relationships,
        required=False,
        allow_null=True,
        help_text="The relationship, when the action is not from a review.",
    )


class ActionItemUpdateSerializer(ActionItemInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    due_on = serializers.DateField(required=False)
    version = version_field()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; refusals are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


# --- viewsets ------------------------------------------------------------------------------------

_PEOPLE_ERRORS: dict[str, tuple[str, ...]] = {
    "owner": ("invalid",),
    "attendees": ("invalid",),
    "contacts": ("invalid",),
}


class _ArchivingViewSet(RecordViewSet):
    """Delete archives and restore brings back, through the reviews services."""

    archive_service: ClassVar[Any]
    restore_service: ClassVar[Any]
    record_arg: ClassVar[str]

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return type(self).archive_service(
            actor=self.request.user, expected_version=version, **{self.record_arg: record}
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return type(self).restore_service(
            actor=self.request.user, expected_version=version, **{self.record_arg: record}
        )


@extend_schema_view(
    create=extend_schema(
        description=(
            "Schedule a review on a relationship. The owner defaults to the relationship's owner; "
            "the previous review is the last one held. Their attendees must be contacts of the "
            "organization (code `invalid` on `contacts`)."
        )
    ),
    destroy=extend_schema(description="Archive the review (it can be restored)."),
)
class BusinessReviewViewSet(_ArchivingViewSet):
    queryset = BusinessReview.objects.none()
    filterset_class = BusinessReviewFilterSet
    output_serializer_class = BusinessReviewSerializer
    create_serializer_class = BusinessReviewCreateSerializer
    update_serializer_class = BusinessReviewUpdateSerializer
    archive_service = services_reviews.review_archive
    restore_service = services_reviews.review_restore
    record_arg = "review"
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "record": ReviewRecordSerializer,
        "cancel": ReasonSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "prepare_agenda",
        "record",
        "cancel",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_PEOPLE_ERRORS, "relationship": ("archived",), "kind": ("invalid",)},
        "update": {**_PEOPLE_ERRORS, "status": ("invalid",), "scheduled_on": ("invalid",)},
        "partial_update": {**_PEOPLE_ERRORS, "status": ("invalid",), "scheduled_on": ("invalid",)},
        "prepare_agenda": {"status": ("not_planned",)},
        "record": {
            "minutes": ("required",),
            "held_on": ("invalid",),
            "status": ("invalid_transition",),
            "attendees": ("invalid",),
            "contacts": ("invalid",),
        },
        "cancel": {"reason": ("required",), "status": ("invalid_transition",)},
    }

    def select_list(self) -> QuerySet[BusinessReview]:
        return (
            BusinessReview.objects.restrict(self.request.user, Action.VIEW)
            .select_related("relationship__organization")
            .prefetch_related("attendees", "contacts")
        )

    def select_one(self, action: Action = Action.VIEW) -> BusinessReview:
        return selectors_reviews.review_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def get_output_serializer_class(self) -> Any:
        if self.action in ("prepare_agenda", "record", "cancel"):
            return BusinessReviewSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> BusinessReview:
        return services_reviews.review_schedule(actor=self.request.user, **data)

    def perform_update_record(
        self, record: BusinessReview, data: dict[str, Any], version: int
    ) -> BusinessReview:
        return services_reviews.review_update(
            actor=self.request.user,
            review=record,
            expected_version=version,
            attendees=data.pop("attendees", None),
            contacts=data.pop("contacts", None),
            **data,
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="prepare-agenda")
    def prepare_agenda(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Assemble (or refresh) the agenda from the relationship's current figures.

        Only while the review is planned (code `not_planned` on `status` otherwise).
        """
        review = self.select_one(Action.CHANGE)
        return self.answer(
            services_reviews.review_prepare_agenda(actor=request.user, review=review)
        )

    @action(detail=True, methods=["post"])
    def record(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the review as held: minutes, the day, who came."""
        review = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services_reviews.review_record(actor=request.user, review=review, **data)
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Call the review off, saying why."""
        review = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            services_reviews.review_cancel(actor=request.user, review=review, reason=data["reason"])
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The review pack as PDF."
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        renderer_classes=[renderers.JSONRenderer, PdfRenderer],
    )
    def pack(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """The review pack: agenda, minutes, decisions and action items, as a PDF download."""
        review = self.select_one(Action.VIEW)
        response = HttpResponse(pack.review_pack_pdf(review), content_type="application/pdf")
        filename = pack.review_pack_filename(review)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@extend_schema_view(
    create=extend_schema(description="Record a decision taken in a review."),
    destroy=extend_schema(description="Archive the decision (it can be restored)."),
)
class ReviewDecisionViewSet(_ArchivingViewSet):
    queryset = ReviewDecision.objects.none()
    filterset_class = ReviewDecisionFilterSet
    output_serializer_class = ReviewDecisionSerializer
    create_serializer_class = ReviewDecisionCreateSerializer
    update_serializer_class = ReviewDecisionUpdateSerializer
    archive_service = services_reviews.review_decision_archive
    restore_service = services_reviews.review_decision_restore
    record_arg = "decision"
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"text": ("required",), "review": ("not_open",)},
        "update": {"text": ("required",)},
        "partial_update": {"text": ("required",)},
    }

    def select_list(self) -> QuerySet[ReviewDecision]:
        return ReviewDecision.objects.restrict(self.request.user, Action.VIEW)

    def select_one(self, action: Action = Action.VIEW) -> ReviewDecision:
        return selectors_reviews.decision_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> ReviewDecision:
        return services_reviews.review_decision_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ReviewDecision, data: dict[str, Any], version: int
    ) -> ReviewDecision:
        return services_reviews.review_decision_update(
            actor=self.request.user, decision=record, expected_version=version, text=data["text"]
        )


_ACTION_RULES: dict[str, tuple[str, ...]] = {
    "owner": ("invalid", "required"),
    "owner_contact": ("invalid", "required"),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Add an action item from a review (or on a relationship): on our side it is owned by "
            "one of our people (`owner`), on theirs by a contact of the organization "
            "(`owner_contact`)."
        )
    ),
    destroy=extend_schema(description="Archive the action item (it can be restored)."),
)
class ActionItemViewSet(_ArchivingViewSet):
    queryset = ActionItem.objects.none()
    filterset_class = ActionItemFilterSet
    output_serializer_class = ActionItemSerializer
    create_serializer_class = ActionItemCreateSerializer
    update_serializer_class = ActionItemUpdateSerializer
    archive_service = services_reviews.action_item_archive
    restore_service = services_reviews.action_item_restore
    record_arg = "action_item"
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "complete": NoteSerializer,
        "drop": ReasonSerializer,
        "reopen": NoteSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "complete",
        "drop",
        "reopen",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **_ACTION_RULES,
            "review": ("invalid", "not_open"),
            "relationship": ("required", "archived"),
        },
        "update": _ACTION_RULES,
        "partial_update": _ACTION_RULES,
        "complete": {"status": ("invalid_transition",), "non_field_errors": ("archived",)},
        "drop": {
            "reason": ("required",),
            "status": ("invalid_transition",),
            "non_field_errors": ("archived",),
        },
        "reopen": {"status": ("invalid_transition",), "non_field_errors": ("archived",)},
    }

    def select_list(self) -> QuerySet[ActionItem]:
        return ActionItem.objects.restrict(self.request.user, Action.VIEW).select_related(
            "relationship__organization"
        )

    def select_one(self, action: Action = Action.VIEW) -> ActionItem:
        return selectors_reviews.action_item_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def get_output_serializer_class(self) -> Any:
        if self.action in ("complete", "drop", "reopen"):
            return ActionItemSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> ActionItem:
        return services_reviews.action_item_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ActionItem, data: dict[str, Any], version: int
    ) -> ActionItem:
        return services_reviews.action_item_update(
            actor=self.request.user, action_item=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the action done, with an optional note."""
        record = self.select_one(Action.CHANGE)
        note = self.parse().get("note", "")
        return self.answer(
            services_reviews.action_item_complete(actor=request.user, action_item=record, note=note)
        )

    @action(detail=True, methods=["post"])
    def drop(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Drop the action, saying why."""
        record = self.select_one(Action.CHANGE)
        reason = self.parse()["reason"]
        return self.answer(
            services_reviews.action_item_drop(actor=request.user, action_item=record, reason=reason)
        )

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a done or dropped action again."""
        record = self.select_one(Action.CHANGE)
        note = self.parse().get("note", "")
        return self.answer(
            services_reviews.action_item_reopen(actor=request.user, action_item=record, reason=note)
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("business-reviews", BusinessReviewViewSet, "business-review"),
    ("review-decisions", ReviewDecisionViewSet, "review-decision"),
    ("action-items", ActionItemViewSet, "action-item"),
]
