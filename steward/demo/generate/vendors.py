"""Vendors: a supplier record on every supply-side relationship, each with a part in the story.

Most vendors follow their relationship's status (an active relationship is an active or an
exiting vendor, an inactive one was offboarded, a prospect is somewhere before active). A few
play a named part (a stalled onboarding, an override, a lapsed prequalification, …) so every
screen of the supply side has something to show; they are taken from the demo vendor manager
and their reports first, so ``vendor.manager`` sees them. The records are written in bulk
(see writes.py and vendor_lifecycle.py) with the history the services would have left.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from functools import cache
from typing import Any

from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import (
    CATEGORY_TREE,
    INDUSTRY_CATEGORIES,
    OVERRIDE_STORY_REASON,
)
from steward.demo.generate.vendor_lifecycle import schedule, write_vendors
from steward.demo.generate.vendor_plan import VendorPlan
from steward.demo.generate.writes import insert
from steward.parties.choices import RelationshipStatus, Side
from steward.suppliers.choices import RelationshipType, Segment, Stage, SupplyNature
from steward.suppliers.models import Category, SegmentationPolicy
from steward.suppliers.playbooks import SEGMENT_DEFAULTS
from steward.suppliers.segmentation import Policy, score_in_python

MIXED = "mixed"  # inputs drawn across the whole range: the vendor lands wherever they put it

# The stages a relationship's status allows, with weights, for vendors without a named part.
STAGES_BY_STATUS: dict[str, dict[str, int]] = {
    RelationshipStatus.ACTIVE: {Stage.ACTIVE: 88, Stage.EXITING: 12},
    RelationshipStatus.UNDER_REVIEW: {Stage.UNDER_REVIEW: 1},
    RelationshipStatus.INACTIVE: {Stage.OFFBOARDED: 1},
    RelationshipStatus.PROSPECT: {
        Stage.PROSPECT: 40,
        Stage.QUALIFICATION: 30,
        Stage.ONBOARDING: 30,
    },
}
STATUS_OF_STAGE: dict[str, str] = {
    Stage.PROSPECT: RelationshipStatus.PROSPECT,
    Stage.QUALIFICATION: RelationshipStatus.PROSPECT,
    Stage.ONBOARDING: RelationshipStatus.PROSPECT,
    Stage.ACTIVE: RelationshipStatus.ACTIVE,
    Stage.UNDER_REVIEW: RelationshipStatus.UNDER_REVIEW,
    Stage.EXITING: RelationshipStatus.ACTIVE,
    Stage.OFFBOARDED: RelationshipStatus.INACTIVE,
}

# Named parts, in the order they are cast: (part, stage today, quadrant of its data).
STORIES: tuple[tuple[str, str, str], ...] = (
    ("strategic", Stage.ACTIVE, Segment.STRATEGIC),
    ("moved", Stage.ACTIVE, Segment.STRATEGIC),  # was leverage until its inputs changed
    ("stalled", Stage.ONBOARDING, Segment.BOTTLENECK),
    ("override", Stage.ACTIVE, Segment.BOTTLENECK),  # placed in strategic by judgement
    ("lapsed", Stage.ACTIVE, Segment.LEVERAGE),
    ("expiring", Stage.ACTIVE, Segment.STRATEGIC),
    ("review", Stage.UNDER_REVIEW, Segment.LEVERAGE),
    ("recovered", Stage.ACTIVE, Segment.BOTTLENECK),
    ("exiting", Stage.EXITING, Segment.NON_CRITICAL),
    ("half_done", Stage.QUALIFICATION, Segment.LEVERAGE),
    ("prospect", Stage.PROSPECT, ""),
    ("dropped", Stage.OFFBOARDED, Segment.NON_CRITICAL),
    ("exited", Stage.OFFBOARDED, Segment.NON_CRITICAL),
)
OLD_ENOUGH_DAYS = {"lapsed": 520, "expiring": 450}

# The quadrant a vendor's data aims at, by relationship tier (1 strategic … 4 transactional).
QUADRANT_BY_TIER: dict[int, dict[str, int]] = {
    1: {Segment.STRATEGIC: 60, Segment.LEVERAGE: 10, Segment.BOTTLENECK: 10, MIXED: 20},
    2: {Segment.STRATEGIC: 20, Segment.LEVERAGE: 30, Segment.BOTTLENECK: 25, MIXED: 25},
    3: {Segment.LEVERAGE: 25, Segment.BOTTLENECK: 15, Segment.NON_CRITICAL: 35, MIXED: 25},
    4: {Segment.LEVERAGE: 10, Segment.BOTTLENECK: 10, Segment.NON_CRITICAL: 60, MIXED: 20},
}
MISMATCH_SHARE = 0.04  # vendors whose relationship type does not suit their quadrant
NO_DATA_SHARE: dict[str, float] = {Stage.PROSPECT: 0.5, Stage.QUALIFICATION: 0.2}


def create_categories(ctx: DemoContext) -> None:
    """The category tree, set up by the first administrator before any vendor was recorded."""
    rng = ctx.rng("suppliers.categories")
    admin = ctx.users["admin"][0]
    earliest = min((r.created_at for r in ctx.relationships), default=ctx.now)
    nodes = {node.code: node for node in CATEGORY_TREE}
    created = ctx.later(rng, earliest - _days(30), 10)
    for top in (True, False):
        level = [
            Category(
                code=node.code,
                name=node.name,
                description=node.description,
                parent=None if top else ctx.categories[node.parent],
            )
            for node in nodes.values()
            if (node.parent == "") is top
        ]
        insert(ctx, level, by=lambda c: admin, at=lambda c: created)
        ctx.categories.update({category.code: category for category in level})


def create_vendors(ctx: DemoContext) -> None:
    """A supplier record on every supply-side relationship, with its lifecycle and history."""
    rng = ctx.rng("suppliers.vendors")
    supply = [r for r in ctx.relationships if r.side == Side.SUPPLY]
    plans = _cast_stories(ctx, supply)
    for relationship in supply:
        if relationship.pk not in plans:
            weights = STAGES_BY_STATUS[relationship.status]
            stage = rng.choices(list(weights), weights=list(weights.values()))[0]
            plans[relationship.pk] = VendorPlan(relationship=relationship, stage=stage)
    ordered = [plans[r.pk] for r in supply]
    for plan in ordered:
        _describe(ctx, rng, plan)
        schedule(ctx, rng, plan)
    ctx.vendors = ordered
    write_vendors(ctx, rng, ordered)


# --- who plays which part ------------------------------------------------------------------------


def _cast_stories(ctx: DemoContext, supply: list[Any]) -> dict[int, VendorPlan]:
    """Give each named part to a vendor, the demo vendor manager's and their reports' first."""
    lead = ctx.users["senior_vendor_manager"][0]
    portal = {org.pk for org in ctx.portal_organizations}

    def preference(relationship: Any) -> int:
        if relationship.owner.pk == lead.pk:
            return 0
        return 1 if relationship.owner.profile.manager_id == lead.pk else 2

    candidates = sorted(
        (r for r in supply if r.organization_id not in portal), key=preference
    )  # sorted() is stable: within a preference, the generator's order
    plans: dict[int, VendorPlan] = {}
    for story, stage, _ in STORIES:
        status = STATUS_OF_STAGE[stage]
        free = [r for r in candidates if r.pk not in plans]
        fitting = [r for r in free if r.status == status]
        old_enough = OLD_ENOUGH_DAYS.get(story)
        if old_enough:
            cutoff = ctx.now - _days(old_enough)
            fitting = [r for r in fitting if r.created_at < cutoff] or fitting
        if fitting:
            chosen, fix = fitting[0], False
        else:
            # No relationship with a fitting status: take the oldest active one and let its
            # status follow the vendor's stage, as the lifecycle service does.
            active = [r for r in free if r.status == RelationshipStatus.ACTIVE] or free
            if not active:
                continue
            chosen, fix = min(active, key=lambda r: r.created_at), True
        plans[chosen.pk] = VendorPlan(relationship=chosen, stage=stage, story=story, fix_status=fix)
    return plans


# --- what we buy from them and how they score ----------------------------------------------------


def _describe(ctx: DemoContext, rng: random.Random, plan: VendorPlan) -> None:
    """Categories, segmentation inputs and relationship type of one vendor."""
    codes = INDUSTRY_CATEGORIES[plan.relationship.organization.industry]
    chosen = rng.sample(codes, 2 if len(codes) > 1 and rng.random() < 0.3 else 1)
    plan.categories = [ctx.categories[code] for code in chosen]
    quadrant = _aimed_quadrant(rng, plan)
    plan.quadrant = quadrant if quadrant != MIXED else ""
    plan.inputs = _inputs(rng, quadrant) if quadrant else {}
    if plan.story == "moved":
        # It started out as a leverage vendor; then the market changed (the inputs later).
        plan.later_inputs = {k: v for k, v in plan.inputs.items() if k in RISK_FIELDS}
        plan.inputs.update(_risk_inputs(rng, high=False))
    if plan.story == "override":
        plan.override = (Segment.STRATEGIC, OVERRIDE_STORY_REASON)
    plan.relationship_type = _relationship_type(rng, plan, quadrant)


def _aimed_quadrant(rng: random.Random, plan: VendorPlan) -> str:
    story_quadrant = {story: quadrant for story, _, quadrant in STORIES}
    if plan.story:
        return story_quadrant[plan.story]
    if rng.random() < NO_DATA_SHARE.get(plan.stage, 0.0):
        return ""
    weights = QUADRANT_BY_TIER[plan.relationship.tier]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _relationship_type(rng: random.Random, plan: VendorPlan, quadrant: str) -> str:
    if plan.story == "moved":
        return RelationshipType.ONGOING  # right for leverage; strategic now, so a mismatch
    if plan.story == "override":
        return RelationshipType.PARTNERSHIP
    if quadrant in ("", MIXED):
        quadrant = _predicted_quadrant(plan.inputs)
    if not quadrant:
        return rng.choice((RelationshipType.TRANSACTIONAL, RelationshipType.ONGOING))
    defaults = SEGMENT_DEFAULTS[quadrant]
    compatible = [str(t) for t in defaults["compatible_types"]]  # type: ignore[attr-defined]
    if not plan.story and rng.random() < MISMATCH_SHARE:
        return rng.choice([t for t in RelationshipType.values if t not in compatible])
    if rng.random() < 0.6:
        return str(defaults["default_relationship_type"])
    return rng.choice(compatible)


def _predicted_quadrant(inputs: dict[str, Any]) -> str:
    """Where the default policy would place these inputs (the category share is not known yet)."""
    return score_in_python(inputs, _default_policy())[2]


@cache
def _default_policy() -> Policy:
    return Policy.from_model(SegmentationPolicy())


RISK_FIELDS = frozenset(
    {"alternatives", "switching_cost", "market_scarcity", "risk_score", "supply_nature"}
)


def _spend(rng: random.Random, low: float, high: float) -> Decimal:
    """A spend drawn evenly on a log scale, rounded to a thousand."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(round(value, -3))


