"""Reads on organizations and relationships, every one scoped by the access policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from steward.core.access import Action, get_for_user
from steward.core.models import Tag
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
    OrganizationDocument,
    Relationship,
    RelationshipMember,
    Site,
)

_TAGS = Prefetch("tags", queryset=Tag.objects.only("name", "slug"))


def organization_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> OrganizationFilterSet:
    """The organizations a user may see, filtered: ``.qs`` for rows, ``.form`` for controls."""
    organizations = (
        Organization.objects.restrict(user, Action.VIEW)
        .select_related("owner")
        .prefetch_related(_TAGS)
    )
    return OrganizationFilterSet(filters or {}, queryset=organizations)


def organization_list(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> QuerySet[Organization]:
    return organization_filterset(user=user, filters=filters).qs


def organization_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Organization:
    organizations = Organization.objects.select_related("owner", "parent", "archived_by")
    return get_for_user(organizations.prefetch_related(_TAGS), user=user, pk=pk, action=action)


def organization_choices(*, user: Any) -> QuerySet[Organization]:
    """Organizations a user may pick (as a parent, for a relationship)."""
    return Organization.objects.restrict(user, Action.VIEW).active().only("pk", "display_name")


def site_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Site]:
    sites = Site.objects.restrict(user, Action.VIEW).select_related("organization")
    return SiteFilterSet(filters or {}, queryset=sites).qs


def site_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Site:
    return get_for_user(
        Site.objects.select_related("organization"), user=user, pk=pk, action=action
    )


def contact_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> ContactFilterSet:
    contacts = (
        Contact.objects.restrict(user, Action.VIEW)
        .select_related("organization", "site")
        .prefetch_related(Prefetch("roles", queryset=ContactRole.objects.all()))
    )
    return ContactFilterSet(filters or {}, queryset=contacts)


def contact_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Contact]:
    return contact_filterset(user=user, filters=filters).qs


def contact_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Contact:
    contacts = Contact.objects.select_related("organization", "site").prefetch_related("roles")
    return get_for_user(contacts, user=user, pk=pk, action=action)


def relationship_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> RelationshipFilterSet:
    relationships = (
        Relationship.objects.restrict(user, Action.VIEW)
        .select_related("organization", "owner")
        .prefetch_related(_TAGS)
    )
    return RelationshipFilterSet(filters or {}, queryset=relationships)


def relationship_list(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> QuerySet[Relationship]:
    return relationship_filterset(user=user, filters=filters).qs


def relationship_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Relationship:
    relationships = Relationship.objects.select_related("organization", "owner").prefetch_related(
        _TAGS
    )
    return get_for_user(relationships, user=user, pk=pk, action=action)


def relationship_named(*, user: Any, pk: Any) -> Relationship | None:
    """The relationship a list is narrowed to, to show its name; None if unknown or hidden."""
    if not pk:
        return None
    try:
        return relationship_get(user=user, pk=pk)
    except Http404:
        return None


def member_list(
    *, user: Any, relationship: Relationship | None = None
) -> QuerySet[RelationshipMember]:
    members = RelationshipMember.objects.restrict(user, Action.VIEW).active().select_related("user")
    if relationship is not None:
        members = members.filter(relationship=relationship)
    return members


def member_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> RelationshipMember:
    members = RelationshipMember.objects.select_related("relationship", "user")
    return get_for_user(members, user=user, pk=pk, action=action)


def document_list(*, user: Any, organization: Organization) -> QuerySet[OrganizationDocument]:
    documents = OrganizationDocument.objects.restrict(user, Action.VIEW).active()
    return documents.filter(organization=organization).select_related("uploaded_by")


def document_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> OrganizationDocument:
    return get_for_user(OrganizationDocument.objects.all(), user=user, pk=pk, action=action)


def my_relationships(*, user: Any) -> QuerySet[Relationship]:
    """Relationships the user owns or serves on."""
    owned_or_member = Q(owner=user) | Q(members__user=user, members__archived_at__isnull=True)
    return (
        relationship_list(user=user)
        .filter(owned_or_member)
        .distinct()
        .order_by("next_review_on", "organization__display_name")
    )


def team_relationships(*, user: Any, report_ids: frozenset[int]) -> QuerySet[Relationship]:
    """What a manager's direct and indirect reports own."""
    return relationship_list(user=user).filter(owner_id__in=report_ids).order_by("owner__last_name")


def relationships_due(
    *, user: Any, within_days: int = 30, today: dt.date | None = None
) -> QuerySet[Relationship]:
    """Relationships the user owns or serves on whose review falls due within ``within_days``."""
    today = today or timezone.localdate()
    return my_relationships(user=user).filter(
        next_review_on__isnull=False, next_review_on__lte=today + dt.timedelta(days=within_days)
    )
