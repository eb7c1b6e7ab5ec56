"""API serializers for organizations, sites, contacts, relationships and their teams.

Output serializers render rows the selectors fetched (they declare their fields for the OpenAPI
schema and build each row in one plain function, because the lists must stay fast). Input
serializers only parse and check types; the services decide everything else. Related rows are
taken by id from the rows the requesting user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django_countries import countries
from rest_framework import serializers

from steward.core.access import Access, Action
from steward.core.api.fields import FlatListField, VisibleRelatedField, iso
from steward.parties.choices import (
    Industry,
    Level,
    RelationshipStatus,
    Side,
    SiteKind,
    TeamRole,
    Tier,
)
from steward.parties.models import (
    Contact,
    ContactRole,
    Organization,
    Relationship,
    RelationshipMember,
    Site,
)
from steward.parties.selectors import organization_choices
from steward.people.selectors import internal_user_choices

User = get_user_model()
COUNTRY_CHOICES = [("", "—"), *countries]


def _visible(model: Any) -> Any:
    return lambda user: model.objects.restrict(user, Action.VIEW)


def _country(record: Any) -> str:
    return str(record.country.code or "")


class TagNameField(serializers.CharField):
    """A tag by name; new names create the tag."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=60, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = str(super().to_internal_value(data))
        if not slugify(value):
            self.fail("invalid")
        return value

    default_error_messages = {"invalid": "A tag needs at least one letter or digit."}


def _tags_field() -> serializers.ListField:
    return FlatListField(
        child=TagNameField(), required=False, max_length=50, help_text="Tag names."
    )


# --- shared output fields ------------------------------------------------------------------------


class RecordOutputSerializer(serializers.Serializer):
    """The bookkeeping every record carries."""

    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back (or as If-Match) when you update the record."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    archived_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Set while the record is archived."
    )

    @staticmethod
    def bookkeeping(record: Any) -> dict[str, Any]:
        return {
            "id": record.pk,
            "version": record.version,
            "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(),
            "archived_at": iso(record.archived_at),
        }


# --- organizations -------------------------------------------------------------------------------


class OrganizationListSerializer(serializers.Serializer):
    """A row of the organization list: rendered from plain values, for speed."""

    id = serializers.IntegerField()
    version = serializers.IntegerField(
        help_text="Send it back (or as If-Match) when you update the record."
    )
    updated_at = serializers.DateTimeField()
    archived_at = serializers.DateTimeField(
        allow_null=True, help_text="Set while the record is archived."
    )
    legal_name = serializers.CharField()
    display_name = serializers.CharField()
    tax_id = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True, help_text="ISO 3166 alpha-2 code.")
    industry = serializers.ChoiceField(choices=[("", "—"), *Industry.choices])
    parent = serializers.IntegerField(  # type: ignore[assignment]
        allow_null=True, help_text="Parent organization id."
    )
    owner = serializers.IntegerField(help_text="Id of the user who keeps the master data.")
    tags = serializers.ListField(child=serializers.CharField())

    # The columns the list reads; ``tags`` is added per page (see OrganizationViewSet).
    columns = (
        "id",
        "version",
        "updated_at",
        "archived_at",
        "legal_name",
        "display_name",
        "tax_id",
        "country",
        "industry",
        "parent_id",
        "owner_id",
    )

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        archived_at = instance["archived_at"]
        return {
            "id": instance["id"],
            "version": instance["version"],
            "updated_at": instance["updated_at"].isoformat(),
            "archived_at": archived_at.isoformat() if archived_at is not None else None,
            "legal_name": instance["legal_name"],
            "display_name": instance["display_name"],
            "tax_id": instance["tax_id"],
            "country": instance["country"],
            "industry": instance["industry"],
            "parent": instance["parent_id"],
            "owner": instance["owner_id"],
            "tags": sorted(instance["tag_names"]),
        }


class OrganizationSerializer(RecordOutputSerializer):
    legal_name = serializers.CharField()
    display_name = serializers.CharField()
    tax_id = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True, help_text="ISO 3166 alpha-2 code.")
    industry = serializers.ChoiceField(choices=[("", "—"), *Industry.choices])
    parent = serializers.IntegerField(  # type: ignore[assignment]
        allow_null=True, help_text="Parent organization id."
    )
    owner = serializers.IntegerField(help_text="Id of the user who keeps the master data.")
    tags = serializers.ListField(child=serializers.CharField())
    registration_number = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        return {
            **self.bookkeeping(instance),
            "legal_name": instance.legal_name,
            "display_name": instance.display_name,
            "tax_id": instance.tax_id,
            "country": _country(instance),
            "industry": instance.industry,
            "parent": instance.parent_id,
            "owner": instance.owner_id,
            "tags": sorted(tag.name for tag in instance.tags.all()),
            "registration_number": instance.registration_number,
            "website": instance.website,
            "description": instance.description,
        }


class NearDuplicateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    name = serializers.CharField()
    score = serializers.FloatField(help_text="Name similarity, 0 to 100.")


class OrganizationCreatedSerializer(OrganizationSerializer):
    """The new organization, and organizations whose names resemble it (a warning, not an error)."""

    warnings = NearDuplicateSerializer(many=True)

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        near = self.context.get("near_duplicates", [])
        return {
            **super().to_representation(instance),
            "warnings": [
                {"organization": n.organization_id, "name": n.name, "score": n.score} for n in near
            ],
        }


class OrganizationInputSerializer(serializers.Serializer):
    legal_name = serializers.CharField(max_length=255)
    display_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Defaults to the legal name."
    )
    registration_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    country = serializers.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    industry = serializers.ChoiceField(choices=[("", "—"), *Industry.choices], required=False)
    parent = VisibleRelatedField(  # type: ignore[assignment]
        model=Organization,
        choices=lambda user: organization_choices(user=user),
        required=False,
        allow_null=True,
        help_text="Parent organization id.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    tags = _tags_field()


class OrganizationCreateSerializer(OrganizationInputSerializer):
    owner = VisibleRelatedField(
        model=User,
        choices=lambda user: internal_user_choices(user=user),
        required=False,
        help_text="Defaults to you.",
    )


class OrganizationUpdateSerializer(OrganizationInputSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )


class ReassignSerializer(serializers.Serializer):
    owner = VisibleRelatedField(
        model=User,
        choices=lambda user: internal_user_choices(user=user),
        help_text="The new owner's user id.",
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )


# --- sites ---------------------------------------------------------------------------------------


class SiteSerializer(RecordOutputSerializer):
    organization = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    street = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True, help_text="ISO 3166 alpha-2 code.")
    shared_with_portal = serializers.BooleanField()

    def to_representation(self, instance: Site) -> dict[str, Any]:
        return {
            **self.bookkeeping(instance),
            "organization": instance.organization_id,
            "name": instance.name,
            "kind": instance.kind,
            "street": instance.street,
            "city": instance.city,
            "region": instance.region,
            "postal_code": instance.postal_code,
            "country": _country(instance),
            "shared_with_portal": instance.shared_with_portal,
        }


class SiteInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = serializers.ChoiceField(choices=COUNTRY_CHOICES, required=False)
    shared_with_portal = serializers.BooleanField(required=False)


class SiteCreateSerializer(SiteInputSerializer):
    organization = VisibleRelatedField(model=Organization, choices=_visible(Organization))


class SiteUpdateSerializer(SiteInputSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )


# --- contacts ------------------------------------------------------------------------------------

LEVEL_CHOICES = Level.choices


