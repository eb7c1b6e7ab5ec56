"""The permission matrix of the catalog app (issue 9): every role of the cast, through the UI and
the API, on its records.

The catalog is reference data (``AccessSpec(administered=True)``): every inside user reads
families, products, bundles and bundle items (the peer ``outsider`` too, and the read-only
auditor); only administrators add, change and archive them; portal users see none of it.
Expectations are written out by hand; each role acts on the same starting state (its writes
are rolled back); a denied write leaves the database untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.catalog.tests.factories import (
    BundleFactory,
    BundleItemFactory,
    ProductFactory,
    ProductFamilyFactory,
)
from steward.parties.tests.cast import ROLES, Cast
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer", "outsider"}
)
ADMINS = frozenset({"admin"})
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    (model, action): (READERS if action in ("list", "detail") else ADMINS)
    for model in ("family", "product", "bundle", "item")
    for action in ("list", "detail", "create", "update", "delete")
}


@dataclass
class Matrix:
    cast: Cast
    family: ProductFamily
    product: Product
    spare: Product
    bundle: Bundle
    item: BundleItem
    empty_family: ProductFamily
    loose_product: Product


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    family = ProductFamilyFactory(code="MXF", name="Matrix family")
    product = ProductFactory(family=family, sku="MX-1", name="Matrix product")
    bundle = BundleFactory(code="MXB", name="Matrix bundle")
    return Matrix(
        cast=cast,
        family=family,
        product=product,
        spare=ProductFactory(family=family, sku="MX-SPARE"),
        bundle=bundle,
        item=BundleItemFactory(bundle=bundle, product=product),
        empty_family=ProductFamilyFactory(code="MXE", name="Empty family"),
        loose_product=ProductFactory(family=family, sku="MX-LOOSE"),
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "family": lambda m: m.family,
    "product": lambda m: m.product,
    "bundle": lambda m: m.bundle,
    "item": lambda m: m.item,
}
API_BASE = {
    "family": "catalog-families",
    "product": "catalog-products",
    "bundle": "catalog-bundles",
    "item": "catalog-bundle-items",
}
MARKERS: dict[str, Callable[[Any], str]] = {
    "family": lambda t: f'id="family-{t.pk}"',
    "product": lambda t: f'id="product-{t.pk}"',
    "bundle": lambda t: f'id="bundle-{t.pk}"',
    "item": lambda t: f'id="item-{t.pk}"',
}


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 302, 403, 404), response.status_code
    body = response.content.decode() if not getattr(response, "streaming", False) else ""
    return Outcome(
        allowed=response.status_code == 200 and marker in body, detail=str(response.status_code)
    )


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        page = {
            "family": "/catalog/families/",
            "product": "/catalog/",
            "bundle": "/catalog/bundles/",
            "item": m.bundle.get_absolute_url(),
        }[model]
        return _shown(client.get(page), MARKERS[model](target))
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        if model == "item":
            return None  # an item is shown on its bundle's page (the list check)
        return _shown(client.get(target.get_absolute_url()), str(target.name))
    response = client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404)
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def _create_body(m: Matrix, model: str, channel: str) -> tuple[str, dict[str, Any]]:
    bodies: dict[str, dict[str, Any]] = {
        "family": {"code": "NEWF", "name": "New family", "position": 9},
        "product": {
            "family": m.family.pk,
            "sku": "NEW-SKU",
            "name": "New product",
            "kind": "service",
            "unit": "day",
            "currency": "EUR",
            "list_price": "10",
            "standard_cost": "4",
        },
        "bundle": {"code": "NEWB", "name": "New bundle", "currency": "EUR"},
        "item": {"product": m.spare.pk, "quantity": "2"},
    }
    body = bodies[model]
    if channel == "api":
        if model == "item":
            body = {**body, "bundle": m.bundle.pk}
        return f"/api/v1/{API_BASE[model]}/", body
    if model == "item":
        return f"/catalog/bundles/{m.bundle.pk}/items/", body
    segment = {"family": "families", "product": "products", "bundle": "bundles"}[model]
    return f"/catalog/{segment}/new/", body


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    client = _client(channel, m.cast.user(role))
    model_class = type(TARGETS[model](m))
    before = model_class.objects.count()
    url, body = _create_body(m, model, channel)
    response = client.post(url, body, format="json") if channel == "api" else client.post(url, body)
    return _outcome(response, model_class.objects.count() > before, (201, 302))


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    target = type(TARGETS[model](m)).objects.get(pk=TARGETS[model](m).pk)
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        field = ("quantity", "3.00") if model == "item" else ("name", "Changed by the matrix")
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field[0]: field[1], "version": target.version},
            format="json",
        )
    elif model == "item":
        return None  # type: ignore[return-value]  # an item's quantity changes through the API
    else:
        segment = {"family": "families", "product": "products", "bundle": "bundles"}[model]
        bodies: dict[str, Callable[[], dict[str, Any]]] = {
            "family": lambda: {
                "code": target.code,
                "name": "Changed by the matrix",
                "position": 1,
            },
            "product": lambda: {
                "family": m.family.pk,
                "sku": target.sku,
                "name": "Changed by the matrix",
                "kind": "product",
                "unit": "each",
                "currency": "EUR",
                "list_price": "100",
                "standard_cost": "60",
            },
            "bundle": lambda: {
                "code": target.code,
                "name": "Changed by the matrix",
                "currency": "EUR",
            },
        }
        body = bodies[model]()
        body["version"] = target.version
        response = client.post(f"/catalog/{segment}/{target.pk}/edit/", body)
    fresh = type(target).objects.get(pk=target.pk)
    changed = (
        str(fresh.quantity) == "3.00" if model == "item" else fresh.name == "Changed by the matrix"
    )
    return _outcome(response, changed, (200, 302))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    # Records with nothing current under them, so the archive is allowed by the rules.
    target = {
        "family": m.empty_family,
        "product": m.loose_product,
        "bundle": m.bundle,
        "item": m.item,
    }[model]
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    else:
        segment = {
            "family": "families",
            "product": "products",
            "bundle": "bundles",
            "item": "items",
        }
        response = client.post(f"/catalog/{segment[model]}/{target.pk}/archive/")
    made = type(target).objects.get(pk=target.pk).archived_at is not None
    return _outcome(response, made, (204, 302))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in TARGETS
    for action in CHECKS
]

COVERED_MODELS = frozenset({ProductFamily, Product, Bundle, BundleItem})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_catalog_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED[(model, action)]
    mismatches, tried = [], 0
    for role in ROLES:
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)
