"""Issue 9's acceptance in a real browser: an account manager builds a joint account plan that
meets the standard, turns an open whitespace cell into an opportunity, closes it won, and sees
the cell become ours and attainment move on the accountability dashboard.

Only the given state is made with factories (the people, the customer with its locations and
people, the catalog, the whitespace, the quota and a deal won earlier in the period); everything
the acceptance names is done through the pages, as the account manager.

The figures, by hand (the quota runs 90 days, 45 of them gone by today, both ends counted):

- sales target 90,000 EUR → 45,000 due to date; gross-profit target 30,000 → 15,000 to date;
- the earlier deal: 9,000 booked at a cost of 6,000 → 20 % of bookings, 20 % of gross profit;
- the new deal: 90 * 250 EUR list price = 22,500 booked at 90 * 150 = 13,500 cost, so 9,000 gross
  profit → bookings 31,500 ÷ 45,000 = 70 %, gross profit 12,000 ÷ 15,000 = 80 %;
- the whitespace: one family at two locations, one ours and one a competitor's → penetration
  50.0 %; the won deal makes the other ours → 100.0 %;
- the account's plan: none before (0 of 1 accounts), then one meeting the standard (1 of 1).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from steward.accounts.choices import Holder
from steward.accounts.models import WhitespaceCell
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.parties.choices import Side, Tier
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
    SiteFactory,
)
from steward.people.choices import JobRole
from steward.people.tests.factories import UserFactory
from steward.quotas.tests.factories import QuotaFactory, won
from tests.browser.test_accountplans_flow import add, met
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def measure_cell(page: Page, person_pk: int, label: str) -> Locator:
    """The dashboard cell of ``label``'s column in the person's own row (not their team's)."""
    headers = page.get_by_test_id("accountability").locator("thead th").all_inner_texts()
    column = [text.strip() for text in headers].index(label) - 1  # the first is "Person"
    row = page.locator(f'tr[data-person="{person_pk}"]:not([data-roll-up])')
    return row.locator(f'td[data-measure="{column}"]')


def given_a_key_account(today: dt.date) -> dict[str, Any]:
    """An account manager reporting to a field sales manager, owning a key account with two
    locations, its people, a whitespace with one open cell, the catalog, a quota for the current
    period and a deal won earlier in it."""
    fiona = UserFactory(
        username="fiona",
        first_name="Fiona",
        last_name="Manager",
        roles=[JobRole.FIELD_SALES_MANAGER],
    )
    kim = UserFactory(
        username="kim",
        first_name="Kim",
        last_name="Lund",
        roles=[JobRole.ACCOUNT_MANAGER],
        profile__manager=fiona,
    )
    customer = OrganizationFactory(
        legal_name="Nordlicht Papier AG", display_name="Nordlicht Papier", owner=kim
    )
    account = RelationshipFactory(
        organization=customer, side=Side.DEMAND, owner=kim, status="active", tier=Tier.KEY
    )
    husum = SiteFactory(organization=customer, name="Mill Husum")
    kiel = SiteFactory(organization=customer, name="Mill Kiel")
    ContactFactory(organization=customer, first_name="Clara", last_name="Board", title="CEO")
    ContactFactory(organization=customer, first_name="Mats", last_name="Mill", site=husum)
    ContactFactory(organization=customer, first_name="Kai", last_name="Kade", site=kiel)
    packaging = ProductFamilyFactory(code="PKG", name="Packaging", position=1)
    ProductFactory(
        family=packaging,
        name="Pallet wrap",
        sku="PW-1",
        currency="EUR",
        list_price=Decimal("250"),
        standard_cost=Decimal("150"),
    )
    WhitespaceCell.objects.create(
        relationship=account, family=packaging, site=kiel, holder=Holder.US, currency="EUR"
    )
    open_cell = WhitespaceCell.objects.create(
        relationship=account,
        family=packaging,
        site=husum,
        holder=Holder.COMPETITOR,
        competitor="Konkurrent GmbH",
        currency="EUR",
    )
    QuotaFactory(
        person=kim,
        starts_on=today - dt.timedelta(days=44),
        ends_on=today + dt.timedelta(days=45),
        currency="EUR",
        sales_target=Decimal("90000"),
        margin_target=Decimal("30000"),
    )
    won(
        relationship=account,
        owner=kim,
        amount="9000",
        cost="6000",
        closed_on=today - dt.timedelta(days=10),
        name="Spring order",
    )
    return {"kim": kim, "account": account, "cell": open_cell}


def build_the_plan(page: Page, base: str, account_pk: int, today: dt.date) -> None:
    """Start the account's plan from its "Plan" tab and fill what the standard asks for."""
    page.goto(f"{base}/accounts/{account_pk}/")
    page.get_by_role("tab", name="Plan").click()
    page.get_by_role("link", name="Start a plan").click()
    page.get_by_label("Next review").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Customer's goals").fill("Run both mills without unplanned stops.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Nordlicht Papier account plan")).to_be_visible()
    expect(page.locator("#plan-score")).to_contain_text("Does not meet the standard")

    add(
        page,
        "map",
        "Put someone on the map",
        {"Person": "Clara Board", "Decision role": "Executive sponsor"},
        "Add to the map",
    )
    for person in ("Mats Mill", "Kai Kade"):
        add(
            page,
            "map",
            "Put someone on the map",
            {"Person": person, "Decision role": "Decision maker", "Covered by": "Kim Lund"},
            "Add to the map",
        )
    expect(met(page, "executive_sponsor")).to_have_attribute("data-met", "true")
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
    add(
        page,
        "reviews",
        "Record a review",
        {"Held on": today.isoformat(), "Notes": "Walked the plan with Clara."},
        "Record review",
    )
    expect(page.locator("#plan-score")).to_contain_text("Meets the standard")
    expect(page.locator('#checklist [data-met="false"]')).to_have_count(0)


def win_from_the_whitespace(page: Page, base: str, account_pk: int, cell_pk: int) -> None:
    """Open an opportunity from the open cell, offer the wrap, move it along and win it."""
    page.goto(f"{base}/accounts/{account_pk}/whitespace/")
    cell = page.locator(f"#cell-{cell_pk}")
    expect(cell).to_contain_text("A competitor: Konkurrent GmbH")
    cell.get_by_role("button", name="Open an opportunity").click()
    expect(page.get_by_text("Opportunity opened from the whitespace.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Packaging at Mill Husum")
    expect(page.get_by_test_id("opportunity-stage")).to_contain_text("Prospecting")

    page.get_by_text("Add a line").click()
    page.locator("#id_line-product").select_option(label="Pallet wrap (PW-1)")
    page.locator("#id_line-quantity").fill("90")
    page.get_by_role("button", name="Add line").click()
    expect(page.get_by_test_id("opportunity-amount")).to_contain_text(
        "22500.00 EUR · cost 13500.00 · margin 9000.00"
    )
    page.get_by_text("Add a person").click()
    page.locator("#id_contact-contact").select_option(label="Mats Mill")
    page.locator("#id_contact-buying_role").select_option("decision_maker")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_test_id("contact-rows")).to_contain_text("Decision maker")

    for stage, label in (
        ("qualification", "Qualification"),
        ("proposal", "Proposal"),
        ("negotiation", "Negotiation"),
    ):
        page.locator("#id_move-stage").select_option(stage)
        page.get_by_role("button", name="Move", exact=True).click()
        expect(page.get_by_test_id("opportunity-stage")).to_contain_text(label)
    page.get_by_role("button", name="Mark won").click()
    expect(page.get_by_test_id("opportunity-stage")).to_contain_text("Closed won")


def test_an_account_manager_plans_wins_from_the_whitespace_and_sees_attainment_move(
    live_server: Any, page: Page
) -> None:
    # Given a key account with an open whitespace cell, a quota and a deal won earlier
    today = timezone.localdate()
    given = given_a_key_account(today)
    kim, account, open_cell = given["kim"], given["account"], given["cell"]
    base = live_server.url
    sign_in(page, base, "kim")

    # The dashboard before: 20 % of bookings and of gross profit, no plan meeting the standard
    page.goto(f"{base}/accountability/")
    bookings = measure_cell(page, kim.pk, "Bookings to date")
    profit = measure_cell(page, kim.pk, "Gross profit to date")
    expect(bookings).to_contain_text("20 % of 45,000 EUR")
    expect(profit).to_contain_text("20 % of 15,000 EUR")
    expect(measure_cell(page, kim.pk, "Plans meeting the standard")).to_contain_text(
        "0.0 % (0 of 1 accounts)"
    )
    bookings_before = bookings.inner_text()
    page.goto(f"{base}/quotas/")
    expect(page.get_by_test_id("bookings")).to_have_text("9,000.00")
    page.goto(f"{base}/accounts/{account.pk}/whitespace/")
    expect(page.get_by_test_id("penetration-percent")).to_have_text("50.0 %")

    # When Kim builds a plan that meets the standard
    build_the_plan(page, base, account.pk, today)

    # and turns the competitor's cell into an opportunity and wins it
    win_from_the_whitespace(page, base, account.pk, open_cell.pk)

    # Then the cell is ours and the penetration whole
    page.get_by_role("link", name="from the whitespace").click()
    cell = page.locator(f"#cell-{open_cell.pk}")
    expect(cell).to_have_attribute("data-holder", "us")
    expect(cell.locator(".fw-semibold")).to_have_text("Us")
    expect(cell).to_contain_text("Packaging at Mill Husum")
    expect(cell.get_by_role("button", name="Open an opportunity")).to_have_count(0)
    expect(page.get_by_test_id("penetration-percent")).to_have_text("100.0 %")

    # and attainment moved on the dashboard: 31,500 of 45,000 booked, 12,000 of 15,000 earned
    page.goto(f"{base}/accountability/")
    bookings = measure_cell(page, kim.pk, "Bookings to date")
    expect(bookings).to_contain_text("70 % of 45,000 EUR")
    assert bookings.inner_text() != bookings_before
    expect(measure_cell(page, kim.pk, "Gross profit to date")).to_contain_text("80 % of 15,000 EUR")
    expect(measure_cell(page, kim.pk, "Plans meeting the standard")).to_contain_text(
        "100.0 % (1 of 1 accounts)"
    )
    page.goto(f"{base}/quotas/")
    expect(page.get_by_test_id("bookings")).to_have_text("31,500.00")
