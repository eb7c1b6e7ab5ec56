"""The foundation's main flow in a real browser: sign in, create, add a contact, edit, history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from steward.parties.models import Organization
from steward.people.choices import JobRole
from steward.people.tests.factories import PASSWORD, UserFactory
from tests.browser.conftest import PAGE_TIMEOUT_MS, open_menu_entry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Page, base: str, username: str) -> None:
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_create_organization_with_contact_edit_and_find_change_in_history(
    live_server: Any, page: Page
) -> None:
    UserFactory(
        username="vera", first_name="Vera", last_name="Lind", roles=[JobRole.VENDOR_MANAGER]
    )
    base = live_server.url
    sign_in(page, base, "vera")

    # create an organization
    open_menu_entry(page, "Organizations")
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Legal name").fill("Halden Precision Castings AS")
    page.get_by_label("Display name").fill("Halden Castings")
    page.get_by_label("Tax id").fill("NO 912 345 678")
    page.get_by_label("Country").select_option("NO")
    page.get_by_label("Tags").fill("castings, nordics")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name="Halden Castings")).to_be_visible()
    expect(page.get_by_text("Organization created.")).to_be_visible()

    # add a contact through the contacts tab
    page.get_by_role("tab", name="Contacts").click()
    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("First name").fill("Ingrid")
    page.get_by_label("Last name").fill("Solberg")
    page.get_by_label("Job title").fill("Head of purchasing")
    page.get_by_label("Buyer").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Ingrid Solberg")).to_be_visible()

    # edit the organization
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Website").fill("https://halden.example")
    page.get_by_label("Industry").select_option(label="Industrial manufacturing")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()

    # the history tab (an htmx partial) shows who changed which field
    page.get_by_role("tab", name="History").click()
    history = page.locator("#tab-content")
    expect(history.get_by_text("Website")).to_be_visible()
    expect(history.get_by_text("https://halden.example")).to_be_visible()
    expect(history.get_by_text("Industrial manufacturing")).to_be_visible()
    expect(history.get_by_text(re.compile("by Vera Lind")).first).to_be_visible()
    assert re.search(r"tab=history", page.url)

    organization = Organization.objects.get(display_name="Halden Castings")
    assert organization.version == 2
    assert organization.contacts.get().roles.get().code == "buyer"


def test_filtering_the_list_updates_results_in_place(live_server: Any, page: Page) -> None:
    user = UserFactory(username="ola", roles=[JobRole.VENDOR_MANAGER])
    from steward.parties.tests.factories import OrganizationFactory

    OrganizationFactory(legal_name="Fjord Energy ASA", display_name="Fjord Energy", owner=user)
    OrganizationFactory(legal_name="Delta Foods BV", display_name="Delta Foods", owner=user)
    sign_in(page, live_server.url, "ola")
    page.goto(f"{live_server.url}/organizations/")
    page.locator("#f-q").fill("fjord")
    expect(page.get_by_role("link", name="Delta Foods")).to_have_count(0)
    expect(page.get_by_role("link", name="Fjord Energy")).to_be_visible()
    assert "q=fjord" in page.url
