"""The small demo's savings: a delivered negotiation with a saving realized in the ledger, an
off-contract lever in progress, a consolidation identified, and a TCO comparison won on total
cost rather than price."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from steward.demo.generate import savings
from steward.demo.services import DemoLoadResult, demo_load
from steward.savings.choices import SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison
from steward.savings.realized import measure_one
from steward.savings.tco import tco_breakdown
from steward.spend.scope import SpendScope

pytestmark = pytest.mark.django_db

EVERYTHING = SpendScope(supplier_ids=None, cost_centers=True)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoLoadResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(size="small")
        transaction.set_rollback(True)


def test_a_delivered_negotiation_realized_a_saving(world: DemoLoadResult) -> None:
    delivered = SavingsInitiative.objects.get(status=SavingsStatus.DELIVERED)
    assert delivered.kind == SavingsKind.NEGOTIATION
    realized = measure_one(delivered, scope=EVERYTHING, today=timezone.localdate())
    assert realized.realized is not None
    assert realized.realized > 0
    assert len(realized.months) == savings.MEASURED_MONTHS
    # Whoever owns the vendor sees the initiative and measures it over their own spend
    owner = delivered.supplier.relationship.owner
    assert delivered.owner == owner
    history = list(delivered.history.order_by("history_date"))
    assert [h.status for h in history] == ["identified", "in_progress", "delivered"]
    assert all(h.history_user == owner for h in history)
    assert history[-1].history_date < world.dataset.loaded_at


def test_an_off_contract_lever_in_progress_and_a_consolidation_identified(
    world: DemoLoadResult,
) -> None:
    # (the sourcing story's award is in progress too; steward/demo/tests/test_sourcing_demo.py)
    in_progress = SavingsInitiative.objects.exclude(kind=SavingsKind.SOURCING_AWARD).get(
        status=SavingsStatus.IN_PROGRESS
    )
    assert in_progress.kind == SavingsKind.OFF_CONTRACT
    assert in_progress.lever_key.startswith("off_contract-supplier-")
    assert in_progress.effective_date == timezone.localdate().replace(day=1)
    assert measure_one(in_progress, scope=EVERYTHING, today=timezone.localdate()).realized is None
    identified = SavingsInitiative.objects.get(status=SavingsStatus.IDENTIFIED)
    assert identified.kind == SavingsKind.CONSOLIDATION
    assert identified.category is not None
    assert identified.owner != identified.history.earliest("history_date").history_user


def test_the_comparison_is_won_on_total_cost_not_price(world: DemoLoadResult) -> None:
    comparison = TcoComparison.objects.get()
    options = list(comparison.options.all())
    assert len(options) == 3
    cheapest = min(options, key=lambda option: option.unit_price)
    lowest = min(options, key=lambda option: tco_breakdown(option).total)
    assert cheapest != lowest
    assert tco_breakdown(cheapest).poor_quality > 0
    assert any(option.defaults for option in options)  # suggestions shown as such


def test_the_savings_pages_open_on_the_demo(world: DemoLoadResult, client: Any) -> None:
    identified = SavingsInitiative.objects.get(status=SavingsStatus.IDENTIFIED)
    finance = identified.history.earliest("history_date").history_user  # took the lever up
    client.force_login(finance)
    for url in (
        reverse("savings:initiative-list"),
        reverse("savings:levers"),
        reverse("savings:tco-list"),
        TcoComparison.objects.get().get_absolute_url(),
        SavingsInitiative.objects.get(status=SavingsStatus.DELIVERED).get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
