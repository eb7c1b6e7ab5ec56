"""Vendor performance: the Performance tab's card and ranks, and the ranking by category and
segment (which also narrows the engine's heat map)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.scorecards import selectors as scorecard_selectors
from steward.scorecards.tests.factories import period_with_criteria, scored_card
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory
from steward.suppliers.views.performance import register_scorecard_filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(cast: Cast) -> dict[str, Any]:
    """Three vendors in one category (Aurora second), one vendor in another category."""
    metals = CategoryFactory(name="Metals")
    freight = CategoryFactory(name="Freight")
    period = period_with_criteria(template={"is_default": True}, closed=True)
    aurora = SupplierFactory(relationship=cast.rel_a, segment="strategic")
    aurora.categories.add(metals)
    borealis = SupplierFactory(relationship=cast.rel_b, segment="leverage")
    borealis.categories.add(freight)
    best = SupplierFactory(relationship=RelationshipFactory(owner=cast.owner), segment="strategic")
    best.categories.add(metals)
    worst = SupplierFactory(relationship=RelationshipFactory(owner=cast.owner), segment="leverage")
    worst.categories.add(metals)
    scores = {cast.rel_a: 80, cast.rel_b: 99, best.relationship: 95, worst.relationship: 40}
    cards = {
        rel.pk: scored_card(period=period, relationship=rel, scores={"delivery": Decimal(value)})
        for rel, value in scores.items()
    }
    return {"metals": metals, "freight": freight, "period": period, "cards": cards}


def test_rank_within_category_and_segment(cast: Cast, market: Any) -> None:
    register_scorecard_filters()  # done at start-up; said again for a test without a request
    period = market["period"]
    rank, total = scorecard_selectors.rank_of(
        user=cast.admin,
        period=period,
        relationship=cast.rel_a,
        filters={"category": market["metals"].pk},
    )
    assert (rank, total) == (2, 3)
    rank, total = scorecard_selectors.rank_of(
        user=cast.admin, period=period, relationship=cast.rel_a, filters={"segment": "strategic"}
    )
    assert (rank, total) == (2, 2)


def test_performance_tab_shows_card_and_ranks(cast: Cast, market: Any) -> None:
    url = reverse("suppliers:vendor-detail", args=[cast.rel_a.pk])
    response = web_client(cast.owner).get(url, {"tab": "performance"})
    assert response.status_code == 200
    assert 'id="tab-performance"' in response.content.decode()
    context_ranks = response.context["ranks"]
    assert [(r["label"], r["rank"], r["total"]) for r in context_ranks] == [
        ("Category Metals", 2, 3),
        ("Segment Strategic", 2, 2),
    ]
    assert response.context["card"] == market["cards"][cast.rel_a.pk]


def test_vendor_ranking_by_category(cast: Cast, market: Any) -> None:
    url = reverse("suppliers:vendor-performance")
    response = web_client(cast.admin).get(url, {"category": market["metals"].pk})
    assert response.status_code == 200
    ranked = [(card.relationship_id, card.rank) for card in response.context["rows"]]
    assert ranked[1] == (cast.rel_a.pk, 2)
    assert cast.rel_b.pk not in [pk for pk, _ in ranked]


def test_vendor_ranking_is_scoped_and_exports(cast: Cast, market: Any) -> None:
    url = reverse("suppliers:vendor-performance")
    response = web_client(cast.outsider).get(url)
    assert [card.relationship_id for card in response.context["rows"]] == [cast.rel_b.pk]
    export = web_client(cast.outsider).get(url, {"export": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert "Borealis Logistics" in text
    assert "Aurora Metals" not in text


def test_heat_map_filters_by_vendor_segment(cast: Cast, market: Any) -> None:
    response = web_client(cast.admin).get(
        reverse("scorecards:heatmap"), {"period": market["period"].pk, "segment": "leverage"}
    )
    shown = {row["card"].relationship_id for row in response.context["rows"]}
    assert cast.rel_b.pk in shown
    assert cast.rel_a.pk not in shown
