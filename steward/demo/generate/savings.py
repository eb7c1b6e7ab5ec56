"""Savings: a few initiatives in the register and a total-cost-of-ownership comparison.

Runs after the spend step and reads what the ledger holds (its segments), not figures assumed
from the spend story, so it tells the same story whatever the spend step wrote:

- **delivered**: a price negotiation on the vendor and category with the most priced spend
  (lines with quantities) over the last six whole months. The new prices took effect six months
  ago, 7 % below the old ones, so the register shows a realized saving measured from the
  ledger (the baseline price is the average paid since, plus 7 %); without priced spend, the
  same with an annual-spend baseline;
- **in progress**: the vendor paid most without a contract; its owner took up the ledger's
  off-contract lever and has a contract starting this month, so nothing is realized yet;
- **identified**: the fragmented category's consolidation lever, taken up by finance and given
  to the head of procurement;
- a **TCO comparison** of three vendors of one category, where the one with the lowest price
  has the highest total cost (rejections and late deliveries), so the comparison is won on
  TCO, not on price.

Every write goes through the savings services at a moment of the story (``story_clock``), so
history names who did what and when, as people would have left it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from django.db.models import Count, Sum

from steward.contracts.models import Contract
from steward.core.access import Action
from steward.demo.generate.context import DemoContext
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.vendor_plan import at_hour
from steward.savings import tco_defaults
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison
from steward.savings.selectors import levers_for, vendor_choices
from steward.savings.services import initiatives, tco
from steward.savings.tco import TcoInputs, breakdown_of, tco_breakdown
from steward.spend.models import SpendSegment
from steward.spend.money import from_cents, month_add, month_of, month_start
from steward.suppliers.models import Category, Supplier

NEGOTIATED_CUT = Decimal("0.07")  # the delivered negotiation's price cut
MEASURED_MONTHS = 6  # it took effect this many whole months ago
TCO_QUANTITY = Decimal(2000)  # units a year in the comparison
TCO_YEARS = 3
UNIT = Decimal("0.0001")
CENT = Decimal("0.01")


def create_savings(ctx: DemoContext) -> None:
    """Initiatives from the ledger's figures and levers, and one TCO comparison."""
    if not SpendSegment.objects.exists():
        return
    story = _Savings(ctx)
    story.delivered()
    story.off_contract()
    story.consolidation()
    story.comparison()


