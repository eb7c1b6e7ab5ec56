"""Who spends in the spend story, on which terms, and who plays which part.

A vendor spends from the day it became active (or from the start of a contract that was signed
before Steward knew it: the ledger is older than the vendor's record) until it was offboarded;
prospects spend nothing. A contract bills while it is in force: from its start to its end, or
to the day it was terminated.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, ContractTransition
from steward.demo.generate import spend_vocabulary as words
from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import INDUSTRY_CATEGORIES
from steward.demo.generate.vendor_plan import VendorPlan, local_date
from steward.spend.money import month_add, month_end, month_of, month_start
from steward.suppliers.choices import Stage

MONTHS = 13  # twelve whole months and the current one
SPENDING_STAGES = (Stage.ACTIVE, Stage.UNDER_REVIEW, Stage.EXITING, Stage.OFFBOARDED)
BILLING_KINDS = (ContractKind.MASTER, ContractKind.ORDER_FORM, ContractKind.STATEMENT_OF_WORK)
NEVER_IN_FORCE = (
    ContractStatus.DRAFT,
    ContractStatus.IN_NEGOTIATION,
    ContractStatus.PENDING_APPROVAL,
)
USD_COUNTRIES = frozenset({"US", "CA", "MX", "BR", "IN"})
FRAGMENTED_VENDORS = 12  # vendors the fragmented category is spread over, at least


class Year:
    """The months of the story, its first and last day, and each month's exchange rates."""

    def __init__(self, today: dt.date) -> None:
        current = month_of(today)
        self.months = [month_add(current, offset) for offset in range(-(MONTHS - 1), 1)]
        self.first = month_start(self.months[0])
        self.last = today - dt.timedelta(days=1)
        self.rates: dict[str, dict[int, Decimal]] = {}  # currency -> month -> base per unit

    def days_of(self, month: int, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date] | None:
        """The days of ``month`` between ``first`` and ``last`` (and before today)."""
        start, end = max(month_start(month), first), min(month_end(month), last, self.last)
        return (start, end) if start <= end else None

    def rate(self, currency: str, day: dt.date) -> Decimal:
        rates = self.rates.get(currency)
        return Decimal(1) if rates is None else rates[month_of(day)]

    def back(self, month: int) -> int:
        """How many months before the current one ``month`` is."""
        current = self.months[-1]
        return (current // 100 - month // 100) * 12 + current % 100 - month % 100


@dataclass(frozen=True)
class Term:
    """A billing contract and the days of the year it was in force."""

    contract: Contract
    start: dt.date
    end: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def yearly_value(self) -> Decimal:
        """Its annual value, or its total value spread over its term."""
        contract = self.contract
        if contract.annual_value:
            return contract.annual_value
        if contract.total_value and contract.term_months:
            return contract.total_value * 12 / contract.term_months
        return Decimal(0)


@dataclass
class Vendor:
    plan: VendorPlan
    organization: Any
    first: dt.date  # the first and last day it could bill this year
    last: dt.date
    currency: str  # what it bills in without a contract
    terms: list[Term] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.plan.pk

    @property
    def supplier(self) -> Any:
        return self.plan.supplier

    @property
    def codes(self) -> list[str]:
        return [category.code for category in self.plan.categories]

    @property
    def planned_spend(self) -> Decimal:
        """What its segmentation inputs say it spends in a year."""
        return Decimal(self.plan.inputs.get("annual_spend") or self.supplier.annual_spend or 0)

    def billing_term(self, rng: random.Random, day: dt.date) -> Term | None:
        """A contract in force on ``day``, the more valuable ones more often."""
        terms = [term for term in self.terms if term.covers(day)]
        if len(terms) < 2:
            return terms[0] if terms else None
        weights = [float(term.yearly_value) or 1.0 for term in terms]
        return rng.choices(terms, weights=weights)[0]

    def master(self) -> Term | None:
        """Its most valuable master agreement in force this year."""
        masters = [t for t in self.terms if t.contract.kind == ContractKind.MASTER]
        return max(masters, key=lambda t: t.yearly_value, default=None)


@dataclass
class Cast:
    main: Vendor | None = None  # the demo vendor manager's vendor, with the managed services
    under_used: Vendor | None = None  # its agreement commits far more than it bills
    dominant: Vendor | None = None  # holds most of the concentrated category
    concentrated: str = ""
    maverick: Vendor | None = None  # large spend, no contract
    fragmented: list[Vendor] = field(default_factory=list)

    def parts(self) -> set[int]:
        chosen = (self.main, self.under_used, self.dominant, self.maverick)
        return {vendor.pk for vendor in chosen if vendor is not None}


def spending_vendors(ctx: DemoContext, year: Year) -> list[Vendor]:
    """Vendors that could bill at some point of the year, in the generator's order."""
    organizations = {org.pk: org for org in ctx.organizations}
    plans = [
        plan
        for plan in ctx.vendors
        if plan.supplier is not None
        and plan.stage in SPENDING_STAGES
        and plan.entered(Stage.ACTIVE) is not None
    ]
    contracts = _billing_contracts([plan.pk for plan in plans])
    vendors = []
    for plan in plans:
        became_active = plan.entered(Stage.ACTIVE)
        assert became_active is not None
        signed = [c.start_date for c in contracts.get(plan.pk, []) if c.start_date]
        first = max(year.first, min([local_date(became_active), *signed]))
        left = plan.entered(Stage.OFFBOARDED, last=True)
        last = year.last if left is None else min(year.last, local_date(left) - _day())
        if first > last:
            continue
        organization = organizations[plan.relationship.organization_id]
        country = str(organization.country or "")
        currency = "USD" if country in USD_COUNTRIES else "GBP" if country == "GB" else "EUR"
        vendor = Vendor(plan, organization, first, last, currency)
        vendor.terms = _terms(vendor, contracts.get(plan.pk, []))
        vendors.append(vendor)
    return vendors


def _billing_contracts(relationship_ids: list[int]) -> dict[int, list[Contract]]:
    """Contracts that bill (not NDAs or DPAs) and were ever in force, with the day each
    terminated one ended."""
    contracts = list(
        Contract.objects.filter(
            relationship_id__in=relationship_ids,
            kind__in=BILLING_KINDS,
            start_date__isnull=False,
        )
        .exclude(status__in=NEVER_IN_FORCE)
        .order_by("start_date", "pk")
    )
    ended = dict(
        ContractTransition.objects.filter(
            contract__in=contracts, to_status=ContractStatus.TERMINATED
        ).values_list("contract_id", "at")
    )
    found: dict[int, list[Contract]] = {}
    for contract in contracts:
        if contract.pk in ended:
            terminated = local_date(ended[contract.pk])
            contract.end_date = min(contract.end_date or terminated, terminated)
        found.setdefault(contract.relationship_id, []).append(contract)
    return found


def _terms(vendor: Vendor, contracts: list[Contract]) -> list[Term]:
    terms = []
    for contract in contracts:
        assert contract.start_date is not None
        start = max(contract.start_date, vendor.first)
        end = min(contract.end_date or vendor.last, vendor.last)
        if start <= end:
            terms.append(Term(contract, start, end))
    return terms


def cast_stories(ctx: DemoContext, vendors: list[Vendor], year: Year) -> Cast:
    """Give each part to a vendor: the demo vendor manager's (and their reports') first."""
    lead = ctx.users["senior_vendor_manager"][0]

    def preference(vendor: Vendor) -> int:
        if vendor.plan.owner.pk == lead.pk:
            return 0
        return 1 if vendor.plan.owner.profile.manager_id == lead.pk else 2

    def whole_year_master(vendor: Vendor) -> Decimal:
        master = vendor.master()
        if master is None or master.start > year.first or master.end < year.last:
            return Decimal(0)
        return master.contract.annual_value or Decimal(0)

    cast = Cast()
    running = sorted((v for v in vendors if v.plan.stage == Stage.ACTIVE), key=preference)
    # The contract story gave its managed-services agreement to the first of these.
    cast.main = running[0] if running else None
    steady = [v for v in running[1:] if v.first == year.first and v.last == year.last]
    contracted = sorted(
        (v for v in steady if whole_year_master(v)), key=lambda v: (-whole_year_master(v), v.pk)
    )
    cast.under_used = contracted[0] if contracted else None
    taken = {words.FRAGMENTED_CATEGORY, words.MAIN_CATEGORY, *story_codes(cast.under_used)[:1]}
    for vendor in contracted[1:]:
        codes = story_codes(vendor)
        if codes and codes[0] not in taken:
            cast.dominant, cast.concentrated = vendor, codes[0]
            break
    free = [
        v
        for v in steady
        if v.pk not in cast.parts() and not v.terms and maverick_codes(v, cast.concentrated)
    ]
    free.sort(key=lambda v: (preference(v), -v.planned_spend, v.pk))
    cast.maverick = free[0] if free else None
    cast.fragmented = _fragmented(vendors, cast)
    return cast


def _fragmented(vendors: list[Vendor], cast: Cast) -> list[Vendor]:
    """Everyone who sells the fragmented category, and enough others paid by card."""
    code = words.FRAGMENTED_CATEGORY
    sellers = [v for v in vendors if code in v.codes]
    suited = {industry for industry, codes in INDUSTRY_CATEGORIES.items() if code in codes}
    others = sorted(
        (v for v in vendors if code not in v.codes and v.pk not in cast.parts()),
        key=lambda v: (v.organization.industry not in suited, -(v.last - v.first).days, v.pk),
    )
    return sellers + others[: max(0, FRAGMENTED_VENDORS - len(sellers))]


def story_codes(vendor: Vendor | None) -> list[str]:
    """A vendor's categories other than the two the stories fill on their own."""
    if vendor is None:
        return []
    return [c for c in vendor.codes if c not in (words.FRAGMENTED_CATEGORY, words.MAIN_CATEGORY)]


def maverick_codes(vendor: Vendor, concentrated: str) -> list[str]:
    return [c for c in story_codes(vendor) if c != concentrated]


def _day() -> dt.timedelta:
    return dt.timedelta(days=1)
