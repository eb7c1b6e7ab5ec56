"""Reads on account plans, every one scoped by the access policy, and the plan standard's
standing of many plans at once (a fixed number of queries, whatever the number of plans)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from steward.accountplans import standard as rules_module
from steward.accountplans.choices import (
    CLOSED_OBJECTIVES,
    DecisionRole,
    PlanStatus,
    Sentiment,
    Visibility,
)
from steward.accountplans.filtersets import AccountPlanFilterSet
from steward.accountplans.models import (
    AccountPlan,
    PlanAction,
    PlanInitiative,
    PlanObjective,
    PlanReview,
    PlanStakeholder,
    PlanStandard,
)
from steward.accountplans.standard import PlanFacts, Rules, Standing
from steward.accounts.models import InstalledProduct
from steward.core.access import Action, can_create, get_for_user
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Contact, Relationship
from steward.pipeline.choices import OPEN_STAGES
from steward.pipeline.models import Opportunity
from steward.reviews.choices import ActionSide, ActionStatus

# --- the standard ------------------------------------------------------------------------------


def standard_get() -> PlanStandard:
    """The one standard (the data migration creates it; recreated with defaults if removed)."""
    standard = PlanStandard.objects.order_by("pk").first()
    if standard is None:
        standard = PlanStandard.objects.create()
    return standard


def standard_get_for_user(*, user: Any, action: str = Action.VIEW) -> PlanStandard:
    return get_for_user(PlanStandard.objects.all(), user=user, pk=standard_get().pk, action=action)


def rules_of(standard: PlanStandard) -> Rules:
    return Rules(
        executive_sponsor=standard.executive_sponsor_rule,
        locations=standard.locations_rule,
        objectives_complete=standard.objectives_complete_rule,
        min_objectives=standard.min_objectives_rule,
        min_objectives_count=standard.min_objectives,
        reviewed_recently=standard.reviewed_recently_rule,
        review_days=standard.review_days,
        next_review=standard.next_review_rule,
        actions_both_sides=standard.actions_both_sides_rule,
    )


# --- standing, set-based -----------------------------------------------------------------------


def _plan_ids(plans: Iterable[Any]) -> list[int]:
    if isinstance(plans, QuerySet):
        return list(plans.order_by().values_list("pk", flat=True))
    return [p.pk if isinstance(p, Model) else int(p) for p in plans]


def _sites_needing_decision_makers(
    relationships: Mapping[int, int], today: dt.date
) -> dict[int, dict[int, str]]:
    """{relationship id: {site id: site name}}: the account's sites with contacts, installed
    products or open opportunities (three queries for every account)."""
    needed: dict[int, dict[int, str]] = defaultdict(dict)
    by_organization: dict[int, list[int]] = defaultdict(list)
    for relationship_id, organization_id in relationships.items():
        by_organization[organization_id].append(relationship_id)
    contacts = (
        Contact.objects.filter(
            organization_id__in=list(by_organization),
            archived_at__isnull=True,
            site__isnull=False,
            site__archived_at__isnull=True,
        )
        .values_list("organization_id", "site_id", "site__name")
        .distinct()
    )
    for organization_id, site_id, name in contacts:
        for relationship_id in by_organization[organization_id]:
            needed[relationship_id][site_id] = name
    installed = InstalledProduct.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        relationship_id__in=list(relationships),
        archived_at__isnull=True,
        site__isnull=False,
        site__archived_at__isnull=True,
    ).values_list("relationship_id", "site_id", "site__name")
    opportunities = Opportunity.objects.filter(
        relationship_id__in=list(relationships),
        archived_at__isnull=True,
        stage__in=OPEN_STAGES,
        site__isnull=False,
        site__archived_at__isnull=True,
    ).values_list("relationship_id", "site_id", "site__name")
    for rows in (installed.distinct(), opportunities.distinct()):
        for relationship_id, site_id, name in rows:
            needed[relationship_id][site_id] = name
    return needed


def plan_facts_for(plans: Iterable[Any], today: dt.date) -> dict[int, PlanFacts]:
    """The facts the standard looks at, for every plan given, in seven queries."""
    ids = _plan_ids(plans)
    if not ids:
        return {}
    rows = list(
        AccountPlan.objects.filter(pk__in=ids).values(
            "pk",
            "relationship_id",
            "relationship__organization_id",
            "last_reviewed_on",
            "next_review_on",
        )
    )
    sponsors: set[int] = set()
    mapped_sites: dict[int, set[int]] = defaultdict(set)
    for plan_id, role, site_id in PlanStakeholder.objects.filter(
        plan_id__in=ids,
        archived_at__isnull=True,
        decision_role__in=(DecisionRole.DECISION_MAKER, DecisionRole.EXECUTIVE_SPONSOR),
    ).values_list("plan_id", "decision_role", "contact__site_id"):
        if role == DecisionRole.EXECUTIVE_SPONSOR:
            sponsors.add(plan_id)
        elif site_id is not None:
            mapped_sites[plan_id].add(site_id)
    objectives: dict[int, int] = defaultdict(int)
    incomplete: dict[int, list[str]] = defaultdict(list)
    for plan_id, title, owner_id, stakeholder_id, measure, due_on in (
        PlanObjective.objects.filter(plan_id__in=ids, archived_at__isnull=True)
        .exclude(status__in=CLOSED_OBJECTIVES)
        .order_by("plan_id", "due_on", "pk")
        .values_list("plan_id", "title", "owner_id", "stakeholder_id", "measure", "due_on")
    ):
        objectives[plan_id] += 1
        if owner_id is None or stakeholder_id is None or not measure or due_on is None:
            incomplete[plan_id].append(title)
    sides: dict[int, set[str]] = defaultdict(set)
    for plan_id, side in (
        PlanAction.objects.filter(
            plan_id__in=ids,
            archived_at__isnull=True,
            action_item__archived_at__isnull=True,
        )
        .exclude(action_item__status=ActionStatus.DROPPED)
        .filter(
            Q(action_item__side=ActionSide.OURS, action_item__owner__isnull=False)
            | Q(action_item__side=ActionSide.THEIRS, action_item__owner_contact__isnull=False)
        )
        .values_list("plan_id", "action_item__side")
        .distinct()
    ):
        sides[plan_id].add(side)
    needed = _sites_needing_decision_makers(
        {row["relationship_id"]: row["relationship__organization_id"] for row in rows}, today
    )
    facts: dict[int, PlanFacts] = {}
    for row in rows:
        plan_id = row["pk"]
        sites = needed.get(row["relationship_id"], {})
        missing = sorted(name for pk, name in sites.items() if pk not in mapped_sites[plan_id])
        facts[plan_id] = PlanFacts(
            has_executive_sponsor=plan_id in sponsors,
            sites_without_decision_maker=tuple(missing),
            objectives=objectives[plan_id],
            incomplete_objectives=tuple(incomplete[plan_id]),
            last_reviewed_on=row["last_reviewed_on"],
            next_review_on=row["next_review_on"],
            has_our_action=ActionSide.OURS in sides[plan_id],
            has_their_action=ActionSide.THEIRS in sides[plan_id],
        )
    return facts


def plan_standing_for(
    plans: Iterable[Any], *, today: dt.date | None = None, rules: Rules | None = None
) -> dict[int, Standing]:
    """{plan id: standing} for every plan given (instances, ids or a queryset)."""
    today = today or timezone.localdate()
    rules = rules or rules_of(standard_get())
    return {
        pk: rules_module.evaluate(facts, rules, today)
        for pk, facts in plan_facts_for(plans, today).items()
    }


def plan_standing(plan: AccountPlan, *, today: dt.date | None = None) -> Standing:
    return plan_standing_for([plan], today=today)[plan.pk]


# --- plans -------------------------------------------------------------------------------------


def plan_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> AccountPlanFilterSet:
    plans = (
        AccountPlan.objects.restrict(user, Action.VIEW)
        .select_related("relationship__organization", "relationship__owner")
        .order_by("relationship__organization__display_name", "-starts_on", "pk")
    )
    return AccountPlanFilterSet(filters or {}, queryset=plans)


def plan_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[AccountPlan]:
    return plan_filterset(user=user, filters=filters).qs


def with_standing(plans: Sequence[AccountPlan]) -> list[AccountPlan]:
    """A page of plans, each with its ``standing`` attached (one batch for the page)."""
    standings = plan_standing_for(plans)
    for plan in plans:
        plan.standing = standings.get(plan.pk)  # type: ignore[attr-defined]
    return list(plans)


def plan_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> AccountPlan:
    plans = AccountPlan.objects.select_related("relationship__organization", "relationship__owner")
    return get_for_user(plans, user=user, pk=pk, action=action)


def current_plan(*, user: Any, relationship: Relationship) -> AccountPlan | None:
    return (
        AccountPlan.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, status=PlanStatus.ACTIVE, archived_at__isnull=True)
        .first()
    )


def plan_parts(plan: AccountPlan) -> dict[str, list[Any]]:
    """The plan's rows (not archived), each list in one query; rows follow the plan's access."""
    return {
        "stakeholders": list(
            plan.stakeholders.active()
            .select_related("contact__site", "covered_by")
            .order_by("decision_role", "contact__last_name", "pk")
        ),
        "objectives": list(
            plan.objectives.active().select_related("owner", "stakeholder").order_by("due_on", "pk")
        ),
        "initiative_links": list(
            plan.initiative_links.active()
            .select_related("initiative__owner")
            .order_by("priority", "pk")
        ),
        "action_links": list(
            plan.action_links.active()
            .select_related("action_item__owner", "action_item__owner_contact")
            .order_by("action_item__due_on", "pk")
        ),
        "reviews": list(plan.reviews.active().select_related("recorded_by")[:20]),
    }


def coverage_gaps(
    plan: AccountPlan, stakeholders: Sequence[PlanStakeholder], facts: PlanFacts
) -> dict[str, Any]:
    """Locations without a mapped decision maker, decision makers nobody covers, detractors."""
    return {
        "sites": list(facts.sites_without_decision_maker),
        "uncovered": [
            s
            for s in stakeholders
            if s.decision_role == DecisionRole.DECISION_MAKER and s.covered_by_id is None
        ],
        "detractors": [s for s in stakeholders if s.sentiment == Sentiment.DETRACTOR],
    }


def customer_view(plan: AccountPlan) -> dict[str, Any]:
    """Only what the customer may see: customer-visible sections, and in them only
    customer-visible rows; sentiment, coverage and live figures never appear."""
    parts = plan_parts(plan)

    def shared(section: str, rows: list[Any]) -> list[Any]:
        if getattr(plan, f"{section}_visibility") != Visibility.CUSTOMER:
            return []
        return [row for row in rows if row.visibility == Visibility.CUSTOMER]

    return {
        "goals": plan.goals if plan.goals_visibility == Visibility.CUSTOMER else "",
        "needs": plan.needs if plan.needs_visibility == Visibility.CUSTOMER else "",
        "people": [
            {
                "name": str(s.contact),
                "title": s.contact.title,
                "role": s.get_decision_role_display(),
            }
            for s in shared("map", parts["stakeholders"])
        ],
        "objectives": shared("objectives", parts["objectives"]),
        "initiatives": shared("initiatives", parts["initiative_links"]),
        "actions": shared("actions", parts["action_links"]),
    }


# --- parts of a plan ---------------------------------------------------------------------------


def stakeholder_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> PlanStakeholder:
    return get_for_user(
        PlanStakeholder.objects.select_related("plan__relationship", "contact"),
        user=user,
        pk=pk,
        action=action,
    )


def objective_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> PlanObjective:
    return get_for_user(
        PlanObjective.objects.select_related("plan__relationship"), user=user, pk=pk, action=action
    )


def initiative_link_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> PlanInitiative:
    return get_for_user(
        PlanInitiative.objects.select_related("plan__relationship", "initiative"),
        user=user,
        pk=pk,
        action=action,
    )


def action_link_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> PlanAction:
    return get_for_user(
        PlanAction.objects.select_related("plan__relationship", "action_item"),
        user=user,
        pk=pk,
        action=action,
    )


def review_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> PlanReview:
    return get_for_user(PlanReview.objects.select_related("plan"), user=user, pk=pk, action=action)


# --- the accountability dashboard --------------------------------------------------------------


def plans_meeting_standard_by_owner(
    person_ids: Sequence[int], today: dt.date
) -> dict[int, tuple[int, int]]:
    """{person id: (accounts whose current plan meets the standard, active accounts owned)}."""
    accounts = list(
        Relationship.objects.filter(
            owner_id__in=list(person_ids),
            side=Side.DEMAND,
            status=RelationshipStatus.ACTIVE,
            archived_at__isnull=True,
        ).values_list("pk", "owner_id")
    )
    plans = dict(
        AccountPlan.objects.filter(
            relationship_id__in=[pk for pk, _ in accounts],
            status=PlanStatus.ACTIVE,
            archived_at__isnull=True,
        ).values_list("relationship_id", "pk")
    )
    standings = plan_standing_for(list(plans.values()), today=today)
    counts: dict[int, tuple[int, int]] = dict.fromkeys(person_ids, (0, 0))
    for relationship_id, owner_id in accounts:
        met, total = counts[owner_id]
        plan_id = plans.get(relationship_id)
        meets = plan_id is not None and standings[plan_id].meets
        counts[owner_id] = (met + int(meets), total + 1)
    return counts


def plan_tab(*, user: Any, relationship: Relationship) -> dict[str, Any]:
    """The context ``accountplans/_plan_tab.html`` expects, for an account's page."""
    plan = current_plan(user=user, relationship=relationship)
    earlier = (
        AccountPlan.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, archived_at__isnull=True)
        .exclude(status=PlanStatus.ACTIVE)
        .order_by("-starts_on", "-pk")[:10]
    )
    return {
        "relationship": relationship,
        "plan": plan,
        "standing": plan_standing(plan) if plan else None,
        "earlier_plans": list(earlier),
        "can_start_plan": plan is None
        and not relationship.is_archived
        and relationship.side == Side.DEMAND
        and can_create(user, AccountPlan, parent=relationship),
    }
