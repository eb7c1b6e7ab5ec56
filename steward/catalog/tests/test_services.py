"""Catalog writes: only administrators, clear refusals, imports all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from steward.catalog import services
from steward.catalog.models import Product
from steward.catalog.tests.factories import (
    BundleFactory,
    BundleItemFactory,
    ProductFactory,
    ProductFamilyFactory,
)
from steward.core.errors import DomainError
from steward.core.tabular import ImportRefused

pytestmark = pytest.mark.django_db
HEADER = "SKU,name,family code,kind,unit,currency,list price,standard cost,recurring\n"


def _csv(body: str, name: str = "products.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode(), content_type="text/csv")


def test_only_administrators_add_products(cast) -> None:
    family = ProductFamilyFactory()
    with pytest.raises(PermissionDenied):
        services.product_create(
            actor=cast.owner, family=family, sku="A-1", name="A", list_price=1, standard_cost=0
        )
    product = services.product_create(
        actor=cast.admin,
        family=family,
        sku=" a-1 ",
        name="Pallet wrap",
        list_price=Decimal("12.50"),
        standard_cost=Decimal("7.50"),
        currency="eur",
    )
    assert (product.sku, product.currency, product.margin) == ("A-1", "EUR", Decimal("5.00"))
    assert product.margin_percent == Decimal(40)


def test_a_sku_is_unique_among_current_products(cast) -> None:
    ProductFactory(sku="DUP-1")
    with pytest.raises(DomainError) as refused:
        services.product_create(
            actor=cast.admin,
            family=ProductFamilyFactory(),
            sku="dup-1",
            name="Again",
            list_price=1,
            standard_cost=1,
        )
    assert (refused.value.code, refused.value.field) == ("duplicate", "sku")


def test_bad_amounts_and_currency_name_their_field(cast) -> None:
    family = ProductFamilyFactory()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"list_price": Decimal(-1)}, "list_price"),
        ({"standard_cost": Decimal(-1)}, "standard_cost"),
        ({"currency": "XXQ"}, "currency"),
    ]
    for change, field in cases:
        values: dict[str, Any] = {
            "list_price": Decimal(1),
            "standard_cost": Decimal(1),
            "currency": "EUR",
        }
        values.update(change)
        with pytest.raises(DomainError) as refused:
            services.product_create(
                actor=cast.admin, family=family, sku=f"S-{field}", name="X", **values
            )
        assert refused.value.field == field


def test_a_bundles_items_are_in_its_currency(cast) -> None:
    bundle = BundleFactory(currency="EUR")
    dollar = ProductFactory(currency="USD")
    with pytest.raises(DomainError) as refused:
        services.bundle_item_add(actor=cast.admin, bundle=bundle, product=dollar)
    assert refused.value.code == "item_currency"
    assert "USD" in refused.value.message
    assert "EUR" in refused.value.message
    euro = ProductFactory(currency="EUR")
    services.bundle_item_add(actor=cast.admin, bundle=bundle, product=euro, quantity=Decimal(2))
    # Nor may the bundle move to a currency its items are not in.
    with pytest.raises(DomainError) as moved:
        services.bundle_update(
            actor=cast.admin, bundle=bundle, expected_version=bundle.version, currency="USD"
        )
    assert moved.value.code == "item_currency"


def test_a_family_with_products_is_not_archived(cast) -> None:
    product = ProductFactory()
    with pytest.raises(DomainError) as refused:
        services.catalog_record_archive(actor=cast.admin, record=product.family)
    assert refused.value.code == "in_use"
    BundleItemFactory(product=product)
    with pytest.raises(DomainError):
        services.catalog_record_archive(actor=cast.admin, record=product)


def test_the_import_adds_then_updates_by_sku_and_duplicates_nothing(cast) -> None:
    ProductFamilyFactory(code="PKG")
    body = (
        "P-1,Stretch film,PKG,product,roll,EUR,12.50,7.25,no\n"
        "P-2,Packaging audit,pkg,service,day,EUR,900,450,\n"
        "P-3,Managed packaging,PKG,subscription,month,USD,1500.5,700,yes\n"
    )
    result = services.products_import(actor=cast.admin, upload=_csv(body))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    again = services.products_import(actor=cast.admin, upload=_csv(body))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = body.replace("12.50,7.25", "13.00,7.25")
    third = services.products_import(actor=cast.admin, upload=_csv(changed))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    film = Product.objects.get(sku="P-1")
    assert (film.list_price, film.version) == (Decimal("13.00"), 2)
    assert Product.objects.count() == 3
    recurring = Product.objects.get(sku="P-3")
    assert (recurring.recurring, recurring.kind, recurring.currency) == (
        True,
        "subscription",
        "USD",
    )


def test_the_import_refuses_the_whole_file_naming_row_and_column(cast) -> None:
    ProductFamilyFactory(code="PKG")
    body = (
        "P-1,Stretch film,PKG,product,roll,EUR,12.50,7.25,no\n"
        "P-2,,NOPE,gadget,each,EURO,abc,-1,maybe\n"
        "P-1,Twice,PKG,product,each,EUR,1,1,no\n"
    )
    with pytest.raises(ImportRefused) as refused:
        services.products_import(actor=cast.admin, upload=_csv(body))
    where = [(error.row, error.column) for error in refused.value.errors]
    assert where == [
        (3, "name"),
        (3, "family code"),
        (3, "kind"),
        (3, "currency"),
        (3, "list price"),
        (3, "standard cost"),
        (3, "recurring"),
        (4, "sku"),
    ]
    assert Product.objects.count() == 0  # nothing partial


def test_the_import_reads_xlsx(cast) -> None:
    ProductFamilyFactory(code="SVC")
    book = Workbook()
    sheet = book.active
    sheet.append(["SKU", "Name", "Family code", "Currency", "List price", "Standard cost"])
    sheet.append(["X-1", "Training day", "SVC", "EUR", 1200.0, 400])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("products.xlsx", buffer.getvalue())
    result = services.products_import(actor=cast.admin, upload=upload)
    assert result.created == 1
    product = Product.objects.get(sku="X-1")
    assert (product.list_price, product.kind, product.unit) == (Decimal(1200), "product", "each")


def test_only_administrators_import(cast) -> None:
    with pytest.raises(PermissionDenied):
        services.products_import(actor=cast.owner, upload=_csv("P-1,A,PKG,,,EUR,1,1,no\n"))
