"""Relationships on both sides, their teams, review dates and a little history of edits."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from itertools import cycle
from typing import Any

from steward.core.access import Access
from steward.core.models import Tag
from steward.demo.generate.context import DemoContext
from steward.demo.generate.parties import COUNTRY_BY_CODE
from steward.demo.generate.vocabulary import (
    DEMAND_GOALS,
    DEMAND_SUMMARIES,
    DEMAND_TAGS,
    OFFERINGS,
    OUR_PRODUCTS,
    REGION_LABELS,
    SUPPLY_GOALS,
    SUPPLY_SUMMARIES,
    SUPPLY_TAGS,
)
from steward.demo.generate.writes import Revision, insert, revise
from steward.parties.choices import RelationshipStatus, Side, TeamRole, Tier
from steward.parties.models import Relationship, RelationshipMember

TIER_WEIGHTS = {Tier.STRATEGIC: 10, Tier.KEY: 20, Tier.MANAGED: 40, Tier.TRANSACTIONAL: 30}
STATUS_WEIGHTS = {
    RelationshipStatus.ACTIVE: 65,
    RelationshipStatus.PROSPECT: 10,
    RelationshipStatus.UNDER_REVIEW: 15,
    RelationshipStatus.INACTIVE: 10,
}
REVIEWED = (RelationshipStatus.ACTIVE, RelationshipStatus.UNDER_REVIEW)


def _summary(rng: random.Random, relationship: Relationship) -> str:
    organization = relationship.organization
    supply = relationship.side == Side.SUPPLY
    template = rng.choice(SUPPLY_SUMMARIES if supply else DEMAND_SUMMARIES)
    return template.format(
        offering=rng.choice(OFFERINGS[organization.industry] if supply else OUR_PRODUCTS),
        region=REGION_LABELS[COUNTRY_BY_CODE[str(organization.country)].region],
        goal=rng.choice(SUPPLY_GOALS if supply else DEMAND_GOALS),
    )


def create_relationships(ctx: DemoContext) -> None:
    """Vendors (supply side) and accounts (demand side) with owners, tiers and statuses."""
    rng = ctx.rng("parties.relationships")
    portal = {org.pk for org in ctx.portal_organizations}
    tags = {tag.name: tag for tag in Tag.resolve([*SUPPLY_TAGS, *DEMAND_TAGS])}
    relationships: list[Relationship] = []
    tags_of: dict[int, list[Tag]] = {}
    for organization, side, owner in ctx.relationship_plan:
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if organization.pk in portal and side == Side.SUPPLY:
            status = RelationshipStatus.ACTIVE  # vendors on the portal are working with us
        tier = rng.choices(list(TIER_WEIGHTS), weights=list(TIER_WEIGHTS.values()))[0]
        relationship = Relationship(
            organization=organization, side=side, owner=owner, tier=tier, status=status
        )
        relationship.summary = _summary(rng, relationship)
        side_tags = SUPPLY_TAGS if side == Side.SUPPLY else DEMAND_TAGS
        tags_of[id(relationship)] = [
            tags[name] for name in rng.sample(side_tags, rng.choice((0, 1, 1, 2)))
        ]
        relationships.append(relationship)
    _schedule_reviews(ctx, rng, relationships)
    revisions = _earlier_states(ctx, rng, relationships)
    created = {id(r): ctx.later(rng, r.organization.created_at, 60) for r in relationships}
    insert(
        ctx,
        relationships,
        by=lambda r: r.owner,
        at=lambda r: created[id(r)],
        many={"tags": lambda r: tags_of[id(r)]},
    )
    ctx.relationships = relationships
    for revision in revisions:
        revision.at = ctx.since(rng, revision.obj.created_at)
    revise(ctx, revisions)


def _schedule_reviews(
    ctx: DemoContext, rng: random.Random, relationships: list[Relationship]
) -> None:
    """Spread next reviews so every owner has one overdue, one due this week and later ones."""
    seen: dict[int, int] = defaultdict(int)
    for relationship in relationships:
        if relationship.status not in REVIEWED:
            if relationship.status == RelationshipStatus.PROSPECT and rng.random() < 0.5:
                relationship.next_review_on = ctx.today + dt.timedelta(days=rng.randint(30, 120))
            continue
        order = seen[relationship.owner.pk]
        seen[relationship.owner.pk] += 1
        roll = rng.random()
        if order == 0 or (order > 1 and roll < 0.08):
            offset = -rng.randint(1, 45)  # overdue
        elif order == 1 or roll < 0.16:
            offset = rng.randint(0, 6)  # due within the week
        else:
            offset = rng.randint(7, 180)
        relationship.next_review_on = ctx.today + dt.timedelta(days=offset)


def _earlier_states(
    ctx: DemoContext, rng: random.Random, relationships: list[Relationship]
) -> list[Revision]:
    """Turn some records back to how they started; the edit to today's state comes later."""
    revisions = []
    for relationship in relationships:
        roll = rng.random()
        supply = relationship.side == Side.SUPPLY
        final: dict[str, Any] = {}
        if relationship.status == RelationshipStatus.ACTIVE and roll < 0.2:
            final = {"status": relationship.status}
            relationship.status = RelationshipStatus.PROSPECT
            reason = "Onboarding complete" if supply else "First order received"
        elif relationship.status == RelationshipStatus.UNDER_REVIEW and roll < 0.6:
            final = {"status": relationship.status}
            relationship.status = RelationshipStatus.ACTIVE
            reason = "Quality escalation opened" if supply else "Renewal at risk"
        elif relationship.tier < Tier.TRANSACTIONAL and roll < 0.35:
            final = {"tier": relationship.tier}
            relationship.tier = Tier(relationship.tier + 1)
            reason = "Annual segmentation review"
        if final:
            revisions.append(Revision(relationship, final, ctx.now, relationship.owner, reason))
    return revisions


