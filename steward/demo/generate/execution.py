"""Strategy execution: initiatives with milestones across the coming year, and activities logged.

``initiative_create`` and ``milestone_add`` write one "created" record each; moving an
initiative along (started, done with the value delivered) and ticking milestones are
``initiative_update`` / ``milestone_update`` edits, one "changed" record each. Activities are
logged with their participants and the vendor's contacts (``activity_log``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import (
    ACTIVITY_SUBJECTS,
    ACTIVITY_SUMMARIES,
    INITIATIVE_DESCRIPTIONS,
    INITIATIVES,
    STAGE_ACTIVITIES,
    InitiativeSpec,
)
from steward.demo.generate.vendor_plan import VendorPlan, at_hour, between, editors_of, local_date
from steward.demo.generate.writes import Revision, insert, revise
from steward.plans.choices import InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative, Milestone
from steward.reviews.choices import ActivityKind
from steward.reviews.models import Activity
from steward.suppliers.choices import Segment, Stage
from steward.suppliers.models import Supplier

RUNNING = (Stage.ACTIVE, Stage.UNDER_REVIEW)
INITIATIVE_CHANCE: dict[str, float] = {
    Segment.LEVERAGE: 0.35,
    Segment.BOTTLENECK: 0.4,
    Segment.NON_CRITICAL: 0.05,
}
HORIZON_DAYS = 365  # the roadmap looks a year ahead


def _segments() -> dict[int, str]:
    return dict(Supplier.objects.values_list("pk", "segment"))


def _lower_first(name: str) -> str:
    """'Cloud hosting' reads 'cloud hosting' in a sentence; 'MRO supplies' stays."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


# --- initiatives ---------------------------------------------------------------------------------


@dataclass
class _Planned:
    plan: VendorPlan
    initiative: Initiative
    status: str
    delivered: Decimal | None
    created: dt.datetime
    milestones: list[tuple[Milestone, str, dt.date | None]] = field(default_factory=list)


def create_initiatives(ctx: DemoContext) -> None:
    rng = ctx.rng("plans.initiatives")
    segments = _segments()
    running = [plan for plan in ctx.vendors if plan.stage in RUNNING]
    editors = editors_of(ctx, running)
    planned: list[_Planned] = []
    for plan in running:
        segment = segments.get(plan.pk, "")
        specs = _specs(rng, plan, segment)
        for index, spec in enumerate(specs):
            forced = plan.story == "strategic" and index == 0
            owner = plan.owner
            if editors.get(plan.pk) and rng.random() < 0.2:
                owner = rng.choice(editors[plan.pk])
            planned.append(_initiative(ctx, rng, plan, spec, owner, forced=forced))
    _write_initiatives(ctx, planned)


def _specs(rng: random.Random, plan: VendorPlan, segment: str) -> list[InitiativeSpec]:
    options = INITIATIVES.get(segment, ())
    if not options:
        return []
    if plan.story == "strategic":
        count = 3
    elif segment == Segment.STRATEGIC:
        count = rng.choice((1, 2, 2, 3))
    else:
        count = 1 if rng.random() < INITIATIVE_CHANCE.get(segment, 0) else 0
    return rng.sample(options, min(count, len(options)))


def _initiative(
    ctx: DemoContext,
    rng: random.Random,
    plan: VendorPlan,
    spec: InitiativeSpec,
    owner: Any,
    *,
    forced: bool,
) -> _Planned:
    today = ctx.today
    activated = plan.entered(Stage.ACTIVE) or plan.created
    if forced:  # under way, with a milestone overdue: the roadmap's warning sign
        starts_on, ends_on = today - dt.timedelta(days=120), today + dt.timedelta(days=150)
    else:
        # Half began in the past year (many are done by now), half start soon or later on.
        low = max(today - dt.timedelta(days=300), local_date(activated) + dt.timedelta(days=14))
        recent = today - dt.timedelta(days=30)
        if rng.random() < 0.5 and low < recent:
            starts_on = _day_between(rng, low, recent)
        else:
            starts_on = _day_between(rng, max(low, recent), today + dt.timedelta(days=200))
        ends_on = min(
            starts_on + dt.timedelta(days=rng.randint(45, 240)),
            today + dt.timedelta(days=HORIZON_DAYS),
        )
    status = _status(rng, starts_on, ends_on, today, forced=forced)
    budget = Decimal(rng.randrange(5_000, 250_000, 500))
    expected = Decimal(round(float(budget) * rng.uniform(1.5, 5), -2))
    delivered = None
    if status == InitiativeStatus.DONE:
        delivered = Decimal(round(float(expected) * rng.uniform(0.6, 1.2), -2))
    elif status == InitiativeStatus.IN_PROGRESS:
        delivered = Decimal(round(float(expected) * rng.uniform(0, 0.5), -2))
    category = plan.categories[0].name
    initiative = Initiative(
        relationship=plan.relationship,
        title=spec.title.format(category=_lower_first(category)),
        kind=spec.kind,
        owner=owner,
        description=rng.choice(INITIATIVE_DESCRIPTIONS),
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        expected_value=expected,
    )
    lead = dt.timedelta(days=rng.randint(7, 45))
    created = max(at_hour(starts_on, 9) - lead, activated + dt.timedelta(hours=1))
    created = min(created, ctx.now - dt.timedelta(hours=2))
    found = _Planned(plan, initiative, status, delivered, created)
    found.milestones = _milestones(rng, found, spec, today, forced=forced)
    return found


