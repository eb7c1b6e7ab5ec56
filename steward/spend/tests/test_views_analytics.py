"""The spend pages: who may open them, what each shows, the links down to the lines, the empty
state, and clear messages for bad query parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from steward.contracts import services as contract_services
from steward.contracts.choices import ContractKind
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function, JobRole
from steward.people.tests.factories import UserFactory
from steward.spend.tests.factories import CostCenterFactory, Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

YEAR = "year=2025"
PAGES = (
    "spend:overview",
    "spend:pareto",
    "spend:concentration",
    "spend:maverick",
    "spend:utilization",
    "spend:price-variance",
    "spend:cube",
    "spend:lines",
)
INJECTED = '=HYPERLINK("http://example.com","x")'


@dataclass
class World:
    finance: Any
    vendor_a: Any
    vendor_b: Any
    vendor_c: Any
    cloud: Any
    office: Any
    contract_a: Any
    cost_center: Any


def spend_world(cast: Cast) -> World:
    """Three vendors with spend in 2025 (and A in 2024): A is the cast owner's, B the
    outsider's, C's name is a spreadsheet formula. B alone has a cost center."""
    finance = UserFactory(username="finance", profile__function=Function.FINANCE)
    vendor_a = SupplierFactory(relationship=cast.rel_a)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    formula_org = OrganizationFactory(legal_name=INJECTED, display_name=INJECTED)
    vendor_c = SupplierFactory(
        relationship=RelationshipFactory(organization=formula_org, owner=cast.outsider)
    )
    cloud = CategoryFactory(code="cloud", name="Cloud hosting")
    office = CategoryFactory(code="office", name="Office supplies")
    contract_a = contract_services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=ContractKind.MASTER,
        reference="CS-2025",
        start_date=dt.date(2025, 1, 1),
        term_months=12,
        annual_value=Decimal(120_000),
    )
    cost_center = CostCenterFactory(code="CC-OPS", name="Operations")
    store(
        [
            Line(
                vendor_a,
                dt.date(2025, 3, 10),
                Decimal("10000.00"),
                category=cloud,
                contract=contract_a,
                document="INV-A-1",
                item="CAST-1",
                quantity=Decimal(10),
                price_variance=Decimal("150.00"),
            ),
            Line(
                vendor_a,
                dt.date(2025, 5, 2),
                Decimal("2345.67"),
                category=office,
                document="INV-A-2",
                description="Toner",
            ),
            Line(
                vendor_a,
                dt.date(2024, 3, 8),
                Decimal("5000.00"),
                category=cloud,
                contract=contract_a,
                document="INV-A-0",
            ),
            Line(
                vendor_b,
                dt.date(2025, 4, 15),
                Decimal("98765.43"),
                category=cloud,
                cost_center=cost_center,
                document="INV-B-1",
            ),
            Line(
                vendor_c,
                dt.date(2025, 6, 1),
                Decimal("50.00"),
                category=office,
                document="INV-C-1",
                description=INJECTED,
            ),
        ]
    )
    return World(
        finance=finance,
        vendor_a=vendor_a,
        vendor_b=vendor_b,
        vendor_c=vendor_c,
        cloud=cloud,
        office=office,
        contract_a=contract_a,
        cost_center=cost_center,
    )


@pytest.fixture
def world(cast: Cast) -> World:
    return spend_world(cast)


def get_page(user: Any, name: str, query: str = YEAR) -> Any:
    return web_client(user).get(f"{reverse(name)}?{query}")


# --- who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PAGES, "spend:cost-centers"])
def test_finance_opens_every_page(world: World, name: str) -> None:
    response = get_page(world.finance, name)
    assert response.status_code == 200, response.content[:500]
    html = response.content.decode()
    assert 'data-testid="spend-subnav"' in html
    assert "spend-error" not in html


def test_finance_sees_every_vendor_on_the_overview(world: World) -> None:
    html = get_page(world.finance, "spend:overview").content.decode()
    # every vendor, with its spend; the formula-like name is shown as text, escaped
    assert "Aurora Metals" in html
    assert "Borealis Logistics" in html
    assert "98,765.43" in html
    assert "=HYPERLINK(&quot;http://example.com&quot;,&quot;x&quot;)" in html
    # total 111,161.10 over 4 lines; A's 2024 line is the prior year
    assert "111,161.10" in html
    assert "5,000.00" in html
    assert 'id="spend-trend"' in html or 'data-chart="spend-trend-data"' in html
    assert 'data-chart="spend-categories-data"' in html


@pytest.mark.parametrize("name", PAGES)
def test_a_vendor_manager_sees_only_their_vendors(cast: Cast, world: World, name: str) -> None:
    response = get_page(cast.owner, name)
    assert response.status_code == 200, response.content[:500]
    html = response.content.decode()
    assert "Borealis Logistics" not in html
    assert "98,765.43" not in html
    assert "HYPERLINK" not in html


def test_a_vendor_manager_sees_their_vendor_spend(cast: Cast, world: World) -> None:
    html = get_page(cast.owner, "spend:overview").content.decode()
    assert "Aurora Metals" in html
    assert "12,345.67" in html


def test_a_vendor_filter_outside_the_scope_shows_nothing(cast: Cast, world: World) -> None:
    response = get_page(cast.owner, "spend:lines", f"{YEAR}&supplier={world.vendor_b.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "INV-B-1" not in html
    assert "Borealis" not in html
    assert 'data-testid="spend-empty"' in html


def test_cost_centers_are_for_those_who_see_all_spend(cast: Cast, world: World) -> None:
    assert get_page(cast.owner, "spend:cost-centers").status_code == 403
    html = get_page(cast.auditor, "spend:cost-centers").content.decode()
    assert "CC-OPS Operations" in html
    assert "98,765.43" in html
    # the sub-navigation offers the page only to those who may open it
    assert reverse("spend:cost-centers") in html
    assert (
        reverse("spend:cost-centers") not in get_page(cast.owner, "spend:overview").content.decode()
    )


@pytest.mark.parametrize("name", PAGES)
def test_the_auditor_reads_every_page(cast: Cast, world: World, name: str) -> None:
    response = get_page(cast.auditor, name)
    assert response.status_code == 200
    assert "Borealis Logistics" in response.content.decode() or name in (
        "spend:utilization",
        "spend:price-variance",
    )


@pytest.mark.parametrize("name", [*PAGES, "spend:cost-centers"])
def test_portal_users_are_refused(cast: Cast, world: World, name: str) -> None:
    assert get_page(cast.portal_a, name).status_code == 403
    assert get_page(cast.portal_a, name, f"{YEAR}&format=csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    from django.test import Client

    response = Client().get(reverse("spend:overview"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_someone_without_spend_sees_an_empty_state(world: World, name: str) -> None:
    nobody = UserFactory(roles=[JobRole.VENDOR_MANAGER])
    response = get_page(nobody, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="spend-empty"' in html
    assert "Aurora" not in html


def test_a_period_without_spend_is_an_empty_state(world: World) -> None:
    html = get_page(world.finance, "spend:overview", "year=2019").content.decode()
    assert 'data-testid="spend-empty"' in html


# --- what the pages show ---------------------------------------------------------------------


def test_pareto_by_vendor_and_by_category(world: World) -> None:
    html = get_page(world.finance, "spend:pareto").content.decode()
    assert 'data-chart="spend-pareto-data"' in html
    assert 'data-testid="pareto-tail"' in html
    # B is 88.85 % of the spend: class A alone; A and C follow
    assert "88.85 %" in html
    by_category = get_page(world.finance, "spend:pareto", f"{YEAR}&by=category").content.decode()
    assert "Cloud hosting" in by_category
    assert "Office supplies" in by_category


def test_concentration_marks_single_sources(world: World) -> None:
    html = get_page(world.finance, "spend:concentration").content.decode()
    assert "Cloud hosting" in html
    assert "Office supplies" in html
    assert "HHI" in html


def test_maverick_spend_by_vendor_and_category(world: World) -> None:
    html = get_page(world.finance, "spend:maverick").content.decode()
    # everything but A's contracted 10,000.00 is off contract: 101,161.10 of 111,161.10
    assert "101,161.10" in html
    assert "91.00 %" in html
    assert "maverick=1" in html


def test_utilization_lists_the_contract(cast: Cast, world: World) -> None:
    html = get_page(cast.owner, "spend:utilization").content.decode()
    assert "Castings supply (CS-2025)" in html
    # 120,000.00 a year committed, 10,000.00 spent on it
    assert "120,000.00" in html
    assert "8.33 %" in html
    # finance sees the figures of a contract it may not open, under its number only
    finance = get_page(world.finance, "spend:utilization").content.decode()
    assert "Castings supply" not in finance
    assert f"Contract {world.contract_a.pk}" in finance


def test_price_variance_against_contracted_prices(cast: Cast, world: World) -> None:
    html = get_page(cast.owner, "spend:price-variance").content.decode()
    assert "Aurora Metals" in html
    assert "150.00" in html


def test_the_cube_groups_by_the_chosen_dimensions(world: World) -> None:
    html = get_page(world.finance, "spend:cube", f"{YEAR}&dims=supplier,month").content.decode()
    assert "Apr 2025" in html
    assert "Borealis Logistics" in html
    assert 'value="month" id="dim-month" checked' in html


def test_every_total_links_to_its_lines(world: World) -> None:
    client = web_client(world.finance)
    html = client.get(f"{reverse('spend:pareto')}?{YEAR}").content.decode()
    link = f"supplier={world.vendor_a.pk}"
    assert link in html
    lines = client.get(f"{reverse('spend:lines')}?from=2025-01&to=2025-12&{link}").content.decode()
    assert "INV-A-1" in lines
    assert "INV-A-2" in lines
    assert "INV-B-1" not in lines
    assert "Vendor: Aurora Metals" in lines


def test_the_lines_of_a_month_and_of_maverick_spend(world: World) -> None:
    html = get_page(world.finance, "spend:lines", "from=2025-04&to=2025-04").content.decode()
    assert "INV-B-1" in html
    assert "INV-A-1" not in html
    maverick = get_page(world.finance, "spend:lines", f"{YEAR}&maverick=1").content.decode()
    assert "INV-A-2" in maverick
    assert "INV-A-1" not in maverick


def test_the_lines_are_paged(world: World) -> None:
    vendor = world.vendor_a
    store(
        [
            Line(vendor, dt.date(2023, 1, 1 + day % 28), Decimal(day + 1), key=900 + day)
            for day in range(60)
        ]
    )
    first = get_page(world.finance, "spend:lines", "year=2023").content.decode()
    assert "1 / 2" in first
    second = get_page(world.finance, "spend:lines", "year=2023&page=2").content.decode()
    assert "2 / 2" in second


def test_the_subnav_links_imports_only_for_those_who_import(cast: Cast, world: World) -> None:
    finance_html = get_page(world.finance, "spend:overview").content.decode()
    owner_html = get_page(cast.owner, "spend:overview").content.decode()
    assert ">Imports<" not in owner_html
    try:
        imports = reverse("spend:import-list")
    except NoReverseMatch:  # the import pages come separately; without them there is no link
        assert ">Imports<" not in finance_html
    else:
        assert imports in finance_html


def test_the_main_menu_has_spend_for_internal_users(cast: Cast, world: World) -> None:
    html = web_client(cast.owner).get(reverse("home")).content.decode()
    assert f'href="{reverse("spend:overview")}"' in html


# --- bad query parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13", "from"),
        ("to=2026-1", "to"),
        ("year=20x6", "year"),
        ("year=2025&from=2025-01", "year"),
        ("from=2026-05&to=2026-01", "to"),
        ("supplier=abc", "supplier"),
        ("maverick=maybe", "maverick"),
        ("format=pdf", "format"),
    ],
)
@pytest.mark.parametrize("name", PAGES)
def test_bad_parameters_give_a_clear_message(name: str, query: str, field: str) -> None:
    finance = UserFactory(profile__function=Function.FINANCE)
    response = get_page(finance, name, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="spend-error"' in html
    assert f"<code>{field}</code>" in html


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("spend:pareto", "by=vendor", "by"),
        ("spend:cube", "dims=supplier,colour", "dims"),
        ("spend:cube", "dims=month,month", "dims"),
        ("spend:cube", "dims=cost_center,supplier", "dims"),
        ("spend:lines", "page=two", "page"),
        ("spend:lines", "page=0", "page"),
    ],
)
def test_bad_page_parameters_give_a_clear_message(
    world: World, name: str, query: str, field: str
) -> None:
    response = get_page(world.finance, name, query)
    assert response.status_code == 400
    assert f"<code>{field}</code>" in response.content.decode()


def test_a_cost_center_filter_is_refused_to_a_vendor_manager(cast: Cast, world: World) -> None:
    response = get_page(cast.owner, "spend:lines", f"{YEAR}&cost_center={world.cost_center.pk}")
    assert response.status_code == 400
    assert "finance" in response.content.decode()


# --- cost ------------------------------------------------------------------------------------


def _queries(user: Any, name: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_client(user)
    client.get(f"{reverse(name)}?{YEAR}")  # the columnar copy loads on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{reverse(name)}?{YEAR}").status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["spend:overview", "spend:pareto", "spend:lines"])
def test_the_queries_of_a_page_do_not_grow_with_its_rows(world: World, name: str) -> None:
    before = _queries(world.finance, name)
    more = [SupplierFactory() for _ in range(12)]
    store(
        [
            Line(vendor, dt.date(2025, 7, 1), Decimal(10 + index))
            for index, vendor in enumerate(more)
        ]
    )
    assert _queries(world.finance, name) <= before + 1  # + the ledger token the copy checks
