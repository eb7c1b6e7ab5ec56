"""Spend analysis's acceptance flow in a real browser.

A finance user imports a file of invoice lines through a new source; one row has an amount that
is not a number, so the import is refused, nothing is written and the page names the row and the
field. The user fixes the file and imports it again through the same source: its lines are
added. The Pareto page then draws its chart, and the maverick page lists the vendor paid without
a contract.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from steward.contracts import services as contract_services
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendImport, SpendLine, SpendSource
from steward.spend.money import month_add, month_of, month_start
from steward.suppliers.tests.factories import SupplierFactory
from tests.browser.test_contract_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = "date,amount,currency,vendor_name,contract,reference,description"


def _day(months_back: int, day: int) -> str:
    """A day ``months_back`` whole months before this one: inside the pages' default period
    (the last twelve whole months)."""
    month = month_add(month_of(timezone.localdate()), -months_back)
    return month_start(month).replace(day=day).isoformat()


def _file(second_amount: str) -> bytes:
    rows = [
        HEADER,
        f"{_day(3, 4)},18250.00,EUR,Harbor Freight Lines,HF-MSA,INV-1001,Ocean freight",
        f"{_day(2, 9)},{second_amount},EUR,Harbor Freight Lines,HF-MSA,INV-1002,Ocean freight",
        f"{_day(2, 17)},4310.50,EUR,Nordic Office Supply,,INV-2001,Paper and toner",
        f"{_day(1, 6)},2790.25,EUR,Nordic Office Supply,,INV-2002,Desk chairs",
    ]
    return ("\n".join(rows) + "\n").encode()


def _upload(page: Page, content: bytes) -> None:
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "invoices.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Import").click()


def test_finance_imports_a_file_fixes_a_bad_row_and_sees_pareto_and_maverick_spend(
    live_server: Any, page: Page, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    UserFactory(username="finance.flow", profile__function=Function.FINANCE)
    owner = UserFactory(username="vm.spend", roles=[JobRole.VENDOR_MANAGER])
    harbor = SupplierFactory(
        relationship=RelationshipFactory(
            organization=OrganizationFactory(
                legal_name="Harbor Freight Lines", display_name="Harbor Freight Lines"
            ),
            owner=owner,
        )
    )
    SupplierFactory(
        relationship=RelationshipFactory(
            organization=OrganizationFactory(
                legal_name="Nordic Office Supply", display_name="Nordic Office Supply"
            ),
            owner=owner,
        )
    )
    contract_services.contract_create(
        actor=owner,
        relationship=harbor.relationship,
        title="Ocean freight master agreement",
        kind="master",
        reference="HF-MSA",
        start_date=dt.date(timezone.localdate().year - 1, 1, 1),
        term_months=36,
        annual_value=Decimal(250_000),
    )

    # Given a finance user on the import page, describing a new source for the file
    sign_in(page, base, "finance.flow")
    page.goto(f"{base}/spend/imports/new/")
    page.get_by_text("Describe a new source").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Harbor ERP invoices")

    # When the file has an amount that is not a number in its third row
    _upload(page, _file(second_amount="twelve hundred"))

    # Then the import is refused, nothing is written, and the page names the row and the field
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", ImportStatus.REFUSED)
    expect(page.get_by_test_id("import-refused")).to_contain_text("Nothing was imported")
    problem = page.locator("#import-errors tbody tr").filter(has_text="amount")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").nth(0)).to_have_text("3")
    expect(problem.locator("td").nth(1)).to_have_text("amount")
    assert not SpendLine.objects.exists()

    # When the fixed file is imported again through the same source
    source = SpendSource.objects.get(name="Harbor ERP invoices")
    page.goto(f"{base}/spend/imports/new/")
    page.get_by_label("Source").select_option(str(source.pk))
    _upload(page, _file(second_amount="1200.00"))

    # Then its four lines are added (the page follows the import until it is done)
    expect(status).to_have_attribute("data-status", ImportStatus.DONE)
    expect(page.get_by_test_id("import-done")).to_contain_text("4 lines added")
    assert SpendImport.objects.filter(status=ImportStatus.DONE).count() == 1
    assert SpendLine.objects.count() == 4

    # And the Pareto page draws its chart of the two vendors
    page.goto(f"{base}/spend/pareto/")
    chart = page.locator("[data-chart]").first
    expect(chart).to_have_attribute("data-chart-state", "drawn")
    expect(chart.locator(".main-svg").first).to_be_visible()
    pareto = page.get_by_test_id("pareto-table")
    expect(pareto.get_by_role("rowheader", name="Harbor Freight Lines")).to_be_visible()
    expect(pareto.get_by_role("rowheader", name="Nordic Office Supply")).to_be_visible()

    # And the maverick page lists the vendor paid without a contract, and not the other
    page.goto(f"{base}/spend/maverick/")
    maverick = page.get_by_test_id("maverick-vendors-table")
    expect(maverick.get_by_role("rowheader", name="Nordic Office Supply")).to_be_visible()
    expect(maverick).to_contain_text("7,100.75")
    expect(maverick.get_by_role("rowheader", name="Harbor Freight Lines")).to_have_count(0)
