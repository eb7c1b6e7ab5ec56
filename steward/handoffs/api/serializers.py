"""Serializers of the handoffs API: outputs render rows, inputs only parse types (the services
decide what may change)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.handoffs import selectors
from steward.handoffs.choices import ItemKind
from steward.handoffs.models import Handoff, HandoffItem, HandoffTransition
from steward.parties.models import Contact, Relationship
from steward.pipeline.models import Opportunity

User = get_user_model()
TEXT_MAX = 10_000


def _text(*, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    return serializers.CharField(max_length=max_length, allow_blank=True, required=False, **kwargs)


def _accounts(user: Any) -> QuerySet[Relationship]:
    return selectors.account_choices(user=user) if user is not None else Relationship.objects.none()


def _people(user: Any) -> QuerySet[Any]:
    return selectors.people_choices(user=user) if user is not None else User.objects.none()


def _opportunities(user: Any) -> QuerySet[Opportunity]:
    return selectors.won_opportunities()


def _contacts(user: Any) -> QuerySet[Contact]:
    return selectors.contact_choices(user=user) if user is not None else Contact.objects.none()


def _handoffs(user: Any) -> QuerySet[Handoff]:
    return (
        Handoff.objects.restrict(user, Action.VIEW) if user is not None else Handoff.objects.none()
    )


class HandoffTransitionSerializer(serializers.ModelSerializer):
    # Empty on the first step (the handoff was prepared): not one of the statuses.
    from_status = serializers.CharField(
        read_only=True, help_text="The status before the move; empty when it was prepared."
    )

    class Meta:
        model = HandoffTransition
        fields = ["from_status", "to_status", "actor", "at", "note"]
        read_only_fields = fields


class HandoffSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(
        source="relationship.organization.display_name", read_only=True
    )
    open_items = serializers.SerializerMethodField()
    timeline = HandoffTransitionSerializer(source="transitions", many=True, read_only=True)

    class Meta:
        model = Handoff
        fields = [
            "id",
            "relationship",
            "account_name",
            "opportunity",
            "handed_over_by",
            "receiver",
            "status",
            "summary",
            "implementation_start",
            "go_live",
            "first_review_on",
            "handed_over_at",
            "accepted_at",
            "acceptance_note",
            "sent_back_reason",
            "completed_at",
            "cancelled_reason",
            "open_items",
            "timeline",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_open_items(self, obj: Handoff) -> int:
        """Items not closed yet (removed ones left out)."""
        counted = getattr(obj, "open_count", None)
        if counted is not None:
            return int(counted)
        return obj.items.filter(archived_at__isnull=True, closed_at__isnull=True).count()


class HandoffFieldsSerializer(serializers.Serializer):
    receiver = VisibleRelatedField(
        model=User,
        choices=_people,
        required=False,
        allow_null=True,
        help_text="The receiving account manager; empty on create: the account's owner.",
    )
    opportunity = VisibleRelatedField(
        model=Opportunity,
        choices=_opportunities,
        required=False,
        allow_null=True,
        help_text="The won opportunity of the same account the handoff comes from.",
    )
    summary = _text()
    implementation_start = serializers.DateField(required=False, allow_null=True)
    go_live = serializers.DateField(required=False, allow_null=True)
    first_review_on = serializers.DateField(required=False, allow_null=True)


class HandoffInputSerializer(HandoffFieldsSerializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_accounts, help_text="The customer account handed over."
    )


class HandoffUpdateSerializer(HandoffFieldsSerializer):
    version = version_field()


class HandoffNoteSerializer(serializers.Serializer):
    note = _text()


class HandoffReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


class HandoffItemSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = HandoffItem
        fields = [
            "id",
            "handoff",
            "kind",
            "title",
            "details",
            "owner",
            "due_on",
            "contact",
            "contact_role",
            "severity",
            "mitigation",
            "is_open",
            "closed_at",
            "closed_by",
            "close_note",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class HandoffItemFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField(max_length=200)
    details = _text()
    owner = VisibleRelatedField(model=User, choices=_people)
    due_on = serializers.DateField(required=False, allow_null=True)
    contact = VisibleRelatedField(model=Contact, choices=_contacts, required=False, allow_null=True)
    contact_role = _text(max_length=120)
    severity = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    mitigation = _text()


class HandoffItemInputSerializer(HandoffItemFieldsSerializer):
    handoff = VisibleRelatedField(model=Handoff, choices=_handoffs)


class HandoffItemUpdateSerializer(HandoffItemFieldsSerializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False)
    version = version_field()


class ItemCloseSerializer(serializers.Serializer):
    note = _text()
    version = version_field()


class ItemReopenSerializer(serializers.Serializer):
    version = version_field()
