"""The /api/v1/ endpoints for organizations, sites, contacts, relationships and their teams."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.models import Tag
from steward.core.testing import api_client, api_errors
from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
    RelationshipMemberFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"
SITES = "/api/v1/sites/"
CONTACTS = "/api/v1/contacts/"
RELATIONSHIPS = "/api/v1/relationships/"
MEMBERS = "/api/v1/relationship-members/"


# --- organizations: the whole life of a record ---------------------------------------------------


def test_organization_create_read_update_archive_restore(cast: Cast) -> None:
    api = api_client(cast.owner)

    # given a new organization created through the API
    created = api.post(
        ORGS,
        {"legal_name": "Cygnus Optics SA", "country": "FR", "tags": ["Critical", "emea"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert created.headers["ETag"] == '"1"'
    assert body["display_name"] == "Cygnus Optics SA"  # defaults to the legal name
    assert body["owner"] == cast.owner.pk  # defaults to the creator
    assert body["tags"] == ["Critical", "emea"]
    assert body["warnings"] == []

    # when it is read, then the version travels as an ETag
    read = api.get(f"{ORGS}{pk}/")
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    assert read.json()["country"] == "FR"

    # when it is replaced with PUT naming the version it read, then the version moves on
    put = api.put(
        f"{ORGS}{pk}/",
        {"legal_name": "Cygnus Optics SA", "display_name": "Cygnus", "version": 1},
        format="json",
    )
    assert put.status_code == 200, put.json()
    assert put.json()["display_name"] == "Cygnus"
    assert put.headers["ETag"] == '"2"'

    # when it is patched with If-Match instead of a version field
    patch = api.patch(f"{ORGS}{pk}/", {"tags": ["emea"]}, format="json", HTTP_IF_MATCH='"2"')
    assert patch.status_code == 200, patch.json()
    assert patch.json()["tags"] == ["emea"]

    # when it is deleted, then it is archived: gone from the list, kept, restorable
    assert api.delete(f"{ORGS}{pk}/").status_code == 204
    assert Organization.objects.get(pk=pk).archived_at is not None
    assert pk not in [row["id"] for row in api.get(ORGS).json()["results"]]
    archived = api.get(ORGS, {"archived": "true"}).json()["results"]
    assert [row["id"] for row in archived] == [pk]
    assert api.get(f"{ORGS}{pk}/").json()["archived_at"] is not None

    restored = api.post(f"{ORGS}{pk}/restore/", {}, format="json")
    assert restored.status_code == 200, restored.json()
    assert restored.json()["archived_at"] is None
    assert pk in [row["id"] for row in api.get(ORGS).json()["results"]]


def test_organization_history_lists_each_change_field_by_field(cast: Cast) -> None:
    api = api_client(cast.owner)
    # given an organization renamed, archived and restored through the API
    pk = api.post(ORGS, {"legal_name": "Lyra Plastics BV"}, format="json").json()["id"]
    api.patch(f"{ORGS}{pk}/", {"display_name": "Lyra", "version": 1}, format="json")
    api.delete(f"{ORGS}{pk}/")
    api.post(f"{ORGS}{pk}/restore/")

    # when its history is read
    response = api.get(f"{ORGS}{pk}/history/")

    # then every change is there, newest first, with who and what
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    kinds = [entry["kind"] for entry in body["results"]]
    assert kinds == ["restored", "archived", "changed", "created"]
    rename = body["results"][2]
    assert rename["user"] == cast.owner.pk
    assert rename["version"] == 2
    assert rename["changes"] == [
        {
            "field": "display_name",
            "label": "Display name",
            "old": "Lyra Plastics BV",
            "new": "Lyra",
            "old_display": "Lyra Plastics BV",
            "new_display": "Lyra",
        }
    ]

    # and the history pages like every list
    page = api.get(f"{ORGS}{pk}/history/", {"page_size": 3, "page": 2}).json()
    assert [entry["kind"] for entry in page["results"]] == ["created"]
    assert page["previous"] is not None


def test_bad_input_names_the_field_and_writes_nothing(cast: Cast) -> None:
    api = api_client(cast.owner)
    before = Organization.objects.count()

    # when an organization is posted with several bad fields
    response = api.post(
        ORGS,
        {
            "legal_name": "",
            "website": "not a url",
            "country": "ZZ",
            "industry": "alchemy",
            "tags": ["ok", "!!"],
        },
        format="json",
    )

    # then each bad field is named with a stable code, and nothing was written
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert set(api_errors(response)) == {
        ("legal_name", "blank"),
        ("website", "invalid"),
        ("country", "invalid_choice"),
        ("industry", "invalid_choice"),
        ("tags", "invalid"),
    }
    assert Organization.objects.count() == before


def test_a_domain_rule_answers_with_its_code_on_its_field(cast: Cast) -> None:
    api = api_client(cast.owner)
    # when a legal name without a letter or digit is posted, the service refuses it
    response = api.post(ORGS, {"legal_name": "!!!"}, format="json")
    assert response.status_code == 400
    assert api_errors(response) == [("legal_name", "invalid")]


def test_near_duplicates_are_warned_and_exact_duplicates_refused(cast: Cast) -> None:
    api = api_client(cast.owner)

    # when a name close to an existing one is created, it is created with a warning
    near = api.post(ORGS, {"legal_name": "Aurora Metal AG"}, format="json")
    assert near.status_code == 201
    warned = {warning["organization"] for warning in near.json()["warnings"]}
    assert cast.org_a.pk in warned
    assert near.json()["id"] not in warned  # the new record is not its own duplicate

    # when the same legal name and tax id are posted again, the service refuses it
    count = Organization.objects.count()
    exact = api.post(
        ORGS, {"legal_name": "aurora metals ag", "tax_id": cast.org_a.tax_id}, format="json"
    )
    assert exact.status_code == 400
    assert api_errors(exact) == [("legal_name", "duplicate")]
    assert Organization.objects.count() == count


# --- versions: no lost update --------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_409_and_nothing_is_lost(cast: Cast) -> None:
    first, second = api_client(cast.owner), api_client(cast.admin)
    url = f"{ORGS}{cast.org_a.pk}/"

    # given two clients that both read version 1
    assert first.get(url).headers["ETag"] == '"1"'
    assert second.get(url).headers["ETag"] == '"1"'

    # when the first saves its change
    saved = first.patch(url, {"description": "First"}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200

    # then the second, still on version 1, is refused with 409
    stale = second.patch(url, {"display_name": "Second"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert stale.json()["type"] == "client_error"
    assert api_errors(stale) == [(None, "stale_version")]

    # and the first client's change is what the record holds
    cast.org_a.refresh_from_db()
    assert (cast.org_a.description, cast.org_a.display_name) == ("First", "Aurora Metals")
    assert cast.org_a.version == 2


def test_an_update_must_name_the_version_it_read(cast: Cast) -> None:
    api = api_client(cast.owner)
    url = f"{ORGS}{cast.org_a.pk}/"

    # without a version in the body or an If-Match header: 428, nothing written
    missing = api.patch(url, {"description": "x"}, format="json")
    assert missing.status_code == 428
    assert api_errors(missing) == [(None, "version_required")]

    # an If-Match that is not one of our ETags names the header
    malformed = api.patch(url, {"description": "x"}, format="json", HTTP_IF_MATCH="W/abc")
    assert malformed.status_code == 400
    assert api_errors(malformed) == [("If-Match", "invalid")]

    # a body version and an If-Match that disagree are refused
    both = api.patch(url, {"description": "x", "version": 1}, format="json", HTTP_IF_MATCH='"2"')
    assert both.status_code == 400
    assert api_errors(both) == [("version", "version_mismatch")]

    cast.org_a.refresh_from_db()
    assert cast.org_a.description == ""
    assert cast.org_a.version == 1


def test_archiving_a_stale_version_is_refused(cast: Cast) -> None:
    api = api_client(cast.owner)
    # given someone saved version 2, when a client archives naming version 1, then 409
    api.patch(f"{SITES}{cast.site_a_private.pk}/", {"city": "Linz", "version": 1}, format="json")
    stale = api.delete(f"{SITES}{cast.site_a_private.pk}/", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    cast.site_a_private.refresh_from_db()
    assert cast.site_a_private.archived_at is None


# --- lists: filter, search, order, page ----------------------------------------------------------


def test_filters_search_ordering_and_pagination_use_the_filterset(cast: Cast) -> None:
    api = api_client(cast.admin)
    # given organizations in several countries with tags
    emea = Tag.resolve(["emea"])
    OrganizationFactory(legal_name="Zeta Pumps SA", display_name="Zeta Pumps", country="FR")
    tagged = OrganizationFactory(
        legal_name="Eta Valves SA", display_name="Eta Valves", country="FR"
    )
    tagged.tags.set(emea)

    def names(**params: Any) -> list[str]:
        response = api.get(ORGS, params)
        assert response.status_code == 200, response.json()
        return [row["display_name"] for row in response.json()["results"]]

    # then each query parameter of the FilterSet works through the API
    assert names(country="FR") == ["Eta Valves", "Zeta Pumps"]
    assert names(q="valves") == ["Eta Valves"]
    assert names(tag="emea") == ["Eta Valves"]
    assert names(side="supply") == ["Aurora Metals", "Borealis Logistics"]
    assert names(ordering="-name") == [
        "Zeta Pumps",
        "Eta Valves",
        "Borealis Logistics",
        "Aurora Metals",
    ]

    # and pages carry the total and links
    page = api.get(ORGS, {"page_size": 3, "ordering": "name"}).json()
    assert page["count"] == 4
    assert len(page["results"]) == 3
    assert page["next"] is not None
    second = api.get(page["next"]).json()
    assert [row["display_name"] for row in second["results"]] == ["Zeta Pumps"]


def test_page_size_is_capped_at_200(cast: Cast) -> None:
    # given more organizations than the largest page
    owner = cast.owner
    Organization.objects.bulk_create(
        Organization(
            legal_name=f"Bulk {i}", display_name=f"Bulk {i:03d}", owner=owner, name_key=f"bulk {i}"
        )
        for i in range(205)
    )
    # when a client asks for 500 per page, then it gets 200
    body = api_client(cast.admin).get(ORGS, {"page_size": 500}).json()
    assert body["count"] == 207
    assert len(body["results"]) == 200


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"ordering": "bogus"}, "ordering"),
        ({"industry": "alchemy"}, "industry"),
        ({"parent": "abc"}, "parent"),
        ({"archived": "maybe"}, "archived"),
        ({"tag": "no-such-tag"}, "tag"),
    ],
)
def test_an_invalid_filter_value_answers_400_naming_the_parameter(
    cast: Cast, params: dict[str, str], attr: str
) -> None:
    response = api_client(cast.admin).get(ORGS, params)
    assert response.status_code == 400
    assert [error[0] for error in api_errors(response)] == [attr]


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (ORGS, lambda owner: OrganizationFactory(owner=owner)),
        (SITES, lambda owner: SiteFactory(organization__owner=owner)),
        (CONTACTS, lambda owner: ContactFactory(organization__owner=owner)),
        (RELATIONSHIPS, lambda owner: RelationshipFactory(owner=owner)),
        (MEMBERS, lambda owner: RelationshipMemberFactory(relationship__owner=owner)),
    ],
)
def test_lists_issue_the_same_number_of_queries_for_5_and_40_rows(
    cast: Cast, url: str, make: Any
) -> None:
    api = api_client(cast.owner)
    tags = Tag.resolve(["a", "b"])

    def grow_to(count: int) -> None:
        while api.get(url, {"page_size": 200}).json()["count"] < count:
            row = make(cast.owner)
            if hasattr(row, "tags"):
                row.tags.set(tags)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, {"page_size": 200})
        assert response.status_code == 200
        return len(captured.captured_queries)

    # given 5 rows, then 40 rows the user may see
    grow_to(5)
    with_5 = queries()
    grow_to(40)
    with_40 = queries()
    # then listing them costs the same number of queries
    assert api.get(url, {"page_size": 200}).json()["count"] >= 40
    assert with_5 == with_40


# --- who may see and do what ---------------------------------------------------------------------


def test_portal_users_see_only_their_shared_records(cast: Cast) -> None:
    api = api_client(cast.portal_a)

    # lists hold only their organization and what was shared with them
    assert [row["id"] for row in api.get(ORGS).json()["results"]] == [cast.org_a.pk]
    assert [row["id"] for row in api.get(SITES).json()["results"]] == [cast.site_a_shared.pk]
    assert [row["id"] for row in api.get(CONTACTS).json()["results"]] == [cast.contact_a_shared.pk]
    assert api.get(RELATIONSHIPS).json()["count"] == 0

    # rows they may not see answer 404, exactly like rows that do not exist
    for url in (
        f"{ORGS}{cast.org_b.pk}/",
        f"{SITES}{cast.site_a_private.pk}/",
        f"{CONTACTS}{cast.contact_a_private.pk}/",
        f"{RELATIONSHIPS}{cast.rel_a.pk}/",
    ):
        assert api.get(url).status_code == 404, url
    assert api.get(f"{ORGS}{cast.org_b.pk}/").json() == api.get(f"{ORGS}999999/").json()

    # what they may see they may not change, archive, or read the history of
    url = f"{ORGS}{cast.org_a.pk}/"
    assert api.patch(url, {"description": "x", "version": 1}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    assert api.get(f"{url}history/").status_code == 403
    assert api.post(ORGS, {"legal_name": "Portal Co"}, format="json").status_code == 403


def test_outsiders_get_404_for_invisible_rows_and_403_for_visible_ones(cast: Cast) -> None:
    api = api_client(cast.outsider)
    # a relationship they are not on is invisible
    assert api.get(f"{RELATIONSHIPS}{cast.rel_a.pk}/").status_code == 404
    assert (
        api.patch(f"{RELATIONSHIPS}{cast.rel_a.pk}/", {"version": 1}, format="json").status_code
        == 404
    )
    # organizations are a directory: visible, but not theirs to change
    forbidden = api.patch(
        f"{ORGS}{cast.org_a.pk}/", {"description": "x", "version": 1}, format="json"
    )
    assert forbidden.status_code == 403
    assert api_errors(forbidden) == [(None, "permission_denied")]
    # nor to add sites to
    site = api.post(SITES, {"organization": cast.org_a.pk, "name": "Depot"}, format="json")
    assert site.status_code == 403
    assert not Site.objects.filter(name="Depot").exists()


def test_related_ids_accept_only_rows_the_user_may_see(cast: Cast) -> None:
    api = api_client(cast.outsider)
    # when an outsider names a relationship they cannot see, the answer is the one for an id
    # that does not exist, so nothing reveals that it is there
    invisible = api.post(
        MEMBERS,
        {"relationship": cast.rel_a.pk, "user": cast.outsider.pk, "role": "legal"},
        format="json",
    )
    missing = api.post(
        MEMBERS, {"relationship": 999999, "user": cast.outsider.pk, "role": "legal"}, format="json"
    )
    assert invisible.status_code == missing.status_code == 400
    assert api_errors(invisible) == api_errors(missing) == [("relationship", "does_not_exist")]
    # and portal users may not name another organization's site on a contact (they write nothing)
    assert not RelationshipMember.objects.filter(user=cast.outsider).exists()


def test_auditors_read_everything_and_change_nothing(cast: Cast) -> None:
    api = api_client(cast.auditor)
    assert api.get(RELATIONSHIPS).json()["count"] == 2
    assert api.post(ORGS, {"legal_name": "Audit Co"}, format="json").status_code == 403
    update = api.patch(f"{RELATIONSHIPS}{cast.rel_b.pk}/", {"version": 1}, format="json")
    assert update.status_code == 403


def test_team_members_edit_and_reviewers_only_read(cast: Cast) -> None:
    url = f"{RELATIONSHIPS}{cast.rel_a.pk}/"
    edited = api_client(cast.member).patch(url, {"status": "active", "version": 1}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["status"] == "active"
    refused = api_client(cast.reviewer).patch(
        url, {"status": "inactive", "version": 2}, format="json"
    )
    assert refused.status_code == 403
    cast.rel_a.refresh_from_db()
    assert cast.rel_a.status == "active"


# --- reassignment --------------------------------------------------------------------------------


def test_managers_reassign_their_reports_relationships(cast: Cast) -> None:
    url = f"{RELATIONSHIPS}{cast.rel_a.pk}/reassign/"
    # a member of the team may not hand the relationship over
    member = api_client(cast.member).post(url, {"owner": cast.member.pk, "version": 1})
    assert member.status_code == 403

    # the owner's indirect manager may, naming the version read
    assert api_client(cast.director).post(url, {"owner": cast.manager.pk}).status_code == 428
    moved = api_client(cast.director).post(url, {"owner": cast.manager.pk, "version": 1})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["owner"] == cast.manager.pk
    assert moved.headers["ETag"] == '"2"'
    cast.rel_a.refresh_from_db()
    assert cast.rel_a.owner == cast.manager
    history = api_client(cast.admin).get(f"{RELATIONSHIPS}{cast.rel_a.pk}/history/").json()
    assert history["results"][0]["reason"] == "Reassigned"


def test_organizations_are_reassigned_to_active_inside_users_only(cast: Cast) -> None:
    url = f"{ORGS}{cast.org_a.pk}/reassign/"
    api = api_client(cast.manager)
    # a portal user is no owner: the directory of choices does not hold them
    portal = api.post(url, {"owner": cast.portal_a.pk, "version": 1}, format="json")
    assert portal.status_code == 400
    assert api_errors(portal) == [("owner", "does_not_exist")]
    moved = api.post(url, {"owner": cast.manager.pk}, format="json", HTTP_IF_MATCH='"1"')
    assert moved.status_code == 200, moved.json()
    assert moved.json()["owner"] == cast.manager.pk


# --- sites, contacts, relationships, teams -------------------------------------------------------


def test_sites_and_contacts_are_created_and_checked_by_the_services(cast: Cast) -> None:
    api = api_client(cast.owner)
    site = api.post(
        SITES,
        {"organization": cast.org_a.pk, "name": "Aurora Foundry", "kind": "plant", "country": "AT"},
        format="json",
    )
    assert site.status_code == 201, site.json()
    assert site.json()["organization"] == cast.org_a.pk

    contact = api.post(
        CONTACTS,
        {
            "organization": cast.org_a.pk,
            "site": site.json()["id"],
            "first_name": "Ada",
            "last_name": "Ngata",
            "email": "ada@aurora.example",
            "roles": ["decision_maker", "buyer"],
            "influence": 4,
        },
        format="json",
    )
    assert contact.status_code == 201, contact.json()
    assert contact.json()["roles"] == ["buyer", "decision_maker"]
    assert contact.json()["influence"] == 4

    # a site of another organization is refused by the service, on the site field
    other = api.post(
        CONTACTS,
        {
            "organization": cast.org_a.pk,
            "site": cast.site_b.pk,
            "first_name": "Bo",
            "last_name": "Rin",
        },
        format="json",
    )
    assert other.status_code == 400
    assert api_errors(other) == [("site", "invalid")]
    # and an unknown role code names the roles field
    unknown = api.patch(
        f"{CONTACTS}{contact.json()['id']}/", {"roles": ["wizard"], "version": 1}, format="json"
    )
    assert unknown.status_code == 400
    assert api_errors(unknown) == [("roles", "does_not_exist")]
    assert Contact.objects.filter(organization=cast.org_a).count() == 3


def test_a_second_relationship_on_the_same_side_is_refused(cast: Cast) -> None:
    api = api_client(cast.owner)
    duplicate = api.post(
        RELATIONSHIPS, {"organization": cast.org_a.pk, "side": "supply"}, format="json"
    )
    assert duplicate.status_code == 400
    assert api_errors(duplicate) == [("side", "duplicate")]
    demand = api.post(
        RELATIONSHIPS,
        {"organization": cast.org_a.pk, "side": "demand", "tier": 1, "tags": ["key"]},
        format="json",
    )
    assert demand.status_code == 201, demand.json()
    assert (demand.json()["organization_name"], demand.json()["tags"]) == (
        "Aurora Metals",
        ["key"],
    )
    assert Relationship.objects.filter(organization=cast.org_a).count() == 2


def test_team_members_are_added_changed_and_archived(cast: Cast) -> None:
    api = api_client(cast.owner)
    added = api.post(
        MEMBERS,
        {"relationship": cast.rel_a.pk, "user": cast.manager.pk, "role": "executive_sponsor"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    assert added.json()["access"] == "edit"
    pk = added.json()["id"]
    again = api.post(
        MEMBERS,
        {"relationship": cast.rel_a.pk, "user": cast.manager.pk, "role": "legal"},
        format="json",
    )
    assert api_errors(again) == [("user", "duplicate")]

    changed = api.put(f"{MEMBERS}{pk}/", {"role": "finance", "version": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["role"] == "finance"

    assert api.delete(f"{MEMBERS}{pk}/").status_code == 204
    listed = api.get(MEMBERS, {"relationship": cast.rel_a.pk}).json()["results"]
    assert pk not in [row["id"] for row in listed]
    assert api.post(f"{MEMBERS}{pk}/restore/").json()["archived_at"] is None
