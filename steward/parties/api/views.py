"""API endpoints for organizations, sites, contacts, relationships and relationship teams.

Each viewset reads through ``steward.parties.selectors`` (rows the user may see; the app's
FilterSet filters, searches and orders them) and writes through ``steward.parties.services``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action
from steward.core.api.viewsets import ErrorCodes, RecordViewSet
from steward.core.expressions import RelatedNames
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties import selectors, services
from steward.parties.api.serializers import (
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    OrganizationCreatedSerializer,
    OrganizationCreateSerializer,
    OrganizationListSerializer,
    OrganizationSerializer,
    OrganizationUpdateSerializer,
    ReassignSerializer,
    RelationshipCreateSerializer,
    RelationshipListSerializer,
    RelationshipMemberCreateSerializer,
    RelationshipMemberSerializer,
    RelationshipMemberUpdateSerializer,
    RelationshipSerializer,
    RelationshipUpdateSerializer,
    SiteCreateSerializer,
    SiteSerializer,
    SiteUpdateSerializer,
)
from steward.parties.choices import TeamRole
from steward.parties.filtersets import (
    ContactFilterSet,
    OrganizationFilterSet,
    RelationshipFilterSet,
    SiteFilterSet,
)
from steward.parties.models import (
    Contact,
    ContactRole,
    Organization,
    Relationship,
    RelationshipMember,
    Site,
)

# Lists start from the access policy's restricted querysets (``Model.objects.restrict``) rather
# than the selectors' list functions: those apply their FilterSet already, and the API's FilterSet
# backend must be the one that reads the query string (and answers 400 for bad values). Rows are
# read as plain values where the list is busy: a page is one query and no model instances.

# Built once: Django copies an expression whenever a query uses it.
_ORGANIZATION_TAG_NAMES = RelatedNames(Organization, "tags", "name")
_RELATIONSHIP_TAG_NAMES = RelatedNames(Relationship, "tags", "name")

_REASSIGN_ERRORS: dict[str, tuple[str, ...]] = {
    "owner": ("not_allowed",),
    "version": ("version_mismatch",),
    "If-Match": ("invalid",),
    "non_field_errors": ("archived",),
}


class PartiesViewSet(RecordViewSet):
    """Archive and restore go through the app's one pair of services for every record type."""

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.record_archive(
            actor=self.request.user, record=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.record_restore(
            actor=self.request.user, record=record, expected_version=version
        )


class ReassignableViewSet(PartiesViewSet):
    """Adds ``POST {id}/reassign/`` with ``owner`` and ``version``: hand the record over.

    Owners hand their records over; managers move what their reports own.
    """

    action_input_serializers = {**PartiesViewSet.action_input_serializers}
    action_input_serializers["reassign"] = ReassignSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = (*PartiesViewSet.forbidden_actions, "reassign")
    versioned_actions: ClassVar[tuple[str, ...]] = (*PartiesViewSet.versioned_actions, "reassign")
    version_required_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.version_required_actions,
        "reassign",
    )

    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.select_one(Action.REASSIGN)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=True)
        assert version is not None
        reassigned = services.record_reassign(
            actor=request.user, record=record, owner=data["owner"], expected_version=version
        )
        return self.answer(reassigned)


@extend_schema_view(
    create=extend_schema(
        description=(
            "Create an organization. Exact duplicates (same normalized legal name and tax id) "
            "are refused with code `duplicate`; near duplicates are created and listed in "
            "`warnings`."
        )
    ),
    destroy=extend_schema(description="Archive the organization (it can be restored)."),
)
class OrganizationViewSet(ReassignableViewSet):
    queryset = Organization.objects.none()
    filterset_class = OrganizationFilterSet
    list_serializer_class = OrganizationListSerializer
    output_serializer_class = OrganizationSerializer
    create_serializer_class = OrganizationCreateSerializer
    update_serializer_class = OrganizationUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "legal_name": ("invalid", "duplicate"),
            "owner": ("not_allowed",),
            "non_field_errors": ("duplicate",),
        },
        "update": {"legal_name": ("invalid", "duplicate"), "parent": ("cycle",)},
        "partial_update": {"legal_name": ("invalid", "duplicate"), "parent": ("cycle",)},
        "destroy": {"non_field_errors": ("has_subsidiaries",)},
        "restore": {"legal_name": ("invalid", "duplicate")},
        "reassign": _REASSIGN_ERRORS,
    }

    def select_list(self) -> QuerySet[Any]:
        # Plain values with the tag names folded in: one query per page, no model instances.
        return Organization.objects.restrict(self.request.user, Action.VIEW).values(
            *OrganizationListSerializer.columns,
            tag_names=RelatedNames(Organization, "tags", "name"),
        )

    def select_one(self, action: Action = Action.VIEW) -> Organization:
        return selectors.organization_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def get_output_serializer_class(self) -> Any:
        if self.action == "create":
            return OrganizationCreatedSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Organization:
        return services.organization_create(actor=self.request.user, **data)

    def render_created(self, record: Any) -> Any:
        near = services.organization_near_duplicates(
            legal_name=record.legal_name, exclude_pk=record.pk
        )
        context = {**self.get_serializer_context(), "near_duplicates": near}
        return OrganizationCreatedSerializer(record, context=context).data

    def perform_update_record(
        self, record: Organization, data: dict[str, Any], version: int
    ) -> Organization:
        return services.organization_update(
            actor=self.request.user,
            organization=record,
            expected_version=version,
            tags=data.pop("tags", None),
            **data,
        )


