"""The savings pages: the register with totals and exports, an initiative with its chart, the
levers, and TCO comparisons with their vendors side by side."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.savings.tests.factories import (
    SavingsInitiativeFactory,
    TcoComparisonFactory,
    TcoOptionFactory,
    month_ago,
)
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def delivered(cast: Cast) -> Any:
    vendor = SupplierFactory(relationship=cast.rel_a)
    store(
        [
            Line(vendor, month_ago(2, day=4), D("900"), quantity=D(100), key=501),
            Line(vendor, month_ago(1, day=4), D("450"), quantity=D(50), key=502),
        ]
    )
    return SavingsInitiativeFactory(
        owner=cast.owner,
        title="Fasteners =cheaper",
        status=SavingsStatus.DELIVERED,
        supplier=vendor,
        baseline_method=BaselineMethod.UNIT_PRICE,
        baseline_unit_price=D("10"),
        baseline_annual_spend=D("12000"),
        estimated_annual_savings=D("1000"),
        negotiated_annual_savings=D("1200"),
        effective_date=month_ago(2),
    )


def test_register_shows_totals_and_realized(cast: Cast, delivered: SavingsInitiative) -> None:
    SavingsInitiativeFactory(
        owner=cast.owner, status=SavingsStatus.CANCELLED, baseline_annual_spend=D("99999")
    )
    response = web_client(cast.owner).get(reverse("savings:initiative-list"))
    assert response.status_code == 200
    totals = response.context["totals"]
    # 10 x 150 - 1,350 realized; the cancelled initiative counts in no total
    assert (totals.initiatives, totals.baseline, totals.negotiated, totals.realized) == (
        1,
        D("12000"),
        D("1200"),
        D("150.00"),
    )
    assert "150.00" in response.content.decode()
    filtered = web_client(cast.owner).get(
        reverse("savings:initiative-list"), {"status": "cancelled"}
    )
    assert [row.status for row in filtered.context["rows"]] == ["cancelled"]


def test_register_page_reads_a_fixed_number_of_queries(cast: Cast, delivered: Any) -> None:
    client = web_client(cast.owner)
    url = reverse("savings:initiative-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        SavingsInitiativeFactory(
            owner=cast.owner,
            status=SavingsStatus.IN_PROGRESS,
            supplier=delivered.supplier,
            baseline_annual_spend=D(100),
            effective_date=month_ago(3),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_register_export(cast: Cast, delivered: SavingsInitiative, file_format: str) -> None:
    response = web_client(cast.owner).get(
        reverse("savings:initiative-list"), {"export": file_format}
    )
    assert response.status_code == 200
    if file_format == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert len(rows) == 1
    assert rows[0]["Title"] == "Fasteners =cheaper"
    assert D(str(rows[0]["Realized savings"])) == D("150.00")
    assert D(str(rows[0]["Negotiated annual savings"])) == D("1200")


def test_export_neutralizes_formulas(cast: Cast) -> None:
    SavingsInitiativeFactory(owner=cast.owner, title="=HYPERLINK(1)")
    response = web_client(cast.owner).get(reverse("savings:initiative-list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_initiative_page_draws_the_realized_chart(cast: Cast, delivered: Any) -> None:
    response = web_client(cast.owner).get(delivered.get_absolute_url())
    assert response.status_code == 200
    assert response.context["chart"]["id"] == "realized-savings"
    assert response.context["realized"].realized == D("150.00")
    assert len(response.context["rows"]) == 2
    assert ("delivered", "Delivered") not in response.context["moves"]


def test_create_and_edit_through_the_form(cast: Cast) -> None:
    vendor = SupplierFactory(relationship=cast.rel_a)
    client = web_client(cast.owner)
    response = client.post(
        reverse("savings:initiative-create"),
        {
            "title": "Pallets",
            "kind": SavingsKind.SOURCING_AWARD,
            "supplier": vendor.pk,
            "baseline_method": BaselineMethod.ANNUAL_SPEND,
            "baseline_annual_spend": "5000",
        },
    )
    initiative = SavingsInitiative.objects.get()
    assert response.status_code == 302
    assert response.url == initiative.get_absolute_url()
    assert (initiative.owner, initiative.supplier) == (cast.owner, vendor)
    edit = reverse("savings:initiative-edit", args=[initiative.pk])
    assert client.get(edit).context["form"].initial["title"] == "Pallets"
    refused = client.post(
        edit,
        {
            "title": "Pallets",
            "kind": SavingsKind.SOURCING_AWARD,
            "baseline_method": BaselineMethod.UNIT_PRICE,
            "baseline_unit_price": "0",
            "version": initiative.version,
        },
    )
    assert refused.status_code == 200
    assert "baseline_unit_price" in refused.context["form"].errors
    initiative.refresh_from_db()
    assert initiative.version == 1


def test_a_refused_move_is_shown_on_the_page(cast: Cast) -> None:
    initiative = SavingsInitiativeFactory(owner=cast.owner)
    response = web_client(cast.owner).post(
        reverse("savings:initiative-transition", args=[initiative.pk]),
        {"to_status": SavingsStatus.IN_PROGRESS},
    )
    assert response.status_code == 400
    assert "effective date" in response.content.decode()


def test_archive_and_restore_on_the_page(cast: Cast) -> None:
    initiative = SavingsInitiativeFactory(owner=cast.owner)
    client = web_client(cast.owner)
    archive = client.post(reverse("savings:initiative-archive", args=[initiative.pk]))
    assert archive.url == reverse("savings:initiative-list")
    initiative.refresh_from_db()
    assert initiative.is_archived
    client.post(reverse("savings:initiative-restore", args=[initiative.pk]))
    initiative.refresh_from_db()
    assert not initiative.is_archived


def test_levers_page_and_taking_one_up(cast: Cast) -> None:
    vendor = SupplierFactory(relationship=cast.rel_a)
    store([Line(vendor, month_ago(n, day=8), D("2000"), key=600 + n) for n in range(1, 13)])
    client = web_client(cast.owner)
    page = client.get(reverse("savings:levers"))
    assert page.status_code == 200
    sections = {section["kind"]: section for section in page.context["sections"]}
    (lever,) = sections["volume_commitment"]["levers"]
    assert lever.supplier_id == vendor.pk
    assert "Make an initiative" in page.content.decode()
    taken = client.post(reverse("savings:lever-take-up"), {"key": lever.key})
    initiative = SavingsInitiative.objects.get(lever_key=lever.key)
    assert taken.url == initiative.get_absolute_url()
    again = client.get(reverse("savings:levers"))
    (lever,) = {s["kind"]: s for s in again.context["sections"]}["volume_commitment"]["levers"]
    assert lever.initiative_id == initiative.pk


def test_a_comparison_from_start_to_chart(cast: Cast) -> None:
    client = web_client(cast.owner)
    steel = CategoryFactory()
    created = client.post(
        reverse("savings:tco-create"),
        {
            "title": "Steel coil",
            "category": steel.pk,
            "annual_quantity": "1000",
            "horizon_years": 3,
        },
    )
    comparison = TcoComparison.objects.get()
    assert created.url == comparison.get_absolute_url()
    cheap = SupplierFactory(relationship=cast.rel_a)
    store([Line(cheap, month_ago(1, day=2), D("900"), category=steel, quantity=D(100), key=701)])
    added = client.post(
        reverse("savings:tco-option-create", args=[comparison.pk]),
        {"supplier": cheap.pk, "rejection_rate_pct": "10", "cost_per_rejection": "40"},
    )
    assert added.status_code == 302
    option = TcoOption.objects.get()
    assert option.unit_price == D("9.0000")
    assert "unit_price" in option.defaults
    steady = SupplierFactory(relationship__owner=cast.owner)
    client.post(
        reverse("savings:tco-option-create", args=[comparison.pk]),
        {"supplier": steady.pk, "unit_price": "10"},
    )
    page = client.get(comparison.get_absolute_url())
    assert page.status_code == 200
    assert page.context["chart"]["id"] == "tco-components"
    columns = {column["option"].supplier_id: column for column in page.context["columns"]}
    # The cheaper price loses on quality: 27,000 + 300 rejections x 40 = 39,000 against 30,000
    assert columns[cheap.pk]["lowest_price"]
    assert columns[steady.pk]["lowest_tco"]
    assert not columns[cheap.pk]["lowest_tco"]
    html = page.content.decode()
    assert "suggested" in html
    assert "Average paid" in html
    edit = client.post(
        reverse("savings:tco-option-edit", args=[option.pk]),
        {"unit_price": "8.5", "version": option.version},
    )
    assert edit.status_code == 302
    option.refresh_from_db()
    assert option.unit_price == D("8.5")
    assert "unit_price" not in option.defaults
    client.post(reverse("savings:tco-option-archive", args=[option.pk]))
    option.refresh_from_db()
    assert option.is_archived


def test_adding_a_vendor_without_a_price_says_so(cast: Cast) -> None:
    comparison = TcoComparisonFactory(owner=cast.owner)
    vendor = SupplierFactory(relationship=cast.rel_a)
    response = web_client(cast.owner).post(
        reverse("savings:tco-option-create", args=[comparison.pk]), {"supplier": vendor.pk}
    )
    assert response.status_code == 200
    assert "type the unit price" in response.context["form"].errors["unit_price"][0]


def test_tco_list_and_export(cast: Cast) -> None:
    TcoOptionFactory(comparison=TcoComparisonFactory(owner=cast.owner, title="Paint"))
    client = web_client(cast.owner)
    listing = client.get(reverse("savings:tco-list"))
    assert [row.title for row in listing.context["rows"]] == ["Paint"]
    export = client.get(reverse("savings:tco-list"), {"export": "csv"})
    assert "Paint" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_history_pages_swap_in_alone(cast: Cast) -> None:
    initiative = SavingsInitiativeFactory(owner=cast.owner)
    client = web_client(cast.owner)
    for number in range(25):
        initiative.notes = f"note {number}"
        initiative.version += 1
        initiative.save()
    page = client.get(initiative.get_absolute_url())
    assert page.context["history_has_next"]
    older = client.get(
        initiative.get_absolute_url(), {"tab": "history", "history_page": 2}, HTTP_HX_REQUEST="true"
    )
    html = older.content.decode()
    assert "history-heading" in html
    assert "<html" not in html


def test_the_menu_leads_to_the_register(cast: Cast) -> None:
    response = web_client(cast.owner).get(reverse("savings:levers"))
    entries = {entry.url_name: entry for entry in response.context["nav_entries"]}
    assert entries["savings:initiative-list"].section == "supply"
    assert response.context["nav_active"] == "savings:initiative-list"
    portal = web_client(cast.portal_a).get(reverse("home"))
    assert "savings:initiative-list" not in {e.url_name for e in portal.context["nav_entries"]}