SPECIALIST_CHANCE: dict[int, float] = {Tier.STRATEGIC: 1.0, Tier.KEY: 0.7, Tier.MANAGED: 0.3}
REVIEWER_CHANCE: dict[int, float] = {Tier.MANAGED: 0.4, Tier.TRANSACTIONAL: 0.1}
SPECIALIST_ROLES: dict[str, tuple[str, ...]] = {
    Side.SUPPLY: (TeamRole.SPECIALIST, TeamRole.IMPLEMENTATION, TeamRole.OPERATIONS),
    Side.DEMAND: (TeamRole.CUSTOMER_SERVICE, TeamRole.IMPLEMENTATION, TeamRole.SPECIALIST),
}
# Reviewing functions per side; their team role has the same code as the function.
REVIEW_FUNCTIONS: dict[str, tuple[str, ...]] = {
    Side.SUPPLY: ("procurement", "legal", "it_security", "finance"),
    Side.DEMAND: ("legal", "finance"),
}


class _Team:
    """The members of one relationship: never the owner, never anyone twice."""

    def __init__(self, relationship: Relationship) -> None:
        self.relationship = relationship
        self.members: dict[int, RelationshipMember] = {}

    def add(self, user: Any, role: str, access: str) -> None:
        if user.pk != self.relationship.owner_id and user.pk not in self.members:
            self.members[user.pk] = RelationshipMember(
                relationship=self.relationship, user=user, role=role, access=access
            )


def create_team_members(ctx: DemoContext) -> None:
    """Backup owners and specialists who edit; legal, finance, IT security, procurement review."""
    rng = ctx.rng("parties.team_members")
    specialists = cycle(ctx.pool("specialist"))
    reviewers = {
        function: cycle(ctx.pool(f"reviewer_{function}"))
        for function in ("legal", "finance", "it_security", "procurement")
    }
    backups: dict[str, list[Any]] = {
        Side.SUPPLY: ctx.pool("senior_vendor_manager", "vendor_manager"),
        Side.DEMAND: ctx.pool("account_manager"),
    }
    sponsors: dict[str, Any] = {
        Side.SUPPLY: ctx.users["procurement_head"][0],
        Side.DEMAND: ctx.users["sales_director"][0],
    }
    members: list[RelationshipMember] = []
    for relationship in ctx.relationships:
        team = _Team(relationship)
        side, tier = relationship.side, relationship.tier
        if tier == Tier.STRATEGIC:
            team.add(rng.choice(backups[side]), TeamRole.BACKUP_OWNER, Access.EDIT)
            if rng.random() < 0.5:
                team.add(sponsors[side], TeamRole.EXECUTIVE_SPONSOR, Access.EDIT)
        if rng.random() < SPECIALIST_CHANCE.get(tier, 0):
            team.add(next(specialists), rng.choice(SPECIALIST_ROLES[side]), Access.EDIT)
        if tier in (Tier.STRATEGIC, Tier.KEY):
            review_count = 2 if tier == Tier.STRATEGIC else 1
        else:
            review_count = 1 if rng.random() < REVIEWER_CHANCE.get(tier, 0) else 0
        for function in rng.sample(REVIEW_FUNCTIONS[side], review_count):
            team.add(next(reviewers[function]), function, Access.REVIEW)
        members.extend(team.members.values())
    added = {id(m): ctx.later(rng, m.relationship.created_at, 20) for m in members}
    insert(
        ctx,
        members,
        by=lambda m: m.relationship.owner,
        at=lambda m: added[id(m)],
        reason="Added to the team",
    )
