"""API serializers for activities logged against a relationship."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.reviews.choices import ActivityKind

User = get_user_model()


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


class ActivitySerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    subject = serializers.CharField()
    occurred_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True, help_text="What was discussed and agreed.")
    logged_by = serializers.IntegerField(source="logged_by_id", help_text="Who logged it.")
    participants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.none(), help_text="User ids of our people who took part."
    )
    contacts = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Contact.objects.none(),
        help_text="Contact ids of the counterparty's people.",
    )
    follow_up_on = serializers.DateField(allow_null=True)
    face_to_face = serializers.BooleanField(help_text="We met their people in person.")


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    subject = serializers.CharField(max_length=200)
    occurred_on = serializers.DateField(help_text="When it happened (not in the future).")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    follow_up_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not before the activity."
    )
    face_to_face = serializers.BooleanField(
        required=False, help_text="We met their people in person (counts for meeting cadence)."
    )
    participants = VisibleRelatedField(
        model=User,
        choices=_people,
        many=True,
        required=False,
        help_text="User ids of our people who took part.",
    )
    contacts = VisibleRelatedField(
        model=Contact,
        choices=lambda user: Contact.objects.restrict(user, Action.VIEW).active(),
        many=True,
        required=False,
        help_text="Contact ids of the counterparty's people (of its organization).",
    )


class ActivityCreateSerializer(ActivityInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW),
        help_text="The relationship (a vendor's id is its relationship's id).",
    )


class ActivityUpdateSerializer(ActivityInputSerializer):
    subject = serializers.CharField(max_length=200, required=False)
    occurred_on = serializers.DateField(required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )
