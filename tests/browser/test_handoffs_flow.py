"""A handoff in a real browser: business development prepares the handoff of a newly won
customer and hands it over; the account manager accepts it explicitly and closes an item; the
item left open stays visible on the account's workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.handoffs.choices import HandoffStatus
from steward.handoffs.models import Handoff
from steward.parties.choices import Side
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_business_development_hands_over_and_the_account_manager_accepts(
    live_server: Any, page: Page
) -> None:
    UserFactory(
        username="bea",
        first_name="Bea",
        last_name="Winter",
        profile__function=Function.BUSINESS_DEVELOPMENT,
    )
    manager = UserFactory(
        username="karl", first_name="Karl", last_name="Ostrom", roles=[JobRole.ACCOUNT_MANAGER]
    )
    customer = OrganizationFactory(legal_name="Nordlicht Foods AG", display_name="Nordlicht Foods")
    ContactFactory(organization=customer, first_name="Ida", last_name="Berg")
    account = RelationshipFactory(organization=customer, side=Side.DEMAND, owner=manager)
    base = live_server.url
    soon = timezone.localdate() + dt.timedelta(days=14)

    # Business development prepares the handoff.
    sign_in(page, base, "bea")
    open_menu_entry(page, "Handoffs")
    page.get_by_role("link", name="New handoff").click()
    page.get_by_label("Account").select_option(label="Nordlicht Foods")
    page.get_by_label("First review").fill(soon.isoformat())
    page.get_by_label("Summary").fill("Three-year supply agreement won in the spring tender.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Before handing over")).to_be_visible()

    def add_item(kind: str, title: str, *, due: str = "", contact: str = "") -> None:
        page.locator("#items summary", has_text="Add an item").click()
        form = page.locator("#items form").last
        form.get_by_label("Kind").select_option(label=kind)
        form.get_by_label("Title").fill(title)
        if due:
            form.get_by_label("Due").fill(due)
        if contact:
            form.get_by_label("Contact").select_option(label=contact)
        form.get_by_role("button", name="Add item").click()
        expect(page.locator("#items").get_by_text(title)).to_be_visible()

    add_item(
        "Commitment made during the sale",
        "Free on-site training for ten users",
        due=soon.isoformat(),
        contact="Ida Berg",
    )
    add_item("Checklist step", "Send the welcome pack")
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Handed over: the account manager was told")).to_be_visible()

    # The account manager accepts explicitly and closes the welcome pack.
    sign_in(page, base, "karl")
    handoff = Handoff.objects.get(relationship=account)
    page.goto(f"{base}{handoff.get_absolute_url()}")
    page.locator("#answer").get_by_label("Note").fill("Thanks, I take it from here.")
    page.get_by_role("button", name="Accept the handoff").click()
    expect(page.get_by_text("Accepted: the account is yours")).to_be_visible()
    row = page.locator("[data-testid=item]").filter(has_text="Send the welcome pack")
    row.locator("summary", has_text="Close").click()
    row.get_by_label("Closing note").fill("Sent by courier")
    row.get_by_role("button", name="Close item").click()
    expect(page.get_by_text("Closed: Send the welcome pack.")).to_be_visible()

    # What is still open stays on the account.
    page.goto(f"{base}/accounts/{account.pk}/?tab=handoff")
    open_items = page.locator("[data-testid=account-open-items]")
    expect(open_items.get_by_text("Free on-site training for ten users")).to_be_visible()
    expect(open_items.get_by_text("Send the welcome pack")).to_have_count(0)
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ACCEPTED
