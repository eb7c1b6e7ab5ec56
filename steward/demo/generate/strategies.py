"""Strategies for the strategic vendors: objectives, governance, resources, KPIs and levers.

``strategy_get_or_create`` starts a strategy from the quadrant's playbook ("created"), then
``strategy_update`` tailors it (one "changed" record with the resource people), and
``kpi_add`` / ``lever_add`` create one record each. A vendor that became strategic only
recently keeps the playbook's text: tailoring it is still on its owner's list.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import (
    FAMILY_OF_ROOT,
    KPIS,
    LEVERS,
    RACI_TEMPLATE,
    STRATEGY_EXPECTATIONS,
    STRATEGY_OBJECTIVES,
)
from steward.demo.generate.vendor_plan import VendorPlan, between, editors_of
from steward.demo.generate.writes import Revision, add_many, insert, revise
from steward.suppliers.choices import Segment, Stage
from steward.suppliers.models import (
    NegotiationLever,
    SegmentPlaybook,
    StrategyKpi,
    Supplier,
    SupplierStrategy,
)
from steward.suppliers.playbooks import TYPE_GOVERNANCE

SENIOR_ROLES = frozenset({"Head of procurement", "Executive sponsor"})
ESCALATION_DAYS = (0, 5, 15)


def family_of(plan: VendorPlan) -> str:
    """What kind of thing we buy from the vendor: it, logistics, materials or services."""
    category = plan.categories[0]
    root = category.parent or category
    return FAMILY_OF_ROOT.get(root.code, "services")


def create_strategies(ctx: DemoContext) -> None:
    rng = ctx.rng("suppliers.strategies")
    strategic = set(
        Supplier.objects.filter(
            segment=Segment.STRATEGIC, stage__in=[Stage.ACTIVE, Stage.UNDER_REVIEW]
        ).values_list("pk", flat=True)
    )
    plans = [plan for plan in ctx.vendors if plan.pk in strategic]
    if not plans:
        return
    playbook = SegmentPlaybook.objects.get(segment=Segment.STRATEGIC)
    started = {plan.pk: _started(ctx, rng, plan) for plan in plans}
    strategies = [
        SupplierStrategy(
            supplier=plan.supplier,
            objectives=playbook.objectives,
            expectations=playbook.expectations,
        )
        for plan in plans
    ]
    insert(
        ctx,
        strategies,
        by=lambda s: s.supplier.relationship.owner,
        at=lambda s: started[s.supplier_id],
        reason="Started from the quadrant's playbook",
    )
    # A vendor that moved into the quadrant days ago still has only the playbook's strategy.
    tailored = [
        (plan, strategy)
        for plan, strategy in zip(plans, strategies, strict=True)
        if plan.story != "moved"
    ]
    _tailor(ctx, rng, tailored, started)


def _started(ctx: DemoContext, rng: random.Random, plan: VendorPlan) -> dt.datetime:
    if plan.edited_at is not None and plan.story == "moved":
        return between(rng, plan.edited_at, ctx.now)
    start = plan.entered(Stage.ACTIVE) or plan.created
    return between(rng, start, min(start + dt.timedelta(days=60), ctx.now))


def _tailor(
    ctx: DemoContext,
    rng: random.Random,
    tailored: list[tuple[VendorPlan, SupplierStrategy]],
    started: dict[int, dt.datetime],
) -> None:
    """The owner's edit of each strategy, then its KPIs and negotiation levers."""
    editors = editors_of(ctx, [plan for plan, _ in tailored])
    head = ctx.users["procurement_head"][0]
    revisions, kpis, levers, moments = [], [], [], {}
    for plan, strategy in tailored:
        moment = between(
            rng, started[plan.pk], min(started[plan.pk] + dt.timedelta(days=10), ctx.now)
        )
        changes = _strategy_fields(rng, plan, head)
        revisions.append(Revision(strategy, changes, moment, plan.owner))
        for kpi in _kpis(rng, plan, strategy):
            kpis.append(kpi)
            moments[id(kpi)] = moment + dt.timedelta(minutes=len(kpis) % 50 + 1)
        for lever in _levers(rng, plan, strategy):
            levers.append(lever)
            moments[id(lever)] = moment + dt.timedelta(minutes=len(levers) % 50 + 1)
    people = {
        strategy.pk: [plan.owner, *editors.get(plan.pk, [])[:2]] for plan, strategy in tailored
    }
    add_many(ctx, [strategy for _, strategy in tailored], "resource_people", lambda s: people[s.pk])
    revise(ctx, revisions)
    owner_of = {strategy.pk: plan.owner for plan, strategy in tailored}
    insert(ctx, kpis, by=lambda k: owner_of[k.strategy_id], at=lambda k: moments[id(k)])
    insert(ctx, levers, by=lambda k: owner_of[k.strategy_id], at=lambda k: moments[id(k)])


def _strategy_fields(rng: random.Random, plan: VendorPlan, head: Any) -> dict[str, Any]:
    governance = TYPE_GOVERNANCE[plan.relationship_type]
    family = family_of(plan)
    ladder = [
        {
            "role": role,
            "person": plan.owner.pk if index == 0 else (head.pk if role in SENIOR_ROLES else None),
            "after_days": ESCALATION_DAYS[min(index, len(ESCALATION_DAYS) - 1)],
        }
        for index, role in enumerate(governance.escalation_path)
    ]
    return {
        "objectives": " ".join(rng.sample(STRATEGY_OBJECTIVES[family], 2)),
        "expectations": STRATEGY_EXPECTATIONS[family],
        "review_every_days": governance.review_every_days,
        "information_sharing": governance.information_sharing,
        "escalation_ladder": ladder,
        "raci": {activity: dict(parts) for activity, parts in RACI_TEMPLATE.items()},
        "resource_hours_per_month": rng.choice((8, 12, 16, 24, 40)),
        "resource_budget": Decimal(rng.randrange(5_000, 60_000, 1_000)),
    }


def _kpis(rng: random.Random, plan: VendorPlan, strategy: SupplierStrategy) -> list[StrategyKpi]:
    specs = KPIS[family_of(plan)]
    return [
        StrategyKpi(
            strategy=strategy,
            name=spec.name,
            unit=spec.unit,
            target=Decimal(str(round(rng.uniform(spec.low, spec.high), 1))),
            direction=spec.direction,
        )
        for spec in rng.sample(specs, 3)
    ]


def _levers(
    rng: random.Random, plan: VendorPlan, strategy: SupplierStrategy
) -> list[NegotiationLever]:
    spend = float(plan.inputs.get("annual_spend") or 100_000)
    return [
        NegotiationLever(
            strategy=strategy,
            kind=kind,
            description=description,
            expected_saving=Decimal(round(spend * rng.uniform(0.01, 0.05), -2)),
            in_play=index == 0 or rng.random() < 0.7,
        )
        for index, (kind, description) in enumerate(rng.sample(LEVERS, 2))
    ]
