"""The contracts engine's acceptance flow in a real browser.

A vendor manager drafts a contract, uploads a draft and a second version of it, submits it; the
legal approver approves; the owner activates it, finds it on the renewal radar, and records a
month's availability below target, which the SLA tab shows as a breach with its credit.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from steward.contracts import services
from steward.contracts.models import ApprovalRule, Contract, DocumentVersion
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import JobRole
from steward.people.tests.factories import PASSWORD, UserFactory
from tests.browser.conftest import PAGE_TIMEOUT_MS, open_menu_entry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Page, base: str, username: str) -> None:
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def pdf(pages: int) -> bytes:
    """A small, real PDF: each draft differs by its number of pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def move(page: Page, label: str, reason: str = "") -> None:
    if reason:
        page.locator("#workflow").get_by_label("Reason").fill(reason)
    page.get_by_role("button", name=f"Move to {label}").click()
    expect(page.get_by_text("Status changed.")).to_be_visible()


def test_a_contract_goes_from_draft_through_approval_to_active_and_onto_the_radar(
    live_server: Any, page: Page
) -> None:
    # given a vendor manager with a vendor, and legal approving every master agreement
    olga = UserFactory(
        username="olga", first_name="Olga", last_name="Berg", roles=[JobRole.VENDOR_MANAGER]
    )
    lena = UserFactory(
        username="lena", first_name="Lena", last_name="Holm", profile__function="legal"
    )
    ApprovalRule.objects.create(
        name="Legal signs masters", function="legal", approver=lena, kinds=["master"]
    )
    organization = OrganizationFactory(
        legal_name="Nordlys Freight AS", display_name="Nordlys Freight", owner=olga
    )
    relationship = RelationshipFactory(organization=organization, owner=olga)
    today = timezone.localdate()
    # A twelve-month term that began ten months ago ends in about two months; with 30 days'
    # notice its deadline falls inside the radar's 90-day window.
    start = today - relativedelta(months=10)
    base = live_server.url
    sign_in(page, base, "olga")

    # when she drafts the contract on the vendor's relationship
    page.goto(f"{base}/contracts/?relationship={relationship.pk}")
    page.get_by_role("link", name="New contract").click()
    page.locator("#id_title").fill("Nordic freight framework")
    page.get_by_label("Kind").select_option(label="Master agreement")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Annual value").fill("120000")
    page.get_by_label("Start date").fill(start.isoformat())
    page.locator("#id_term_months").fill("12")
    page.get_by_label("Notice period").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contract drafted.")).to_be_visible()
    contract = Contract.objects.get(title="Nordic freight framework")
    assert contract.end_date == start + relativedelta(months=12) - dt.timedelta(days=1)

    # and uploads a draft, then a second version of it
    page.get_by_role("tab", name="Documents").click()
    upload = page.locator("#upload")
    upload.get_by_label("Title").fill("Framework draft")
    upload.get_by_label("File").set_input_files(
        {"name": "framework-v1.pdf", "mimeType": "application/pdf", "buffer": pdf(1)}
    )
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="framework-v1.pdf")).to_be_visible()
    page.get_by_text("Add a version").click()
    version_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Upload version")
    )
    version_form.get_by_label("File").set_input_files(
        {"name": "framework-v2.pdf", "mimeType": "application/pdf", "buffer": pdf(2)}
    )
    version_form.get_by_label("Note").fill("Liability capped at the annual value")
    version_form.get_by_role("button", name="Upload version").click()

    # then both versions are listed, the first one kept as it was
    expect(page.get_by_role("link", name="framework-v2.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="framework-v1.pdf")).to_be_visible()
    versions = list(DocumentVersion.objects.filter(document__contract=contract).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].original_name == "framework-v1.pdf"
    assert versions[0].sha256 != versions[1].sha256
    with versions[0].file.open("rb") as kept:
        assert kept.read() == pdf(1)

    # when she negotiates and submits it for approval
    move(page, "in negotiation")
    move(page, "pending approval")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending approval")

    # and legal approves
    sign_in(page, base, "lena")
    page.goto(f"{base}{contract.get_absolute_url()}?tab=approvals")
    page.get_by_label("Decision").select_option(label="Approve")
    page.get_by_label("Comment").fill("Liability clause is acceptable.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    # then the owner can make it active
    sign_in(page, base, "olga")
    page.goto(f"{base}{contract.get_absolute_url()}")
    move(page, "active")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")

    # and the renewal radar shows it with its notice deadline
    open_menu_entry(page, "Contracts")
    page.get_by_role("link", name="Renewal radar").click()
    row = page.get_by_role("row").filter(has_text="Nordic freight framework")
    expect(row).to_be_visible()
    contract.refresh_from_db()
    assert contract.notice_deadline is not None
    expect(row).to_contain_text(contract.notice_deadline.isoformat())
    expect(row).to_contain_text("no decision")

    # when availability last month falls short of its target
    level = services.service_level_add(
        actor=olga,
        contract=contract,
        name="Availability",
        metric="availability",
        unit="%",
        target=Decimal("99.9"),
        direction="at_least",
        credit_tiers=[
            {"shortfall_from": "0.1", "credit_percent": "5"},
            {"shortfall_from": "0.5", "credit_percent": "10"},
        ],
        cap_percent=Decimal("15"),
        period_fee=Decimal("10000"),
    )
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    page.goto(f"{base}{contract.get_absolute_url()}?tab=slas")
    measurement = page.locator("form").filter(has=page.get_by_role("button", name="Record"))
    measurement.get_by_label("Service level").select_option(value=str(level.pk))
    measurement.get_by_label("Measured on").fill(last_month.isoformat())
    measurement.get_by_label("Value").fill("99.2")
    measurement.get_by_role("button", name="Record").click()

    # then the tab shows the breach and the credit owed: 0.7 points short reaches the 10 % tier
    # of a 10,000 fee
    ledger = page.locator("#credits")
    expect(ledger).to_contain_text("1,000.00")
    expect(ledger).to_contain_text("Owed")
    expect(page.get_by_role("button", name="Mark claimed")).to_be_visible()
