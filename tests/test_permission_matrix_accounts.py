"""The permission matrix of the accounts app (issue 9): every role of the cast, through the UI and
the API, on its records.

An account's profile, buying units, installed base and whitespace cells follow the account
(``AccessSpec(parent="relationship")``): its owner (``owner``) and editing team member
(``member``) read and change them; the owner's managers (``manager``, ``director``), the
reviewing team member (``reviewer``) and the auditor read them; ``outsider`` — a peer of the
owner — and portal users see nothing. Expectations are written out by hand; each role acts on
the same starting state (its writes are rolled back); a denied write leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from steward.accounts import services
from steward.accounts.models import AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell
from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.catalog.models import Product, ProductFamily
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.parties.tests.cast import ROLES, Cast
from steward.parties.tests.factories import (
    OrganizationFactory,
    RelationshipFactory,
    RelationshipMemberFactory,
    SiteFactory,
)
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset({"admin", "auditor", "director", "manager", "owner", "member", "reviewer"})
CHANGERS = frozenset({"admin", "owner", "member"})
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    (model, action): (READERS if action in ("list", "detail") else CHANGERS)
    for model in ("profile", "unit", "installed", "cell")
    for action in ("list", "detail", "create", "update", "delete")
}


@dataclass
class Matrix:
    cast: Cast
    world: DemandWorld
    fresh_account: Relationship  # owner's, same team, no profile yet
    profile: AccountProfile
    unit: BuyingUnit
    installed: InstalledProduct
    cell: WhitespaceCell
    product: Product
    new_family: ProductFamily


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    account = world.account_a
    fresh = RelationshipFactory(
        organization=OrganizationFactory(owner=cast.owner), side=Side.DEMAND, owner=cast.owner
    )
    SiteFactory(organization=fresh.organization, name="Fresh site")
    RelationshipMemberFactory(
        relationship=fresh, user=cast.member, role="specialist", access="edit"
    )
    RelationshipMemberFactory(relationship=fresh, user=cast.reviewer, role="legal", access="review")
    family = ProductFamilyFactory(code="MXF", name="Matrix family")
    product = ProductFactory(family=family, sku="MX-1")
    profile = services.account_profile_update(
        actor=cast.owner, relationship=account, notes="Matrix profile notes"
    )
    unit = services.buying_unit_create(
        actor=cast.owner, relationship=account, name="Matrix unit", site=cast.site_a_private
    )
    installed = services.installed_product_add(
        actor=cast.owner, relationship=account, product=product, annual_revenue=Decimal(100)
    )
    services.whitespace_fill(actor=cast.owner, relationship=account)
    cell = WhitespaceCell.objects.get(relationship=account, site=cast.site_a_shared, family=family)
    return Matrix(
        cast=cast,
        world=world,
        fresh_account=fresh,
        profile=profile,
        unit=unit,
        installed=installed,
        cell=cell,
        product=product,
        new_family=ProductFamilyFactory(code="MXN", name="New family"),
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "profile": lambda m: m.profile,
    "unit": lambda m: m.unit,
    "installed": lambda m: m.installed,
    "cell": lambda m: m.cell,
}
API_BASE = {
    "profile": "account-profiles",
    "unit": "buying-units",
    "installed": "installed-products",
    "cell": "whitespace-cells",
}


def _fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(
        allowed=response.status_code == 200 and marker in response.content.decode(),
        detail=str(response.status_code),
    )


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        account = f"/accounts/{m.world.account_a.pk}/"
        page, marker = {
            "profile": (f"{account}?tab=overview", "Matrix profile notes"),
            "unit": (f"{account}?tab=contacts", "Matrix unit"),
            "installed": (f"{account}?tab=installed", f'id="installed-{target.pk}"'),
            "cell": (f"{account}whitespace/", f'id="cell-{target.pk}"'),
        }[model]
        return _shown(client.get(page), marker)
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200
    return Outcome(
        allowed=any(row["id"] == target.pk for row in response.json()["results"]), detail="200"
    )


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "ui":
        if model != "profile":
            return None  # shown on the workspace's tabs (the list check)
        return _shown(client.get(f"/accounts/{m.world.account_a.pk}/"), "Matrix profile notes")
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


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    client = _client(channel, m.cast.user(role))
    account = m.world.account_a
    model_class = type(TARGETS[model](m))
    before = model_class.objects.count()
    if channel == "ui":
        url, body = {
            "profile": (f"/accounts/{m.fresh_account.pk}/profile/", {"currency": "EUR"}),
            "unit": (
                f"/accounts/{account.pk}/buying-units/new/",
                {"name": "New unit", "site": m.cast.site_a_shared.pk},
            ),
            "installed": (
                f"/accounts/{account.pk}/installed/new/",
                {
                    "product": m.product.pk,
                    "quantity": "1",
                    "currency": "EUR",
                    "annual_revenue": "5",
                    "annual_cost": "1",
                },
            ),
            "cell": (f"/accounts/{account.pk}/whitespace/fill/", {}),
        }[model]
        response = client.post(url, body)
    else:
        body = {
            "profile": {"relationship": m.fresh_account.pk, "segment": "enterprise"},
            "unit": {"relationship": account.pk, "name": "New unit"},
            "installed": {
                "relationship": account.pk,
                "product": m.product.pk,
                "annual_revenue": "5.00",
            },
            "cell": {
                "relationship": account.pk,
                "family": m.new_family.pk,
                "site": m.cast.site_a_shared.pk,
            },
        }[model]
        response = client.post(f"/api/v1/{API_BASE[model]}/", body, format="json")
    return _outcome(response, model_class.objects.count() > before, (201, 302))


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome:
    target = _fresh(TARGETS[model](m))
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        change = {
            "profile": {"notes": "Changed by the matrix"},
            "unit": {"description": "Changed by the matrix"},
            "installed": {"annual_revenue": "777.00"},
            "cell": {"notes": "Changed by the matrix"},
        }[model]
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {**change, "version": target.version},
            format="json",
        )
    else:
        forms: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
            "profile": lambda: (
                f"/accounts/{m.world.account_a.pk}/profile/",
                {"currency": "EUR", "notes": "Changed by the matrix"},
            ),
            "unit": lambda: (
                f"/accounts/buying-units/{target.pk}/edit/",
                {
                    "name": target.name,
                    "site": m.cast.site_a_private.pk,
                    "description": "Changed by the matrix",
                },
            ),
            "installed": lambda: (
                f"/accounts/installed/{target.pk}/edit/",
                {
                    "product": m.product.pk,
                    "quantity": "1",
                    "currency": "EUR",
                    "annual_revenue": "777",
                    "annual_cost": "60",
                },
            ),
            "cell": lambda: (
                f"/accounts/cells/{target.pk}/",
                {
                    f"cell-{target.pk}-holder": "unknown",
                    f"cell-{target.pk}-currency": "EUR",
                    f"cell-{target.pk}-notes": "Changed by the matrix",
                },
            ),
        }
        url, body = forms[model]()
        prefix = f"cell-{target.pk}-" if model == "cell" else ""
        response = client.post(url, {**body, f"{prefix}version": target.version})
    fresh = _fresh(target)
    changed = (
        fresh.annual_revenue == Decimal(777)
        if model == "installed"
        else getattr(fresh, "description" if model == "unit" else "notes")
        == "Changed by the matrix"
    )
    return _outcome(response, changed, (200, 302))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "profile":
        return None  # a profile stays with its account
    target = TARGETS[model](m)
    client = _client(channel, m.cast.user(role))
    if channel == "api":
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    elif model == "cell":
        return None  # a cell is marked "not a fit" on the page; the API archives
    else:
        segment = {"unit": "buying-units", "installed": "installed"}[model]
        response = client.post(f"/accounts/{segment}/{target.pk}/archive/")
    made = _fresh(target).archived_at is not None
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

COVERED_MODELS = frozenset({AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_accounts_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
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
