"""Quotas in a real browser: a field sales manager sets a report's quota for the current period;
a won opportunity (made in the test's data) then moves the report's attainment on the
accountability dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.parties.choices import Side
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.quotas.tests.factories import won
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_sets_a_quota_and_a_won_deal_moves_attainment(
    live_server: Any, page: Page
) -> None:
    manager = UserFactory(
        username="fsm",
        first_name="Fiona",
        last_name="Manager",
        roles=[JobRole.FIELD_SALES_MANAGER],
    )
    report = UserFactory(
        username="kam",
        first_name="Karl",
        last_name="Accounts",
        roles=[JobRole.ACCOUNT_MANAGER],
        profile__manager=manager,
    )
    customer = OrganizationFactory(
        legal_name="Cobalt Foods AG", display_name="Cobalt Foods", owner=report
    )
    account = RelationshipFactory(organization=customer, side=Side.DEMAND, owner=report)
    today = timezone.localdate()
    base = live_server.url

    # The manager sets Karl's quota: 90,000 EUR over 90 days that started 44 days ago.
    sign_in(page, base, "fsm")
    open_menu_entry(page, "Quotas")
    page.get_by_role("navigation", name="Quotas").get_by_role("link", name="Quotas").click()
    page.get_by_role("link", name="Set a quota").click()
    page.get_by_label("Person").select_option(label="Karl Accounts")
    page.get_by_label("Starts").fill((today - dt.timedelta(days=44)).isoformat())
    page.get_by_label("Ends").fill((today + dt.timedelta(days=45)).isoformat())
    page.get_by_label("Sales target").fill("90000")
    page.get_by_label("Gross-profit target").fill("30000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Quota set.")).to_be_visible()

    # Nothing closed yet: Karl's row on the dashboard reads 0 % of the prorated target.
    open_menu_entry(page, "Accountability")
    row = page.locator(f'tr[data-person="{report.pk}"]:not([data-roll-up])')
    expect(row.locator('td[data-measure="0"]')).to_contain_text("0 % of 45,000 EUR")

    # Karl wins a deal of 22,500 EUR today: half of what is due by now.
    won(relationship=account, owner=report, amount="22500", cost="12500", closed_on=today)
    page.reload()
    expect(row.locator('td[data-measure="0"]')).to_contain_text("50 % of 45,000 EUR")
    team = page.locator(f'tr[data-person="{manager.pk}"][data-roll-up]')
    expect(team.locator('td[data-measure="0"]')).to_contain_text("50 %")

    # Karl sees his own attainment move too.
    sign_in(page, base, "kam")
    open_menu_entry(page, "Quotas")
    expect(page.get_by_test_id("bookings")).to_have_text("22,500.00")
