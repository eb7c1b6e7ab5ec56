"""Electronic sourcing in a real browser: a buyer posts a request for quotation to two
prequalified vendors, both bid in the portal (one revises), the event closes, the buyer compares
the bids and proposes the award, a colleague approves it, the winner confirms it in the portal,
and a draft contract appears on the award."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.awards.models import Award
from steward.bidding.models import Bid
from steward.contracts.choices import ContractStatus
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.status import close_due_events
from steward.sourcing.tests.factories import prequalified_vendor
from steward.suppliers.tests.factories import CategoryFactory
from tests.browser.conftest import open_menu_entry
from tests.browser.test_assessment_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def vendor(owner: Any, category: Any, name: str, portal_user: str) -> None:
    organization = OrganizationFactory(legal_name=f"{name} GmbH", display_name=name, owner=owner)
    prequalified_vendor(
        category, relationship=RelationshipFactory(organization=organization, owner=owner)
    )
    UserFactory(
        username=portal_user,
        first_name=portal_user.title(),
        last_name="Bidder",
        profile__organization=organization,
    )


def bid(page: Page, base: str, user: str, prices: list[str], button: str) -> None:
    sign_in(page, base, user)
    page.goto(f"{base}/portal/bids/")
    page.get_by_role("link", name="Die-cast housings 2027").click()
    for number, price in enumerate(prices, start=1):
        row = page.locator(f"#line-{number}")
        row.get_by_label(f"Unit price, line {number}").fill(price)
        row.get_by_label(f"Lead time, line {number}").fill("30")
    page.get_by_role("button", name=button).click()
    expect(page.locator("#versions")).to_be_visible()


def test_an_rfq_is_bid_on_in_the_portal_compared_awarded_and_a_contract_drafted(
    live_server: Any, page: Page
) -> None:
    buyer = UserFactory(
        username="pia",
        first_name="Pia",
        last_name="Sund",
        roles=[JobRole.VENDOR_MANAGER],
        profile__function=Function.PROCUREMENT,
    )
    UserFactory(
        username="hugo",
        first_name="Hugo",
        last_name="Brandt",
        profile__function=Function.PROCUREMENT,
    )
    castings = CategoryFactory(code="castings", name="Castings")
    vendor(buyer, castings, "Alu Form", "ana")
    vendor(buyer, castings, "Bergguss", "ben")
    base = live_server.url
    closes = timezone.localtime() + dt.timedelta(days=7)

    # the buyer posts the RFQ to the prequalified vendors
    sign_in(page, base, "pia")
    open_menu_entry(page, "Sourcing")
    page.get_by_role("link", name="New event").click()
    page.locator("#id_title").fill("Die-cast housings 2027")
    page.locator("#id_category").select_option(label="Castings")
    page.locator("#id_currency").fill("EUR")
    page.locator("#id_closes_at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Die-cast housings 2027")
    for description, quantity, target in (
        ("Gearbox housing", "2000", "14.50"),
        ("Cover plate", "2000", "3.20"),
    ):
        page.get_by_text("Add a line").click()
        page.locator("#id_line-description").fill(description)
        page.locator("#id_line-quantity").fill(quantity)
        page.locator("#id_line-target_unit_price").fill(target)
        page.get_by_role("button", name="Add line").click()
        expect(page.locator("td", has_text=description)).to_be_visible()
    page.get_by_role("link", name="Invite vendors").first.click()
    for name in ("Alu Form", "Bergguss"):
        page.locator("[data-testid=eligible] li").filter(has_text=name).get_by_role(
            "button", name="Invite"
        ).click()
    page.goto(f"{base}{SourcingEvent.objects.get().get_absolute_url()}")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Die-cast housings 2027")
    event = SourcingEvent.objects.get()
    assert event.status == "open"

    # two vendors bid in the portal; Alu Form revises its bid
    bid(page, base, "ana", ["15.10", "3.40"], "Submit bid")
    bid(page, base, "ben", ["14.20", "3.10"], "Submit bid")
    bid(page, base, "ana", ["13.90", "3.00"], "Submit version 2")
    assert (
        Bid.objects.filter(
            invitation__supplier__relationship__organization__display_name="Alu Form"
        ).count()
        == 2
    )

    # before the closing time the buyer sees that bids came in, not what they are
    sign_in(page, base, "pia")
    page.goto(f"{base}{event.get_absolute_url()}")
    expect(page.locator("strong", has_text="Sealed until")).to_be_visible()
    expect(page.get_by_text("13.90")).to_have_count(0)

    # the closing time comes (moved to this moment, after every bid) and the closing job runs
    SourcingEvent.objects.filter(pk=event.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), closes_at=timezone.now()
    )
    assert close_due_events() == 1

    # the buyer compares and proposes the award to the lowest cost of ownership
    page.goto(f"{base}/awards/events/{event.pk}/")
    expect(page.get_by_text("13.9000 EUR")).to_be_visible()
    page.get_by_label("Vendor for every line").select_option(index=1)
    page.get_by_label("Rationale").fill("Lowest cost of ownership on both lines.")
    page.get_by_role("button", name="Propose the award").click()
    expect(page.get_by_text("Approve the award")).to_have_count(0)  # never the proposer

    # a colleague in procurement approves it
    sign_in(page, base, "hugo")
    page.goto(f"{base}/awards/events/{event.pk}/")
    page.get_by_role("button", name="Approve the award").click()
    award = Award.objects.get()
    assert award.invitation.supplier.relationship.organization.display_name == "Alu Form"
    assert award.status == "awaiting_confirmation"

    # the winner confirms in the portal, and the award drafts the contract
    sign_in(page, base, "ana")
    page.goto(f"{base}/portal/awards/")
    page.get_by_role("link", name="Die-cast housings 2027").first.click()
    page.get_by_role("button", name="Confirm the award").click()
    award.refresh_from_db()
    assert award.status == "confirmed"
    assert award.contract is not None
    assert award.contract.status == ContractStatus.DRAFT
    assert award.total == Decimal("33800.00")  # 2000 x 13.90 + 2000 x 3.00

    sign_in(page, base, "pia")
    page.goto(f"{base}{award.get_absolute_url()}")
    expect(page.get_by_role("link", name=award.contract.title)).to_be_visible()