class ContactSerializer(RecordOutputSerializer):
    organization = serializers.IntegerField()
    site = serializers.IntegerField(allow_null=True, help_text="Site (location) id.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField(), help_text="Role codes.")
    influence = serializers.ChoiceField(choices=LEVEL_CHOICES, allow_null=True)
    relationship_strength = serializers.ChoiceField(choices=LEVEL_CHOICES, allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    shared_with_portal = serializers.BooleanField()

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        return {
            **self.bookkeeping(instance),
            "organization": instance.organization_id,
            "site": instance.site_id,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "title": instance.title,
            "email": instance.email,
            "phone": instance.phone,
            "roles": sorted(role.code for role in instance.roles.all()),
            "influence": instance.influence,
            "relationship_strength": instance.relationship_strength,
            "notes": instance.notes,
            "shared_with_portal": instance.shared_with_portal,
        }


class ContactInputSerializer(serializers.Serializer):
    site = VisibleRelatedField(
        model=Site, choices=_visible(Site), required=False, allow_null=True, help_text="Site id."
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    roles = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ContactRole.objects.all(),
        many=True,
        required=False,
        help_text="Role codes (buyer, decision_maker, executive_sponsor, …).",
    )
    influence = serializers.ChoiceField(choices=LEVEL_CHOICES, required=False, allow_null=True)
    relationship_strength = serializers.ChoiceField(
        choices=LEVEL_CHOICES, required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    shared_with_portal = serializers.BooleanField(required=False)


class ContactCreateSerializer(ContactInputSerializer):
    organization = VisibleRelatedField(model=Organization, choices=_visible(Organization))


class ContactUpdateSerializer(ContactInputSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )


# --- relationships and their teams ---------------------------------------------------------------


class RelationshipListSerializer(serializers.Serializer):
    """A row of the relationship list: rendered from plain values, for speed."""

    id = serializers.IntegerField()
    version = serializers.IntegerField(
        help_text="Send it back (or as If-Match) when you update the record."
    )
    updated_at = serializers.DateTimeField()
    archived_at = serializers.DateTimeField(
        allow_null=True, help_text="Set while the record is archived."
    )
    organization = serializers.IntegerField()
    organization_name = serializers.CharField()
    side = serializers.ChoiceField(choices=Side.choices)
    owner = serializers.IntegerField(help_text="Id of the user who owns the relationship.")
    tier = serializers.ChoiceField(choices=Tier.choices)
    status = serializers.ChoiceField(choices=RelationshipStatus.choices)
    next_review_on = serializers.DateField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())

    # The columns the list reads (RelationshipViewSet adds the tag names).
    columns = (
        "id",
        "version",
        "updated_at",
        "archived_at",
        "organization_id",
        "organization__display_name",
        "organization__legal_name",
        "side",
        "owner_id",
        "tier",
        "status",
        "next_review_on",
    )

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": instance["id"],
            "version": instance["version"],
            "updated_at": instance["updated_at"].isoformat(),
            "archived_at": iso(instance["archived_at"]),
            "organization": instance["organization_id"],
            "organization_name": instance["organization__display_name"]
            or instance["organization__legal_name"],
            "side": instance["side"],
            "owner": instance["owner_id"],
            "tier": instance["tier"],
            "status": instance["status"],
            "next_review_on": iso(instance["next_review_on"]),
            "tags": sorted(instance["tag_names"]),
        }


class RelationshipSerializer(RecordOutputSerializer):
    organization = serializers.IntegerField()
    organization_name = serializers.CharField()
    side = serializers.ChoiceField(choices=Side.choices)
    owner = serializers.IntegerField(help_text="Id of the user who owns the relationship.")
    tier = serializers.ChoiceField(choices=Tier.choices)
    status = serializers.ChoiceField(choices=RelationshipStatus.choices)
    summary = serializers.CharField(allow_blank=True)
    next_review_on = serializers.DateField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())

    def to_representation(self, instance: Relationship) -> dict[str, Any]:
        return {
            **self.bookkeeping(instance),
            "organization": instance.organization_id,
            "organization_name": str(instance.organization),
            "side": instance.side,
            "owner": instance.owner_id,
            "tier": instance.tier,
            "status": instance.status,
            "summary": instance.summary,
            "next_review_on": iso(instance.next_review_on),
            "tags": sorted(tag.name for tag in instance.tags.all()),
        }


class RelationshipInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    status = serializers.ChoiceField(choices=RelationshipStatus.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    tags = _tags_field()


class RelationshipCreateSerializer(RelationshipInputSerializer):
    organization = VisibleRelatedField(model=Organization, choices=_visible(Organization))
    side = serializers.ChoiceField(choices=Side.choices)
    owner = VisibleRelatedField(
        model=User,
        choices=lambda user: internal_user_choices(user=user),
        required=False,
        help_text="Defaults to you.",
    )


class RelationshipUpdateSerializer(RelationshipInputSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )


class RelationshipMemberSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField()
    user = serializers.IntegerField()
    role = serializers.ChoiceField(choices=TeamRole.choices)
    access = serializers.ChoiceField(choices=Access.choices)

    def to_representation(self, instance: RelationshipMember) -> dict[str, Any]:
        return {
            **self.bookkeeping(instance),
            "relationship": instance.relationship_id,
            "user": instance.user_id,
            "role": instance.role,
            "access": instance.access,
        }


class RelationshipMemberCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(model=Relationship, choices=_visible(Relationship))
    user = VisibleRelatedField(
        model=User,
        choices=lambda user: internal_user_choices(user=user),
    )
    role = serializers.ChoiceField(choices=TeamRole.choices)
    access = serializers.ChoiceField(choices=Access.choices, default=Access.EDIT)


class RelationshipMemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=TeamRole.choices)
    access = serializers.ChoiceField(choices=Access.choices, required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read (or send If-Match)."
    )
