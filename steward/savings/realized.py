"""Realized savings, measured from the spend that came after an initiative took effect.

Which spend: the spend segments of the initiative's vendor (and, when it names one, its
category; a category alone takes every vendor in it), in the *measured months*: the whole
calendar months from the effective date (the month it falls in when it is the 1st, else the
next one) up to the end date (its month when it is the month's last day, else the one before)
and never past the last whole month before today. A month only partly under the new terms, or
still running, would mix old and new prices or compare a part of a month with a whole one.

How, per baseline method:

- **unit price**: (baseline unit price - average unit price actually paid) x quantity bought,
  where the average is the amount over the quantity of the segments that carry a quantity. The
  ledger sums per vendor, category, contract and month, so a charge without units in such a
  segment (a surcharge on the same invoices) counts as part of what the units cost; a segment
  without any units has no price to compare and is left out. Month by month that is baseline
  unit price x quantity - amount paid, so the months add up to the whole.
- **annual spend**: the baseline prorated per month (baseline annual spend / 12) x months
  measured - the spend actually paid in those months.

Only initiatives in progress or delivered, with an effective date, are measured. Spend figures
are read through the reader's spend scope (``steward.spend.scope``): a vendor manager measures
over the spend they may see, finance over all of it. All initiatives of a list are measured
from one query over the segments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from steward.savings.choices import BaselineMethod, SavingsStatus
from steward.savings.models import SavingsInitiative
from steward.spend.models import SpendSegment
from steward.spend.money import month_add, month_end, month_of
from steward.spend.scope import SpendScope

CENT = Decimal("0.01")
UNIT = Decimal("0.0001")
MONTHS_PER_YEAR = Decimal(12)
MEASURED_STATUSES = frozenset({SavingsStatus.IN_PROGRESS, SavingsStatus.DELIVERED})


@dataclass(frozen=True)
class MonthFigure:
    month: int  # yyyymm
    amount: Decimal  # paid, base currency
    quantity: Decimal  # units bought (unit-price method: of the priced segments only)
    expected: Decimal  # what the month would have cost at the baseline
    realized: Decimal  # expected - amount, exact (rounded on display)


@dataclass(frozen=True)
class Realized:
    """What an initiative realized; ``realized`` is None when nothing can be measured yet."""

    reason: str  # why nothing is measured, '' when something is
    months: tuple[MonthFigure, ...] = ()
    amount: Decimal = Decimal(0)
    quantity: Decimal = Decimal(0)
    expected: Decimal = Decimal(0)
    realized: Decimal | None = None
    cumulative: tuple[Decimal, ...] = field(default=())

    @property
    def measured(self) -> bool:
        return self.realized is not None

    @property
    def average_unit_price(self) -> Decimal | None:
        if not self.quantity:
            return None
        return (self.amount / self.quantity).quantize(UNIT, ROUND_HALF_UP)


NOT_STARTED = "Measured once the initiative is in progress or delivered."
NO_DATE = "Measured from the effective date, which is not set."
NO_SUBJECT = "Name a vendor or a category to measure the spend against."
NO_BASELINE = "Give the baseline to measure against."
NO_MONTHS = "No whole month has passed under the new terms yet."
NO_SCOPE = "You may not see the spend this initiative is measured on."


def first_measured_month(effective: dt.date) -> int:
    month = month_of(effective)
    return month if effective.day == 1 else month_add(month, 1)


def measured_months(effective: dt.date, end: dt.date | None, today: dt.date) -> list[int]:
    """The whole months from ``effective`` to ``end`` that lie before ``today``'s month."""
    first = first_measured_month(effective)
    last = month_add(month_of(today), -1)
    if end is not None:
        end_month = month_of(end)
        last = min(last, end_month if end == month_end(end_month) else month_add(end_month, -1))
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = month_add(month, 1)
    return months


def _precondition(initiative: SavingsInitiative, scope: SpendScope) -> str:
    if initiative.status not in MEASURED_STATUSES:
        return NOT_STARTED
    if initiative.effective_date is None:
        return NO_DATE
    if initiative.supplier_id is None and initiative.category_id is None:
        return NO_SUBJECT
    unit = initiative.baseline_method == BaselineMethod.UNIT_PRICE
    if (initiative.baseline_unit_price if unit else initiative.baseline_annual_spend) is None:
        return NO_BASELINE
    if scope.nothing or (
        scope.supplier_ids is not None
        and initiative.supplier_id is not None
        and initiative.supplier_id not in scope.supplier_ids
    ):
        return NO_SCOPE
    return ""


# (supplier, category, month) -> (amount cents, quantity, amount cents of priced segments)
Cells = dict[tuple[int, int | None, int], tuple[int, Decimal, int]]


