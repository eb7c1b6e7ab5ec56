"""The savings API: the register with realized savings, the workflow, levers, TCO comparisons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.savings.choices import BaselineMethod, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoOption
from steward.savings.tests.factories import (
    SavingsInitiativeFactory,
    TcoComparisonFactory,
    TcoOptionFactory,
    month_ago,
)
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def vendor(cast: Cast) -> Any:
    vendor = SupplierFactory(relationship=cast.rel_a)
    store([Line(vendor, month_ago(n, day=6), D("1000"), key=800 + n) for n in range(1, 13)])
    return vendor


def test_the_register_lists_realized_savings(cast: Cast, vendor: Any) -> None:
    initiative = SavingsInitiativeFactory(
        owner=cast.owner,
        supplier=vendor,
        status=SavingsStatus.IN_PROGRESS,
        baseline_annual_spend=D("13200"),  # 1,100 a month against 1,000 paid
        effective_date=month_ago(3),
    )
    SavingsInitiativeFactory(owner=cast.outsider)
    client = api_client(cast.owner)
    listing = client.get(reverse("savings-initiative-list"))
    assert result_ids(listing) == [initiative.pk]
    row = listing.json()["results"][0]
    assert row["realized"]["realized"] == "300.00"
    assert row["realized"]["months"] == 3
    assert row["supplier_name"] == str(vendor)
    assert row["currency"] == "EUR"
    detail = client.get(reverse("savings-initiative-detail", args=[initiative.pk]))
    assert detail.json()["realized"]["amount"] == "3000.00"
    assert detail.headers["ETag"] == '"1"'
    by_status = client.get(reverse("savings-initiative-list"), {"status": "delivered"})
    assert result_ids(by_status) == []


def test_create_answers_errors_on_the_field(cast: Cast, vendor: Any) -> None:
    client = api_client(cast.owner)
    url = reverse("savings-initiative-list")
    refused = client.post(
        url,
        {
            "title": "Steel",
            "kind": "negotiation",
            "supplier": vendor.pk,
            "status": "delivered",
            "baseline_method": "unit_price",
            "baseline_unit_price": "12",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("effective_date", "required")]
    hidden = client.post(
        url,
        {"title": "x", "kind": "other", "supplier": SupplierFactory(relationship=cast.rel_b).pk},
        format="json",
    )
    assert api_errors(hidden) == [("supplier", "does_not_exist")]
    created = client.post(
        url,
        {
            "title": "Steel",
            "kind": "negotiation",
            "supplier": vendor.pk,
            "baseline_method": "unit_price",
            "baseline_unit_price": "12",
            "negotiated_unit_price": "11.4",
            "baseline_annual_spend": "12000",
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["negotiated_savings"] == "600.00"
    assert body["realized"]["reason"]
    assert SavingsInitiative.objects.filter(title="Steel").count() == 1


def test_update_needs_the_version_and_moves_through_transition(cast: Cast, vendor: Any) -> None:
    initiative = SavingsInitiativeFactory(owner=cast.owner, supplier=vendor)
    client = api_client(cast.owner)
    url = reverse("savings-initiative-detail", args=[initiative.pk])
    assert client.patch(url, {"title": "New"}, format="json").status_code == 428
    stale = client.patch(url, {"title": "New"}, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 409
    changed = client.patch(
        url,
        {"version": 1, "baseline_annual_spend": "12000", "effective_date": "2026-01-01"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    move = reverse("savings-initiative-transition", args=[initiative.pk])
    wrong = client.post(move, {"to_status": "delivered"}, format="json")
    assert api_errors(wrong) == [("to_status", "invalid_transition")]
    started = client.post(move, {"to_status": "in_progress", "version": 2}, format="json")
    assert started.json()["status"] == "in_progress"
    cancel = client.post(move, {"to_status": "cancelled"}, format="json")
    assert api_errors(cancel) == [("reason", "required")]
    history = client.get(reverse("savings-initiative-history", args=[initiative.pk]))
    assert history.json()["count"] == 3
    assert client.delete(url).status_code == 204
    restored = client.post(reverse("savings-initiative-restore", args=[initiative.pk]), {})
    assert restored.json()["archived_at"] is None


def test_levers_and_taking_one_up(cast: Cast, vendor: Any) -> None:
    client = api_client(cast.owner)
    listing = client.get(reverse("savings-lever-list"))
    assert listing.status_code == 200
    levers = {row["key"]: row for row in listing.json()["results"]}
    key = f"volume_commitment-supplier-{vendor.pk}"
    lever = levers[key]
    assert lever["spend"] == "12000.00"
    assert lever["estimated_saving"] == "600.00"
    assert {"label": "Months with spend", "value": "12 of 12"} in lever["figures"]
    assert lever["taken_up"] is False
    one = client.get(reverse("savings-lever-detail", args=[key]))
    assert one.json()["key"] == key
    assert (
        client.get(reverse("savings-lever-detail", args=["consolidation-category-9"])).status_code
        == 404
    )
    taken = client.post(reverse("savings-initiative-from-lever"), {"lever": key}, format="json")
    assert taken.status_code == 201
    assert taken.json()["lever_key"] == key
    again = client.post(reverse("savings-initiative-from-lever"), {"lever": key}, format="json")
    assert api_errors(again) == [("lever", "duplicate")]
    unknown = client.post(reverse("savings-initiative-from-lever"), {"lever": "x"}, format="json")
    assert api_errors(unknown) == [("lever", "unknown_lever")]
    auditor = api_client(cast.auditor)
    refused = auditor.post(reverse("savings-initiative-from-lever"), {"lever": key}, format="json")
    assert refused.status_code == 403


def test_comparisons_and_options(cast: Cast, vendor: Any) -> None:
    client = api_client(cast.owner)
    created = client.post(
        reverse("tco-comparison-list"),
        {"title": "Cables", "annual_quantity": "100", "horizon_years": 2},
        format="json",
    )
    assert created.status_code == 201
    comparison = created.json()["id"]
    option = client.post(
        reverse("tco-option-list"),
        {"comparison": comparison, "supplier": vendor.pk, "support_cost_per_year": "50"},
        format="json",
    )
    # No quantities in the ledger for this vendor: the price must be typed
    assert api_errors(option) == [("unit_price", "required")]
    option = client.post(
        reverse("tco-option-list"),
        {
            "comparison": comparison,
            "supplier": vendor.pk,
            "unit_price": "2.5",
            "support_cost_per_year": "50",
        },
        format="json",
    )
    assert option.status_code == 201
    body = option.json()
    assert body["breakdown"]["total"] == "600.00"  # 200 x 2.5 + 2 x 50
    assert body["breakdown"]["per_unit"] == "3.0000"
    assert body["defaults"] == {}
    detail = client.get(reverse("tco-comparison-detail", args=[comparison])).json()
    assert [row["supplier"] for row in detail["options"]] == [vendor.pk]
    invalid = client.patch(
        reverse("tco-option-detail", args=[body["id"]]),
        {"duties_pct": "120", "version": 1},
        format="json",
    )
    assert api_errors(invalid) == [("duties_pct", "max_value")]
    duplicate = client.post(
        reverse("tco-option-list"),
        {"comparison": comparison, "supplier": vendor.pk, "unit_price": "1"},
        format="json",
    )
    assert api_errors(duplicate) == [("supplier", "duplicate")]
    assert client.delete(reverse("tco-option-detail", args=[body["id"]])).status_code == 204
    assert TcoOption.objects.get().is_archived


def test_options_and_comparisons_list_what_one_may_see(cast: Cast) -> None:
    mine = TcoOptionFactory(comparison=TcoComparisonFactory(owner=cast.owner))
    TcoOptionFactory(comparison=TcoComparisonFactory(owner=cast.outsider))
    client = api_client(cast.owner)
    assert result_ids(client.get(reverse("tco-option-list"))) == [mine.pk]
    assert result_ids(client.get(reverse("tco-comparison-list"))) == [mine.comparison_id]
    filtered = client.get(reverse("tco-option-list"), {"comparison": mine.comparison_id})
    assert result_ids(filtered) == [mine.pk]


def test_unit_price_initiative_through_the_api(cast: Cast) -> None:
    vendor = SupplierFactory(relationship=cast.rel_a)
    store([Line(vendor, month_ago(1, day=3), D("95"), quantity=D(10), key=901)])
    response = api_client(cast.owner).post(
        reverse("savings-initiative-list"),
        {
            "title": "Bolts",
            "kind": "negotiation",
            "supplier": vendor.pk,
            "status": "delivered",
            "baseline_method": BaselineMethod.UNIT_PRICE,
            "baseline_unit_price": "10",
            "effective_date": month_ago(1).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    realized = response.json()["realized"]
    assert (realized["realized"], realized["average_unit_price"]) == ("5.00", "9.5000")
