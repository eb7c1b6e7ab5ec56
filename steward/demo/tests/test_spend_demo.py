"""The small demo's spend tells its stories: a year of monthly imports, a fragmented category, a
maverick vendor, a concentrated category, the main vendor paid above its contracted prices, an
agreement used far below its commitment, foreign currencies converted — the same every time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from steward.contracts.choices import ContractStatus
from steward.contracts.models import Contract
from steward.demo import generate as generation
from steward.demo.generate import performance, spend
from steward.demo.services import DemoLoadResult, demo_load
from steward.scorecards.choices import PlanStatus
from steward.scorecards.models import ImprovementPlan
from steward.spend.choices import ImportStatus, RuleField, SourceKind
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendLine,
    SpendSegment,
    SpendSource,
    VendorAlias,
)
from steward.spend.money import month_add, month_of, month_start, to_cents
from steward.suppliers.models import Category, Supplier

pytestmark = pytest.mark.django_db

Totals = dict[str, Any]


@contextmanager
def spend_steps() -> Iterator[None]:
    """The generator's steps with the spend step, whether or not the lead has wired it yet."""
    if spend.create_spend in generation.STEPS:
        yield
        return
    steps = list(generation.STEPS)
    steps.insert(steps.index(performance.create_performance) + 1, spend.create_spend)
    steps.append(spend.describe_logins)
    with mock.patch.object(generation, "STEPS", steps):
        yield


def totals() -> Totals:
    """The ledger and its imports by natural keys (names, codes, months), never database ids."""
    names = dict(Supplier.objects.values_list("pk", "relationship__organization__legal_name"))
    codes = dict(Category.objects.values_list("pk", "code"))
    references = dict(Contract.objects.values_list("pk", "reference"))
    cells = (
        SpendLine.objects.values("supplier", "category", "contract", "month", "currency")
        .annotate(
            lines=Count("id"),
            cents=Sum("amount_base_cents"),
            paid=Sum("amount"),
            variance=Sum("price_variance_cents"),
        )
        .order_by()
    )
    return {
        "lines": sorted(
            (
                names[c["supplier"]],
                codes.get(c["category"], ""),
                references.get(c["contract"], ""),
                c["month"],
                c["currency"],
                c["lines"],
                c["cents"],
                Decimal(c["paid"]).quantize(Decimal("0.01")),
                c["variance"],
            )
            for c in cells
        ),
        "imports": sorted(
            SpendImport.objects.values_list(
                "source__name",
                "filename",
                "sha256",
                "rows_read",
                "lines_added",
                "amount_base_cents",
            )
        ),
        "rates": sorted(ExchangeRate.objects.values_list("currency", "rate_date", "rate")),
        "prices": sorted(
            ContractPrice.objects.values_list("contract__reference", "item", "unit_price")
        ),
    }


@pytest.fixture(scope="module")
def spend_world(
    django_db_setup: Any, django_db_blocker: Any
) -> Iterator[tuple[DemoLoadResult, Totals, Totals]]:
    """The small data loaded twice with the same seed: the first load is described and rolled
    back, the second stays for the module's tests."""
    with spend_steps(), django_db_blocker.unblock():
        with transaction.atomic():
            demo_load(size="small")
            first = totals()
            transaction.set_rollback(True)
        with transaction.atomic():
            result = demo_load(size="small")
            yield result, first, totals()
            transaction.set_rollback(True)


@pytest.fixture
def loaded(spend_world: tuple[DemoLoadResult, Totals, Totals], db: Any) -> DemoLoadResult:
    return spend_world[0]


def last_12_months() -> list[int]:
    current = month_of(timezone.localdate())
    return [month_add(current, offset) for offset in range(-12, 0)]


def spend_by(field: str, **conditions: Any) -> dict[Any, int]:
    """Base cents over the last twelve whole months, by ``field``."""
    months = last_12_months()
    rows = (
        SpendLine.objects.filter(month__gte=months[0], month__lte=months[-1], **conditions)
        .values(field)
        .annotate(cents=Sum("amount_base_cents"))
        .order_by()
    )
    return {row[field]: row["cents"] for row in rows}


