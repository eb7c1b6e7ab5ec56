"""A small world with one person in every role, shared by policy, API, UI and matrix tests.

Organization A (Aurora) is owned by ``owner``, who also owns its supply-side relationship; on
that relationship ``member`` edits and ``reviewer`` reads. ``manager`` manages ``owner``
directly and ``director`` indirectly. Organization B (Borealis) and its relationship belong
to ``outsider``. ``portal_a`` is a portal user of A, ``portal_b`` of B. Each organization has
a site and a contact shared with its portal and one of each that is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
    RelationshipMemberFactory,
    SiteFactory,
)
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory

ROLES = (
    "admin",
    "auditor",
    "director",
    "manager",
    "owner",
    "member",
    "reviewer",
    "outsider",
    "portal_a",
    "portal_b",
)


@dataclass
class Cast:
    admin: Any
    auditor: Any
    director: Any
    manager: Any
    owner: Any
    member: Any
    reviewer: Any
    outsider: Any
    portal_a: Any
    portal_b: Any
    org_a: Organization
    org_b: Organization
    rel_a: Relationship
    rel_b: Relationship
    member_row: RelationshipMember
    reviewer_row: RelationshipMember
    site_a_shared: Site
    site_a_private: Site
    contact_a_shared: Contact
    contact_a_private: Contact
    site_b: Site
    contact_b: Contact

    def user(self, role: str) -> Any:
        return getattr(self, role)


def build_cast() -> Cast:
    admin = UserFactory(username="admin", roles=[JobRole.ADMINISTRATOR])
    auditor = UserFactory(username="auditor", roles=[JobRole.AUDITOR])
    director = UserFactory(username="director", roles=[JobRole.FIELD_SALES_MANAGER])
    manager = UserFactory(
        username="manager", roles=[JobRole.FIELD_SALES_MANAGER], profile__manager=director
    )
    owner = UserFactory(username="owner", roles=[JobRole.VENDOR_MANAGER], profile__manager=manager)
    member = UserFactory(username="member", roles=[JobRole.SPECIALIST])
    reviewer = UserFactory(username="reviewer", profile__function=Function.LEGAL)
    outsider = UserFactory(username="outsider", roles=[JobRole.VENDOR_MANAGER])
    org_a = OrganizationFactory(
        legal_name="Aurora Metals AG", display_name="Aurora Metals", owner=owner
    )
    org_b = OrganizationFactory(
        legal_name="Borealis Logistics Ltd", display_name="Borealis Logistics", owner=outsider
    )
    portal_a = UserFactory(username="portal_a", profile__organization=org_a)
    portal_b = UserFactory(username="portal_b", profile__organization=org_b)
    rel_a = RelationshipFactory(organization=org_a, owner=owner)
    rel_b = RelationshipFactory(organization=org_b, owner=outsider)
    return Cast(
        admin=admin,
        auditor=auditor,
        director=director,
        manager=manager,
        owner=owner,
        member=member,
        reviewer=reviewer,
        outsider=outsider,
        portal_a=portal_a,
        portal_b=portal_b,
        org_a=org_a,
        org_b=org_b,
        rel_a=rel_a,
        rel_b=rel_b,
        member_row=RelationshipMemberFactory(relationship=rel_a, user=member, access="edit"),
        reviewer_row=RelationshipMemberFactory(
            relationship=rel_a, user=reviewer, role="legal", access="review"
        ),
        site_a_shared=SiteFactory(organization=org_a, name="Aurora HQ", shared_with_portal=True),
        site_a_private=SiteFactory(organization=org_a, name="Aurora Smelter"),
        contact_a_shared=ContactFactory(organization=org_a, shared_with_portal=True),
        contact_a_private=ContactFactory(organization=org_a),
        site_b=SiteFactory(organization=org_b, name="Borealis Depot", shared_with_portal=True),
        contact_b=ContactFactory(organization=org_b, shared_with_portal=True),
    )
