"""Each vendor's way through the lifecycle, dated, and the rows the lifecycle services leave.

``supplier_profile_create`` writes the vendor (one "created" history record with its categories)
and an empty checklist (bulk-created, so without history); ``checklist_set`` ticks items (one
"changed" record each); ``supplier_transition`` bumps the vendor's version with a record whose
reason reads "from → to: why", writes a LifecycleTransition, grants prequalification for the
vendor's categories on passing qualification and revokes current grants on offboarding. This
module writes the same rows, dated in the past, in a handful of bulk statements.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import (
    CATEGORY_TREE,
    CHECKLIST_NOTES,
    MOVED_REASON,
    TRANSITION_REASONS,
)
from steward.demo.generate.vendor_plan import Move, VendorPlan, at_hour, between, local_date
from steward.demo.generate.writes import Revision, bulk_insert, insert, revise
from steward.suppliers import lifecycle
from steward.suppliers.choices import ChecklistItemCode, Stage
from steward.suppliers.models import ChecklistItem, LifecycleTransition, Prequalification, Supplier

# The services' own rule for how long a prequalification lasts.
from steward.suppliers.services import _default_expiry

Q, ONB, A = Stage.QUALIFICATION, Stage.ONBOARDING, Stage.ACTIVE
UR, EX, OFF = Stage.UNDER_REVIEW, Stage.EXITING, Stage.OFFBOARDED

# Days a step usually takes after the one before it.
GAP_DAYS: dict[str, tuple[float, float]] = {
    Q: (2, 25),
    ONB: (10, 45),
    A: (10, 45),
    UR: (60, 300),
    EX: (30, 200),
    OFF: (20, 90),
}
BACK_TO_ACTIVE_DAYS = (20, 90)
Window = tuple[float, float] | None  # days ago within which the last move happened

STORY_PATHS: dict[str, tuple[tuple[str, ...], Window]] = {
    "stalled": ((Q, ONB), (35, 75)),
    "half_done": ((Q,), (4, 12)),
    "review": ((Q, ONB, A, UR), (10, 40)),
    "recovered": ((Q, ONB, A, UR, A), (20, 120)),
    "exiting": ((Q, ONB, A, EX), (10, 60)),
    "dropped": ((Q, OFF), None),
    "exited": ((Q, ONB, A, EX, OFF), (20, 200)),
    "prospect": ((), None),
}
# Ways to today's stage for everyone else: (path, window, weight).
PATHS: dict[str, tuple[tuple[tuple[str, ...], Window, int], ...]] = {
    Stage.PROSPECT: (((), None, 1),),
    Q: (((Q,), (1, 45), 1),),
    ONB: (((Q, ONB), (1, 60), 1),),
    A: (((Q, ONB, A), None, 90), ((Q, ONB, A, UR, A), None, 10)),
    UR: (((Q, ONB, A, UR), (3, 150), 75), ((Q, ONB, A, UR, A, UR), (3, 150), 25)),
    EX: (((Q, ONB, A, EX), (5, 150), 70), ((Q, ONB, A, UR, EX), (5, 150), 30)),
    OFF: (
        ((OFF,), None, 15),
        ((Q, OFF), None, 25),
        ((Q, ONB, OFF), None, 10),
        ((Q, ONB, A, EX, OFF), (20, 300), 50),
    ),
}
RENEWED_SHARE = 0.92  # grants renewed before they ran out; the rest lapse


# --- dates ---------------------------------------------------------------------------------------


def schedule(ctx: DemoContext, rng: random.Random, plan: VendorPlan) -> None:
    """Date the vendor's moves, checklist ticks and later edits, all before now."""
    stages, window = _path(rng, plan)
    moments = _moments(ctx, rng, plan.created, stages, window)
    previous: str = Stage.PROSPECT
    for stage, moment in zip(stages, moments, strict=True):
        reason = rng.choice(TRANSITION_REASONS[(previous, stage)])
        plan.moves.append(Move(stage, moment, reason))
        previous = stage
    _tick(ctx, rng, plan)
    activated = plan.entered(A)
    if activated is not None and (plan.later_inputs or plan.override):
        recent = ctx.now - dt.timedelta(days=rng.uniform(3, 20))
        plan.edited_at = recent if recent > activated else between(rng, activated, ctx.now)


