"""Key accounts in a real browser: an account manager opens an account from the portfolio,
fills its whitespace matrix, marks cells in place and sees the penetration change."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from steward.catalog.tests.factories import ProductFamilyFactory
from steward.parties.choices import Side, Tier
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory, SiteFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def mark(page: Page, cell: Any, holder: str, competitor: str = "") -> None:
    cell.get_by_role("link", name="Edit").click()
    cell.get_by_label("Holder").select_option(label=holder)
    if competitor:
        cell.get_by_label("Competitor").fill(competitor)
    cell.get_by_role("button", name="Save").click()
    expect(cell.get_by_role("button", name="Save")).to_have_count(0)


def test_an_account_manager_fills_the_whitespace_and_sees_penetration_move(
    live_server: Any, page: Page
) -> None:
    manager = UserFactory(
        username="karla", first_name="Karla", last_name="Berg", roles=[JobRole.ACCOUNT_MANAGER]
    )
    customer = OrganizationFactory(legal_name="Nordwerk AG", display_name="Nordwerk", owner=manager)
    SiteFactory(organization=customer, name="Nordwerk Essen")
    SiteFactory(organization=customer, name="Nordwerk Kiel")
    RelationshipFactory(organization=customer, side=Side.DEMAND, owner=manager, tier=Tier.KEY)
    ProductFamilyFactory(code="PKG", name="Packaging", position=1)
    ProductFamilyFactory(code="SVC", name="Services", position=2)
    base = live_server.url

    sign_in(page, base, "karla")
    open_menu_entry(page, "Accounts")
    page.get_by_role("link", name="Nordwerk").click()
    page.get_by_role("tab", name="Whitespace").click()
    page.get_by_role("button", name="Fill the matrix (4 missing cells)").click()
    expect(page.get_by_text("4 cells added.")).to_be_visible()
    figures = page.get_by_test_id("penetration-percent")
    expect(figures).to_have_text("0.0 %")

    matrix = page.get_by_test_id("whitespace-matrix")
    essen = matrix.get_by_role("row", name="Nordwerk Essen")
    kiel = matrix.get_by_role("row", name="Nordwerk Kiel")
    mark(page, essen.locator("td").nth(0), "Us")
    expect(figures).to_have_text("25.0 %")
    mark(page, essen.locator("td").nth(1), "A competitor", competitor="Konkurrent GmbH")
    mark(page, kiel.locator("td").nth(1), "Not a fit")
    # 1 of the 3 eligible cells is ours
    expect(figures).to_have_text("33.3 %")
    expect(essen.locator("td").nth(1)).to_contain_text("Konkurrent GmbH")
