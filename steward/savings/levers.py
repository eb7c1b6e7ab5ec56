"""Levers: savings the ledger suggests, each with the figures behind it and an estimated saving.

Computed from the last twelve whole months of spend through ``steward.spend.analytics``, over
the spend the user may see (``steward.spend.scope.scope_for``):

- **consolidate a fragmented category**: a category spread over at least
  ``CONSOLIDATION_MIN_VENDORS`` vendors with no dominant one (HHI below 1500; analytics'
  ``consolidation``). Bundling the volume with fewer vendors is estimated to save
  ``CONSOLIDATION_SAVING_RATE`` of the category's spend.
- **volume commitment or longer term**: a vendor whose monthly spend is steady — spend in at
  least ``STEADY_MIN_MONTHS`` of the 12 months and a coefficient of variation (population
  standard deviation / mean of the amounts of the months with spend) of at most
  ``STEADY_MAX_CV`` — and that has no contract in force (offer a volume commitment,
  ``VOLUME_COMMITMENT_SAVING_RATE`` of its spend) or whose contracts in force all end within
  ``CONTRACT_ENDING_MONTHS`` months (offer a longer term, ``LONGER_TERM_SAVING_RATE``).
- **move off-contract spend onto contracts**: a vendor with at least ``OFF_CONTRACT_MIN_CENTS``
  of spend on lines without a contract (analytics' ``maverick`` by vendor); contracted prices
  are estimated ``OFF_CONTRACT_SAVING_RATE`` below what is paid without one.

The rates are deliberately conservative planning figures, not promises; the initiative made from
a lever records the estimate, and the realized saving is measured from later spend.

A lever has a stable key (``consolidation-category-12``, ``volume_commitment-supplier-7``, …);
``savings_initiative_from_lever`` turns it into an initiative that remembers the key, and the
lever is then shown as taken up rather than offered again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from steward.contracts.lifecycle import IN_FORCE
from steward.contracts.models import Contract
from steward.core.access import Action
from steward.savings.choices import SavingsKind
from steward.savings.models import SavingsInitiative
from steward.spend import analytics
from steward.spend.analytics.period import Period
from steward.spend.money import from_cents, month_label
from steward.spend.scope import SpendScope
from steward.suppliers.models import Category, Supplier

CONSOLIDATION_MIN_VENDORS = 5
CONSOLIDATION_SAVING_RATE = Decimal("0.08")
STEADY_MIN_MONTHS = 10
STEADY_MAX_CV = Decimal("0.35")
CONTRACT_ENDING_MONTHS = 6
VOLUME_COMMITMENT_SAVING_RATE = Decimal("0.05")
LONGER_TERM_SAVING_RATE = Decimal("0.03")
OFF_CONTRACT_MIN_CENTS = 1_000_000  # 10,000.00 in the base currency
OFF_CONTRACT_SAVING_RATE = Decimal("0.06")

# The order the levers page shows its sections in.
LEVER_KINDS = (
    SavingsKind.CONSOLIDATION,
    SavingsKind.VOLUME_COMMITMENT,
    SavingsKind.LONGER_TERM,
    SavingsKind.OFF_CONTRACT,
)


@dataclass(frozen=True)
class Lever:
    key: str
    kind: str  # a SavingsKind
    title: str
    reason: str
    supplier_id: int | None
    category_id: int | None
    contract_id: int | None  # the contract in force that ends soon (longer term)
    spend_cents: int  # the twelve months' spend the lever applies to
    rate: Decimal  # the share of it estimated to be saved
    figures: tuple[tuple[str, str], ...]  # (label, value) behind the suggestion
    period: Period
    supplier_name: str = ""
    category_name: str = ""
    initiative_id: int | None = None  # the initiative it was taken up in, if any
    taken_up: bool = False

    @property
    def estimated_saving_cents(self) -> int:
        return int((Decimal(self.spend_cents) * self.rate).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def estimated_saving(self) -> Decimal:
        return from_cents(self.estimated_saving_cents)

    @property
    def spend(self) -> Decimal:
        return from_cents(self.spend_cents)

    @property
    def kind_label(self) -> str:
        return str(SavingsKind(self.kind).label)


def lever_key(kind: str, subject: str, pk: int) -> str:
    return f"{kind}-{subject}-{pk}"


def _money(cents: int) -> str:
    return f"{from_cents(cents):,}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


# --- steadiness -----------------------------------------------------------------------------------


def steadiness(monthly_cents: Sequence[int]) -> tuple[int, Decimal | None]:
    """(months with spend, coefficient of variation) of a vendor's monthly amounts.

    The coefficient is the population standard deviation over the mean of the months with
    spend (above 0): how even the spend is when the vendor is used; how often it is used is the
    count. None when no month has spend.
    """
    spent = [Decimal(amount) for amount in monthly_cents if amount > 0]
    if not spent:
        return 0, None
    mean = sum(spent, Decimal(0)) / len(spent)
    variance = sum(((amount - mean) ** 2 for amount in spent), Decimal(0)) / len(spent)
    return len(spent), (variance.sqrt() / mean).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def is_steady(monthly_cents: Sequence[int]) -> bool:
    months, cv = steadiness(monthly_cents)
    return months >= STEADY_MIN_MONTHS and cv is not None and cv <= STEADY_MAX_CV


def months_later(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- the three kinds ------------------------------------------------------------------------------


def consolidation_levers(scope: SpendScope, period: Period) -> list[Lever]:
    rows = analytics.consolidation(scope, period, min_vendors=CONSOLIDATION_MIN_VENDORS)
    return [
        Lever(
            key=lever_key(SavingsKind.CONSOLIDATION, "category", row.category_id),
            kind=SavingsKind.CONSOLIDATION,
            title="Consolidate a fragmented category",
            reason=(
                f"{row.vendors} vendors share the category and none dominates (HHI {row.hhi}); "
                "bundling the volume with fewer of them buys better terms."
            ),
            supplier_id=None,
            category_id=row.category_id,
            contract_id=None,
            spend_cents=row.amount_cents,
            rate=CONSOLIDATION_SAVING_RATE,
            figures=(
                ("Category spend", _money(row.amount_cents)),
                ("Vendors with spend", str(row.vendors)),
                ("Top vendor's share", f"{row.top_share} %"),
                ("HHI", str(row.hhi)),
                ("Saving assumed", _percent(CONSOLIDATION_SAVING_RATE)),
            ),
            period=period,
        )
        for row in rows
        if row.amount_cents > 0
    ]


def _monthly_by_supplier(scope: SpendScope, period: Period) -> dict[int, list[int]]:
    months = period.months()
    position = {month: index for index, month in enumerate(months)}
    monthly: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    for row in analytics.cube(scope, period, dims=("supplier", "month")):
        supplier_id, month = row.keys
        if supplier_id is not None and month in position:
            monthly[supplier_id][position[month]] += row.amount_cents
    return dict(monthly)


def _contract_ends(supplier_ids: Iterable[int]) -> dict[int, list[tuple[int, dt.date | None]]]:
    """(contract id, end of term or None when open-ended) of each vendor's contracts in force.

    Every contract counts, not only those the user may see: whether a vendor is under contract
    is a fact about the vendor, and leaving out contracts one may not see would suggest a volume
    commitment to a vendor that has one. Only the end date is shown, never the contract.
    """
    ends: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    rows = Contract.objects.filter(
        relationship_id__in=sorted(supplier_ids), status__in=IN_FORCE, archived_at__isnull=True
    ).values_list("relationship_id", "pk", "end_date", "evergreen")
    for relationship_id, pk, end_date, evergreen in rows:
        ends[relationship_id].append((pk, None if evergreen else end_date))
    return ends


def steady_levers(scope: SpendScope, period: Period, today: dt.date) -> list[Lever]:
    monthly = _monthly_by_supplier(scope, period)
    steady = {pk: amounts for pk, amounts in monthly.items() if is_steady(amounts)}
    contracts = _contract_ends(steady)
    horizon = months_later(today, CONTRACT_ENDING_MONTHS)
    levers = []
    for supplier_id, amounts in steady.items():
        months, cv = steadiness(amounts)
        in_force = contracts.get(supplier_id, [])
        ends = [end for _, end in in_force]
        if in_force and (None in ends or max(e for e in ends if e is not None) > horizon):
            continue  # under contract beyond the horizon: nothing to offer now
        base = (
            ("Spend over 12 months", _money(sum(amounts))),
            ("Months with spend", f"{months} of {len(amounts)}"),
            ("Coefficient of variation", f"{cv}"),
        )
        if not in_force:
            kind, rate, contract_id = (
                SavingsKind.VOLUME_COMMITMENT,
                VOLUME_COMMITMENT_SAVING_RATE,
                None,
            )
            title = "Offer a volume commitment"
            reason = "Spend is steady month after month and no contract is in force."
            figures = (*base, ("Contract in force", "none"))
        else:
            last_pk, last_end = max(
                ((pk, end) for pk, end in in_force if end is not None), key=lambda pair: pair[1]
            )
            kind, rate, contract_id = SavingsKind.LONGER_TERM, LONGER_TERM_SAVING_RATE, last_pk
            title = "Offer a longer term"
            reason = (
                f"Spend is steady and the contract ends on {last_end:%Y-%m-%d}, within "
                f"{CONTRACT_ENDING_MONTHS} months."
            )
            figures = (*base, ("Contract ends", f"{last_end:%Y-%m-%d}"))
        levers.append(
            Lever(
                key=lever_key(kind, "supplier", supplier_id),
                kind=kind,
                title=title,
                reason=reason,
                supplier_id=supplier_id,
                category_id=None,
                contract_id=contract_id,
                spend_cents=sum(amounts),
                rate=rate,
                figures=(*figures, ("Saving assumed", _percent(rate))),
                period=period,
            )
        )
    return levers


def off_contract_levers(scope: SpendScope, period: Period) -> list[Lever]:
    summary = analytics.maverick(scope, period)
    levers = []
    for supplier_id, amount_cents, lines in summary.by_supplier:
        if supplier_id is None or amount_cents < OFF_CONTRACT_MIN_CENTS:
            continue
        levers.append(
            Lever(
                key=lever_key(SavingsKind.OFF_CONTRACT, "supplier", supplier_id),
                kind=SavingsKind.OFF_CONTRACT,
                title="Move off-contract spend onto a contract",
                reason=(
                    f"{lines} line{'s' if lines != 1 else ''} paid without a contract; "
                    "contracted prices and terms would apply to them."
                ),
                supplier_id=supplier_id,
                category_id=None,
                contract_id=None,
                spend_cents=amount_cents,
                rate=OFF_CONTRACT_SAVING_RATE,
                figures=(
                    ("Off-contract spend", _money(amount_cents)),
                    ("Off-contract lines", str(lines)),
                    ("Threshold", _money(OFF_CONTRACT_MIN_CENTS)),
                    ("Saving assumed", _percent(OFF_CONTRACT_SAVING_RATE)),
                ),
                period=period,
            )
        )
    return levers


# --- all of them, named and marked ----------------------------------------------------------------


def _named(levers: list[Lever]) -> list[Lever]:
    supplier_ids = {lever.supplier_id for lever in levers if lever.supplier_id is not None}
    category_ids = {lever.category_id for lever in levers if lever.category_id is not None}
    suppliers = {
        s.pk: str(s)
        for s in Supplier.objects.filter(pk__in=sorted(supplier_ids)).select_related(
            "relationship__organization"
        )
    }
    categories = dict(
        Category.objects.filter(pk__in=sorted(category_ids)).values_list("pk", "name")
    )
    return [
        replace(
            lever,
            supplier_name=suppliers.get(lever.supplier_id, "") if lever.supplier_id else "",
            category_name=categories.get(lever.category_id, "") if lever.category_id else "",
        )
        for lever in levers
    ]


def _marked(levers: list[Lever], user: Any) -> list[Lever]:
    """Mark the levers an initiative (not archived) was made from; link the ones ``user`` sees.

    Initiatives made from levers are few, levers may be thousands: the initiatives' keys are
    read, not the levers' looked up.
    """
    taken_up = SavingsInitiative.objects.filter(archived_at__isnull=True).exclude(lever_key="")
    taken = set(taken_up.values_list("lever_key", flat=True))
    visible = dict(
        taken_up.restrict(user, Action.VIEW).order_by("pk").values_list("lever_key", "pk")
    )
    return [
        replace(lever, taken_up=lever.key in taken, initiative_id=visible.get(lever.key))
        for lever in levers
    ]


def suggest_levers(*, user: Any, scope: SpendScope, today: dt.date) -> list[Lever]:
    """Every lever over the last twelve whole months, by kind, largest estimated saving first."""
    period = Period.last_12_months(today)
    if scope.nothing:
        return []
    levers = [
        *consolidation_levers(scope, period),
        *steady_levers(scope, period, today),
        *off_contract_levers(scope, period),
    ]
    order: dict[str, int] = {kind: index for index, kind in enumerate(LEVER_KINDS)}
    levers.sort(key=lambda lever: (order[lever.kind], -lever.estimated_saving_cents, lever.key))
    return _marked(_named(levers), user)


def period_label(period: Period) -> str:
    return f"{month_label(period.first)} to {month_label(period.last)}"