def _path(rng: random.Random, plan: VendorPlan) -> tuple[tuple[str, ...], Window]:
    if plan.story in STORY_PATHS:
        return STORY_PATHS[plan.story]
    if plan.story:
        return (Q, ONB, A), None
    options = PATHS[plan.stage]
    path, window, _ = rng.choices(options, weights=[weight for *_, weight in options])[0]
    return path, window


def _moments(
    ctx: DemoContext,
    rng: random.Random,
    created: dt.datetime,
    stages: Sequence[str],
    window: Window,
) -> list[dt.datetime]:
    """When each move happened: usual gaps, squeezed to fit between creation and now."""
    if not stages:
        return []
    gaps: list[dt.timedelta] = []
    previous: str = Stage.PROSPECT
    for stage in stages:
        low, high = BACK_TO_ACTIVE_DAYS if (previous, stage) == (UR, A) else GAP_DAYS[stage]
        gaps.append(dt.timedelta(days=rng.uniform(low, high)))
        previous = stage
    start = created + dt.timedelta(hours=1)
    limit = ctx.now - dt.timedelta(hours=1)
    if window is not None:
        last = ctx.now - dt.timedelta(days=rng.uniform(*window))
        last = min(max(last, start + dt.timedelta(days=len(stages))), limit)
        room, gaps = last - start, gaps[:-1]
    else:
        last, room = None, limit - start
    total = sum(gaps, dt.timedelta())
    scale = min(1.0, 0.9 * room / total) if total else 1.0
    moments, moment = [], start
    for gap in gaps:
        moment += gap * scale
        moments.append(moment)
    return [*moments, last] if last is not None else moments


def _tick(ctx: DemoContext, rng: random.Random, plan: VendorPlan) -> None:
    """Which checklist items were ticked, and when: always before the move that needed them."""
    qualified, onboarding_ends = plan.entered(Q), plan.entered(ONB)
    activated = plan.entered(A)
    dropped = plan.entered(OFF)

    def tick(code: str, start: dt.datetime, end: dt.datetime) -> None:
        plan.ticked[code] = (between(rng, start, end), rng.choice(CHECKLIST_NOTES[code]))

    if qualified is None:
        return
    if onboarding_ends is not None:
        for code in lifecycle.CHECKLIST[Q]:
            tick(code, qualified, onboarding_ends)
    if activated is not None and onboarding_ends is not None:
        for code in lifecycle.CHECKLIST[ONB]:
            tick(code, onboarding_ends, activated)
        return
    if plan.story == "half_done":
        tick(ChecklistItemCode.DOCUMENTS_RECEIVED, qualified, ctx.now)
        tick(ChecklistItemCode.BANK_DETAILS_VERIFIED, qualified, ctx.now)
    elif plan.story == "stalled" and onboarding_ends is not None:
        # The bank details were checked soon after; the contract never came back signed.
        early = onboarding_ends + (ctx.now - onboarding_ends) / 3
        tick(ChecklistItemCode.BANK_DETAILS_VERIFIED, onboarding_ends, early)
    elif onboarding_ends is not None:
        if rng.random() < 0.5:
            tick(ChecklistItemCode.BANK_DETAILS_VERIFIED, onboarding_ends, dropped or ctx.now)
    elif rng.random() < 0.6:
        tick(ChecklistItemCode.DOCUMENTS_RECEIVED, qualified, dropped or ctx.now)


# --- writing -------------------------------------------------------------------------------------