def _day_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def _status(
    rng: random.Random, starts_on: dt.date, ends_on: dt.date, today: dt.date, *, forced: bool
) -> str:
    if forced:
        return InitiativeStatus.IN_PROGRESS
    if starts_on >= today:
        return InitiativeStatus.PLANNED
    if ends_on < today:
        roll = rng.random()
        if roll < 0.85:
            return InitiativeStatus.DONE
        return InitiativeStatus.CANCELLED if roll < 0.9 else InitiativeStatus.IN_PROGRESS
    return InitiativeStatus.ON_HOLD if rng.random() < 0.1 else InitiativeStatus.IN_PROGRESS


def _milestones(
    rng: random.Random, found: _Planned, spec: InitiativeSpec, today: dt.date, *, forced: bool
) -> list[tuple[Milestone, str, dt.date | None]]:
    initiative = found.initiative
    assert initiative.starts_on is not None
    assert initiative.ends_on is not None
    span = (initiative.ends_on - initiative.starts_on).days
    count = len(spec.milestones)
    made = []
    for index, title in enumerate(spec.milestones):
        due_on = initiative.starts_on + dt.timedelta(days=span * (index + 1) // count)
        if forced and index == 1:
            due_on = today - dt.timedelta(days=14)
        status: str = MilestoneStatus.OPEN
        completed_on: dt.date | None = None
        if due_on < today and not (forced and index == 1):
            roll = 0.0 if forced else rng.random()
            if found.status == InitiativeStatus.DONE or roll < 0.85:
                status = MilestoneStatus.DONE
                earliest = local_date(found.created) + dt.timedelta(days=1)
                completed_on = due_on + dt.timedelta(days=rng.randint(-10, 5))
                completed_on = max(min(completed_on, today - dt.timedelta(days=1)), earliest)
            elif roll < 0.92:
                status = MilestoneStatus.MISSED
        owner = None if rng.random() < 0.3 else initiative.owner
        made.append((Milestone(title=title, due_on=due_on, owner=owner), status, completed_on))
    return made


def _write_initiatives(ctx: DemoContext, planned: list[_Planned]) -> None:
    by_initiative = {id(p.initiative): p for p in planned}
    insert(
        ctx,
        [p.initiative for p in planned],
        by=lambda i: by_initiative[id(i)].plan.owner,
        at=lambda i: by_initiative[id(i)].created,
    )
    milestones, creators, moments = [], {}, {}
    for p in planned:
        for number, (milestone, _, _) in enumerate(p.milestones, start=1):
            milestone.initiative = p.initiative
            milestones.append(milestone)
            creators[id(milestone)] = p.plan.owner
            moments[id(milestone)] = p.created + dt.timedelta(minutes=number)
    insert(ctx, milestones, by=lambda m: creators[id(m)], at=lambda m: moments[id(m)])
    started, finished = [], []
    for p in planned:
        if p.status == InitiativeStatus.PLANNED:
            continue
        assert p.initiative.starts_on is not None
        assert p.initiative.ends_on is not None
        start = max(at_hour(p.initiative.starts_on, 9), p.created + dt.timedelta(minutes=30))
        start = min(start, ctx.now - dt.timedelta(hours=1))
        started.append(
            Revision(
                p.initiative, {"status": InitiativeStatus.IN_PROGRESS}, start, p.initiative.owner
            )
        )
        changes: dict[str, Any] = {}
        if p.status != InitiativeStatus.IN_PROGRESS:
            changes["status"] = p.status
        if p.delivered is not None:
            changes["delivered_value"] = p.delivered
        if changes:
            end = at_hour(p.initiative.ends_on, 17)
            moment = end if end < ctx.now else start + (ctx.now - start) / 2
            finished.append(Revision(p.initiative, changes, moment, p.initiative.owner))
    revise(ctx, started)
    revise(ctx, finished)
    _tick_milestones(ctx, planned)


def _tick_milestones(ctx: DemoContext, planned: list[_Planned]) -> None:
    revisions = []
    for p in planned:
        for milestone, status, completed_on in p.milestones:
            if status == MilestoneStatus.DONE and completed_on is not None:
                moment = at_hour(completed_on, 16)
                changes: dict[str, Any] = {"status": status, "completed_on": completed_on}
            elif status == MilestoneStatus.MISSED:
                moment = min(at_hour(milestone.due_on, 18), ctx.now - dt.timedelta(hours=1))
                changes = {"status": status}
            else:
                continue
            moment = max(moment, p.created + dt.timedelta(hours=1))
            revisions.append(Revision(milestone, changes, moment, p.initiative.owner))
    revise(ctx, revisions)


# --- activities ----------------------------------------------------------------------------------


def create_activities(ctx: DemoContext) -> None:
    rng = ctx.rng("reviews.activities")
    segments = _segments()
    contacts: dict[int, list[Any]] = defaultdict(list)
    for contact in ctx.contacts:
        if contact.archived_at is None:
            contacts[contact.organization_id].append(contact)
    editors = editors_of(ctx, ctx.vendors)
    activities, people, met = [], {}, {}
    for plan in ctx.vendors:
        for kind, subject, day in _occasions(ctx, rng, plan, segments.get(plan.pk, "")):
            activity = Activity(
                relationship=plan.relationship,
                kind=kind,
                subject=subject,
                occurred_on=day,
                summary=rng.choice(ACTIVITY_SUMMARIES[kind]),
                logged_by=plan.owner,
                follow_up_on=_follow_up(rng, kind, subject, day),
            )
            team = editors.get(plan.pk, [])
            people[id(activity)] = [plan.owner, *rng.sample(team, min(len(team), 2))]
            mine = contacts[plan.relationship.organization_id]
            met[id(activity)] = rng.sample(mine, min(len(mine), rng.randint(1, 2)))
            activities.append(activity)
    logged = {
        id(a): min(at_hour(a.occurred_on, 17), ctx.now - dt.timedelta(minutes=30))
        for a in activities
    }
    insert(
        ctx,
        activities,
        by=lambda a: a.logged_by,
        at=lambda a: logged[id(a)],
        many={"participants": lambda a: people[id(a)], "contacts": lambda a: met[id(a)]},
    )


def _occasions(
    ctx: DemoContext, rng: random.Random, plan: VendorPlan, segment: str
) -> list[tuple[str, str, dt.date]]:
    """What was met about, and when: the stage's own meeting, then the running rhythm."""
    found = []
    yesterday = ctx.now - dt.timedelta(days=1)
    if plan.stage in STAGE_ACTIVITIES and (plan.stage != Stage.PROSPECT or rng.random() < 0.4):
        kind, subject = STAGE_ACTIVITIES[plan.stage]
        since = plan.entered(plan.stage, last=True) or plan.created
        if plan.stage == Stage.OFFBOARDED:
            since = plan.entered(Stage.EXITING) or since
        until = plan.entered(Stage.OFFBOARDED) or yesterday
        if since < until:
            found.append((kind, subject, local_date(between(rng, since, until))))
    activated = plan.entered(Stage.ACTIVE)
    if activated is None:
        return found
    start = max(activated, ctx.now - dt.timedelta(days=365))
    end = plan.entered(Stage.EXITING) or plan.entered(Stage.OFFBOARDED) or yesterday
    if start >= end:
        return found
    if segment == Segment.STRATEGIC:
        moment = end - dt.timedelta(days=rng.randint(5, 25))
        while moment > start:
            found.append(
                (
                    ActivityKind.BUSINESS_REVIEW,
                    ACTIVITY_SUBJECTS[ActivityKind.BUSINESS_REVIEW][0],
                    local_date(moment),
                )
            )
            moment -= dt.timedelta(days=rng.randint(80, 100))
        extra = rng.randint(1, 2)
    else:
        usual: dict[str, int] = {Segment.LEVERAGE: 2, Segment.BOTTLENECK: 2}
        extra = usual.get(segment, rng.randint(0, 1))
    kinds = (ActivityKind.MEETING, ActivityKind.CALL, ActivityKind.SITE_VISIT, ActivityKind.EMAIL)
    for _ in range(extra):
        kind = rng.choices(kinds, weights=(4, 4, 1, 1))[0]
        day = local_date(between(rng, start, end))
        found.append((kind, rng.choice(ACTIVITY_SUBJECTS[kind]), day))
    return found


def _follow_up(rng: random.Random, kind: str, subject: str, day: dt.date) -> dt.date | None:
    if kind == ActivityKind.BUSINESS_REVIEW:
        return day + dt.timedelta(days=90)
    if subject == STAGE_ACTIVITIES[Stage.UNDER_REVIEW][1]:
        return day + dt.timedelta(days=14)
    return day + dt.timedelta(days=rng.randint(7, 30)) if rng.random() < 0.3 else None
