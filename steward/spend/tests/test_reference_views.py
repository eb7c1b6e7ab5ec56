"""The pages of the spend reference data: finance does everything, a vendor manager reads and is
refused every change (403), portal users are refused the pages, bad input is shown next to its
field and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendSource,
    VendorAlias,
)
from steward.spend.services import reference as services
from steward.spend.tests.factories import SpendImportFactory
from steward.spend.tests.test_reference_world import (
    Reference,
    World,
    build_reference,
    build_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


@pytest.fixture
def reference(world: World) -> Reference:
    return build_reference(world)


# Each list and what only those who may change its rows see on it.
LISTS = {
    "spend:source-list": 'href="/spend/sources/new/"',
    "spend:rule-list": "Archive<span",
    "spend:rate-list": 'href="/spend/rates/import/"',
    "spend:cost-center-list": "Archive<span",
    "spend:alias-list": "Archive<span",
}
CREATE_PAGES = (
    "spend:source-create",
    "spend:rule-create",
    "spend:rate-create",
    "spend:rate-import",
    "spend:cost-center-create",
)


def change_posts(ref: Reference) -> list[tuple[str, list[int], dict[str, Any]]]:
    """Every change a page offers, as (url name, args, POST data)."""
    return [
        ("spend:source-create", [], {"name": "New ERP", "kind": "invoice"}),
        ("spend:source-edit", [ref.source.pk], {"name": "Renamed", "kind": "card", "version": 1}),
        ("spend:source-archive", [ref.source.pk], {"version": 1}),
        ("spend:rule-create", [], {"field": "description", "match": "contains", "pattern": "x"}),
        ("spend:rule-edit", [ref.rule.pk], {"field": "gl_account", "pattern": "7", "version": 1}),
        ("spend:rule-archive", [ref.rule.pk], {}),
        ("spend:rate-create", [], {"currency": "CHF", "rate_date": "2026-01-01", "rate": "1"}),
        ("spend:rate-edit", [ref.rate.pk], {"currency": "USD", "rate_date": "2026-01-01"}),
        ("spend:rate-archive", [ref.rate.pk], {}),
        ("spend:cost-center-create", [], {"code": "CC9", "name": "Nine"}),
        ("spend:cost-center-edit", [ref.cost_center.pk], {"name": "Renamed", "version": 1}),
        ("spend:cost-center-archive", [ref.cost_center.pk], {}),
        ("spend:alias-archive", [ref.alias.pk], {}),
        ("spend:alias-confirm", [], {"raw_name": "Someone", "supplier": ref.alias.supplier_id}),
    ]


def snapshot() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (SpendSource, CategoryRule, ExchangeRate, CostCenter, VendorAlias)
    ]


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_every_inside_user_reads_the_lists_but_only_finance_sees_change_controls(
    world: World, reference: Reference, name: str
) -> None:
    finance_page = web_client(world.finance).get(reverse(name)).content.decode()
    manager = web_client(world.cast.owner).get(reverse(name))
    assert manager.status_code == 200
    page = manager.content.decode()
    assert 'data-testid="spend-reference-nav"' in page
    assert LISTS[name] in finance_page
    assert LISTS[name] not in page
    assert "Archive<span" not in page


def test_the_lists_show_their_rows_filtered(world: World, reference: Reference) -> None:
    client = web_client(world.cast.owner)
    assert "SAP invoices" in client.get(reverse("spend:source-list")).content.decode()
    assert "6200" in client.get(reverse("spend:rule-list")).content.decode()
    assert "Aurora Metals Handels" in client.get(reverse("spend:alias-list")).content.decode()
    rates = client.get(reverse("spend:rate-list"), {"currency": "usd"}).content.decode()
    assert "0.92" in rates
    none = client.get(reverse("spend:rate-list"), {"currency": "GBP"}).content.decode()
    assert "No exchange rates to show" in none
    bad = client.get(reverse("spend:rate-list"), {"date_from": "yesterday"}).content.decode()
    assert "Enter a valid date" in bad
    cost_centers = client.get(reverse("spend:cost-center-list"), {"q": "oper"}).content.decode()
    assert "CC100" in cost_centers


def test_a_source_page_shows_its_mapping_and_history(world: World, reference: Reference) -> None:
    url = reverse("spend:source-detail", args=[reference.source.pk])
    page = web_client(world.cast.owner).get(url).content.decode()
    assert "the file's headers are the field names" in page
    history = web_client(world.cast.owner).get(url, {"tab": "history"}).content.decode()
    assert "History" in history


@pytest.mark.parametrize("name", [*LISTS, "spend:import-list"])
def test_a_list_page_reads_in_as_many_queries_for_many_rows_as_for_one(
    world: World, reference: Reference, name: str
) -> None:
    client = web_client(world.finance)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    SpendImportFactory(created_by=world.finance, source=reference.source)
    one = queries()
    services.category_rule_create(
        actor=world.finance, field="vendor", supplier=world.borealis, category=world.category
    )
    for number in range(5):
        services.category_rule_create(
            actor=world.finance, field="description", pattern=f"p{number}", category=world.category
        )
        services.exchange_rate_create(
            actor=world.finance,
            currency="GBP",
            rate_date=dt.date(2026, 1, 1 + number),
            rate=Decimal(1),
        )
        services.cost_center_create(actor=world.finance, code=f"C{number}", name="Center")
        services.vendor_alias_confirm(
            actor=world.finance, raw_name=f"Alias {number}", supplier=world.borealis
        )
        services.spend_source_create(actor=world.finance, name=f"Source {number}")
        SpendImportFactory(created_by=world.finance, source=reference.source)
    assert queries() == one


def test_exports_of_the_lists(world: World, reference: Reference) -> None:
    response = web_client(world.finance).get(reverse("spend:rate-list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.lstrip("\ufeff").startswith("currency,date,rate")
    assert "USD,2026-01-01" in body


# --- changing -----------------------------------------------------------------------------------


def test_a_vendor_manager_is_refused_every_change(world: World, reference: Reference) -> None:
    client = web_client(world.cast.owner)
    for name in CREATE_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    before = snapshot()
    for name, args, data in change_posts(reference):
        response = client.post(reverse(name, args=args), data)
        assert response.status_code == 403, name
    assert snapshot() == before


def test_portal_users_are_refused_the_pages(world: World, reference: Reference) -> None:
    client = web_client(world.cast.portal_a)
    for name in (*LISTS, *CREATE_PAGES):
        assert client.get(reverse(name)).status_code == 403, name
    detail = reverse("spend:source-detail", args=[reference.source.pk])
    assert client.get(detail).status_code == 403
    prices = reverse("spend:contract-prices", args=[world.contract_a.pk])
    assert client.get(prices).status_code == 403


def test_finance_creates_edits_archives_and_restores(world: World, reference: Reference) -> None:
    client = web_client(world.finance)
    for name in CREATE_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    # a source with its mapping, one input per field
    response = client.post(
        reverse("spend:source-create"),
        {
            "name": "Cards",
            "kind": "card",
            "default_currency": "usd",
            "column_date": "Booked",
            "column_amount": "Amount",
            "column_vendor_name": "Merchant",
        },
    )
    source = SpendSource.objects.get(name="Cards")
    assert response["Location"] == reverse("spend:source-detail", args=[source.pk])
    assert source.mapping == {"date": "Booked", "amount": "Amount", "vendor_name": "Merchant"}
    assert source.default_currency == "USD"
    edit = reverse("spend:source-edit", args=[source.pk])
    assert 'value="Merchant"' in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "name": "Cards",
            "kind": "card",
            "version": 1,
            "column_date": "Booked",
            "column_amount": "Amount",
            "column_vendor_tax_id": "VAT",
        },
    )
    source.refresh_from_db()
    assert source.mapping == {"date": "Booked", "amount": "Amount", "vendor_tax_id": "VAT"}
    # a rule, a rate, a cost center
    client.post(
        reverse("spend:rule-create"),
        {
            "field": "vendor",
            "match": "equals",
            "supplier": world.aurora.pk,
            "category": world.category.pk,
            "priority": 50,
        },
    )
    assert CategoryRule.objects.filter(field="vendor", supplier=world.aurora).exists()
    client.post(
        reverse("spend:rate-create"), {"currency": "chf", "rate_date": "2026-01-01", "rate": "1.05"}
    )
    assert ExchangeRate.objects.filter(currency="CHF").exists()
    client.post(reverse("spend:cost-center-create"), {"code": "CC200", "name": "Sales"})
    client.post(
        reverse("spend:cost-center-edit", args=[reference.cost_center.pk]),
        {"name": "Operations EMEA", "version": 1},
    )
    reference.cost_center.refresh_from_db()
    assert reference.cost_center.name == "Operations EMEA"
    # archive and restore
    archive = reverse("spend:rule-archive", args=[reference.rule.pk])
    assert client.post(archive, {"version": 1})["Location"] == reverse("spend:rule-list")
    reference.rule.refresh_from_db()
    assert reference.rule.is_archived
    client.post(reverse("spend:rule-restore", args=[reference.rule.pk]))
    reference.rule.refresh_from_db()
    assert not reference.rule.is_archived
    client.post(reverse("spend:alias-archive", args=[reference.alias.pk]))
    assert VendorAlias.objects.active().count() == 0


def test_bad_input_is_shown_next_to_its_field_and_writes_nothing(
    world: World, reference: Reference
) -> None:
    client = web_client(world.finance)
    before = snapshot()
    response = client.post(
        reverse("spend:source-create"),
        {
            "name": "Cards",
            "kind": "card",
            "column_date": "Booked",
            "column_amount": "Amount",
            "column_vendor_name": "booked",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["column_vendor_name"]
    assert "each field reads a column of its own" in response.content.decode()
    response = client.post(
        reverse("spend:rate-create"), {"currency": "EUR", "rate_date": "2026-01-01", "rate": "1"}
    )
    assert "base currency" in str(response.context["form"].errors["currency"])
    response = client.post(
        reverse("spend:rule-create"),
        {"field": "vendor", "match": "equals", "category": world.category.pk, "priority": 1},
    )
    assert response.context["form"].errors["supplier"]
    response = client.post(reverse("spend:cost-center-create"), {"code": "cc100", "name": "Again"})
    assert response.context["form"].errors["code"]
    response = client.post(
        reverse("spend:source-edit", args=[reference.source.pk]),
        {"name": "SAP invoices", "kind": "invoice", "version": 7, "date_format": ""},
    )
    assert "changed by someone else" in response.content.decode()
    assert snapshot() == before


def test_a_rates_file_is_imported_from_its_page(world: World) -> None:
    client = web_client(world.finance)
    url = reverse("spend:rate-import")
    good = SimpleUploadedFile("rates.csv", b"currency,date,rate\nUSD,2026-01-01,0.92\n")
    response = client.post(url, {"file": good}, follow=True)
    assert "1 rate added or changed." in response.content.decode()
    again = SimpleUploadedFile("rates.csv", b"currency,date,rate\nUSD,2026-01-01,0.92\n")
    response = client.post(url, {"file": again}, follow=True)
    assert "nothing changed" in response.content.decode()
    bad = SimpleUploadedFile("rates.csv", b"currency,date,rate\nUSD,2026-01-02,0.9\nEUX,x,0\n")
    response = client.post(url, {"file": bad})
    page = response.content.decode()
    assert 'id="row-errors"' in page
    assert "<td>3</td><td>currency</td>" in page
    assert "<td>3</td><td>date</td>" in page
    assert "<td>3</td><td>rate</td>" in page
    assert ExchangeRate.objects.count() == 1


# --- a contract's prices ------------------------------------------------------------------------


def test_finance_prices_any_buy_side_contract(world: World) -> None:
    client = web_client(world.finance)
    url = reverse("spend:contract-prices", args=[world.contract_b.pk])
    assert "Add a price" in client.get(url).content.decode()
    response = client.post(
        url, {"item": "PALLET", "unit_price": "12.5", "valid_from": "2026-01-01"}
    )
    assert response["Location"] == url
    price = ContractPrice.objects.get()
    assert (price.contract, price.currency, price.unit_price) == (
        world.contract_b,
        "EUR",
        Decimal("12.5"),
    )
    assert "PALLET" in client.get(url).content.decode()
    # overlapping the first price is refused on the form
    response = client.post(url, {"item": "pallet", "unit_price": "13"})
    assert response.context["form"].errors["valid_from"]
    # the price moves to another contract from its edit page
    edit = reverse("spend:contract-price-edit", args=[price.pk])
    client.post(
        edit,
        {
            "contract": world.contract_a.pk,
            "item": "PALLET",
            "unit_price": "12.5",
            "currency": "EUR",
            "valid_from": "2026-01-01",
            "version": 1,
        },
    )
    price.refresh_from_db()
    assert price.contract == world.contract_a
    client.post(reverse("spend:contract-price-archive", args=[price.pk]))
    price.refresh_from_db()
    assert price.archived_at is not None
    sell = reverse("spend:contract-prices", args=[world.sell_contract.pk])
    assert client.get(sell).status_code == 404


def test_a_contracts_prices_follow_the_contract(world: World, reference: Reference) -> None:
    cast = world.cast
    own = reverse("spend:contract-prices", args=[world.contract_a.pk])
    # the owner of the contract reads and prices it
    owner = web_client(cast.owner)
    assert "BOLT-M8" in owner.get(own).content.decode()
    owner.post(own, {"item": "NUT-M8", "unit_price": "0.05", "valid_to": "2026-12-31"})
    assert ContractPrice.objects.filter(item="NUT-M8", valid_to=dt.date(2026, 12, 31)).exists()
    # another vendor manager does not even see the contract
    assert web_client(cast.outsider).get(own).status_code == 404
    # an auditor reads, without the form, and may not add
    auditor = web_client(cast.auditor)
    page = auditor.get(own).content.decode()
    assert "BOLT-M8" in page
    assert "Add a price" not in page
    assert auditor.post(own, {"item": "X", "unit_price": "1"}).status_code == 403
    edit = reverse("spend:contract-price-edit", args=[reference.price.pk])
    assert web_client(cast.outsider).get(edit).status_code == 404
    assert auditor.get(edit).status_code == 403
