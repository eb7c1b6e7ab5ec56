"""Serializers of the bidding API: outputs render bids as submitted; inputs only parse types
(the service checks the rules and names the line and field of every refusal)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from steward.bidding import selectors
from steward.bidding.models import Bid, BidAnswer, BidAttachment, BidLine
from steward.bidding.services.checks import ANSWER_MAX, ATTACHMENTS_MAX, LEAD_TIME_MAX, NOTES_MAX
from steward.core.api.fields import VisibleRelatedField
from steward.sourcing.models import EventInvitation

ID_MAX = 2**63 - 1


class BidLineSerializer(serializers.ModelSerializer):
    line_number = serializers.IntegerField(source="line.number", read_only=True)
    line_description = serializers.CharField(source="line.description", read_only=True)

    class Meta:
        model = BidLine
        fields = [
            "id",
            "bid",
            "line",
            "line_number",
            "line_description",
            "unit_price",
            "price_per",
            "lead_time_days",
            "delivery_cost",
            "lifecycle_cost",
            "notes",
        ]
        read_only_fields = fields


class BidAnswerSerializer(serializers.ModelSerializer):
    question_number = serializers.IntegerField(source="question.number", read_only=True)

    class Meta:
        model = BidAnswer
        fields = ["question", "question_number", "text"]
        read_only_fields = fields


class BidAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = BidAttachment
        fields = [
            "id",
            "bid",
            "line",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment: BidAttachment) -> str:
        return reverse("bidding:attachment-download", args=[attachment.pk])


class BidSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="invitation.event_id", read_only=True)
    supplier = serializers.IntegerField(source="invitation.supplier_id", read_only=True)
    supplier_name = serializers.CharField(
        source="invitation.supplier.relationship.organization.display_name", read_only=True
    )
    lines = BidLineSerializer(many=True, read_only=True)
    answers = BidAnswerSerializer(many=True, read_only=True)
    attachments = BidAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Bid
        fields = [
            "id",
            "invitation",
            "event",
            "supplier",
            "supplier_name",
            "number",
            "currency",
            "notes",
            "submitted_at",
            "submitted_by",
            "lines",
            "answers",
            "attachments",
        ]
        read_only_fields = fields


def _invitations(user: Any) -> Any:
    return selectors.bidder_invitations(user=user)


def _money(max_digits: int, places: int, help_text: str, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=places,
        min_value=Decimal(0),
        help_text=help_text,
        **kwargs,
    )


class BidLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="The event line's id.")
    unit_price = _money(18, 4, "Price per `price_per` units, in the bid's currency.")
    price_per = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
        required=False,
        default=Decimal(1),
        help_text="How many of the line's units the price is for (default 1).",
    )
    lead_time_days = serializers.IntegerField(min_value=0, max_value=LEAD_TIME_MAX)
    delivery_cost = _money(16, 2, "For the whole line.", required=False, default=Decimal(0))
    lifecycle_cost = _money(16, 2, "For the whole line.", required=False, default=Decimal(0))
    notes = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=NOTES_MAX
    )


class BidAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="The bidder question's id."
    )
    text = serializers.CharField(max_length=ANSWER_MAX, allow_blank=True)


class BidInputSerializer(serializers.Serializer):
    invitation = VisibleRelatedField(
        model=EventInvitation, choices=_invitations, help_text="Your invitation's id."
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        help_text="ISO 4217 code of the prices; the event's currency when left out.",
    )
    notes = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=NOTES_MAX
    )
    lines = BidLineInputSerializer(many=True, help_text="One entry per line offered.")
    answers = BidAnswerInputSerializer(
        many=True, required=False, help_text="Answers to the event's questions to bidders."
    )


class BidWithFilesInputSerializer(serializers.Serializer):
    """The same bid as multipart form data: ``lines`` and ``answers`` as JSON text."""

    invitation = VisibleRelatedField(
        model=EventInvitation, choices=_invitations, help_text="Your invitation's id."
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    notes = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=NOTES_MAX
    )
    lines = serializers.CharField(help_text="JSON array of lines, as `lines` of POST /bids/.")
    answers = serializers.CharField(
        required=False, default="[]", help_text="JSON array of answers, as in POST /bids/."
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        max_length=ATTACHMENTS_MAX,
        help_text="PDF, Office, image, CSV or text files submitted with the bid.",
    )
