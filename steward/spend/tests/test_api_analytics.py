"""The spend analytics API: figures and lines scoped to what the user may see, amounts as
decimal strings of the base currency, bad parameters named."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract
from steward.core.testing import api_client, api_errors
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.spend.tests.factories import CostCenterFactory, Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

YEAR = "year=2025"
FIGURES = (
    "cube",
    "trend",
    "pareto",
    "concentration",
    "maverick",
    "utilization",
    "price-variance",
    "consolidation",
    "tail",
)


@dataclass
class World:
    cast: Cast
    finance: Any
    vendor_a: Any
    vendor_b: Any
    contract: Contract
    cost_center: Any
    category: Any


@pytest.fixture
def world(cast: Cast) -> World:
    """Vendor A (``owner``'s): 456.78 on its contract and 321.09 without one on a cost center;
    vendor B (``outsider``'s): 234.56."""
    vendor_a = SupplierFactory(relationship=cast.rel_a)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    category = CategoryFactory()
    cost_center = CostCenterFactory()
    contract = Contract.objects.create(
        relationship=cast.rel_a,
        title="Castings",
        kind=ContractKind.MASTER,
        owner=cast.owner,
        status=ContractStatus.ACTIVE,
        annual_value=Decimal("1200.00"),
        start_date=dt.date(2025, 1, 1),
    )
    store(
        [
            Line(
                vendor_a,
                dt.date(2025, 3, 10),
                Decimal("456.78"),
                category=category,
                contract=contract,
                document="A-1",
                price_variance=Decimal("1.50"),
            ),
            Line(
                vendor_a,
                dt.date(2025, 4, 12),
                Decimal("321.09"),
                category=category,
                cost_center=cost_center,
                document="A-2",
            ),
            Line(vendor_b, dt.date(2025, 4, 15), Decimal("234.56"), document="B-1"),
        ]
    )
    finance = UserFactory(username="finance", profile__function=Function.FINANCE)
    return World(cast, finance, vendor_a, vendor_b, contract, cost_center, category)


def vendor_ids(payload: Any) -> set[Any]:
    """Every vendor id an answer names."""
    if isinstance(payload, list):
        return set().union(*(vendor_ids(item) for item in payload))
    if not isinstance(payload, dict):
        return set()
    named = {payload.get(key) for key in ("supplier", "top_supplier", "key")} - {None}
    return named | set().union(*(vendor_ids(value) for value in payload.values()))


def get(client: APIClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def test_finance_sees_every_vendor_in_the_base_currency(world: World) -> None:
    client = api_client(world.finance)
    cube = get(client, f"/api/v1/spend/cube/?{YEAR}&dims=supplier,month")
    assert (cube["currency"], cube["from"], cube["to"], cube["dims"]) == (
        "EUR",
        "2025-01",
        "2025-12",
        ["supplier", "month"],
    )
    assert cube["results"] == [
        {"supplier": world.vendor_a.pk, "month": "2025-03", "amount": "456.78", "lines": 1},
        {"supplier": world.vendor_a.pk, "month": "2025-04", "amount": "321.09", "lines": 1},
        {"supplier": world.vendor_b.pk, "month": "2025-04", "amount": "234.56", "lines": 1},
    ]
    pareto = get(client, f"/api/v1/spend/pareto/?{YEAR}")
    assert [(row["key"], row["amount"], row["abc"]) for row in pareto["results"]] == [
        (world.vendor_a.pk, "777.87", "A"),
        (world.vendor_b.pk, "234.56", "A"),  # 76.83 % comes before it
    ]
    assert pareto["results"][0]["share"] == "76.83"
    by_center = get(client, f"/api/v1/spend/cube/?{YEAR}&dims=cost_center")
    assert {row["amount"] for row in by_center["results"]} == {"321.09", "691.34"}


def test_each_figure_answers_for_finance(world: World) -> None:
    client = api_client(world.finance)
    trend = get(client, f"/api/v1/spend/trend/?{YEAR}")["results"]
    assert len(trend) == 12
    assert trend[3] == {
        "month": "2025-04",
        "amount": "555.65",
        "lines": 2,
        "prior_year_amount": "0.00",
    }
    maverick = get(client, f"/api/v1/spend/maverick/?{YEAR}")
    assert (maverick["amount"], maverick["total"], maverick["share"]) == (
        "555.65",
        "1012.43",
        "54.88",
    )
    assert maverick["by_supplier"][0] == {
        "supplier": world.vendor_a.pk,
        "amount": "321.09",
        "lines": 1,
    }
    assert maverick["by_category"][0]["category"] == world.category.pk
    concentration = get(client, f"/api/v1/spend/concentration/?{YEAR}")["results"]
    assert concentration == [
        {
            "category": world.category.pk,
            "amount": "777.87",
            "vendors": 1,
            "top_supplier": world.vendor_a.pk,
            "top_share": "100.00",
            "hhi": 10000,
            "single_source": True,
        }
    ]
    assert get(client, f"/api/v1/spend/consolidation/?{YEAR}&min_vendors=2")["results"] == []
    utilization = get(client, f"/api/v1/spend/utilization/?{YEAR}")["results"]
    assert utilization == [
        {
            "contract": world.contract.pk,
            "supplier": world.vendor_a.pk,
            "committed": "1200.00",
            "actual": "456.78",
            "utilization": "38.07",
        }
    ]
    variance = get(client, f"/api/v1/spend/price-variance/?{YEAR}")["results"]
    assert variance == [
        {
            "supplier": world.vendor_a.pk,
            "contract": world.contract.pk,
            "variance": "1.50",
            "priced_lines": 1,
        }
    ]
    tail = get(client, f"/api/v1/spend/tail/?{YEAR}")
    assert (tail["vendors"], tail["amount"], tail["share"]) == (0, "0.00", "0.00")


def test_a_vendor_manager_sees_only_their_vendors(world: World) -> None:
    client = api_client(world.cast.owner)
    for figure in FIGURES:
        body = client.get(f"/api/v1/spend/{figure}/?{YEAR}").content.decode()
        assert "234.56" not in body, figure
        assert world.vendor_b.pk not in vendor_ids(json.loads(body)), figure
    cube = get(client, f"/api/v1/spend/cube/?{YEAR}")
    assert cube["results"] == [{"supplier": world.vendor_a.pk, "amount": "777.87", "lines": 2}]
    # asking for the other vendor by id reveals nothing
    other = get(client, f"/api/v1/spend/cube/?{YEAR}&supplier={world.vendor_b.pk}")
    assert other["results"] == []
    tail = get(client, f"/api/v1/spend/concentration/?{YEAR}&supplier={world.vendor_b.pk}")
    assert tail["results"] == []
    lines = get(client, f"/api/v1/spend-lines/?{YEAR}")
    assert [row["document"] for row in lines["results"]] == ["A-2", "A-1"]


def test_spend_by_cost_center_is_refused_to_a_vendor_manager(world: World) -> None:
    client = api_client(world.cast.owner)
    cube = client.get(f"/api/v1/spend/cube/?{YEAR}&dims=cost_center")
    assert cube.status_code == 403
    assert "321.09" not in cube.content.decode()
    lines = client.get(f"/api/v1/spend-lines/?{YEAR}&cost_center={world.cost_center.pk}")
    assert lines.status_code == 403
    finance = get(
        api_client(world.finance),
        f"/api/v1/spend-lines/?{YEAR}&cost_center={world.cost_center.pk}",
    )
    assert [row["document"] for row in finance["results"]] == ["A-2"]


@pytest.mark.parametrize("role", ["portal_a", "portal_b"])
def test_portal_users_are_refused(world: World, role: str) -> None:
    client = api_client(world.cast.user(role))
    for url in [f"/api/v1/spend/{figure}/?{YEAR}" for figure in FIGURES] + [
        f"/api/v1/spend-lines/?{YEAR}"
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "777.87" not in response.content.decode()


def test_anonymous_clients_must_authenticate(world: World) -> None:
    client = APIClient()
    for url in (f"/api/v1/spend/cube/?{YEAR}", f"/api/v1/spend-lines/?{YEAR}"):
        assert client.get(url).status_code == 401


def test_lines_are_paged_newest_first_with_their_amounts(world: World) -> None:
    client = api_client(world.finance)
    first = get(client, f"/api/v1/spend-lines/?{YEAR}&page_size=2")
    assert first["count"] == 3
    assert [row["document"] for row in first["results"]] == ["B-1", "A-2"]
    assert first["previous"] is None
    second = get(client, first["next"])
    assert [row["document"] for row in second["results"]] == ["A-1"]
    assert second["next"] is None
    line = second["results"][0]
    assert (line["amount"], line["currency"], line["amount_base"], line["base_currency"]) == (
        "456.7800",
        "EUR",
        "456.78",
        "EUR",
    )
    assert (line["month"], line["date"], line["price_variance"]) == (
        "2025-03",
        "2025-03-10",
        "1.50",
    )
    assert line["contract"] == world.contract.pk
    assert second["previous"] is not None
    assert "page=" not in second["previous"]
    assert client.get(f"/api/v1/spend-lines/?{YEAR}&page=3&page_size=2").status_code == 404
    maverick = get(client, f"/api/v1/spend-lines/?{YEAR}&maverick=1&supplier={world.vendor_a.pk}")
    assert [row["document"] for row in maverick["results"]] == ["A-2"]
    assert get(client, "/api/v1/spend-lines/?from=2025-04&to=2025-04")["count"] == 2


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("year=20x5", "year"),
        ("year=2025&from=2025-01", "year"),
        ("from=2025-13", "from"),
        ("from=2025-05&to=2025-01", "to"),
        ("from=2000-01&to=2025-01", "to"),
        ("supplier=x", "supplier"),
        ("maverick=2", "maverick"),
        ("dims=colour", "dims"),
        ("dims=supplier,supplier", "dims"),
        ("dims=cost_center,supplier", "cost_center"),
        ("by=contract", "by"),
        ("page_size=0", "page_size"),
    ],
)
def test_a_bad_parameter_is_named(world: World, query: str, attr: str) -> None:
    figure = "pareto" if attr == "by" else "cube"
    response = api_client(world.finance).get(f"/api/v1/spend/{figure}/?{query}")
    assert response.status_code == 400, response.content
    assert [error[0] for error in api_errors(response)] == [attr]


def test_empty_parameters_mean_not_given(world: World) -> None:
    body = get(api_client(world.finance), f"/api/v1/spend/trend/?{YEAR}&from=&to=&supplier=")
    assert body["from"] == "2025-01"
