"""The portal's main flow in a real browser: an inside user invites a vendor contact, who joins
with a password, lands on the portal home, turns on a second factor and signs in again with it."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from steward.parties.tests.factories import ContactFactory, OrganizationFactory, RelationshipFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.portal.services import totp_code
from steward.suppliers.tests.factories import SupplierFactory
from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.test_organization_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONTACT_PASSWORD = "Quarterly-Review-2031"


def test_invite_a_vendor_contact_who_joins_and_signs_in_with_a_second_factor(
    live_server: Any, page: Page, settings: Any
) -> None:
    # given a vendor, its owner and a contact of the vendor on record
    owner = UserFactory(
        username="vera", first_name="Vera", last_name="Lind", roles=[JobRole.VENDOR_MANAGER]
    )
    organization = OrganizationFactory(
        legal_name="Kestrel Cloud Hosting BV", display_name="Kestrel Cloud", owner=owner
    )
    vendor = SupplierFactory(
        relationship=RelationshipFactory(organization=organization, owner=owner)
    )
    ContactFactory(
        organization=organization,
        first_name="Mina",
        last_name="Kovac",
        email="mina@kestrel.example",
    )
    base = live_server.url
    settings.STEWARD_BASE_URL = base  # the links in mails and on screen point at this server

    # when the owner invites the contact from the vendor's portal tab
    sign_in(page, base, "vera")
    page.goto(f"{base}/vendors/{vendor.pk}/?tab=portal")
    page.get_by_label("Contact").select_option(label="Mina Kovac <mina@kestrel.example>")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()
    link = page.get_by_test_id("invitation-link").input_value()
    assert "/portal/join/" in link

    # then the contact opens the link in their own browser, sets a password and lands at home
    contact = page.context.browser.new_context().new_page()
    contact.set_default_timeout(PAGE_TIMEOUT_MS)
    contact.goto(link)
    expect(contact.get_by_role("heading", name="Join Kestrel Cloud on Steward")).to_be_visible()
    expect(contact.get_by_label("First name")).to_have_value("Mina")
    contact.get_by_label("Password", exact=True).fill(CONTACT_PASSWORD)
    contact.get_by_label("Password again").fill(CONTACT_PASSWORD)
    contact.get_by_role("button", name="Join").click()
    expect(contact.get_by_test_id("portal-organization")).to_have_text("Kestrel Cloud")

    # and turns on the second factor, confirming it with the code the app would show
    contact.get_by_role("link", name="Second factor: off").click()
    expect(contact.get_by_test_id("totp-qr")).to_be_visible()
    device = TOTPDevice.objects.get(user__email="mina@kestrel.example", confirmed=False)
    assert contact.get_by_test_id("totp-secret").inner_text()
    contact.get_by_label("Code from your authenticator app").fill(totp_code(device))
    contact.get_by_role("button", name="Turn on").click()
    expect(contact.get_by_test_id("totp-on")).to_be_visible()

    # when they sign out and in again with their password
    contact.get_by_role("button", name="Mina Kovac").click()
    contact.get_by_role("button", name="Sign out").click()
    contact.goto(f"{base}/login/")
    contact.get_by_label("User name").fill("mina@kestrel.example")
    contact.get_by_label("Password").fill(CONTACT_PASSWORD)
    contact.get_by_role("button", name="Sign in").click()

    # then the portal asks for a code first, and lets them in with the next one
    expect(contact.get_by_role("heading", name="Enter your code")).to_be_visible()
    device.refresh_from_db()
    contact.get_by_label("Code from your authenticator app").fill(totp_code(device, drift=1))
    contact.get_by_role("button", name="Continue").click()
    expect(contact.get_by_test_id("portal-organization")).to_have_text("Kestrel Cloud")
