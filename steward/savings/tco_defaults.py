"""Suggested inputs for a vendor added to a TCO comparison, each with where it came from.

When an option is added without a value for one of these inputs, the service fills it in from
what Steward knows, and records the sentence below in the option's ``defaults`` so the page shows
it as suggested (and editable):

- **unit price**: what the organization actually paid the vendor per unit over the last twelve
  whole months, from the ledger: the sum of the amounts of the vendor's spend segments that
  carry a quantity, divided by the sum of their quantities (in the comparison's category when it
  has one). Read through the user's spend scope, so nobody learns a price from spend they may
  not see. A segment (vendor x category x contract x month) without units is left out: it would
  add money without units; a charge without units inside a segment with units (a surcharge on
  the same invoices) counts as part of what the units cost.
- **rejection rate**: the vendor's latest recorded *defect rate* measurement (scorecards).
- **late-delivery rate**: 100 % minus its latest *on-time delivery* measurement.
- **risk cost per year**: the vendor's risk score (0-100) turned into an expected cost: one
  year's purchase value (unit price x annual quantity) x risk score / 100 x
  ``RISK_PREMIUM_AT_FULL_RISK``. A vendor at risk 100 is expected to cost 10 % of what is bought
  from it each year in disruption (expediting, second sourcing, stock-outs); at risk 30, 3 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from steward.core.access import Action
from steward.savings.models import TcoComparison
from steward.scorecards.models import Measurement
from steward.spend.analytics.period import Period
from steward.spend.models import SpendSegment
from steward.spend.money import from_cents, month_label
from steward.spend.scope import SpendScope
from steward.suppliers.models import Supplier

# The scorecard measures the defaults read (see steward/scorecards/measures.py).
DEFECT_RATE_MEASURE = "defect_rate_pct"
ON_TIME_DELIVERY_MEASURE = "on_time_delivery_pct"
# Expected yearly cost of a vendor at risk score 100, as a share of the year's purchases.
RISK_PREMIUM_AT_FULL_RISK = Decimal("0.10")

UNIT = Decimal("0.0001")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Suggestion:
    value: Decimal
    source: str


def paid_unit_price(
    *, scope: SpendScope, supplier: Supplier, category_id: int | None, period: Period
) -> tuple[Decimal, Decimal, Decimal] | None:
    """(average unit price, amount, quantity) paid to ``supplier`` over ``period``, or None."""
    if scope.nothing or (scope.supplier_ids is not None and supplier.pk not in scope.supplier_ids):
        return None
    segments = SpendSegment.objects.filter(
        supplier_id=supplier.pk,
        month__gte=period.first,
        month__lte=period.last,
        quantity__gt=0,
    )
    if category_id is not None:
        segments = segments.filter(category_id=category_id)
    totals = segments.aggregate(amount=Sum("amount_base_cents"), quantity=Sum("quantity"))
    quantity = totals["quantity"]
    if not quantity or totals["amount"] is None:
        return None
    quantity = Decimal(quantity)
    amount = from_cents(int(totals["amount"]))
    return (amount / quantity).quantize(UNIT, ROUND_HALF_UP), amount, quantity


def _latest_measurement(user: Any, supplier: Supplier, measure: str) -> Measurement | None:
    return (
        Measurement.objects.restrict(user, Action.VIEW)
        .filter(relationship_id=supplier.pk, measure=measure, archived_at__isnull=True)
        .order_by("-measured_on", "-pk")
        .first()
    )


def _percent(value: Decimal) -> Decimal:
    return min(HUNDRED, max(Decimal(0), value)).quantize(Decimal("0.001"), ROUND_HALF_UP)


def suggest_unit_price(
    *, user: Any, scope: SpendScope, comparison: TcoComparison, supplier: Supplier, today: dt.date
) -> Suggestion | None:
    period = Period.last_12_months(today)
    paid = paid_unit_price(
        scope=scope, supplier=supplier, category_id=comparison.category_id, period=period
    )
    if paid is None:
        return None
    price, amount, quantity = paid
    where = f" in {comparison.category}" if comparison.category_id else ""
    return Suggestion(
        price,
        f"Average paid{where} from {month_label(period.first)} to {month_label(period.last)}: "
        f"{amount} for {quantity.normalize():f} units (ledger).",
    )


def suggest_rates(*, user: Any, supplier: Supplier) -> dict[str, Suggestion]:
    """Rejection and late-delivery rates from the vendor's latest scorecard measurements."""
    found: dict[str, Suggestion] = {}
    defect = _latest_measurement(user, supplier, DEFECT_RATE_MEASURE)
    if defect is not None:
        found["rejection_rate_pct"] = Suggestion(
            _percent(defect.value),
            f"Latest defect rate measured on {defect.measured_on:%Y-%m-%d} (scorecards).",
        )
    on_time = _latest_measurement(user, supplier, ON_TIME_DELIVERY_MEASURE)
    if on_time is not None:
        found["late_delivery_rate_pct"] = Suggestion(
            _percent(HUNDRED - on_time.value),
            f"100 % minus the latest on-time delivery ({on_time.value.normalize():f} %) "
            f"measured on {on_time.measured_on:%Y-%m-%d} (scorecards).",
        )
    return found


def suggest_risk_cost(
    *, supplier: Supplier, comparison: TcoComparison, unit_price: Decimal
) -> Suggestion | None:
    if supplier.risk_score is None:
        return None
    yearly_purchase = unit_price * comparison.annual_quantity
    cost = (yearly_purchase * supplier.risk_score / HUNDRED * RISK_PREMIUM_AT_FULL_RISK).quantize(
        CENT, ROUND_HALF_UP
    )
    premium = (RISK_PREMIUM_AT_FULL_RISK * HUNDRED).normalize()
    return Suggestion(
        cost,
        f"Risk score {supplier.risk_score.normalize():f} of 100 x {premium:f} % of a year's "
        f"purchases ({yearly_purchase.quantize(CENT, ROUND_HALF_UP)}).",
    )
