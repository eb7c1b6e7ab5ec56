"""The account pages: portfolio, workspace tabs, the whitespace matrix and its htmx cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.accounts import services
from steward.accounts.models import AccountProfile, WhitespaceCell
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.testing import web_client
from steward.parties.choices import Side
from steward.parties.tests.factories import RelationshipFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_portfolio_lists_the_accounts_the_user_may_see(cast, world) -> None:
    page = web_client(cast.manager).get("/accounts/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f'id="account-{world.account_a.pk}"' in body
    assert f'id="account-{world.account_b.pk}"' not in body  # a peer's
    assert f'id="account-{cast.rel_a.pk}"' not in body  # supply side
    peer = web_client(cast.outsider).get("/accounts/").content.decode()
    assert f'id="account-{world.account_b.pk}"' in peer
    assert f'id="account-{world.account_a.pk}"' not in peer


def test_the_portfolio_filters_mine_and_my_teams(cast, world) -> None:
    mine = web_client(cast.manager).get("/accounts/", {"scope": "mine"}).content.decode()
    assert f'id="account-{world.account_a.pk}"' not in mine
    team = web_client(cast.manager).get("/accounts/", {"scope": "team"}).content.decode()
    assert f'id="account-{world.account_a.pk}"' in team
    member = web_client(cast.member).get("/accounts/", {"scope": "mine"}).content.decode()
    assert f'id="account-{world.account_a.pk}"' in member


def test_the_portfolio_shows_figures_in_a_fixed_number_of_queries(cast, world) -> None:
    client = web_client(cast.admin)
    client.get("/accounts/")  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/accounts/").status_code == 200
        return len(queries)

    before = count()
    for _ in range(5):
        account = RelationshipFactory(side=Side.DEMAND, owner=cast.owner)
        services.installed_product_add(
            actor=cast.admin, relationship=account, product=ProductFactory(), annual_revenue=D(7)
        )
    assert count() == before


def test_the_portfolio_exports_with_its_figures(cast, world) -> None:
    services.installed_product_add(
        actor=cast.owner,
        relationship=world.account_a,
        product=ProductFactory(),
        annual_revenue=D("1234.50"),
    )
    response = web_client(cast.owner).get("/accounts/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "Installed revenue a year (EUR)" in text
    assert "1234.50" in text


def test_the_workspace_has_its_tabs(cast, world) -> None:
    client = web_client(cast.reviewer)
    url = f"/accounts/{world.account_a.pk}/"
    for tab in ("overview", "installed", "whitespace", "contacts", "history"):
        response = client.get(url, {"tab": tab})
        assert response.status_code == 200, tab
    overview = client.get(url).content.decode()
    assert "Specialist" in overview  # the team with its roles
    contacts = client.get(url, {"tab": "contacts"}).content.decode()
    assert "Aurora HQ" in contacts
    assert "Aurora Smelter" in contacts


def test_the_workspace_is_not_found_for_a_peer_a_portal_user_or_the_supply_side(
    cast, world
) -> None:
    assert web_client(cast.outsider).get(f"/accounts/{world.account_a.pk}/").status_code == 404
    assert web_client(cast.portal_a).get(f"/accounts/{world.account_a.pk}/").status_code == 404
    assert web_client(cast.owner).get(f"/accounts/{cast.rel_a.pk}/").status_code == 404


def test_the_profile_is_set_up_from_the_page(cast, world) -> None:
    url = f"/accounts/{world.account_a.pk}/profile/"
    client = web_client(cast.owner)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"segment": "enterprise", "currency": "EUR", "wallet": "500000", "notes": "Big"}
    )
    assert response.status_code == 302
    profile = AccountProfile.objects.get(relationship=world.account_a)
    assert (profile.segment, profile.wallet) == ("enterprise", D("500000"))
    bad = client.post(url, {"currency": "EUR", "wallet": "-5", "version": profile.version})
    assert bad.status_code == 400
    assert web_client(cast.reviewer).get(url).status_code == 403


def test_fill_then_edit_a_cell_in_place(cast, world) -> None:
    ProductFamilyFactory(name="Packaging")
    client = web_client(cast.owner)
    account = world.account_a
    assert client.post(f"/accounts/{account.pk}/whitespace/fill/").status_code == 302
    cell = WhitespaceCell.objects.filter(relationship=account).first()
    page = client.get(f"/accounts/{account.pk}/whitespace/").content.decode()
    assert f'id="cell-{cell.pk}"' in page
    assert "whitespace-heatmap" in page
    edit = client.get(f"/accounts/cells/{cell.pk}/", HTTP_HX_REQUEST="true")
    assert edit.status_code == 200
    assert "<form" in edit.content.decode()
    prefix = f"cell-{cell.pk}"
    saved = client.post(
        f"/accounts/cells/{cell.pk}/",
        {
            f"{prefix}-holder": "competitor",
            f"{prefix}-competitor": "",
            f"{prefix}-currency": "EUR",
            f"{prefix}-version": cell.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Name the competitor" in saved.content.decode()  # refused next to the field
    saved = client.post(
        f"/accounts/cells/{cell.pk}/",
        {
            f"{prefix}-holder": "us",
            f"{prefix}-currency": "EUR",
            f"{prefix}-current_spend": "1000",
            f"{prefix}-version": cell.version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert saved["HX-Trigger"] == "whitespace-changed"
    cell.refresh_from_db()
    assert cell.holder == "us"
    figures = client.get(f"/accounts/{account.pk}/whitespace/figures/").content.decode()
    assert "50.0 %" in figures  # 1 of the 2 cells (HQ and the smelter)
    assert (
        web_client(cast.reviewer)
        .post(f"/accounts/cells/{cell.pk}/", {f"{prefix}-holder": "unknown"})
        .status_code
        == 403
    )


def test_installed_base_add_and_end(cast, world) -> None:
    product = ProductFactory(sku="INST-1")
    client = web_client(cast.member)
    response = client.post(
        f"/accounts/{world.account_a.pk}/installed/new/",
        {
            "product": product.pk,
            "quantity": "3",
            "currency": "EUR",
            "annual_revenue": "3000",
            "annual_cost": "1200",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = world.account_a.installed_products.get()
    page = client.get(f"/accounts/{world.account_a.pk}/", {"tab": "installed"}).content.decode()
    assert "INST-1" in page
    assert "1,800.00" in page
    assert client.post(f"/accounts/installed/{row.pk}/end/").status_code == 302
    row.refresh_from_db()
    assert row.until is not None
