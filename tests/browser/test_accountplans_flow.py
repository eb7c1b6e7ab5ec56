"""A joint account plan in a real browser: an account manager starts the plan of a customer
account, maps the executive sponsor and the plant's decision maker, agrees an objective, gives
each side an action, records the review, and watches the standard's checklist turn green."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.accountplans.models import AccountPlan
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
    SiteFactory,
)
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def met(page: Page, rule: str) -> Any:
    return page.locator(f'#checklist [data-rule="{rule}"]')


def add(page: Page, section: str, summary: str, fields: dict[str, str], button: str) -> None:
    """Open a section's inline form, fill it (selects by their option's text) and submit."""
    area = page.locator(f"#{section}")
    area.get_by_text(summary).click()
    form = area.locator("form").last
    for label, value in fields.items():
        field = form.get_by_label(label)  # the label reads "Person *" when required
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=button).click()


def test_an_account_manager_builds_a_plan_that_meets_the_standard(
    live_server: Any, page: Page
) -> None:
    manager = UserFactory(
        username="kim", first_name="Kim", last_name="Lund", roles=[JobRole.VENDOR_MANAGER]
    )
    customer = OrganizationFactory(
        legal_name="Nordlicht Papier AG", display_name="Nordlicht Papier", owner=manager
    )
    account = RelationshipFactory(
        organization=customer, side="demand", owner=manager, status="active"
    )
    mill = SiteFactory(organization=customer, name="Mill Husum")
    ContactFactory(organization=customer, first_name="Clara", last_name="Board", title="CEO")
    ContactFactory(organization=customer, first_name="Mats", last_name="Mill", site=mill)
    today = timezone.localdate()
    base = live_server.url

    sign_in(page, base, "kim")
    open_menu_entry(page, "Account plans")
    expect(page.get_by_text("No account plans to show.")).to_be_visible()

    page.goto(f"{base}/accounts/{account.pk}/plans/new/")
    page.get_by_label("Next review").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Customer's goals").fill("Run the mill without unplanned stops.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Nordlicht Papier account plan")).to_be_visible()
    expect(page.locator("#plan-score")).to_contain_text("Does not meet the standard")
    expect(met(page, "locations")).to_have_attribute("data-met", "false")
    expect(met(page, "locations")).to_contain_text("Map a decision maker at Mill Husum.")

    add(
        page,
        "map",
        "Put someone on the map",
        {"Person": "Clara Board", "Decision role": "Executive sponsor"},
        "Add to the map",
    )
    expect(met(page, "executive_sponsor")).to_have_attribute("data-met", "true")
    add(
        page,
        "map",
        "Put someone on the map",
        {"Person": "Mats Mill", "Decision role": "Decision maker", "Covered by": "Kim Lund"},
        "Add to the map",
    )
    expect(met(page, "locations")).to_have_attribute("data-met", "true")

    add(
        page,
        "objectives",
        "Agree an objective",
        {
            "Objective": "Unplanned stops below two a quarter",
            "Owner (ours)": "Kim Lund",
            "Customer stakeholder": "Mats Mill",
            "Measure": "Unplanned stops per quarter",
            "Target": "2",
            "Due": (today + dt.timedelta(days=180)).isoformat(),
        },
        "Add objective",
    )
    expect(met(page, "min_objectives")).to_have_attribute("data-met", "true")
    expect(met(page, "objectives_complete")).to_have_attribute("data-met", "true")

    due = (today + dt.timedelta(days=14)).isoformat()
    add(
        page,
        "actions",
        "Add an action",
        {"Action": "Send the maintenance schedule", "Due": due, "Owner (ours)": "Kim Lund"},
        "Add action",
    )
    add(
        page,
        "actions",
        "Add an action",
        {
            "Action": "Share the stop log",
            "Due": due,
            "Side": "Counterparty",
            "Owner (theirs)": "Mats Mill",
        },
        "Add action",
    )
    expect(met(page, "actions_both_sides")).to_have_attribute("data-met", "true")

    add(
        page,
        "reviews",
        "Record a review",
        {"Held on": today.isoformat(), "Notes": "Walked the plan with Clara."},
        "Record review",
    )
    expect(page.locator("#plan-score")).to_contain_text("Meets the standard")
    expect(page.locator("#plan-score")).to_contain_text("100.0 %")
    expect(page.locator('#checklist [data-met="false"]')).to_have_count(0)
    assert AccountPlan.objects.get(relationship=account).last_reviewed_on == today
