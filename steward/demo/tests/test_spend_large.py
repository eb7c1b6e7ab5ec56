"""The large ledger's generator, on a plan small enough for a test: 50 vendors, 5,000 lines."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum

from steward.contracts.models import Contract
from steward.demo.generate.context import SIZES, DemoContext
from steward.demo.generate.spend_large import LARGE, SOURCE_NAME, LedgerPlan, build_ledger
from steward.demo.generate.spend_large.contracts import set_off_contract_shares
from steward.demo.generate.spend_large.lines import months_of, spend_shares
from steward.demo.generate.spend_large.shapes import VendorShape
from steward.people.tests.factories import UserFactory
from steward.spend.choices import ImportStatus
from steward.spend.models import (
    ContractPrice,
    CostCenter,
    SpendCostCenterCell,
    SpendImport,
    SpendLine,
    SpendSegment,
)
from steward.suppliers.models import Category, Supplier
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

PLAN = LedgerPlan(vendors=50, categories=24, cost_centers=8, lines=5_000)


TODAY = dt.date(2026, 3, 15)


def _context(today: dt.date) -> DemoContext:
    ctx = DemoContext.starting(size=SIZES["small"], seed=7, password_hash="!")
    ctx.today = today
    ctx.now = dt.datetime.combine(today, dt.time.min, tzinfo=ctx.now.tzinfo)
    return ctx


def _fingerprint() -> list[Any]:
    """The ledger by natural keys: vendor names, category codes, cost center codes."""
    return sorted(
        SpendLine.objects.values_list(
            "supplier__relationship__organization__legal_name",
            "category__code",
            "cost_center__code",
            "month",
        ).annotate(amount=Sum("amount_base_cents"), lines=Count("id"))
    )


@pytest.fixture(scope="module")
def generated(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The ledger generated twice from the same seed and day (the first one rolled back),
    kept for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Given someone to own the vendors and a few running vendors the demo had already
        UserFactory(username="finance.lead")
        category = CategoryFactory(code="freight", name="Freight")
        for _ in range(3):
            SupplierFactory(stage="active").categories.add(category)
        with transaction.atomic():
            _ = build_ledger(_context(TODAY), PLAN)
            first = _fingerprint()
            transaction.set_rollback(True)
        stored = build_ledger(_context(TODAY), PLAN)
        yield {"stored": stored, "first": first}
        transaction.set_rollback(True)


@pytest.fixture
def ledger(generated: dict[str, Any], db: Any) -> dict[str, Any]:
    return generated


def test_the_plan_becomes_a_ledger_of_that_size(ledger: dict[str, Any]) -> None:
    stored = ledger["stored"]
    # Then it holds the planned lines, vendors, categories and cost centers
    assert stored == SpendLine.objects.count() == PLAN.lines
    assert SpendLine.objects.values("supplier_id").distinct().count() == PLAN.vendors
    assert Category.objects.count() == PLAN.categories
    assert CostCenter.objects.count() == PLAN.cost_centers
    # And the running vendors the demo had are among them, the rest new active vendors
    with_spend = set(SpendLine.objects.values_list("supplier_id", flat=True).distinct())
    assert set(Supplier.objects.filter(stage="active").values_list("pk", flat=True)) == with_spend


def test_every_month_is_one_done_import_ending_yesterday(ledger: dict[str, Any]) -> None:
    imports = SpendImport.objects.filter(source__name=SOURCE_NAME).order_by("pk")
    # Then there are 36 imports, each done, holding exactly its month's lines
    assert imports.count() == 36
    for batch in imports:
        assert batch.status == ImportStatus.DONE
        lines = SpendLine.objects.filter(batch=batch)
        found = lines.aggregate(n=Count("id"), amount=Sum("amount_base_cents"))
        assert (found["n"], found["amount"]) == (batch.lines_added, batch.amount_base_cents)
        assert lines.values("month").distinct().count() == 1
    span = SpendLine.objects.aggregate(first=Min("date"), last=Max("date"))
    assert span["first"] == dt.date(2023, 4, 1)
    assert span["last"] <= dt.date(2026, 3, 14)
    # And the aggregates the ledger keeps add up to the lines
    segments = SpendSegment.objects.aggregate(amount=Sum("amount_base_cents"), n=Sum("lines"))
    cells = SpendCostCenterCell.objects.aggregate(amount=Sum("amount_base_cents"))
    total = SpendLine.objects.aggregate(amount=Sum("amount_base_cents"))["amount"]
    assert segments == {"amount": total, "n": PLAN.lines}
    assert cells["amount"] == total


def test_the_months_share_the_lines_exactly() -> None:
    months = months_of(
        dt.date(2026, 3, 1), LedgerPlan(vendors=1, categories=1, cost_centers=1, lines=1_000_003)
    )
    assert sum(month.lines for month in months) == 1_000_003
    assert months[0].month == 202303
    assert months[-1].month == 202602  # yesterday was in February
    assert [m.first_line for m in months[1:]] == [m.first_line + m.lines for m in months[:-1]]


def test_the_spend_has_the_shape_of_a_real_ledger(ledger: dict[str, Any]) -> None:
    total = SpendLine.objects.aggregate(amount=Sum("amount_base_cents"))["amount"]
    # A fifth of the vendors hold most of the spend
    by_vendor = sorted(
        SpendLine.objects.values("supplier_id")
        .annotate(amount=Sum("amount_base_cents"))
        .values_list("amount", flat=True),
        reverse=True,
    )
    assert sum(by_vendor[: PLAN.vendors // 5]) > 0.4 * total
    # Each vendor sells in one or two categories
    pairs = set(SpendLine.objects.values_list("supplier_id", "category_id"))
    categories = Counter(supplier for supplier, _ in pairs)
    assert set(categories.values()) <= {1, 2}
    # And a category in twenty has a single vendor
    vendors_of = Counter(category for _, category in pairs)
    assert sum(1 for count in vendors_of.values() if count == 1) >= PLAN.categories // 20
    # Some spend is maverick (no contract; in so few vendors the two thirds without one weigh
    # much more than in the large ledger), and a third of vendors have a contract
    maverick = SpendLine.objects.filter(contract__isnull=True).aggregate(
        amount=Sum("amount_base_cents")
    )["amount"]
    assert 0.1 < maverick / total < 0.6
    contracted = set(
        SpendLine.objects.filter(contract__isnull=False).values_list("supplier_id", flat=True)
    )
    assert 10 <= len(contracted) <= 25
    # No line is booked on a contract before it started,
    # and no line on a contract outside its term (an expired one until the next one started)
    terms = {
        pk: (start, end)
        for pk, start, end in Contract.objects.values_list("pk", "start_date", "end_date")
    }
    outside = [
        (contract, day)
        for contract, day in SpendLine.objects.filter(contract__isnull=False).values_list(
            "contract_id", "date"
        )
        if (term := terms[contract])[0] is None
        or day < term[0]
        or (term[1] is not None and day > term[1])
    ]
    assert outside == []


def test_items_have_quantities_and_contract_prices_their_variance(
    ledger: dict[str, Any],
) -> None:
    items = SpendLine.objects.exclude(item="")
    assert items.exists()
    assert not items.filter(quantity__isnull=True).exists()
    assert not SpendLine.objects.filter(item="", quantity__isnull=False).exists()
    # A priced line is a contract line of an item the contract has a price for
    priced = SpendLine.objects.filter(price_variance_cents__isnull=False)
    prices = set(ContractPrice.objects.values_list("contract_id", "item"))
    assert priced.exists()
    for contract_id, item, quantity, amount, variance in priced.values_list(
        "contract_id", "item", "quantity", "amount_base_cents", "price_variance_cents"
    ):
        assert (contract_id, item) in prices
        agreed = ContractPrice.objects.get(contract_id=contract_id, item=item).unit_price
        assert variance == amount - int(agreed * 100) * int(quantity)
        assert variance >= 0


def test_each_cost_center_buys_a_few_categories(ledger: dict[str, Any]) -> None:
    pairs = set(SpendLine.objects.values_list("cost_center_id", "category_id"))
    per_center = Counter(center for center, _ in pairs)
    assert len(per_center) == PLAN.cost_centers
    assert max(per_center.values()) <= 10 + 2  # ten each, and a category no one bought
    assert not SpendLine.objects.filter(Q(cost_center__isnull=True) | Q(category__isnull=True))


def test_the_same_seed_and_day_give_the_same_ledger(ledger: dict[str, Any]) -> None:
    assert ledger["first"]
    assert _fingerprint() == ledger["first"]


def test_the_off_contract_share_makes_a_fifth_of_the_spend_maverick() -> None:
    # Given the large plan's vendors, a third under contract (the larger the likelier), some
    # contracts starting during the three years
    rng = random.Random(3)
    count = 10_000
    shares = spend_shares(count)
    start = dt.date(2023, 4, 1)
    vendors = [
        VendorShape(supplier_id=rank, owner=None, categories=[1], score=0) for rank in range(count)
    ]
    for rank in sorted(range(count), key=lambda rank: rank * rng.random())[: count // 3]:
        vendors[rank].contract_id = rank
        vendors[rank].contract_start = start + dt.timedelta(days=rng.choice((-300, 0, 400)))
    # When the off-contract shares are set
    set_off_contract_shares(
        rng, LARGE, vendors, shares=shares, window_start=start, window_days=1095
    )
    # Then the spend expected without a contract is a fifth
    expected = 0.0
    for vendor, share in zip(vendors, shares, strict=True):
        if vendor.contract_start is None:
            expected += share
            continue
        before = min(1.0, max(0, (vendor.contract_start - start).days) / 1095)
        expected += share * (before + (1 - before) * vendor.off_contract)
    assert expected == pytest.approx(LARGE.maverick_share, abs=0.005)
