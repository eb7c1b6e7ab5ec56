"""Serializers of the sourcing API: outputs render rows, inputs only parse types (the services
decide what may change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from steward.core.access import Access, Action, principal_for
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.people.selectors import internal_user_choices
from steward.sourcing import selectors
from steward.sourcing.choices import AwardRule, EvaluationMethod, EventKind, LineKind
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
from steward.suppliers.models import Category, Supplier

TEXT_MAX = 10_000
User = get_user_model()


def _text(*, required: bool = False, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    if required:
        return serializers.CharField(max_length=max_length, **kwargs)
    return serializers.CharField(
        max_length=max_length, allow_blank=True, required=False, default="", **kwargs
    )


def _unit_price(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _share(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        required=False,
        help_text=help_text,
    )


# --- choices: rows the user may name -----------------------------------------------------------


def _events(user: Any) -> QuerySet[SourcingEvent]:
    return selectors.event_list(user=user)


def _categories(user: Any) -> QuerySet[Category]:
    return Category.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)


def _lines(user: Any) -> QuerySet[EventLine]:
    return EventLine.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)


def _people(user: Any) -> QuerySet[Any]:
    return internal_user_choices(user=user) if user is not None else User.objects.none()


def _invitable(user: Any) -> QuerySet[Supplier]:
    """Vendors the user may see, and any vendor prequalified today (eligibility is the
    system's to judge; the service says whether one may be invited)."""
    today = timezone.localdate()
    prequalified_today = Q(
        prequalifications__revoked_on__isnull=True,
        prequalifications__granted_on__lte=today,
        prequalifications__expires_on__gte=today,
    )
    visible = Supplier.objects.restrict(user, Action.VIEW).values("pk")
    return Supplier.objects.filter(Q(pk__in=visible) | prequalified_today).distinct()


# --- events ------------------------------------------------------------------------------------


class SourcingEventSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = SourcingEvent
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "description",
            "category",
            "category_name",
            "currency",
            "owner",
            "status",
            "opens_at",
            "closes_at",
            "evaluation_method",
            "award_rule",
            "open_to_category",
            "reverse_auction",
            "confirm_days",
            "scorecard_weight",
            "quality_cost_rate",
            "cancelled_reason",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class SourcingEventFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = _text()
    category = VisibleRelatedField(model=Category, choices=_categories)
    currency = serializers.CharField(
        max_length=3, help_text="ISO 4217 code bids are compared in (EUR, USD, ...)."
    )
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)
    evaluation_method = serializers.ChoiceField(choices=EvaluationMethod.choices, required=False)
    award_rule = serializers.ChoiceField(choices=AwardRule.choices, required=False)
    open_to_category = serializers.BooleanField(required=False)
    reverse_auction = serializers.BooleanField(required=False)
    confirm_days = serializers.IntegerField(min_value=1, max_value=90, required=False)
    scorecard_weight = _share("Share of the price per missing scorecard point (0 to 1).")
    quality_cost_rate = _share("Expected quality cost as a share of the price (0 to 1).")
    version = version_field()


class SourcingEventInputSerializer(SourcingEventFieldsSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to you."
    )


class SourcingEventUpdateSerializer(SourcingEventFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class SourcingEventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- lines, questions, criteria, documents, team -----------------------------------------------


class EventLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventLine
        fields = [
            "id",
            "event",
            "number",
            "kind",
            "description",
            "specification",
            "quantity",
            "unit",
            "target_delivery_date",
            "target_unit_price",
            "last_unit_price",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class EventLineFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices, required=False)
    description = serializers.CharField(max_length=200)
    specification = _text()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    unit = serializers.CharField(max_length=20, required=False)
    target_delivery_date = serializers.DateField(required=False, allow_null=True)
    target_unit_price = _unit_price("What the buyer expects to pay per unit.")
    last_unit_price = _unit_price("The last price paid per unit.")
    version = version_field()


class EventLineInputSerializer(EventLineFieldsSerializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)


class EventLineUpdateSerializer(EventLineFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class BidderQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BidderQuestion
        fields = ["id", "event", "number", "text", "required", "archived_at", "version"]
        read_only_fields = fields


class BidderQuestionFieldsSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)
    # DRF takes declared fields off the class, so this does not shadow ``Field.required``.
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]
    version = version_field()


class BidderQuestionInputSerializer(BidderQuestionFieldsSerializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)


class BidderQuestionUpdateSerializer(BidderQuestionFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class EvaluationCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = [
            "id",
            "event",
            "name",
            "description",
            "max_value",
            "order",
            "archived_at",
            "version",
        ]
        read_only_fields = fields


class EvaluationCriterionFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = _text()
    max_value = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text="A fraction of the price, above 0 and at most 0.3; an event's maxima sum to "
        "0.3 at most.",
    )
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    version = version_field()


class EvaluationCriterionInputSerializer(EvaluationCriterionFieldsSerializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)


class EvaluationCriterionUpdateSerializer(EvaluationCriterionFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class EventAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EventAttachment
        fields = [
            "id",
            "event",
            "line",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "archived_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment: EventAttachment) -> str:
        return reverse("sourcing-event-attachment-download", args=[attachment.pk])


class EventAttachmentInputSerializer(serializers.Serializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)
    line = VisibleRelatedField(model=EventLine, choices=_lines, required=False, allow_null=True)
    file = serializers.FileField()


class SourcingEventMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourcingEventMember
        fields = ["id", "event", "user", "access", "archived_at", "version"]
        read_only_fields = fields


class SourcingEventMemberInputSerializer(serializers.Serializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)
    user = VisibleRelatedField(model=User, choices=_people)
    access = serializers.ChoiceField(choices=Access.choices, required=False)
    version = version_field()


class SourcingEventMemberUpdateSerializer(serializers.Serializer):
    access = serializers.ChoiceField(choices=Access.choices)
    version = version_field()


# --- invitations and questions and answers -----------------------------------------------------


class EventInvitationSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(
        source="supplier.relationship.organization.display_name", read_only=True
    )

    class Meta:
        model = EventInvitation
        fields = [
            "id",
            "event",
            "supplier",
            "vendor_name",
            "status",
            "invited_by",
            "override_reason",
            "declined_reason",
            "visible_to_vendor",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def to_representation(self, instance: EventInvitation) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and principal_for(request.user).is_external:
            # Why the buyer overrode a block is the buyer's judgement, not the vendor's news.
            data["override_reason"] = ""
        return data


class EventInvitationInputSerializer(serializers.Serializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)
    supplier = VisibleRelatedField(model=Supplier, choices=_invitable)
    override_reason = _text(
        max_length=2000,
        help_text="Required to invite a vendor that is not prequalified for the event's "
        "category on the day, or whose scorecard standing blocks sourcing.",
    )


class EventInvitationDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


class ClarificationSerializer(serializers.ModelSerializer):
    """The buyer's view: with the invitation that asked (never shown to bidders)."""

    class Meta:
        model = Clarification
        fields = [
            "id",
            "event",
            "invitation",
            "question",
            "answer",
            "published_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ClarificationInputSerializer(serializers.Serializer):
    event = VisibleRelatedField(model=SourcingEvent, choices=_events)
    question = serializers.CharField(max_length=4000)
    answer = serializers.CharField(max_length=4000)


class ClarificationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)
    publish = serializers.BooleanField(
        required=False, default=True, help_text="Publish to every invitee at once."
    )


class EventLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = EventLogEntry
        fields = ["id", "event", "at", "actor", "action", "invitation", "summary", "detail"]
        read_only_fields = fields
