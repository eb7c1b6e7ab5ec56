"""What the supply-side steps decide per vendor before writing it, and share with later steps."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from steward.core.access import Access
from steward.demo.generate.context import DemoContext
from steward.parties.choices import Side
from steward.parties.models import Relationship, RelationshipMember
from steward.suppliers.models import Category, Supplier


@dataclass(frozen=True)
class Move:
    """One lifecycle transition: to which stage, when, and why."""

    to_stage: str
    at: dt.datetime
    reason: str


@dataclass
class VendorPlan:
    relationship: Relationship
    stage: str  # where the vendor stands today
    story: str = ""  # the part it plays in the demo's story, '' for the crowd
    fix_status: bool = False  # the relationship's status must follow the vendor's stage
    quadrant: str = ""  # the quadrant its inputs aim at; '' when it has no data yet
    inputs: dict[str, Any] = field(default_factory=dict)
    later_inputs: dict[str, Any] = field(default_factory=dict)  # an edit that moved it
    relationship_type: str = ""
    categories: list[Category] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    override: tuple[str, str] | None = None  # segment and reason
    edited_at: dt.datetime | None = None  # when later_inputs or the override were entered
    ticked: dict[str, tuple[dt.datetime, str]] = field(default_factory=dict)
    supplier: Supplier | None = None

    @property
    def owner(self) -> Any:
        return self.relationship.owner

    @property
    def created(self) -> dt.datetime:
        return self.relationship.created_at

    @property
    def pk(self) -> int:
        return self.relationship.pk

    def entered(self, stage: str, *, last: bool = False) -> dt.datetime | None:
        """When the vendor first (or last) moved into ``stage``, or None if it never did."""
        moments = [move.at for move in self.moves if move.to_stage == stage]
        if not moments:
            return None
        return moments[-1] if last else moments[0]

    @property
    def last_move(self) -> dt.datetime:
        return self.moves[-1].at if self.moves else self.created


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment strictly between ``start`` and ``end`` (their middle when they are close)."""
    seconds = int((end - start).total_seconds())
    if seconds < 3:
        return start + (end - start) / 2
    return start + dt.timedelta(seconds=rng.randint(1, seconds - 1))


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def at_hour(day: dt.date, hour: int) -> dt.datetime:
    """``day`` at ``hour`` o'clock in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def editors_of(ctx: DemoContext, plans: list[VendorPlan]) -> dict[int, list[Any]]:
    """Team members who edit each vendor's relationship, in the order they joined."""
    people = {user.pk: user for pool in ctx.users.values() for user in pool}
    found: dict[int, list[Any]] = defaultdict(list)
    wanted = {plan.pk for plan in plans}
    rows = RelationshipMember.objects.filter(relationship__side=Side.SUPPLY, access=Access.EDIT)
    for relationship_id, user_id in rows.order_by("pk").values_list("relationship_id", "user_id"):
        if relationship_id in wanted:
            found[relationship_id].append(people[user_id])
    return found