def shares_by_category() -> dict[int, dict[int, int]]:
    months = last_12_months()
    cells = (
        SpendLine.objects.filter(month__gte=months[0], month__lte=months[-1])
        .values("category", "supplier")
        .annotate(cents=Sum("amount_base_cents"))
        .order_by()
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for cell in cells:
        found[cell["category"]][cell["supplier"]] = cell["cents"]
    return found


def hhi(amounts: dict[int, int]) -> Decimal:
    total = sum(amounts.values())
    return sum(((Decimal(100 * cents) / total) ** 2 for cents in amounts.values()), Decimal(0))


def test_finance_imported_both_sources_every_month(loaded: DemoLoadResult) -> None:
    today = timezone.localdate()
    months = last_12_months() + ([month_of(today)] if today.day > 1 else [])
    # Then there are two sources with their column mappings
    erp = SpendSource.objects.get(kind=SourceKind.INVOICE)
    cards = SpendSource.objects.get(kind=SourceKind.CARD)
    assert {"date", "amount", "vendor_name"} <= set(erp.mapping) & set(cards.mapping)
    # And one finished import per source and month, by a finance user, with its file
    for source in (erp, cards):
        imports = SpendImport.objects.filter(source=source).order_by("created_at")
        months_of = defaultdict(set)
        for batch_id, month in SpendLine.objects.filter(batch__source=source).values_list(
            "batch", "month"
        ):
            months_of[batch_id].add(month)
        assert [sorted(months_of[batch.pk]) for batch in imports] == [[m] for m in months]
        for batch in imports:
            assert batch.status == ImportStatus.DONE
            assert batch.created_by.profile.function == "finance"
            assert batch.created_at < timezone.now()
            assert batch.rows_read == batch.lines_added > 0
            assert batch.lines_skipped == 0
            assert not batch.errors
            lines = SpendLine.objects.filter(batch=batch)
            assert lines.count() == batch.lines_added
            assert lines.aggregate(s=Sum("amount_base_cents"))["s"] == batch.amount_base_cents
            assert (batch.first_line_id, batch.last_line_id) == (
                lines.order_by("id").first().id,
                lines.order_by("id").last().id,
            )
            with batch.file.open("rb") as handle:
                rows = handle.read().decode().splitlines()
            assert rows[0].split(",")[0] == source.mapping["date"]
            assert len(rows) == batch.rows_read + 1
    # And a year of spend is a few thousand lines, every one of them in a segment
    assert 1_000 <= SpendLine.objects.count() <= 10_000
    assert (
        SpendSegment.objects.aggregate(s=Sum("amount_base_cents"))["s"]
        == SpendLine.objects.aggregate(s=Sum("amount_base_cents"))["s"]
    )


def test_a_category_is_fragmented_over_many_vendors(loaded: DemoLoadResult) -> None:
    # Given what each vendor sold of each category over the last twelve months
    fragmented = [
        (category, vendors)
        for category, vendors in shares_by_category().items()
        if len(vendors) >= 8 and hhi(vendors) < 1500
    ]
    # Then at least one category is spread over eight or more vendors with an HHI under 1,500
    assert fragmented
    # And part of it was paid by corporate card
    categories = [category for category, _ in fragmented]
    assert SpendLine.objects.filter(
        category__in=categories, batch__source__kind=SourceKind.CARD
    ).exists()


def test_a_maverick_vendor_spends_a_lot_without_a_contract(loaded: DemoLoadResult) -> None:
    # Given the vendors' spend without a contract over the last twelve months
    off_contract = sorted(spend_by("supplier", contract__isnull=True).items(), key=lambda i: -i[1])
    (maverick, amount), (_, runner_up) = off_contract[0], off_contract[1]
    total = sum(spend_by("supplier").values())
    # Then the largest is large: a tenth of all spend, three times the next one
    assert amount * 10 >= total
    assert amount >= 3 * runner_up
    # And none of its lines names a contract, and no contract of it is in force
    assert not SpendLine.objects.filter(supplier=maverick, contract__isnull=False).exists()
    today = timezone.localdate()
    in_force = Contract.objects.filter(
        relationship_id=maverick,
        status__in=[ContractStatus.ACTIVE, ContractStatus.EXPIRING],
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    assert not in_force.exists()
    # And it spent in every month
    assert len(spend_by("month", supplier=maverick)) == 12


def test_a_category_is_concentrated_on_one_vendor(loaded: DemoLoadResult) -> None:
    # Given the categories bought from several vendors, one of whom holds 80 % or more
    concentrated = {
        category: max(vendors, key=vendors.__getitem__)
        for category, vendors in shares_by_category().items()
        if len(vendors) >= 2 and max(vendors.values()) * 100 >= 80 * sum(vendors.values())
    }
    # Then in one of them that vendor is paid mostly on its contracts
    on_contract = [
        category
        for category, top in concentrated.items()
        if spend_by("supplier", category=category, contract__isnull=False).get(top, 0) * 2
        > spend_by("supplier", category=category)[top]
    ]
    assert on_contract


def test_the_main_vendor_bills_monthly_on_its_contract_above_agreed_prices(
    loaded: DemoLoadResult,
) -> None:
    # Given the demo vendor manager's main vendor (the one with an improvement plan)
    plan = ImprovementPlan.objects.get(owner__username="vendor.manager", status=PlanStatus.OPEN)
    vendor = plan.relationship_id
    # Then it was paid every month on a contract of the vendor manager
    on_contract = spend_by("month", supplier=vendor, contract__owner__username="vendor.manager")
    assert sorted(on_contract) == last_12_months()
    # And that contract has agreed prices, and some lines were paid above them
    priced = SpendLine.objects.filter(supplier=vendor, price_variance_cents__isnull=False)
    contract_ids = set(priced.values_list("contract", flat=True))
    assert ContractPrice.objects.filter(contract__in=contract_ids).count() >= 3
    assert priced.aggregate(v=Sum("price_variance_cents"))["v"] > 0
    assert priced.filter(price_variance_cents=0).exists()
    # And the segments carry the same variance as the lines
    segments = SpendSegment.objects.filter(supplier=vendor)
    assert (
        segments.aggregate(v=Sum("price_variance_cents"))["v"]
        == priced.aggregate(v=Sum("price_variance_cents"))["v"]
    )


def test_an_agreement_is_used_far_below_its_commitment(loaded: DemoLoadResult) -> None:
    months = last_12_months()
    first, last = month_start(months[0]), timezone.localdate()
    whole_year = Contract.objects.filter(
        annual_value__gt=0, start_date__lte=first, end_date__gte=last, status=ContractStatus.ACTIVE
    )
    actual = spend_by("contract", contract__in=whole_year)
    # Then an agreement in force all year billed less than half of its annual value
    used = [
        Decimal(actual.get(contract.pk, 0)) / 100 / contract.annual_value
        for contract in whole_year
        if contract.annual_value
    ]
    assert any(Decimal("0.1") < share < Decimal("0.5") for share in used)


def test_foreign_currencies_are_converted_at_the_months_rate(loaded: DemoLoadResult) -> None:
    rates = {(r.currency, r.rate_date): r.rate for r in ExchangeRate.objects.all()}
    # Then USD and GBP have a rate on the first of every month of the year
    for currency in ("USD", "GBP"):
        for month in last_12_months():
            assert (currency, month_start(month)) in rates
    # And every foreign line's base amount is its amount at its month's rate
    foreign = SpendLine.objects.exclude(currency="EUR")
    assert set(foreign.values_list("currency", flat=True)) == {"USD", "GBP"}
    for line in foreign:
        rate = rates[(line.currency, line.date.replace(day=1))]
        assert line.amount_base_cents == to_cents(line.amount * rate)


def test_reference_data_is_set_up(loaded: DemoLoadResult) -> None:
    assert CostCenter.objects.count() >= 12
    kinds = set(CategoryRule.objects.values_list("field", flat=True))
    assert kinds == set(RuleField.values)
    # Card merchants' names were confirmed once as vendors
    aliases = VendorAlias.objects.all()
    assert aliases.exists()
    card_vendors = set(
        SpendLine.objects.filter(batch__source__kind=SourceKind.CARD).values_list(
            "supplier", flat=True
        )
    )
    assert set(aliases.values_list("supplier", flat=True)) <= card_vendors
    # And every line's cost center and category exist
    lines = SpendLine.objects.all()
    assert not lines.filter(cost_center__isnull=True).exists()
    assert not lines.exclude(cost_center__in=CostCenter.objects.all()).exists()
    assert not lines.exclude(category__in=Category.objects.all()).exists()
    # And no line lies in the future or before the year
    first = month_start(last_12_months()[0])
    assert not lines.filter(Q(date__gte=timezone.localdate()) | Q(date__lt=first)).exists()


def test_finance_has_a_login(loaded: DemoLoadResult) -> None:
    finance = [login for login in loaded.logins if login.role == "Finance"]
    assert finance
    assert "spend" in finance[0].sees


def test_the_same_seed_gives_the_same_spend(
    spend_world: tuple[DemoLoadResult, Totals, Totals], db: Any
) -> None:
    _, first, second = spend_world
    assert first == second
    assert len(first["lines"]) > 100