class SiteViewSet(PartiesViewSet):
    queryset = Site.objects.none()
    filterset_class = SiteFilterSet
    output_serializer_class = SiteSerializer
    create_serializer_class = SiteCreateSerializer
    update_serializer_class = SiteUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"non_field_errors": ("archived", "duplicate")}
    }

    def select_one(self, action: Action = Action.VIEW) -> Site:
        return selectors.site_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Site:
        return services.site_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Site, data: dict[str, Any], version: int) -> Site:
        return services.site_update(
            actor=self.request.user, site=record, expected_version=version, **data
        )


class ContactViewSet(PartiesViewSet):
    queryset = Contact.objects.none()
    filterset_class = ContactFilterSet
    output_serializer_class = ContactSerializer
    create_serializer_class = ContactCreateSerializer
    update_serializer_class = ContactUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"site": ("invalid",), "non_field_errors": ("archived", "duplicate")},
        "update": {"site": ("invalid",)},
        "partial_update": {"site": ("invalid",)},
    }

    def select_list(self) -> QuerySet[Contact]:
        return Contact.objects.restrict(self.request.user, Action.VIEW).prefetch_related(
            Prefetch("roles", queryset=ContactRole.objects.only("code"))
        )

    def select_one(self, action: Action = Action.VIEW) -> Contact:
        return selectors.contact_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Contact:
        return services.contact_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Contact, data: dict[str, Any], version: int) -> Contact:
        return services.contact_update(
            actor=self.request.user,
            contact=record,
            expected_version=version,
            roles=data.pop("roles", None),
            **data,
        )


class RelationshipViewSet(ReassignableViewSet):
    queryset = Relationship.objects.none()
    filterset_class = RelationshipFilterSet
    list_serializer_class = RelationshipListSerializer
    output_serializer_class = RelationshipSerializer
    create_serializer_class = RelationshipCreateSerializer
    update_serializer_class = RelationshipUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "owner": ("not_allowed",),
            "side": ("duplicate",),
            "non_field_errors": ("archived", "duplicate"),
        },
        "restore": {"side": ("duplicate",)},
        "reassign": _REASSIGN_ERRORS,
    }

    def select_list(self) -> QuerySet[Any]:
        return Relationship.objects.restrict(self.request.user, Action.VIEW).values(
            *RelationshipListSerializer.columns,
            tag_names=RelatedNames(Relationship, "tags", "name"),
        )

    def select_one(self, action: Action = Action.VIEW) -> Relationship:
        return selectors.relationship_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> Relationship:
        return services.relationship_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Relationship, data: dict[str, Any], version: int
    ) -> Relationship:
        return services.relationship_update(
            actor=self.request.user,
            relationship=record,
            expected_version=version,
            tags=data.pop("tags", None),
            **data,
        )


class RelationshipMemberFilterSet(StewardFilterSet):
    """Team members: by relationship, person and role (archived ones on request)."""

    relationship = IdFilter(field_name="relationship_id")
    user = IdFilter(field_name="user_id")
    role = django_filters.MultipleChoiceFilter(choices=TeamRole.choices)

    class Meta:
        model = RelationshipMember
        fields = ["relationship", "user", "role", "archived"]


class RelationshipMemberViewSet(PartiesViewSet):
    queryset = RelationshipMember.objects.none()
    filterset_class = RelationshipMemberFilterSet
    output_serializer_class = RelationshipMemberSerializer
    create_serializer_class = RelationshipMemberCreateSerializer
    update_serializer_class = RelationshipMemberUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "user": ("not_allowed", "duplicate"),
            "non_field_errors": ("archived", "duplicate"),
        },
        "restore": {"user": ("duplicate",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> RelationshipMember:
        return selectors.member_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> RelationshipMember:
        return services.member_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: RelationshipMember, data: dict[str, Any], version: int
    ) -> RelationshipMember:
        return services.member_update(
            actor=self.request.user, member=record, expected_version=version, **data
        )