class _Savings:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("savings")
        self.finance = (ctx.users.get("reviewer_finance") or ctx.users["admin"])[0]
        self.head = (ctx.users.get("procurement_head") or ctx.users["admin"])[0]
        current = month_of(ctx.today)
        self.effective = month_start(month_add(current, -MEASURED_MONTHS))
        self.months = (month_add(current, -MEASURED_MONTHS), month_add(current, -1))

    def moment(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return min(at_hour(day, hour), self.ctx.now - dt.timedelta(hours=1))

    def days_ago(self, days: int, hour: int = 10) -> dt.datetime:
        return self.moment(self.ctx.today - dt.timedelta(days=days), hour)

    # -- delivered: a negotiation measured from the ledger

    def delivered(self) -> SavingsInitiative | None:
        first, last = self.months
        priced = (
            SpendSegment.objects.filter(month__gte=first, month__lte=last, quantity__gt=0)
            .values("supplier_id", "category_id")
            .annotate(
                paid=Sum("amount_base_cents"),
                units=Sum("quantity"),
                months=Count("month", distinct=True),
            )
            .filter(paid__gt=0)
            .order_by("-months", "-paid", "supplier_id", "category_id")
            .first()
        )
        if priced is not None:
            return self._unit_price_negotiation(priced)
        return self._annual_spend_negotiation()

    def _unit_price_negotiation(self, priced: Mapping[str, Any]) -> SavingsInitiative:
        supplier = Supplier.objects.select_related("relationship").get(pk=priced["supplier_id"])
        category = Category.objects.filter(pk=priced["category_id"]).first()
        paid = from_cents(int(priced["paid"]))
        units = Decimal(priced["units"])
        average = (paid / units).quantize(UNIT, ROUND_HALF_UP)
        baseline = (average * (1 + NEGOTIATED_CUT)).quantize(UNIT, ROUND_HALF_UP)
        yearly_units = units * 12 / MEASURED_MONTHS
        subject = f"{category.name} prices" if category else "Prices"
        return self._negotiation(
            supplier,
            category,
            title=f"{subject} renegotiated with {supplier}",
            baseline_method=BaselineMethod.UNIT_PRICE,
            baseline_unit_price=baseline,
            negotiated_unit_price=average,
            baseline_annual_spend=(baseline * yearly_units).quantize(CENT, ROUND_HALF_UP),
            estimated_annual_savings=((baseline - average) * yearly_units).quantize(CENT),
        )

    def _annual_spend_negotiation(self) -> SavingsInitiative | None:
        first, last = self.months
        steady = (
            SpendSegment.objects.filter(month__gte=first, month__lte=last)
            .values("supplier_id")
            .annotate(paid=Sum("amount_base_cents"), months=Count("month", distinct=True))
            .filter(paid__gt=0)
            .order_by("-months", "-paid", "supplier_id")
            .first()
        )
        if steady is None:
            return None
        supplier = Supplier.objects.select_related("relationship").get(pk=steady["supplier_id"])
        yearly = from_cents(int(steady["paid"])) * 12 / MEASURED_MONTHS
        baseline = (yearly * (1 + NEGOTIATED_CUT)).quantize(CENT, ROUND_HALF_UP)
        return self._negotiation(
            supplier,
            None,
            title=f"Annual terms renegotiated with {supplier}",
            baseline_method=BaselineMethod.ANNUAL_SPEND,
            baseline_annual_spend=baseline,
            negotiated_annual_savings=(baseline - yearly).quantize(CENT, ROUND_HALF_UP),
            estimated_annual_savings=(baseline * NEGOTIATED_CUT).quantize(CENT, ROUND_HALF_UP),
        )

    def _negotiation(
        self, supplier: Supplier, category: Category | None, **fields: Any
    ) -> SavingsInitiative:
        owner = supplier.relationship.owner
        contract = (
            Contract.objects.restrict(owner, Action.VIEW)
            .filter(relationship_id=supplier.pk, archived_at__isnull=True)
            .exclude(start_date__isnull=True)
            .order_by("-annual_value", "pk")
            .first()
        )
        effective = self.effective
        with story_clock(self.moment(effective - dt.timedelta(days=45), 11)):
            initiative = initiatives.savings_initiative_create(
                actor=owner,
                kind=SavingsKind.NEGOTIATION,
                supplier=supplier,
                category=category,
                contract=contract,
                effective_date=effective,
                notes="Price review ahead of the new term; the vendor matched a competing quote.",
                **fields,
            )
        with story_clock(self.moment(effective - dt.timedelta(days=20), 15)):
            initiative = initiatives.savings_initiative_transition(
                actor=owner,
                initiative=initiative,
                to_status=SavingsStatus.IN_PROGRESS,
                reason="New prices agreed; signature pending",
            )
        with story_clock(self.moment(effective + dt.timedelta(days=3), 9)):
            initiative = initiatives.savings_initiative_transition(
                actor=owner,
                initiative=initiative,
                to_status=SavingsStatus.DELIVERED,
                reason="Signed; invoices at the new prices",
            )
        self.ctx.counts["savings.SavingsInitiative"] += 1
        return initiative

    # -- in progress: the vendor paid without a contract

    def off_contract(self) -> SavingsInitiative | None:
        moment = self.days_ago(40)
        with story_clock(moment):
            levers = [
                lever
                for lever in levers_for(user=self.finance, today=moment.date())
                if lever.kind == SavingsKind.OFF_CONTRACT and not lever.taken_up
            ]
        if not levers:
            return None
        lever = levers[0]  # the largest off-contract spend
        vendor = Supplier.objects.select_related("relationship").get(pk=lever.supplier_id)
        owner = vendor.relationship.owner
        actor = owner if _sees(owner, lever.key, moment.date()) else self.finance
        with story_clock(moment):
            initiative = initiatives.savings_initiative_from_lever(actor=actor, key=lever.key)
        this_month = self.ctx.today.replace(day=1)
        with story_clock(self.days_ago(min(10, max(1, (self.ctx.today - this_month).days)))):
            initiative = initiatives.savings_initiative_update(
                actor=actor,
                initiative=initiative,
                expected_version=initiative.version,
                owner=owner,
                title=f"Frame agreement for {lever.supplier_name}",
                effective_date=this_month,
                negotiated_annual_savings=(lever.estimated_saving * Decimal("0.8")).quantize(CENT),
            )
            initiative = initiatives.savings_initiative_transition(
                actor=actor,
                initiative=initiative,
                to_status=SavingsStatus.IN_PROGRESS,
                reason="Frame agreement signed; orders move onto it from this month",
            )
        self.ctx.counts["savings.SavingsInitiative"] += 1
        return initiative

    # -- identified: the fragmented category

    def consolidation(self) -> SavingsInitiative | None:
        moment = self.days_ago(15, 14)
        with story_clock(moment):
            levers = [
                lever
                for lever in levers_for(user=self.finance, today=moment.date())
                if lever.kind == SavingsKind.CONSOLIDATION and not lever.taken_up
            ]
            if not levers:
                return None
            initiative = initiatives.savings_initiative_from_lever(
                actor=self.finance, key=levers[0].key
            )
        with story_clock(self.days_ago(14, 9)):
            initiative = initiatives.savings_initiative_update(
                actor=self.finance,
                initiative=initiative,
                expected_version=initiative.version,
                owner=self.head,
            )
        self.ctx.counts["savings.SavingsInitiative"] += 1
        return initiative

    # -- a TCO comparison won on total cost, not on price

    def comparison(self) -> TcoComparison | None:
        chosen = self._three_vendors()
        if chosen is None:
            return None
        category, vendors, price = chosen
        owner = self.head
        with story_clock(self.days_ago(25, 10)):
            comparison = tco.tco_comparison_create(
                actor=owner,
                title=f"{category.name}: three vendors on total cost",
                category=category,
                annual_quantity=TCO_QUANTITY,
                horizon_years=TCO_YEARS,
                notes="Ahead of the sourcing event: what each vendor really costs, not its price.",
            )
            steady, premium, cheap = vendors
            for supplier, factor, freight in ((steady, "1.00", "0.40"), (premium, "1.06", "0.25")):
                tco.tco_option_add(
                    actor=owner,
                    comparison=comparison,
                    supplier=supplier,
                    unit_price=(price * Decimal(factor)).quantize(CENT),
                    freight_per_unit=Decimal(freight),
                    duties_pct=Decimal(0),
                    cost_per_rejection=(price * Decimal("1.5")).quantize(CENT),
                    cost_per_late_delivery=(price * Decimal("0.3")).quantize(CENT),
                    support_cost_per_year=Decimal(1200),
                )
        self._cheap_option(comparison, cheap, price)
        self.ctx.counts["savings.TcoComparison"] += 1
        return comparison

    def _cheap_option(self, comparison: TcoComparison, supplier: Supplier, price: Decimal) -> None:
        """The lowest price, with rejections and late deliveries that cost more than it saves:
        the cost of a rejection is set so that its total ends 5 % above the best of the others."""
        target = min(tco_breakdown(option).total for option in comparison.options.all()) * (
            Decimal("1.05")
        )
        unit_price = (price * Decimal("0.91")).quantize(CENT)
        risk = tco_defaults.suggest_risk_cost(
            supplier=supplier, comparison=comparison, unit_price=unit_price
        )
        inputs: dict[str, Any] = {
            "unit_price": unit_price,
            "freight_per_unit": Decimal("0.65"),
            "duties_pct": Decimal("3.5"),
            "rejection_rate_pct": Decimal("6"),
            "late_delivery_rate_pct": Decimal("14"),
            "cost_per_late_delivery": (price * Decimal("0.3")).quantize(CENT),
            "support_cost_per_year": Decimal(2400),
        }
        without_rejections = breakdown_of(
            TcoInputs(
                annual_quantity=TCO_QUANTITY,
                horizon_years=TCO_YEARS,
                risk_cost_per_year=risk.value if risk else Decimal(0),
                **inputs,
            )
        ).total
        rejections = TCO_QUANTITY * TCO_YEARS * inputs["rejection_rate_pct"] / 100
        needed = ((target - without_rejections) / rejections).quantize(CENT, ROUND_UP)
        inputs["cost_per_rejection"] = max(needed, (price * Decimal("1.5")).quantize(CENT))
        with story_clock(self.days_ago(24, 11)):
            tco.tco_option_add(actor=self.head, comparison=comparison, supplier=supplier, **inputs)

    def _three_vendors(self) -> tuple[Category, list[Supplier], Decimal] | None:
        """A category with at least three vendors the head of procurement may name, the three
        with the most spend in it, and a unit price from what the ledger paid per unit (or a
        round price when it has no quantities)."""
        nameable = set(vendor_choices(user=self.head).values_list("pk", flat=True))
        spend: dict[int, list[tuple[int, int]]] = defaultdict(list)
        rows = (
            SpendSegment.objects.filter(category_id__isnull=False)
            .values("category_id", "supplier_id")
            .annotate(paid=Sum("amount_base_cents"))
            .order_by("category_id", "-paid", "supplier_id")
        )
        for row in rows:
            if row["supplier_id"] in nameable and row["paid"] > 0:
                spend[row["category_id"]].append((row["supplier_id"], row["paid"]))
        candidates = sorted(
            ((cid, vendors) for cid, vendors in spend.items() if len(vendors) >= 3),
            key=lambda pair: (-len(pair[1]), pair[0]),
        )
        if not candidates:
            return None
        category_id, vendors = candidates[0]
        ids = [supplier_id for supplier_id, _ in vendors[:3]]
        suppliers = {s.pk: s for s in Supplier.objects.filter(pk__in=ids)}
        priced = SpendSegment.objects.filter(category_id=category_id, quantity__gt=0).aggregate(
            paid=Sum("amount_base_cents"), units=Sum("quantity")
        )
        if priced["units"]:
            price = (from_cents(int(priced["paid"])) / Decimal(priced["units"])).quantize(CENT)
        else:
            price = Decimal(self.rng.choice((18, 24, 35, 42)))
        category = Category.objects.get(pk=category_id)
        return category, [suppliers[pk] for pk in ids], max(price, Decimal(1))


def _sees(user: Any, key: str, today: dt.date) -> bool:
    """Whether ``user`` is offered the lever ``key`` (it lies in the spend they may see)."""
    return any(lever.key == key for lever in levers_for(user=user, today=today))