def _cells(initiatives: Sequence[SavingsInitiative], months: set[int], scope: SpendScope) -> Cells:
    """The segments every initiative needs, summed per (vendor, category, month): one query."""
    suppliers = {i.supplier_id for i in initiatives if i.supplier_id is not None}
    categories = {i.category_id for i in initiatives if i.supplier_id is None}
    if not months or not (suppliers or categories):
        return {}
    subject = Q()
    if suppliers:
        subject |= Q(supplier_id__in=sorted(suppliers))
    if categories:
        subject |= Q(category_id__in=sorted(categories))
    rows = SpendSegment.objects.filter(subject, month__gte=min(months), month__lte=max(months))
    if scope.supplier_ids is not None:
        rows = rows.filter(supplier_id__in=sorted(scope.supplier_ids))
    grouped = (
        rows.values("supplier_id", "category_id", "month")
        .annotate(
            # Named apart from the fields: the filter below means the segment's own quantity.
            paid_cents=Sum("amount_base_cents"),
            units=Sum("quantity"),
            priced_cents=Sum("amount_base_cents", filter=Q(quantity__gt=0)),
        )
        .order_by()
    )
    return {
        (row["supplier_id"], row["category_id"], row["month"]): (
            int(row["paid_cents"] or 0),
            Decimal(row["units"] or 0),
            int(row["priced_cents"] or 0),
        )
        for row in grouped
    }


def _month_figure(
    initiative: SavingsInitiative, month: int, cells: list[tuple[int, Decimal, int]]
) -> MonthFigure:
    if initiative.baseline_method == BaselineMethod.UNIT_PRICE:
        assert initiative.baseline_unit_price is not None
        amount = Decimal(sum(priced for _, _, priced in cells)) / 100
        quantity = sum((q for _, q, _ in cells), Decimal(0))
        expected = initiative.baseline_unit_price * quantity
    else:
        assert initiative.baseline_annual_spend is not None
        amount = Decimal(sum(cents for cents, _, _ in cells)) / 100
        quantity = sum((q for _, q, _ in cells), Decimal(0))
        expected = initiative.baseline_annual_spend / MONTHS_PER_YEAR
    return MonthFigure(
        month=month, amount=amount, quantity=quantity, expected=expected, realized=expected - amount
    )


def _matches(initiative: SavingsInitiative, supplier_id: int, category_id: int | None) -> bool:
    if initiative.supplier_id is not None and supplier_id != initiative.supplier_id:
        return False
    return initiative.category_id is None or category_id == initiative.category_id


def _measure_one(initiative: SavingsInitiative, months: list[int], cells: Cells) -> Realized:
    by_month: dict[int, list[tuple[int, Decimal, int]]] = defaultdict(list)
    for (supplier_id, category_id, month), values in cells.items():
        if month in months and _matches(initiative, supplier_id, category_id):
            by_month[month].append(values)
    figures = tuple(_month_figure(initiative, month, by_month.get(month, [])) for month in months)
    running = Decimal(0)
    cumulative = []
    for figure in figures:
        running += figure.realized
        cumulative.append(running.quantize(CENT, ROUND_HALF_UP))
    return Realized(
        reason="",
        months=figures,
        amount=sum((f.amount for f in figures), Decimal(0)),
        quantity=sum((f.quantity for f in figures), Decimal(0)),
        expected=sum((f.expected for f in figures), Decimal(0)).quantize(CENT, ROUND_HALF_UP),
        realized=running.quantize(CENT, ROUND_HALF_UP),
        cumulative=tuple(cumulative),
    )


def measure(
    initiatives: Iterable[SavingsInitiative], *, scope: SpendScope, today: dt.date
) -> dict[int, Realized]:
    """What each initiative realized by ``today``, by initiative id, from one query."""
    chosen = list(initiatives)
    reasons = {i.pk: _precondition(i, scope) for i in chosen}
    measurable = [i for i in chosen if not reasons[i.pk]]
    months_of: dict[int, list[int]] = {}
    for initiative in measurable:
        assert initiative.effective_date is not None
        months_of[initiative.pk] = measured_months(
            initiative.effective_date, initiative.end_date, today
        )
    all_months = {month for months in months_of.values() for month in months}
    cells = _cells([i for i in measurable if months_of[i.pk]], all_months, scope)
    results: dict[int, Realized] = {}
    for initiative in chosen:
        if reasons[initiative.pk]:
            results[initiative.pk] = Realized(reason=reasons[initiative.pk])
        elif not months_of[initiative.pk]:
            results[initiative.pk] = Realized(reason=NO_MONTHS)
        else:
            results[initiative.pk] = _measure_one(initiative, months_of[initiative.pk], cells)
    return results


def measure_one(initiative: SavingsInitiative, *, scope: SpendScope, today: dt.date) -> Realized:
    return measure([initiative], scope=scope, today=today)[initiative.pk]


@dataclass(frozen=True)
class RegisterTotals:
    """The register's sums over the initiatives shown, cancelled ones left out."""

    initiatives: int
    baseline: Decimal
    estimated: Decimal
    negotiated: Decimal
    realized: Decimal


def register_totals(
    initiatives: Iterable[SavingsInitiative], realized: dict[int, Realized]
) -> RegisterTotals:
    counted = [i for i in initiatives if i.status != SavingsStatus.CANCELLED]
    zero = Decimal("0.00")
    return RegisterTotals(
        initiatives=len(counted),
        baseline=sum((i.baseline_annual_spend or zero for i in counted), zero),
        estimated=sum((i.estimated_annual_savings or zero for i in counted), zero),
        negotiated=sum((i.negotiated_savings or zero for i in counted), zero),
        realized=sum(
            (r.realized for i in counted if (r := realized.get(i.pk)) and r.realized is not None),
            zero,
        ),
    )
