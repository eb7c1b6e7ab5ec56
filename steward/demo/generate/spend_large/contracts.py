"""The large ledger's contracts: the master agreements in force, new framework agreements up to
about a third of the vendors, the expired agreements those in force replaced, the agreed prices
of goods, and how often each vendor's lines go around its contract (maverick spend)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from steward.contracts.choices import ContractKind, ContractStatus, PeriodUnit
from steward.contracts.models import Contract
from steward.contracts.services.contracts import notice_deadline_of
from steward.demo.generate.context import DemoContext
from steward.demo.generate.spend_large.lines import MEAN_LINE_CENTS, months_of, spend_shares
from steward.demo.generate.spend_large.shapes import CategoryShape, LedgerPlan, VendorShape
from steward.demo.generate.vendor_plan import at_hour
from steward.demo.generate.writes import insert
from steward.spend.models import ContractPrice
from steward.spend.money import base_currency

MAVERICK_PRONE_SHARE = 0.04  # contracted vendors whose buyers often go around the contract
FIRST_CONTRACT_IN_WINDOW_SHARE = 0.1  # new agreements of vendors first put under contract then
PAYMENT_TERMS = ("30 days net", "45 days net", "60 days net")
CONTRACT_DISCOUNT_PERCENT = 93  # agreed price in percent of the vendor's list price


def put_under_contract(
    ctx: DemoContext,
    rng: random.Random,
    plan: LedgerPlan,
    vendors: list[VendorShape],
    categories: list[CategoryShape],
) -> None:
    """The master agreements in force, and new framework agreements up to about a third of the
    vendors (the larger a vendor, the likelier); an agreement in force that started during the
    three years replaced an earlier one, now expired, except for a few vendors first put under
    contract then. Last, how often each vendor's lines go around its contract, so that about
    ``plan.maverick_share`` of the spend is maverick."""
    in_force = _masters_in_force([v.supplier_id for v in vendors])
    for vendor in vendors:
        vendor.contract_id, vendor.contract_start = in_force.get(vendor.supplier_id, (None, None))
    wanted = round(len(vendors) * plan.contracted_share) - len(in_force)
    bare = sorted(
        (rank * rng.random(), rank) for rank, v in enumerate(vendors) if not v.contract_id
    )
    chosen = sorted(rank for _, rank in bare[: max(wanted, 0)])
    window_start = months_of(ctx.today, plan)[0].first_day
    window_days = (ctx.today - window_start).days
    shares = spend_shares(len(vendors))
    names = {c.pk: c.name for c in categories}
    first_time: set[int] = set()
    contracts: list[Contract] = []
    for rank in chosen:
        vendor = vendors[rank]
        start = window_start - dt.timedelta(days=rng.randint(30, 700))
        if rng.random() < FIRST_CONTRACT_IN_WINDOW_SHARE:
            start = window_start + dt.timedelta(days=rng.randint(30, max(31, window_days - 60)))
            first_time.add(rank)
        yearly = shares[rank] * plan.lines * MEAN_LINE_CENTS / 100 / (plan.months / 12)
        contracts.append(
            _framework(vendor, names, start=start, yearly=yearly * rng.uniform(0.8, 1.3))
        )
        contracts[-1].reference = f"FWA-{start:%Y}-{len(contracts):05d}"
        contracts[-1].payment_terms = rng.choice(PAYMENT_TERMS)
        vendor.contract_start = start
    insert(ctx, contracts, by=lambda c: c.owner, at=lambda c: _signed(ctx, c.start_date))
    for rank, contract in zip(chosen, contracts, strict=True):
        vendors[rank].contract_id = contract.pk
    _earlier_contracts(ctx, rng, vendors, names, window_start=window_start, skip=first_time)
    set_off_contract_shares(
        rng, plan, vendors, shares=shares, window_start=window_start, window_days=window_days
    )


def _framework(
    vendor: VendorShape, names: dict[int, str], *, start: dt.date, yearly: float
) -> Contract:
    """A framework agreement in force that runs until notice (no renewal deadline)."""
    return Contract(
        relationship_id=vendor.supplier_id,
        owner=vendor.owner,
        title=f"{names[vendor.categories[0]]} framework agreement",
        kind=ContractKind.MASTER,
        status=ContractStatus.ACTIVE,
        currency=base_currency(),
        annual_value=Decimal(max(1000, round(yearly, -3))),
        start_date=start,
        evergreen=True,
        notice_count=3,
        notice_unit=PeriodUnit.MONTHS,
    )


def _earlier_contracts(
    ctx: DemoContext,
    rng: random.Random,
    vendors: list[VendorShape],
    names: dict[int, str],
    *,
    window_start: dt.date,
    skip: set[int],
) -> None:
    """The expired agreement before each agreement in force that started during the window."""
    earlier: list[tuple[VendorShape, Contract]] = []
    for rank, vendor in enumerate(vendors):
        current = vendor.contract_start
        if vendor.contract_id is None or current is None or rank in skip:
            continue
        if current <= window_start:
            continue
        start = min(window_start, current) - dt.timedelta(days=rng.randint(30, 700))
        end = current - dt.timedelta(days=1)
        contract = Contract(
            relationship_id=vendor.supplier_id,
            owner=vendor.owner,
            title=f"{names[vendor.categories[0]]} agreement",
            kind=ContractKind.MASTER,
            reference=f"FWA-{start:%Y}-E{len(earlier) + 1:05d}",
            status=ContractStatus.EXPIRED,
            currency=base_currency(),
            payment_terms=rng.choice(PAYMENT_TERMS),
            start_date=start,
            term_months=max(1, round((end - start).days / 30.44)),
            end_date=end,
            notice_count=3,
            notice_unit=PeriodUnit.MONTHS,
        )
        contract.notice_deadline = notice_deadline_of(contract, ctx.today)
        earlier.append((vendor, contract))
    insert(
        ctx,
        [contract for _, contract in earlier],
        by=lambda c: c.owner,
        at=lambda c: _signed(ctx, c.start_date),
    )
    for vendor, contract in earlier:
        vendor.earlier_contract_id = contract.pk
        vendor.earlier_start = contract.start_date


def _masters_in_force(supplier_ids: list[int]) -> dict[int, tuple[int, dt.date]]:
    """The latest master agreement in force per vendor, with its start."""
    found: dict[int, tuple[int, dt.date]] = {}
    rows = (
        Contract.objects.filter(
            relationship_id__in=supplier_ids,
            kind=ContractKind.MASTER,
            status__in=(ContractStatus.ACTIVE, ContractStatus.EXPIRING),
            start_date__isnull=False,
            archived_at=None,
        )
        .order_by("relationship_id", "-start_date", "-pk")
        .values_list("relationship_id", "pk", "start_date")
    )
    for supplier_id, pk, start in rows:
        if start is not None:
            found.setdefault(supplier_id, (pk, start))
    return found


def set_off_contract_shares(
    rng: random.Random,
    plan: LedgerPlan,
    vendors: list[VendorShape],
    *,
    shares: list[float],
    window_start: dt.date,
    window_days: int,
) -> None:
    """Bought before the contract started or around it, or from a vendor without one: the
    off-contract share of contract lines is set so all of these make ``plan.maverick_share``."""
    outside = inside = 0.0
    for vendor, share in zip(vendors, shares, strict=True):
        vendor.second_share = rng.uniform(0.2, 0.45)
        first = vendor.earlier_start or vendor.contract_start
        if vendor.contract_id is None or first is None:
            outside += share
            continue
        before = min(1.0, max(0, (first - window_start).days) / window_days)
        vendor.off_contract = 5.0 if rng.random() < MAVERICK_PRONE_SHARE else 1.0
        outside += share * before
        inside += share * (1 - before) * vendor.off_contract
    base = min(0.5, max(0.01, (plan.maverick_share - outside) / inside)) if inside else 0.0
    for vendor in vendors:
        if vendor.contract_id is not None:
            vendor.off_contract = min(0.8, base * vendor.off_contract)


def price_lists(
    ctx: DemoContext, vendors: list[VendorShape], categories: list[CategoryShape], user: Any
) -> list[tuple[int, str, int]]:
    """The price list of each contract whose vendor sells goods in its first category: every
    item of it at a discount on the vendor's list price. Answers (contract, item, unit cents)."""
    by_pk = {category.pk: category for category in categories}
    prices: list[ContractPrice] = []
    agreed: list[tuple[int, str, int]] = []
    for vendor in vendors:
        category = by_pk[vendor.categories[0]]
        if vendor.contract_id is None or not category.items:
            continue
        for code, label, unit in category.items:
            listed = (unit * vendor.price_per_mille + 500) // 1000
            cents = (listed * CONTRACT_DISCOUNT_PERCENT + 50) // 100
            agreed.append((vendor.contract_id, code, cents))
            prices.append(
                ContractPrice(
                    contract_id=vendor.contract_id,
                    item=code,
                    description=label,
                    unit="each",
                    unit_price=Decimal(cents) / 100,
                    currency=base_currency(),
                    valid_from=vendor.contract_start,
                )
            )
    starts = {id(p): p.valid_from for p in prices}
    insert(ctx, prices, by=lambda p: user, at=lambda p: _signed(ctx, starts[id(p)]))
    return agreed


def _signed(ctx: DemoContext, day: dt.date | None) -> dt.datetime:
    """Noon ten days before ``day``, and never after the demo's now."""
    moment = at_hour((day or ctx.today) - dt.timedelta(days=10), 12)
    return min(moment, ctx.now - dt.timedelta(hours=2))
