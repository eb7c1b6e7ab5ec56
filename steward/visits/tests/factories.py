"""A customer account ready for a visit, built through the services where the rules matter:
account A (Aurora, owned by ``owner``) with a current plan, two people on its relationship
map (one at the smelter, never met; one met 120 days ago), an overdue objective, an open
problem, whitespace at both sites, an open opportunity, a recent face-to-face meeting and an
open action on each side."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.accountplans import services as plan_services
from steward.accountplans.choices import DecisionRole, Sentiment
from steward.accountplans.models import AccountPlan, PlanStakeholder
from steward.accounts.choices import Holder
from steward.accounts.models import WhitespaceCell
from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.catalog.tests.factories import ProductFamilyFactory
from steward.issues.models import Issue
from steward.issues.tests.factories import IssueFactory
from steward.parties.models import Contact
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.pipeline.models import Opportunity
from steward.pipeline.tests.factories import opportunity
from steward.reviews.choices import ActionSide
from steward.reviews.models import ActionItem
from steward.reviews.services import activity_log
from steward.reviews.services_reviews import action_item_add
from steward.visits import services
from steward.visits.models import Visit
from steward.visits.services import Attendee, NewAction


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@dataclass
class VisitWorld:
    world: DemandWorld
    plan: AccountPlan
    smelter_person: Contact  # at the smelter site, on the map, never met
    sponsor: Contact  # at no site, on the map, met 120 days ago
    bystander: Contact  # a person of the account, not on the map
    smelter_stakeholder: PlanStakeholder
    sponsor_stakeholder: PlanStakeholder
    problem: Issue
    cell_smelter: WhitespaceCell
    cell_hq: WhitespaceCell
    deal: Opportunity
    ours: ActionItem
    theirs: ActionItem

    @property
    def account(self) -> Any:
        return self.world.account_a


def visit_world(cast: Cast) -> VisitWorld:
    world = demand_accounts(cast)
    account, owner = world.account_a, cast.owner
    plan = plan_services.plan_create(
        actor=owner, relationship=account, starts_on=days(-30), ends_on=days(335), title="Plan"
    )
    smelter_person = ContactFactory(
        organization=cast.org_a, site=cast.site_a_private, first_name="Sara", last_name="Lind"
    )
    sponsor = ContactFactory(organization=cast.org_a, first_name="Olof", last_name="Berg")
    bystander = ContactFactory(organization=cast.org_a, first_name="Pia", last_name="Ek")
    smelter_stakeholder = plan_services.stakeholder_add(
        actor=owner, plan=plan, contact=smelter_person, decision_role=DecisionRole.DECISION_MAKER
    )
    sponsor_stakeholder = plan_services.stakeholder_add(
        actor=owner,
        plan=plan,
        contact=sponsor,
        decision_role=DecisionRole.EXECUTIVE_SPONSOR,
        sentiment=Sentiment.SUPPORTER,
        last_met_on=days(-120),
    )
    plan_services.objective_add(
        actor=owner, plan=plan, title="Cut stoppages", owner=owner, measure="Hours", due_on=days(-3)
    )
    plan_services.objective_add(actor=owner, plan=plan, title="Done one", status="achieved")
    problem = IssueFactory(
        relationship=account, title="Late deliveries", opened_at=timezone.now() - dt.timedelta(10)
    )
    family = ProductFamilyFactory()
    cell_smelter = WhitespaceCell.objects.create(
        relationship=account,
        family=family,
        site=cast.site_a_private,
        holder=Holder.COMPETITOR,
        potential=Decimal(50000),
    )
    cell_hq = WhitespaceCell.objects.create(
        relationship=account,
        family=family,
        site=cast.site_a_shared,
        holder=Holder.UNKNOWN,
        potential=Decimal(90000),
    )
    deal = opportunity(actor=owner, relationship=account, name="Furnace lining")
    activity_log(
        actor=owner,
        relationship=account,
        subject="Lunch with the plant manager",
        occurred_on=days(-5),
        face_to_face=True,
    )
    ours = action_item_add(
        actor=owner, relationship=account, title="Send the audit report", due_on=days(-1)
    )
    theirs = action_item_add(
        actor=owner,
        relationship=account,
        title="Share the forecast",
        due_on=days(7),
        side=ActionSide.THEIRS,
        owner_contact=sponsor,
    )
    return VisitWorld(
        world=world,
        plan=plan,
        smelter_person=smelter_person,
        sponsor=sponsor,
        bystander=bystander,
        smelter_stakeholder=smelter_stakeholder,
        sponsor_stakeholder=sponsor_stakeholder,
        problem=problem,
        cell_smelter=cell_smelter,
        cell_hq=cell_hq,
        deal=deal,
        ours=ours,
        theirs=theirs,
    )


def note(actor: Any, vw: VisitWorld, **kwargs: Any) -> Visit:
    """A note of a visit yesterday: the sponsor was there and is now a champion, a new action
    of ours, our overdue action done."""
    values: dict[str, Any] = {
        "visited_on": days(-1),
        "summary": "Walked the smelter; agreed a trial.",
        "attendees": [Attendee(contact=vw.sponsor, sentiment=Sentiment.CHAMPION)],
        "new_actions": [NewAction(title="Quote the trial", due_on=days(10))],
        "done_actions": [vw.ours],
    }
    values.update(kwargs)
    return services.visit_note_record(actor=actor, relationship=vw.account, **values)