def write_vendors(ctx: DemoContext, rng: random.Random, plans: list[VendorPlan]) -> None:
    suppliers = [
        Supplier(
            relationship=plan.relationship,
            relationship_type=plan.relationship_type,
            stage=Stage.PROSPECT,
            stage_changed_at=plan.created,
            **plan.inputs,
        )
        for plan in plans
    ]
    for plan, supplier in zip(plans, suppliers, strict=True):
        plan.supplier = supplier
    categories = {plan.pk: plan.categories for plan in plans}
    insert(
        ctx,
        suppliers,
        by=lambda s: s.relationship.owner,
        at=lambda s: s.relationship.created_at,
        many={"categories": lambda s: categories[s.pk]},
    )
    _write_checklists(ctx, plans)
    _write_edits(ctx, plans)
    _write_prequalifications(ctx, rng, plans)
    revise(
        ctx,
        [
            Revision(
                plan.relationship,
                {"status": lifecycle.BASE_STATUS[plan.stage]},
                min(
                    max(plan.last_move, plan.relationship.updated_at) + dt.timedelta(minutes=5),
                    ctx.now - dt.timedelta(minutes=1),
                ),
                plan.owner,
                f"Vendor stage: {plan.stage}",
            )
            for plan in plans
            if plan.fix_status and plan.relationship.status != lifecycle.BASE_STATUS[plan.stage]
        ],
    )


def _write_checklists(ctx: DemoContext, plans: list[VendorPlan]) -> None:
    items = []
    for plan in plans:
        for code in lifecycle.ALL_CHECKLIST_ITEMS:
            item = ChecklistItem(supplier=plan.supplier, code=code)
            item.created_at = item.updated_at = plan.created
            items.append((plan, item))
    bulk_insert([item for _, item in items])
    ctx.counts[ChecklistItem._meta.label] += len(items)
    revisions = []
    for plan, item in items:
        if item.code in plan.ticked:
            moment, note = plan.ticked[item.code]
            changes = {"done": True, "done_by": plan.owner, "done_at": moment, "note": note}
            revisions.append(Revision(item, changes, moment, plan.owner))
    revise(ctx, revisions)


def _edits(plan: VendorPlan) -> list[tuple[dt.datetime, dict[str, Any], str]]:
    """The vendor's own changes in time order: moves, an edit of inputs, an override."""
    edits: list[tuple[dt.datetime, dict[str, Any], str]] = []
    previous: str = Stage.PROSPECT
    for move in plan.moves:
        changes = {"stage": move.to_stage, "stage_changed_at": move.at}
        edits.append((move.at, changes, f"{previous} → {move.to_stage}: {move.reason}"))
        previous = move.to_stage
    if plan.edited_at is not None and plan.later_inputs:
        edits.append((plan.edited_at, dict(plan.later_inputs), MOVED_REASON))
    if plan.edited_at is not None and plan.override:
        segment, reason = plan.override
        changes = {"segment_override": segment, "override_reason": reason}
        edits.append((plan.edited_at, changes, f"Segment override: {segment}"))
    return sorted(edits, key=lambda edit: edit[0])


def _write_edits(ctx: DemoContext, plans: list[VendorPlan]) -> None:
    """One bulk revision per round: every vendor's first edit, then every second one, …"""
    edits = {plan.pk: _edits(plan) for plan in plans}
    rounds = max((len(found) for found in edits.values()), default=0)
    for number in range(rounds):
        revise(
            ctx,
            [
                Revision(plan.supplier, changes, moment, plan.owner, reason)  # type: ignore[arg-type]
                for plan in plans
                if len(edits[plan.pk]) > number
                for moment, changes, reason in [edits[plan.pk][number]]
            ],
        )
    transitions = []
    for plan in plans:
        previous: str = Stage.PROSPECT
        for move in plan.moves:
            transitions.append(
                LifecycleTransition(
                    supplier=plan.supplier,
                    from_stage=previous,
                    to_stage=move.to_stage,
                    actor=plan.owner,
                    at=move.at,
                    reason=move.reason,
                )
            )
            previous = move.to_stage
    bulk_insert(transitions)
    ctx.counts[LifecycleTransition._meta.label] += len(transitions)


