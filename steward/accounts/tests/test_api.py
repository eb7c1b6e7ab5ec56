"""The accounts API: rows follow the account; writes go through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from steward.accounts import services
from steward.accounts.models import WhitespaceCell
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.testing import api_client, api_errors, result_ids

pytestmark = pytest.mark.django_db


def test_profiles_are_created_once_and_patched_with_a_version(cast, world) -> None:
    client = api_client(cast.owner)
    made = client.post(
        "/api/v1/account-profiles/",
        {"relationship": world.account_a.pk, "segment": "enterprise", "wallet": "100.00"},
        format="json",
    )
    assert made.status_code == 201, made.content
    again = client.post(
        "/api/v1/account-profiles/", {"relationship": world.account_a.pk}, format="json"
    )
    assert api_errors(again) == [("non_field_errors", "duplicate")]
    supply = client.post(
        "/api/v1/account-profiles/", {"relationship": cast.rel_a.pk}, format="json"
    )
    assert ("relationship", "not_an_account") in api_errors(supply)
    pk = made.json()["id"]
    patched = client.patch(
        f"/api/v1/account-profiles/{pk}/", {"wallet": "200.00", "version": 1}, format="json"
    )
    assert patched.json()["wallet"] == "200.00"


def test_cells_filter_by_account_and_peers_see_none(cast, world) -> None:
    ProductFamilyFactory()
    services.whitespace_fill(actor=cast.owner, relationship=world.account_a)
    services.whitespace_fill(actor=cast.outsider, relationship=world.account_b)
    mine = set(
        WhitespaceCell.objects.filter(relationship=world.account_a).values_list("pk", flat=True)
    )
    rows = result_ids(
        api_client(cast.manager).get("/api/v1/whitespace-cells/", {"account": world.account_a.pk})
    )
    assert set(rows) == mine
    assert (
        result_ids(
            api_client(cast.outsider).get(
                "/api/v1/whitespace-cells/", {"account": world.account_a.pk}
            )
        )
        == []
    )


def test_a_cell_is_marked_and_penetration_answers(cast, world) -> None:
    ProductFamilyFactory()
    services.whitespace_fill(actor=cast.owner, relationship=world.account_a)
    cell = WhitespaceCell.objects.filter(relationship=world.account_a).first()
    client = api_client(cast.member)
    refused = client.patch(
        f"/api/v1/whitespace-cells/{cell.pk}/",
        {"holder": "competitor", "version": 1},
        format="json",
    )
    assert api_errors(refused) == [("competitor", "required")]
    ok = client.patch(
        f"/api/v1/whitespace-cells/{cell.pk}/",
        {"holder": "us", "current_spend": "10.00", "version": 1},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    figures = client.get(f"/api/v1/accounts/{world.account_a.pk}/penetration/").json()
    assert figures["held"] == 1
    assert figures["eligible"] == 2
    assert figures["percent"] == "50.00"
    assert (
        api_client(cast.outsider)
        .get(f"/api/v1/accounts/{world.account_a.pk}/penetration/")
        .status_code
        == 404
    )
    reviewer = api_client(cast.reviewer).patch(
        f"/api/v1/whitespace-cells/{cell.pk}/", {"holder": "unknown", "version": 2}, format="json"
    )
    assert reviewer.status_code == 403


def test_installed_products_and_buying_units(cast, world) -> None:
    client = api_client(cast.owner)
    unit = client.post(
        "/api/v1/buying-units/",
        {"relationship": world.account_a.pk, "name": "Rolling", "site": cast.site_a_private.pk},
        format="json",
    )
    assert unit.status_code == 201, unit.content
    elsewhere = client.post(
        "/api/v1/buying-units/",
        {"relationship": world.account_a.pk, "name": "B", "site": cast.site_b.pk},
        format="json",
    )
    assert api_errors(elsewhere) == [("site", "not_a_location")]
    product = ProductFactory(currency="EUR")
    row = client.post(
        "/api/v1/installed-products/",
        {
            "relationship": world.account_a.pk,
            "product": product.pk,
            "buying_unit": unit.json()["id"],
            "annual_revenue": "500.00",
        },
        format="json",
    )
    assert row.status_code == 201, row.content
    body = row.json()
    assert (body["annual_cost"], body["site"], body["annual_margin"]) == (
        "60.00",
        cast.site_a_private.pk,
        "440.00",
    )
    assert Decimal(body["quantity"]) == 1
    gone = client.delete(f"/api/v1/installed-products/{body['id']}/")
    assert gone.status_code == 204
