"""Invitations in the API: what was sent to whom and its state; never the link's hash."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField
from steward.core.display import person_name
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Contact
from steward.portal.models import Invitation, InvitationStatus
from steward.suppliers.models import Supplier


def _suppliers(user: Any) -> Any:
    return Supplier.objects.restrict(user, Action.VIEW)


def _contacts(user: Any) -> Any:
    return Contact.objects.restrict(user, Action.VIEW)


class InvitationSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id", help_text="Vendor id.")
    organization = serializers.IntegerField(source="organization_id")
    contact = serializers.IntegerField(source="contact_id", allow_null=True)
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    status = serializers.ChoiceField(choices=InvitationStatus.choices)
    invited_by = serializers.SerializerMethodField(help_text="Who sent it.")
    expires_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_invited_by(self, invitation: Invitation) -> str:
        return person_name(invitation.invited_by)


class InvitationCreatedSerializer(InvitationSerializer):
    link = serializers.CharField(
        help_text="The one-time link; returned only in this answer and never again."
    )


class InvitationCreateSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(model=Supplier, choices=_suppliers, help_text="Vendor id.")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contact = VisibleRelatedField(
        model=Contact,
        choices=_contacts,
        required=False,
        allow_null=True,
        help_text="A contact of the vendor's organization: fills in the name and address.",
    )
