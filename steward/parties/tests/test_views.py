"""The web pages of organizations and relationships, through Django's test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.testing import web_client
from steward.parties.models import Contact, Organization, Relationship
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def org_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "legal_name": "Cobalt Robotics GmbH",
        "display_name": "Cobalt Robotics",
        "tax_id": "DE811",
        "country": "DE",
        "industry": "industrial",
        "website": "",
        "tags": "robots, emea",
    }
    data.update(overrides)
    return data


def test_owner_creates_an_organization_and_lands_on_its_page(cast: Cast) -> None:
    # given a vendor manager, when they submit the new-organization form
    response = web_client(cast.owner).post("/organizations/new/", org_form(), follow=True)
    # then the organization exists, they own it, its tags are set and its page says so
    organization = Organization.objects.get(legal_name="Cobalt Robotics GmbH")
    assert organization.owner == cast.owner
    assert sorted(t.name for t in organization.tags.all()) == ["emea", "robots"]
    assert response.redirect_chain[-1][0] == f"/organizations/{organization.pk}/"
    assert b"Organization created." in response.content


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(cast: Cast) -> None:
    before = Organization.objects.count()
    response = web_client(cast.owner).post(
        "/organizations/new/", org_form(legal_name="", website="not a url")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_legal_name_error"' in html
    assert 'id="id_website_error"' in html
    assert 'aria-invalid="true"' in html
    assert Organization.objects.count() == before


def test_exact_duplicate_is_refused_and_near_duplicate_needs_confirmation(cast: Cast) -> None:
    client = web_client(cast.owner)
    # an exact duplicate (same normalized name and tax id as Aurora) is refused
    duplicate = client.post(
        "/organizations/new/", org_form(legal_name="AURORA METALS ag", tax_id=cast.org_a.tax_id)
    )
    assert "same legal name and tax id" in duplicate.content.decode()
    # a near duplicate asks for confirmation first, then is created when confirmed
    near = client.post("/organizations/new/", org_form(legal_name="Aurora Metal AG", tax_id="X1"))
    assert "Similar organizations exist" in near.content.decode()
    assert not Organization.objects.filter(legal_name="Aurora Metal AG").exists()
    confirmed = client.post(
        "/organizations/new/",
        org_form(legal_name="Aurora Metal AG", tax_id="X1", confirm_near_duplicate="on"),
    )
    assert confirmed.status_code == 302
    assert Organization.objects.filter(legal_name="Aurora Metal AG").exists()


def test_live_name_check_warns_while_typing(cast: Cast) -> None:
    response = web_client(cast.owner).get(
        "/organizations/check-name/", {"legal_name": "Aurora Metal"}
    )
    assert "Aurora Metals" in response.content.decode()


def test_stale_edit_is_refused_with_a_clear_message_and_keeps_the_first_save(cast: Cast) -> None:
    # given two people who opened the edit form of the same version
    first, second = web_client(cast.owner), web_client(cast.member)
    version = cast.org_a.version
    # when the first saves a new website
    saved = first.post(
        f"/organizations/{cast.org_a.pk}/edit/",
        org_form(
            legal_name=cast.org_a.legal_name,
            tax_id=cast.org_a.tax_id,
            website="https://aurora.example",
            version=version,
        ),
    )
    assert saved.status_code == 302
    # and the second saves another change based on the old version
    stale = second.post(
        f"/organizations/{cast.org_a.pk}/edit/",
        org_form(
            legal_name=cast.org_a.legal_name,
            tax_id=cast.org_a.tax_id,
            website="https://other.example",
            version=version,
        ),
    )
    # then the second is refused with a message, and the first change is kept
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    cast.org_a.refresh_from_db()
    assert cast.org_a.website == "https://aurora.example"
    assert cast.org_a.version == version + 1


def test_edit_shows_in_history_field_by_field(cast: Cast) -> None:
    client = web_client(cast.owner)
    client.post(
        f"/organizations/{cast.org_a.pk}/edit/",
        org_form(
            legal_name=cast.org_a.legal_name,
            tax_id=cast.org_a.tax_id,
            country="AT",
            version=cast.org_a.version,
        ),
    )
    history = client.get(f"/organizations/{cast.org_a.pk}/?tab=history").content.decode()
    assert "Germany" in history
    assert "Austria" in history
    assert "Country" in history


def test_history_tab_is_served_as_an_htmx_partial(cast: Cast) -> None:
    response = web_client(cast.owner).get(
        f"/organizations/{cast.org_a.pk}/?tab=history", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "History" in html
    assert "<html" not in html


def test_archive_hides_from_lists_and_restore_brings_back(cast: Cast) -> None:
    client = web_client(cast.owner)
    contact = cast.contact_a_private
    client.post(f"/contacts/{contact.pk}/archive/", {"version": contact.version})
    contact.refresh_from_db()
    assert contact.is_archived
    listed = client.get(f"/organizations/{cast.org_a.pk}/?tab=contacts").content.decode()
    assert f"/contacts/{contact.pk}/" not in listed
    client.post(f"/contacts/{contact.pk}/restore/", {"version": contact.version})
    assert not Contact.objects.get(pk=contact.pk).is_archived
    assert Contact.objects.filter(pk=contact.pk).exists()  # never deleted


def test_owner_adds_a_contact_with_roles(cast: Cast) -> None:
    web_client(cast.owner).post(
        f"/organizations/{cast.org_a.pk}/contacts/new/",
        {"first_name": "Ida", "last_name": "Lund", "roles": ["buyer", "decision_maker"]},
    )
    contact = Contact.objects.get(last_name="Lund")
    assert sorted(contact.roles.values_list("code", flat=True)) == ["buyer", "decision_maker"]


def test_outsider_cannot_edit_or_archive_someone_elses_organization(cast: Cast) -> None:
    client = web_client(cast.outsider)
    assert client.get(f"/organizations/{cast.org_a.pk}/edit/").status_code == 403
    assert client.post(f"/organizations/{cast.org_a.pk}/archive/").status_code == 403
    assert client.get(f"/relationships/{cast.rel_a.pk}/").status_code == 404


def test_portal_user_sees_only_their_organization(cast: Cast) -> None:
    client = web_client(cast.portal_a)
    home = client.get("/").content.decode()
    assert "Aurora Metals" in home
    assert "Borealis" not in home
    assert cast.site_a_shared.name in home
    assert cast.site_a_private.name not in home
    listing = client.get("/organizations/").content.decode()
    assert "Borealis" not in listing
    assert client.get(f"/organizations/{cast.org_b.pk}/").status_code == 404


def test_manager_reassigns_a_report_relationship(cast: Cast) -> None:
    response = web_client(cast.manager).post(
        f"/relationships/{cast.rel_a.pk}/reassign/",
        {"owner": cast.member.pk, "version": cast.rel_a.version},
    )
    assert response.status_code == 302
    assert Relationship.objects.get(pk=cast.rel_a.pk).owner == cast.member
    assert (
        web_client(cast.member).get(f"/relationships/{cast.rel_b.pk}/reassign/").status_code == 404
    )


def test_owner_adds_and_removes_a_team_member(cast: Cast) -> None:
    client = web_client(cast.owner)
    client.post(
        f"/relationships/{cast.rel_a.pk}/team/",
        {"user": cast.outsider.pk, "role": "finance", "access": "review"},
    )
    member = cast.rel_a.members.get(user=cast.outsider, archived_at__isnull=True)
    assert web_client(cast.outsider).get(f"/relationships/{cast.rel_a.pk}/").status_code == 200
    client.post(f"/team-members/{member.pk}/remove/")
    assert web_client(cast.outsider).get(f"/relationships/{cast.rel_a.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/organizations/", "/vendors/", "/contacts/", "/organizations/?q=north&ordering=-name"]
)
def test_list_pages_issue_a_constant_number_of_queries(cast: Cast, url: str) -> None:
    client = web_client(cast.admin)
    RelationshipFactory(organization=OrganizationFactory(legal_name="Northwind Prime AG"))
    client.get(url)  # warm up: session and principal

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(30):
        RelationshipFactory(organization=OrganizationFactory(legal_name=f"Northwind {_} AG"))
    assert count() == few


def test_global_search_finds_only_what_the_user_may_see(cast: Cast) -> None:
    owner_hits = web_client(cast.owner).get("/search/", {"q": "Borealis"}).content.decode()
    # organizations are a directory for internal users, relationships are not
    assert "Borealis Logistics" in owner_hits
    assert f"/relationships/{cast.rel_b.pk}/" not in owner_hits
    outsider_hits = web_client(cast.outsider).get("/search/", {"q": "Borealis"}).content.decode()
    assert f"/relationships/{cast.rel_b.pk}/" in outsider_hits


def test_home_page_fits_the_role(cast: Cast) -> None:
    assert "At a glance" in web_client(cast.admin).get("/").content.decode()
    assert "Recent changes" in web_client(cast.auditor).get("/").content.decode()
    manager_home = web_client(cast.manager).get("/").content.decode()
    assert "My team" in manager_home
    owner_home = web_client(cast.owner).get("/").content.decode()
    assert "Aurora Metals" in owner_home
    assert "My team" not in owner_home


def test_exports_follow_the_filters_and_the_policy(cast: Cast) -> None:
    OrganizationFactory(legal_name='=HYPERLINK("http://evil") Ltd', display_name="=cmd|calc")
    admin_csv = b"".join(
        web_client(cast.admin).get("/organizations/", {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "Aurora Metals" in admin_csv
    assert "'=cmd|calc" in admin_csv  # neutralized formula
    filtered = b"".join(
        web_client(cast.admin)
        .get("/organizations/", {"export": "csv", "q": "aurora"})
        .streaming_content
    ).decode("utf-8-sig")
    assert "Borealis" not in filtered
    portal_csv = b"".join(
        web_client(cast.portal_a).get("/organizations/", {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "Aurora Metals" in portal_csv
    assert "Borealis" not in portal_csv
    outsider_rel = b"".join(
        web_client(cast.outsider).get("/relationships/", {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "Borealis" in outsider_rel
    assert "Aurora" not in outsider_rel


def test_excel_export_is_a_real_workbook(cast: Cast) -> None:
    import io

    from openpyxl import load_workbook

    response = web_client(cast.owner).get("/contacts/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Id", "Organization", "First name")
    assert len(rows) == 1 + Contact.objects.active().count()
