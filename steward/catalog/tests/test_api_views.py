"""The catalog's API and pages: everyone inside reads, administrators write."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.catalog.models import Product
from steward.catalog.tests.factories import (
    BundleFactory,
    BundleItemFactory,
    ProductFactory,
    ProductFamilyFactory,
)
from steward.core.testing import api_client, api_errors, result_ids, web_client

pytestmark = pytest.mark.django_db


def test_products_list_with_margin_and_filters(cast) -> None:
    family = ProductFamilyFactory()
    product = ProductFactory(family=family, sku="F-1", recurring=True)
    ProductFactory(sku="OTHER")
    client = api_client(cast.reviewer)
    assert result_ids(client.get("/api/v1/catalog-products/", {"family": family.pk})) == [
        product.pk
    ]
    row = client.get(f"/api/v1/catalog-products/{product.pk}/").json()
    assert (row["margin"], row["margin_percent"]) == ("40.0000", "40.00")
    assert result_ids(client.get("/api/v1/catalog-products/", {"q": "f-1"})) == [product.pk]
    assert api_client(cast.portal_a).get("/api/v1/catalog-products/").json()["results"] == []


def test_only_administrators_write(cast) -> None:
    family = ProductFamilyFactory()
    body = {
        "family": family.pk,
        "sku": "NEW-1",
        "name": "New",
        "currency": "EUR",
        "list_price": "10",
        "standard_cost": "4",
    }
    assert (
        api_client(cast.owner).post("/api/v1/catalog-products/", body, format="json").status_code
        == 403
    )
    made = api_client(cast.admin).post("/api/v1/catalog-products/", body, format="json")
    assert made.status_code == 201, made.content
    twice = api_client(cast.admin).post("/api/v1/catalog-products/", body, format="json")
    assert api_errors(twice) == [("sku", "duplicate")]


def test_bundle_price_is_the_sum_of_its_items(cast) -> None:
    bundle = BundleFactory()
    BundleItemFactory(bundle=bundle, quantity=2)
    row = api_client(cast.member).get(f"/api/v1/catalog-bundles/{bundle.pk}/").json()
    assert (row["price"], row["effective_price"]) == (None, "200.0000")
    listed = api_client(cast.member).get("/api/v1/catalog-bundles/").json()["results"]
    assert listed[0]["effective_price"] == "200.0000"
    dollar = ProductFactory(currency="USD")
    refused = api_client(cast.admin).post(
        "/api/v1/catalog-bundle-items/", {"bundle": bundle.pk, "product": dollar.pk}, format="json"
    )
    assert api_errors(refused) == [("product", "item_currency")]


def test_the_pages_list_filter_and_export(cast) -> None:
    product = ProductFactory(sku="PAGE-1", name="Stretch film")
    client = web_client(cast.member)
    page = client.get("/catalog/", {"q": "stretch"}).content.decode()
    assert "PAGE-1" in page
    assert "40.0 %" in page
    export = client.get("/catalog/", {"export": "csv"})
    assert "PAGE-1" in b"".join(export.streaming_content).decode()
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get(product.family.get_absolute_url()).status_code == 200
    bundle = BundleItemFactory(product=product).bundle
    assert "sum of the items" in client.get(bundle.get_absolute_url()).content.decode()
    assert client.get("/catalog/families/").status_code == 200
    assert client.get("/catalog/bundles/").status_code == 200
    assert web_client(cast.portal_a).get("/catalog/").status_code == 404


def test_the_import_page_shows_every_error(cast) -> None:
    ProductFamilyFactory(code="PKG")
    client = web_client(cast.admin)
    bad = SimpleUploadedFile(
        "p.csv",
        b"SKU,name,family code,currency,list price,standard cost\nA,,PKG,EUR,x,1\n",
    )
    response = client.post("/catalog/import/", {"file": bad})
    body = response.content.decode()
    assert response.status_code == 400
    assert "row 2, name: is missing" in body
    assert "row 2, list price: is not a number" in body
    good = SimpleUploadedFile(
        "p.csv", b"SKU,name,family code,currency,list price,standard cost\nA,Film,PKG,EUR,2,1\n"
    )
    assert client.post("/catalog/import/", {"file": good}).status_code == 302
    assert Product.objects.filter(sku="A").exists()
    assert web_client(cast.owner).get("/catalog/import/").status_code == 302
