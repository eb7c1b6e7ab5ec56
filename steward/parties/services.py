"""Writes on organizations, sites, contacts, relationships and their teams.

Each service authorizes through the access policy, validates, writes in one transaction and
leaves one history record naming the actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from rapidfuzz import fuzz, process

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.models import DomainModel, Tag
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    restore_record,
    update_record,
    validate_fields,
)
from steward.core.uploads import store_upload
from steward.parties.choices import CONTACT_ROLES
from steward.parties.identity import normalize_legal_name, normalize_tax_id
from steward.parties.models import (
    Contact,
    ContactRole,
    Organization,
    OrganizationDocument,
    Relationship,
    RelationshipMember,
    Site,
)

NEAR_DUPLICATE_SCORE = 88


@dataclass(frozen=True)
class NearDuplicate:
    organization_id: int
    name: str
    score: float


def _write(
    instance: DomainModel,
    *,
    actor: Any,
    reason: str,
    many: dict[str, Iterable[Any]] | None = None,
) -> None:
    """Insert, translating a constraint the database caught (a race) into a domain error."""
    try:
        create_record(instance, actor=actor, reason=reason, many=many)
    except IntegrityError as error:
        raise DuplicateError(
            f"This {instance._meta.verbose_name} clashes with one saved a moment ago: {error}",
        ) from error


# --- organizations -------------------------------------------------------------------------------


def organization_near_duplicates(
    *, legal_name: str, exclude_pk: int | None = None, limit: int = 5
) -> list[NearDuplicate]:
    """Organizations whose normalized names resemble ``legal_name``: a warning, not a refusal."""
    key = normalize_legal_name(legal_name)
    if not key:
        return []
    candidates = Organization.objects.active()
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    names = dict(candidates.values_list("pk", "name_key"))
    matches = process.extract(
        key, names, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_DUPLICATE_SCORE, limit=limit
    )
    if not matches:
        return []
    labels = dict(
        Organization.objects.filter(pk__in=[pk for _, _, pk in matches]).values_list(
            "pk", "display_name"
        )
    )
    return [NearDuplicate(pk, labels[pk], round(score, 1)) for _, score, pk in matches]


def organization_find_duplicate(
    *, legal_name: str, tax_id: str, exclude_pk: int | None = None
) -> Organization | None:
    """The current organization with the same normalized legal name and tax id, if any."""
    return (
        Organization.objects.active()
        .filter(name_key=normalize_legal_name(legal_name), tax_id_key=normalize_tax_id(tax_id))
        .exclude(pk=exclude_pk or 0)
        .first()
    )


def _check_identity(organization: Organization) -> None:
    organization.name_key = normalize_legal_name(organization.legal_name)
    organization.tax_id_key = normalize_tax_id(organization.tax_id)
    if not organization.name_key:
        raise DomainError("The legal name needs at least one letter or digit.", field="legal_name")
    clash = organization_find_duplicate(
        legal_name=organization.legal_name, tax_id=organization.tax_id, exclude_pk=organization.pk
    )
    if clash is not None:
        raise DuplicateError(
            f"“{clash}” has the same legal name and tax id; open it instead of creating a copy.",
            field="legal_name",
        )


def _check_parent(organization: Organization, parent: Organization | None) -> None:
    """A group hierarchy may not loop back on itself."""
    seen = set()
    node = parent
    while node is not None:
        if organization.pk is not None and node.pk == organization.pk:
            raise DomainError(
                "That parent is this organization or one of its subsidiaries.",
                field="parent",
                code="cycle",
            )
        if node.pk in seen:  # pragma: no cover - the check above keeps the data acyclic
            break
        seen.add(node.pk)
        node = node.parent


def _check_owner(actor: Any, owner: Any) -> None:
    """You may name yourself or someone who reports to you as owner; administrators anyone."""
    principal = principal_for(actor)
    if principal.is_admin or owner.pk == principal.user_id or owner.pk in principal.report_ids:
        check_internal_person(owner, field="owner", role="owner")
        return
    raise DomainError(
        "You may assign ownership only to yourself or to people who report to you.",
        field="owner",
        code="not_allowed",
    )


def organization_create(
    *,
    actor: Any,
    legal_name: str,
    display_name: str = "",
    registration_number: str = "",
    tax_id: str = "",
    website: str = "",
    country: str = "",
    industry: str = "",
    parent: Organization | None = None,
    description: str = "",
    owner: Any | None = None,
    tags: Iterable[str] = (),
) -> Organization:
    require_create(actor, Organization)
    owner = owner or actor
    _check_owner(actor, owner)
    organization = Organization(
        legal_name=legal_name.strip(),
        display_name=(display_name or legal_name).strip(),
        registration_number=registration_number.strip(),
        tax_id=tax_id.strip(),
        website=website,
        country=country,
        industry=industry,
        parent=parent,
        description=description,
        owner=owner,
    )
    validate_fields(organization, exclude=["name_key"])
    _check_identity(organization)
    _check_parent(organization, parent)
    _write(organization, actor=actor, reason="Created", many={"tags": Tag.resolve(list(tags))})
    return organization


ORGANIZATION_EDITABLE = frozenset(
    {
        "legal_name",
        "display_name",
        "registration_number",
        "tax_id",
        "website",
        "country",
        "industry",
        "parent",
        "description",
    }
)


def organization_update(
    *,
    actor: Any,
    organization: Organization,
    expected_version: int,
    tags: Iterable[str] | None = None,
    **changes: Any,
) -> Organization:
    require(actor, Action.CHANGE, organization)
    refuse_unknown_fields(changes, ORGANIZATION_EDITABLE)
    if "display_name" in changes and not changes["display_name"]:
        changes["display_name"] = changes.get("legal_name", organization.legal_name)

    def validate(candidate: Organization) -> None:
        validate_fields(candidate, exclude=["name_key"])
        _check_identity(candidate)
        _check_parent(candidate, candidate.parent)

    many = {"tags": Tag.resolve(list(tags))} if tags is not None else None
    return update_record(
        organization,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many=many,
        validate=validate,
    )


def record_reassign(
    *, actor: Any, record: Organization | Relationship, owner: Any, expected_version: int
) -> Any:
    """Owners hand a record over; managers move what their reports own; administrators anything."""
    require(actor, Action.REASSIGN, record)
    check_internal_person(owner, field="owner", role="owner")
    return update_record(
        record,
        actor=actor,
        expected_version=expected_version,
        changes={"owner": owner},
        reason="Reassigned",
    )


def organization_reassign(
    *, actor: Any, organization: Organization, owner: Any, expected_version: int
) -> Organization:
    return record_reassign(
        actor=actor, record=organization, owner=owner, expected_version=expected_version
    )


def organization_archive(
    *, actor: Any, organization: Organization, expected_version: int | None = None
) -> Organization:
    require(actor, Action.DELETE, organization)
    if organization.subsidiaries.active().exists():
        raise DomainError(
            "Archive or move its subsidiaries first; they would lose their parent.",
            code="has_subsidiaries",
        )
    return archive_record(organization, actor=actor, expected_version=expected_version)


def organization_restore(
    *, actor: Any, organization: Organization, expected_version: int | None = None
) -> Organization:
    require(actor, Action.DELETE, organization)
    organization.name_key = normalize_legal_name(organization.legal_name)
    organization.tax_id_key = normalize_tax_id(organization.tax_id)
    _check_identity(organization)
    return restore_record(organization, actor=actor, expected_version=expected_version)


# --- sites and contacts --------------------------------------------------------------------------

SITE_EDITABLE = frozenset(
    {"name", "kind", "street", "city", "region", "postal_code", "country", "shared_with_portal"}
)


def site_create(*, actor: Any, organization: Organization, name: str, **fields: Any) -> Site:
    require_create(actor, Site, parent=organization)
    refuse_unknown_fields(fields, SITE_EDITABLE)
    _refuse_archived_parent(organization)
    site = Site(organization=organization, name=name.strip(), **fields)
    validate_fields(site)
    _write(site, actor=actor, reason="Created")
    return site


def site_update(*, actor: Any, site: Site, expected_version: int, **changes: Any) -> Site:
    require(actor, Action.CHANGE, site)
    refuse_unknown_fields(changes, SITE_EDITABLE)
    return update_record(
        site,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )


CONTACT_EDITABLE = frozenset(
    {
        "site",
        "first_name",
        "last_name",
        "title",
        "email",
        "phone",
        "influence",
        "relationship_strength",
        "notes",
        "shared_with_portal",
    }
)


def _check_site(organization: Organization, site: Site | None) -> None:
    if site is not None and site.organization_id != organization.pk:
        raise DomainError("That location belongs to another organization.", field="site")


def contact_create(
    *,
    actor: Any,
    organization: Organization,
    first_name: str,
    last_name: str,
    roles: Iterable[ContactRole] = (),
    **fields: Any,
) -> Contact:
    require_create(actor, Contact, parent=organization)
    refuse_unknown_fields(fields, CONTACT_EDITABLE)
    _refuse_archived_parent(organization)
    contact = Contact(
        organization=organization,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        **fields,
    )
    validate_fields(contact)
    _check_site(organization, contact.site)
    _write(contact, actor=actor, reason="Created", many={"roles": list(roles)})
    return contact


def contact_update(
    *,
    actor: Any,
    contact: Contact,
    expected_version: int,
    roles: Iterable[ContactRole] | None = None,
    **changes: Any,
) -> Contact:
    require(actor, Action.CHANGE, contact)
    refuse_unknown_fields(changes, CONTACT_EDITABLE)

    def validate(candidate: Contact) -> None:
        validate_fields(candidate)
        _check_site(candidate.organization, candidate.site)

    return update_record(
        contact,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many={"roles": list(roles)} if roles is not None else None,
        validate=validate,
    )


def _refuse_archived_parent(organization: Organization) -> None:
    if organization.is_archived:
        raise DomainError(
            "This organization is archived; restore it before adding to it.", code="archived"
        )


# --- relationships -------------------------------------------------------------------------------

RELATIONSHIP_EDITABLE = frozenset({"tier", "status", "summary", "next_review_on"})


def relationship_create(
    *,
    actor: Any,
    organization: Organization,
    side: str,
    owner: Any | None = None,
    tags: Iterable[str] = (),
    **fields: Any,
) -> Relationship:
    require_create(actor, Relationship)
    refuse_unknown_fields(fields, RELATIONSHIP_EDITABLE)
    _refuse_archived_parent(organization)
    owner = owner or actor
    _check_owner(actor, owner)
    relationship = Relationship(organization=organization, side=side, owner=owner, **fields)
    validate_fields(relationship)
    if Relationship.objects.active().filter(organization=organization, side=side).exists():
        raise DuplicateError(
            f"{organization} already has a {relationship.get_side_display().lower()} relationship.",
            field="side",
        )
    _write(relationship, actor=actor, reason="Created", many={"tags": Tag.resolve(list(tags))})
    return relationship


def relationship_update(
    *,
    actor: Any,
    relationship: Relationship,
    expected_version: int,
    tags: Iterable[str] | None = None,
    **changes: Any,
) -> Relationship:
    require(actor, Action.CHANGE, relationship)
    refuse_unknown_fields(changes, RELATIONSHIP_EDITABLE)
    return update_record(
        relationship,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many={"tags": Tag.resolve(list(tags))} if tags is not None else None,
        validate=validate_fields,
    )


def relationship_reassign(
    *, actor: Any, relationship: Relationship, owner: Any, expected_version: int
) -> Relationship:
    return record_reassign(
        actor=actor, record=relationship, owner=owner, expected_version=expected_version
    )


def member_add(
    *, actor: Any, relationship: Relationship, user: Any, role: str, access: str
) -> RelationshipMember:
    require_create(actor, RelationshipMember, parent=relationship)
    check_internal_person(user, field="user", role="team member")
    if user.pk == relationship.owner_id:
        raise DomainError("The owner is on the team already.", field="user", code="duplicate")
    if relationship.members.active().filter(user=user).exists():
        raise DuplicateError("This person is on the team already.", field="user")
    member = RelationshipMember(relationship=relationship, user=user, role=role, access=access)
    validate_fields(member)
    _write(member, actor=actor, reason="Added to the team")
    return member


def member_update(
    *, actor: Any, member: RelationshipMember, expected_version: int, **changes: Any
) -> RelationshipMember:
    require(actor, Action.CHANGE, member)
    refuse_unknown_fields(changes, frozenset({"role", "access"}))
    return update_record(
        member,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
    )


# --- reference data ------------------------------------------------------------------------------


def contact_roles_ensure() -> None:
    """Make sure every contact role of the fixed vocabulary exists (idempotent)."""
    for code, label in CONTACT_ROLES:
        ContactRole.objects.update_or_create(code=code, defaults={"label": label})


# --- documents -----------------------------------------------------------------------------------


def document_upload(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    upload: UploadedFile,
    shared_with_portal: bool = False,
) -> OrganizationDocument:
    require_create(actor, OrganizationDocument, parent=organization)
    _refuse_archived_parent(organization)
    stored = store_upload(upload, folder="documents")
    document = OrganizationDocument(
        organization=organization,
        title=(title or stored.original_name).strip()[:200],
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        shared_with_portal=shared_with_portal,
    )
    document.file.name = stored.name
    _write(document, actor=actor, reason="Uploaded")
    return document


# --- archive and restore, for every record of this app -------------------------------------------

_PARENT_OF = {Site: "organization", Contact: "organization", OrganizationDocument: "organization"}


def record_archive(*, actor: Any, record: DomainModel, expected_version: int | None = None) -> Any:
    if isinstance(record, Organization):
        return organization_archive(
            actor=actor, organization=record, expected_version=expected_version
        )
    require(actor, Action.DELETE, record)
    return archive_record(record, actor=actor, expected_version=expected_version)


def record_restore(*, actor: Any, record: DomainModel, expected_version: int | None = None) -> Any:
    if isinstance(record, Organization):
        return organization_restore(
            actor=actor, organization=record, expected_version=expected_version
        )
    require(actor, Action.DELETE, record)
    if isinstance(record, Relationship):
        clash = (
            Relationship.objects.active()
            .filter(organization_id=record.organization_id, side=record.side)
            .exclude(pk=record.pk)
        )
        if clash.exists():
            raise DuplicateError(
                "Another relationship on that side was created since.", field="side"
            )
    if isinstance(record, RelationshipMember):
        clash_members = (
            RelationshipMember.objects.active()
            .filter(relationship_id=record.relationship_id, user_id=record.user_id)
            .exclude(pk=record.pk)
        )
        if clash_members.exists():
            raise DuplicateError("This person was added to the team again since.", field="user")
    parent_field = _PARENT_OF.get(type(record))
    if parent_field and getattr(record, parent_field).is_archived:
        raise DomainError("Restore the organization first.", code="archived")
    return restore_record(record, actor=actor, expected_version=expected_version)