def _maybe(rng: random.Random, value: Any) -> Any:
    """Some inputs are unknown for some vendors."""
    return None if rng.random() < 0.1 else value


def _inputs(rng: random.Random, quadrant: str) -> dict[str, Any]:
    """Segmentation inputs well inside ``quadrant`` under the default policy (or anywhere)."""
    if quadrant == MIXED:
        return {
            "annual_spend": _spend(rng, 10_000, 2_000_000),
            "criticality": rng.randint(1, 5),
            "process_integration": _maybe(rng, rng.randint(1, 5)),
            "knowledge_sharing": _maybe(rng, rng.randint(1, 5)),
            "alternatives": rng.randint(0, 6),
            "switching_cost": rng.randint(1, 5),
            "market_scarcity": rng.randint(1, 5),
            "risk_score": _maybe(rng, Decimal(rng.randint(5, 80))),
            "supply_nature": rng.choice(SupplyNature.values),
        }
    high_profit = quadrant in (Segment.STRATEGIC, Segment.LEVERAGE)
    high_risk = quadrant in (Segment.STRATEGIC, Segment.BOTTLENECK)
    # The category share is left to segmentation, which derives it from the spend; the margins
    # below keep each vendor in its quadrant whatever share it gets.
    profit: dict[str, Any] = {
        "annual_spend": _spend(rng, 800_000, 3_500_000)
        if high_profit
        else _spend(rng, 5_000, 120_000),
        "criticality": rng.randint(4, 5) if high_profit else rng.randint(1, 3),
        "process_integration": _maybe(rng, rng.randint(3, 5) if high_profit else rng.randint(1, 2)),
        "knowledge_sharing": _maybe(rng, rng.randint(3, 5) if high_profit else rng.randint(1, 2)),
    }
    return {**profit, **_risk_inputs(rng, high=high_risk)}


def _risk_inputs(rng: random.Random, *, high: bool) -> dict[str, Any]:
    return {
        "alternatives": rng.randint(0, 1) if high else rng.randint(3, 8),
        "switching_cost": rng.randint(4, 5) if high else rng.randint(1, 2),
        "market_scarcity": rng.randint(3, 5) if high else rng.randint(1, 2),
        "risk_score": _maybe(rng, Decimal(rng.randint(35, 80) if high else rng.randint(5, 30))),
        "supply_nature": rng.choice(
            (SupplyNature.SPECIALIZED, SupplyNature.UNIQUE)
            if high
            else (SupplyNature.COMMODITY, SupplyNature.STANDARD)
        ),
    }


def _days(count: float) -> dt.timedelta:
    return dt.timedelta(days=count)
