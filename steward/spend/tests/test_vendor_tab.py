"""The spend tab of a vendor's page: monthly spend with the year before, categories, contracts
and their utilization, the latest lines without a contract, and the way down to every line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.registry import navigation
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.spend.tests.test_views_analytics import World, spend_world
from steward.suppliers.tabs import tab_names, vendor_tab
from steward.suppliers.tests.factories import SupplierFactory
from steward.suppliers.views.detail import TABS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return spend_world(cast)


def spend_tab(user: object, supplier: object, query: str = "year=2025") -> str:
    url = reverse("suppliers:vendor-detail", args=[supplier.pk])
    response = web_client(user).get(f"{url}?tab=spend&{query}")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_spend_registers_its_tab_and_menu_entry() -> None:
    tab = vendor_tab("spend")
    assert tab is not None
    assert tab.template == "spend/vendor_tab.html"
    assert tab_names(TABS).index("spend") == TABS.index("performance") + 1
    assert any(entry.url_name == "spend:overview" for entry in navigation())


def test_the_owner_sees_the_vendors_spend(cast: Cast, world: World) -> None:
    html = spend_tab(cast.owner, world.vendor_a)
    assert 'data-testid="vendor-spend-figures"' in html
    assert "12,345.67" in html  # 10,000.00 + 2,345.67 in 2025
    assert "5,000.00" in html  # the year before
    assert 'data-chart="vendor-spend-data"' in html
    # categories, the contract with its utilization, the line without a contract
    assert "Cloud hosting" in html
    assert "Office supplies" in html
    assert "Castings supply (CS-2025)" in html
    assert "8.33 %" in html
    assert "INV-A-2" in html
    assert "INV-A-1" not in html  # under the contract: not maverick
    # the way down to the lines and to the overview, for this vendor only
    assert (
        f"{reverse('spend:lines')}?from=2025-01&amp;to=2025-12&amp;supplier={world.vendor_a.pk}"
        in html
    )
    assert "Borealis" not in html


def test_the_tab_follows_the_period_asked(cast: Cast, world: World) -> None:
    html = spend_tab(cast.owner, world.vendor_a, "year=2024")
    assert "5,000.00" in html
    assert "INV-A-2" not in html


def test_a_vendor_without_spend_shows_an_empty_state(cast: Cast, world: World) -> None:
    quiet = SupplierFactory(relationship__owner=cast.owner)
    html = spend_tab(cast.owner, quiet)
    assert 'data-testid="spend-empty"' in html
    assert "vendor-spend-figures" not in html


def test_the_auditor_sees_any_vendors_spend(cast: Cast, world: World) -> None:
    html = spend_tab(cast.auditor, world.vendor_b)
    assert "98,765.43" in html
    assert "INV-B-1" in html


def test_the_tab_is_swapped_in_by_htmx(cast: Cast, world: World) -> None:
    url = reverse("suppliers:vendor-detail", args=[world.vendor_a.pk])
    response = web_client(cast.owner).get(f"{url}?tab=spend&year=2025", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "12,345.67" in html
    assert "<html" not in html


def test_a_bad_period_says_so_in_the_tab(cast: Cast, world: World) -> None:
    html = spend_tab(cast.owner, world.vendor_a, "from=2025-13")
    assert 'data-testid="spend-error"' in html
    assert "YYYY-MM" in html


def test_others_cannot_open_the_vendor_at_all(cast: Cast, world: World) -> None:
    url = reverse("suppliers:vendor-detail", args=[world.vendor_b.pk])
    assert web_client(cast.owner).get(f"{url}?tab=spend").status_code == 404
    assert web_client(cast.portal_b).get(f"{url}?tab=spend").status_code in (403, 404)
