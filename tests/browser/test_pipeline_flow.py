"""The pipeline in a real browser: an account manager opens an opportunity on a customer
account, adds a line from the catalog and the customer's decision maker, moves it through the
stages and wins it; the forecast then shows it closed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.catalog.tests.factories import ProductFactory
from steward.parties.choices import Side
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.pipeline.models import Opportunity
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_opportunity_is_opened_worked_won_and_forecast(live_server: Any, page: Page) -> None:
    kim = UserFactory(
        username="kim", first_name="Kim", last_name="Lund", roles=[JobRole.ACCOUNT_MANAGER]
    )
    customer = OrganizationFactory(legal_name="Nordwerk AG", display_name="Nordwerk", owner=kim)
    RelationshipFactory(organization=customer, side=Side.DEMAND, owner=kim)
    ContactFactory(organization=customer, first_name="Greta", last_name="Holm")
    ProductFactory(name="Pallet wrap", sku="PW-1", currency="EUR", list_price=Decimal("250"))
    base = live_server.url

    sign_in(page, base, "kim")
    open_menu_entry(page, "Pipeline")
    page.get_by_role("link", name="New opportunity").click()
    page.locator("#id_relationship").select_option(label="Nordwerk (demand)")
    page.locator("#id_name").fill("Wrap for the Hamburg plant")
    page.locator("#id_close_date").fill(timezone.localdate().isoformat())
    page.locator("#id_penetration_type").select_option("new_product")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wrap for the Hamburg plant")

    page.get_by_text("Add a line").click()
    page.locator("#id_line-product").select_option(label="Pallet wrap (PW-1)")
    page.locator("#id_line-quantity").fill("4")
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_test_id("opportunity-amount")).to_contain_text("1000.00 EUR")

    page.get_by_text("Add a person").click()
    page.locator("#id_contact-contact").select_option(label="Greta Holm")
    page.locator("#id_contact-buying_role").select_option("decision_maker")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_test_id("contact-rows")).to_contain_text("Decision maker")

    for stage, label in (("proposal", "Proposal"), ("negotiation", "Negotiation")):
        page.locator("#id_move-stage").select_option(stage)
        page.get_by_role("button", name="Move", exact=True).click()
        expect(page.get_by_test_id("opportunity-stage")).to_contain_text(label)
    page.get_by_role("button", name="Mark won").click()
    expect(page.get_by_test_id("opportunity-stage")).to_contain_text("Closed won")
    assert Opportunity.objects.get().stage == "won"

    open_menu_entry(page, "Forecast")
    page.locator("#id_period").select_option("month")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("forecast-closed")).to_have_text("1000.00")