def _write_prequalifications(ctx: DemoContext, rng: random.Random, plans: list[VendorPlan]) -> None:
    on_passing: list[Prequalification] = []
    granted: list[Prequalification] = []
    moments: dict[int, dt.datetime] = {}
    for plan in plans:
        passed = plan.entered(ONB)
        if passed is None:
            continue
        for category in plan.categories:
            grant = _grant(plan, category, local_date(passed))
            moments[id(grant)] = passed
            on_passing.append(grant)
            if grant.expires_on < ctx.today and plan.stage in (A, UR):
                renewal = _renewal(ctx, rng, plan, grant)
                if renewal is not None:
                    moments[id(renewal)] = at_hour(renewal.granted_on, 10)
                    granted.append(renewal)
        extra = _story_grant(ctx, rng, plan)
        if extra is not None:
            moments[id(extra)] = at_hour(extra.granted_on, 10)
            granted.append(extra)
    when = moments.__getitem__
    insert(
        ctx,
        on_passing,
        by=lambda g: g.granted_by,
        at=lambda g: when(id(g)),
        reason="Granted on passing qualification",
    )
    insert(ctx, granted, by=lambda g: g.granted_by, at=lambda g: when(id(g)), reason="Granted")
    _revoke_on_offboarding(ctx, plans, [*on_passing, *granted], moments)


def _grant(
    plan: VendorPlan, category: Any, granted_on: dt.date, expires_on: dt.date | None = None
) -> Prequalification:
    return Prequalification(
        supplier=plan.supplier,
        category=category,
        granted_on=granted_on,
        expires_on=expires_on or _default_expiry(granted_on),
        granted_by=plan.owner,
    )


def _renewal(
    ctx: DemoContext, rng: random.Random, plan: VendorPlan, grant: Prequalification
) -> Prequalification | None:
    if plan.story == "lapsed" or rng.random() >= RENEWED_SHARE:
        return None
    renewed_on = grant.expires_on - dt.timedelta(days=rng.randint(5, 45))
    return _grant(plan, grant.category, renewed_on)


def _story_grant(ctx: DemoContext, rng: random.Random, plan: VendorPlan) -> Prequalification | None:
    """A one-year grant in a neighbouring category: running out next month, or run out."""
    activated = plan.entered(A)
    if plan.story not in ("expiring", "lapsed") or activated is None:
        return None
    if plan.story == "expiring":
        following = (ctx.today.replace(day=1) + dt.timedelta(days=32)).replace(day=15)
        expires_on = following
    else:
        expires_on = ctx.today - dt.timedelta(days=rng.randint(20, 60))
    granted_on = max(expires_on - dt.timedelta(days=365), local_date(activated))
    granted_on = min(granted_on, expires_on - dt.timedelta(days=1))
    return _grant(plan, _neighbour(ctx, plan), granted_on, expires_on)


def _neighbour(ctx: DemoContext, plan: VendorPlan) -> Any:
    """A category next to the vendor's first one that the vendor is not listed in."""
    mine = {category.code for category in plan.categories}
    parent = plan.categories[0].parent.code if plan.categories[0].parent else ""
    leaves = [node for node in CATEGORY_TREE if node.parent and node.code not in mine]
    siblings = [node for node in leaves if node.parent == parent] or leaves
    return ctx.categories[siblings[0].code]


def _revoke_on_offboarding(
    ctx: DemoContext,
    plans: list[VendorPlan],
    grants: list[Prequalification],
    moments: dict[int, dt.datetime],
) -> None:
    offboarded = {plan.pk: (plan, plan.entered(OFF)) for plan in plans if plan.entered(OFF)}
    revisions = []
    for grant in grants:
        found = offboarded.get(grant.supplier_id)
        if found is None:
            continue
        plan, moment = found
        if moment is None or moments[id(grant)] >= moment:
            continue
        day = local_date(moment)
        if grant.expires_on >= day:
            changes = {"revoked_on": day, "revoked_reason": "Vendor offboarded"}
            revisions.append(
                Revision(grant, changes, moment, plan.owner, "Revoked: vendor offboarded")
            )
    revise(ctx, revisions)
