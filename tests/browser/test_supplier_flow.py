"""The supply side's acceptance flow in a real browser.

A vendor manager takes a prospect through qualification and onboarding to active, sees it on
the portfolio matrix, writes its strategy and adds an initiative.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from steward.parties.tests.factories import OrganizationFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import PASSWORD, UserFactory
from steward.plans.models import Initiative
from steward.suppliers.choices import Segment, Stage
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import CategoryFactory
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


def nav(page: Page, entry: str) -> None:
    open_menu_entry(page, entry)


def move_to(page: Page, stage: str, reason: str) -> None:
    page.get_by_label(f"Why move to {stage}?").fill(reason)
    page.get_by_role("button", name=f"Move to {stage}").click()


def tick(page: Page, item: str) -> None:
    page.get_by_label(item).check()
    # htmx swaps the lifecycle block back with who ticked it
    expect(
        page.locator("#lifecycle li").filter(has_text=item).get_by_text(re.compile("done by"))
    ).to_be_visible()


def test_vendor_manager_takes_a_prospect_to_active_and_plans_its_future(
    live_server: Any, page: Page
) -> None:
    vera = UserFactory(
        username="vera", first_name="Vera", last_name="Lind", roles=[JobRole.VENDOR_MANAGER]
    )
    OrganizationFactory(
        legal_name="Halden Precision Castings AS", display_name="Halden Castings", owner=vera
    )
    CategoryFactory(code="castings", name="Castings")
    base = live_server.url
    sign_in(page, base, "vera")

    # create the vendor: a prospect
    nav(page, "Vendors")
    page.get_by_role("link", name="New vendor").click()
    page.get_by_label("Organization").fill("Halden")
    page.get_by_role("option", name=re.compile("Halden Castings")).click()
    page.get_by_label("Relationship type").select_option(label="Partnership")
    page.get_by_label("Castings").check()
    page.get_by_label("Annual spend").fill("800000")
    page.get_by_label("Criticality").fill("5")
    page.get_by_label("Alternative suppliers").fill("1")
    page.get_by_label("Switching cost").fill("4")
    page.get_by_label("Nature of goods or services").select_option(label="Specialized")
    page.get_by_role("button", name="Create vendor").click()
    expect(page.get_by_text("Vendor created.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Halden Castings"))).to_be_visible()
    supplier = Supplier.objects.get(relationship__organization__display_name="Halden Castings")
    assert supplier.stage == Stage.PROSPECT
    assert supplier.relationship.owner == vera

    # qualification; moving on before the checklist is done is refused with what is missing
    move_to(page, "Qualification", "First talks went well")
    expect(page.get_by_text("Moved to Qualification.")).to_be_visible()
    move_to(page, "Onboarding", "Keen to start")
    expect(
        page.get_by_text(re.compile("Finish the checklist first: documents received"))
    ).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    tick(page, "Documents received")
    tick(page, "Security review done")
    move_to(page, "Onboarding", "Qualified")
    expect(page.get_by_text("Moved to Onboarding.")).to_be_visible()

    # onboarding, then active
    tick(page, "Bank details verified")
    tick(page, "Contract signed")
    move_to(page, "Active", "Onboarded")
    expect(page.get_by_text("Moved to Active.")).to_be_visible()
    supplier.refresh_from_db()
    assert supplier.stage == Stage.ACTIVE
    assert supplier.segment == Segment.STRATEGIC

    # the portfolio shows its bubble on the matrix, and the bubble leads to its page
    nav(page, "Portfolio")
    chart = page.locator('[data-chart="portfolio-data"]')
    expect(chart).to_have_attribute("data-chart-state", "drawn")
    figure = json.loads(page.locator("#portfolio-data").text_content() or "{}")
    plotted = [name for trace in figure["data"] for name in trace["text"]]
    assert plotted == ["Halden Castings"]
    drawn = page.evaluate(
        "() => document.querySelector('[data-chart=\"portfolio-data\"]')"
        ".data.flatMap((trace) => trace.text)"
    )
    assert drawn == ["Halden Castings"]
    expect(chart.locator(".scatterlayer .point")).to_have_count(1)
    chart.locator(".scatterlayer .point").first.click(force=True)
    expect(page).to_have_url(re.compile(rf"/vendors/{supplier.pk}/$"))

    # its strategy: objectives and a KPI
    page.get_by_role("tab", name="Strategy").click()
    page.get_by_role("button", name="Start from the playbook").click()
    expect(page.get_by_text("Strategy started from the playbook.")).to_be_visible()
    page.get_by_role("link", name="Edit strategy").click()
    page.get_by_label("Objectives").fill("Secure castings capacity for the 2027 platform")
    page.get_by_label("Role of step 1").fill("Vendor manager")
    page.get_by_label("Role of step 2").fill("Head of procurement")
    page.get_by_label("After days, step 2").fill("10")
    page.get_by_role("button", name="Save strategy").click()
    expect(page.get_by_text("Strategy saved.")).to_be_visible()
    page.get_by_role("link", name="Add KPI").click()
    page.get_by_label("Name").fill("On-time delivery")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Target").fill("98")
    page.get_by_role("button", name="Add KPI").click()
    expect(page.get_by_text("KPI added.")).to_be_visible()
    strategy_tab = page.locator("#tab-content")
    expect(
        strategy_tab.get_by_text("Secure castings capacity for the 2027 platform")
    ).to_be_visible()
    expect(strategy_tab.get_by_text("On-time delivery")).to_be_visible()

    # and an initiative, through the initiatives tab
    page.get_by_role("tab", name="Initiatives").click()
    page.get_by_role("link", name="New initiative").click()
    page.get_by_label("Title").fill("Second casting line")
    page.get_by_label("Kind").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Initiative started.")).to_be_visible()
    page.goto(f"{base}/vendors/{supplier.pk}/?tab=initiatives")
    expect(page.get_by_role("link", name="Second casting line")).to_be_visible()
    initiative = Initiative.objects.get(title="Second casting line")
    assert initiative.relationship_id == supplier.pk
