"""Reads of the visits app, every one starting from the access policy.

``visit_brief`` gathers the one-page pre-visit brief of an account (or one of its sites) in a
fixed number of queries, whatever the number of rows: each section is one query, limited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from steward.accountplans.choices import ObjectiveStatus
from steward.accountplans.models import AccountPlan
from steward.accountplans.selectors import current_plan
from steward.accounts.choices import OPEN_HOLDERS
from steward.accounts.models import WhitespaceCell
from steward.accounts.selectors import account_get, locations_of
from steward.core.access import Action, get_for_user
from steward.core.display import person_name
from steward.issues.choices import IssueStatus
from steward.issues.models import Issue
from steward.parties.models import Contact, Relationship, Site
from steward.pipeline.choices import OPEN_STAGES
from steward.pipeline.models import Opportunity
from steward.reviews.choices import ActionSide, ActionStatus
from steward.reviews.models import ActionItem, Activity
from steward.visits.filtersets import VisitFilterSet
from steward.visits.models import Visit

RECENT_DAYS = 90
# A person on the map not met for longer than this is flagged on the brief.
NOT_MET_DAYS = 90
OPEN_OBJECTIVES = (ObjectiveStatus.NOT_STARTED, ObjectiveStatus.ON_TRACK, ObjectiveStatus.AT_RISK)
CLOSED_ISSUES = (IssueStatus.RESOLVED, IssueStatus.CLOSED)
LIMITS = {
    "objectives": 20,
    "problems": 20,
    "whitespace": 5,
    "opportunities": 10,
    "activities": 15,
    "stakeholders": 40,
    "actions": 30,
    "visits": 5,
}


# --- the brief's rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefObjective:
    id: int
    title: str
    owner: str
    measure: str
    target: str
    due_on: dt.date | None
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class BriefProblem:
    id: int
    reference: str
    title: str
    severity: str
    severity_label: str
    status_label: str
    opened_on: dt.date
    age_days: int
    overdue: bool
    url: str


@dataclass(frozen=True)
class BriefWhitespace:
    id: int
    family: str
    site: str
    holder_label: str
    competitor: str
    currency: str
    potential: Decimal


@dataclass(frozen=True)
class BriefOpportunity:
    id: int
    name: str
    stage_label: str
    close_date: dt.date
    currency: str
    amount: Decimal
    probability: int
    site: str
    overdue: bool


@dataclass(frozen=True)
class BriefActivity:
    id: int
    occurred_on: dt.date
    kind_label: str
    subject: str
    summary: str
    face_to_face: bool
    logged_by: str


@dataclass(frozen=True)
class BriefStakeholder:
    id: int
    contact_id: int
    name: str
    title: str
    site: str
    decision_role_label: str
    sentiment: str
    sentiment_label: str
    last_met_on: dt.date | None
    days_since_met: int | None
    not_met: bool

    @property
    def not_met_note(self) -> str:
        if self.days_since_met is None:
            return "never met"
        return f"not met in {self.days_since_met} days" if self.not_met else ""


@dataclass(frozen=True)
class BriefAction:
    id: int
    title: str
    side: str
    owner: str
    due_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class VisitBrief:
    account: Relationship
    location: Site | None
    plan: AccountPlan | None
    today: dt.date
    objectives: list[BriefObjective]
    problems: list[BriefProblem]
    whitespace: list[BriefWhitespace]
    opportunities: list[BriefOpportunity]
    activities: list[BriefActivity]
    stakeholders: list[BriefStakeholder]
    actions_ours: list[BriefAction]
    actions_theirs: list[BriefAction]
    visits: list[Visit]


# --- sections ------------------------------------------------------------------------------------


def _objectives(plan: AccountPlan | None, today: dt.date) -> list[BriefObjective]:
    if plan is None:
        return []
    rows = (
        plan.objectives.active()
        .filter(status__in=OPEN_OBJECTIVES)
        .select_related("owner")
        .order_by("due_on", "pk")[: LIMITS["objectives"]]
    )
    return [
        BriefObjective(
            id=o.pk,
            title=o.title,
            owner=person_name(o.owner),
            measure=o.measure,
            target=o.target,
            due_on=o.due_on,
            status=o.status,
            status_label=o.get_status_display(),
            overdue=o.due_on is not None and o.due_on < today,
        )
        for o in rows
    ]


def _problems(user: Any, account: Relationship, today: dt.date) -> list[BriefProblem]:
    """Open issues on the account or any relationship with its organization, oldest first."""
    now = timezone.now()
    rows = (
        Issue.objects.restrict(user, Action.VIEW)
        .filter(relationship__organization_id=account.organization_id, archived_at__isnull=True)
        .exclude(status__in=CLOSED_ISSUES)
        .order_by("opened_at", "pk")[: LIMITS["problems"]]
    )
    return [
        BriefProblem(
            id=i.pk,
            reference=i.reference,
            title=i.title,
            severity=i.severity,
            severity_label=i.get_severity_display(),
            status_label=i.get_status_display(),
            opened_on=timezone.localdate(i.opened_at),
            age_days=(today - timezone.localdate(i.opened_at)).days,
            overdue=i.resolve_by < now,
            url=i.get_absolute_url(),
        )
        for i in rows
    ]


def _whitespace(user: Any, account: Relationship, location: Site | None) -> list[BriefWhitespace]:
    """Open cells (not ours, eligible) with the largest potential, of the site if one is given."""
    rows = WhitespaceCell.objects.restrict(user, Action.VIEW).filter(
        relationship=account,
        archived_at__isnull=True,
        holder__in=OPEN_HOLDERS,
        potential__isnull=False,
        potential__gt=0,
    )
    if location is not None:
        rows = rows.filter(site=location)
    rows = rows.select_related("family", "site").order_by("-potential", "pk")
    return [
        BriefWhitespace(
            id=c.pk,
            family=str(c.family),
            site=c.site.name if c.site else "",
            holder_label=c.get_holder_display(),
            competitor=c.competitor,
            currency=c.currency,
            potential=c.potential or Decimal(0),
        )
        for c in rows[: LIMITS["whitespace"]]
    ]


def _opportunities(
    user: Any, account: Relationship, location: Site | None, today: dt.date
) -> list[BriefOpportunity]:
    """Open opportunities, soonest to close first; of a site, its own and the account-wide."""
    rows = Opportunity.objects.restrict(user, Action.VIEW).filter(
        relationship=account, stage__in=OPEN_STAGES, archived_at__isnull=True
    )
    if location is not None:
        rows = rows.filter(Q(site=location) | Q(site__isnull=True))
    rows = rows.select_related("site").order_by("close_date", "pk")
    return [
        BriefOpportunity(
            id=o.pk,
            name=o.name,
            stage_label=o.get_stage_display(),
            close_date=o.close_date,
            currency=o.currency,
            amount=o.amount,
            probability=o.probability,
            site=o.site.name if o.site else "",
            overdue=o.close_date < today,
        )
        for o in rows[: LIMITS["opportunities"]]
    ]


def _activities(user: Any, account: Relationship, today: dt.date) -> list[BriefActivity]:
    since = today - dt.timedelta(days=RECENT_DAYS)
    rows = (
        Activity.objects.restrict(user, Action.VIEW)
        .filter(relationship=account, archived_at__isnull=True, occurred_on__gte=since)
        .select_related("logged_by")
        .order_by("-occurred_on", "-pk")[: LIMITS["activities"]]
    )
    return [
        BriefActivity(
            id=a.pk,
            occurred_on=a.occurred_on,
            kind_label=a.get_kind_display(),
            subject=a.subject,
            summary=a.summary,
            face_to_face=a.face_to_face,
            logged_by=person_name(a.logged_by),
        )
        for a in rows
    ]


def _stakeholders(
    plan: AccountPlan | None, location: Site | None, today: dt.date
) -> list[BriefStakeholder]:
    """The plan's relationship map (of the site's people if one is given), longest unmet first."""
    if plan is None:
        return []
    rows = plan.stakeholders.active().select_related("contact__site")
    if location is not None:
        rows = rows.filter(contact__site=location)
    result = []
    for s in rows.order_by("last_met_on", "contact__last_name", "pk")[: LIMITS["stakeholders"]]:
        days = (today - s.last_met_on).days if s.last_met_on else None
        result.append(
            BriefStakeholder(
                id=s.pk,
                contact_id=s.contact_id,
                name=f"{s.contact.first_name} {s.contact.last_name}".strip(),
                title=s.contact.title,
                site=s.contact.site.name if s.contact.site_id and s.contact.site else "",
                decision_role_label=s.get_decision_role_display(),
                sentiment=s.sentiment,
                sentiment_label=s.get_sentiment_display(),
                last_met_on=s.last_met_on,
                days_since_met=days,
                not_met=days is None or days > NOT_MET_DAYS,
            )
        )
    # Never met first, then the longest since.
    result.sort(key=lambda row: (row.last_met_on is not None, row.last_met_on or today))
    return result


def open_actions(*, user: Any, relationship: Relationship) -> QuerySet[ActionItem]:
    """Open actions on the account (both sides), soonest due first."""
    return (
        ActionItem.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, status=ActionStatus.OPEN, archived_at__isnull=True)
        .select_related("owner", "owner_contact")
        .order_by("due_on", "pk")
    )


def _actions(user: Any, account: Relationship, today: dt.date) -> list[BriefAction]:
    return [
        BriefAction(
            id=a.pk,
            title=a.title,
            side=a.side,
            owner=str(a.owner_contact) if a.side == ActionSide.THEIRS else person_name(a.owner),
            due_on=a.due_on,
            overdue=a.due_on < today,
        )
        for a in open_actions(user=user, relationship=account)[: LIMITS["actions"]]
    ]


def visit_brief(
    user: Any, account: Relationship, location: Site | None = None, *, today: dt.date | None = None
) -> VisitBrief:
    """The pre-visit brief of ``account`` (narrowed to ``location``'s whitespace, opportunities
    and people when given), as ``user`` may see it."""
    today = today or timezone.localdate()
    plan = current_plan(user=user, relationship=account)
    actions = _actions(user, account, today)
    return VisitBrief(
        account=account,
        location=location,
        plan=plan,
        today=today,
        objectives=_objectives(plan, today),
        problems=_problems(user, account, today),
        whitespace=_whitespace(user, account, location),
        opportunities=_opportunities(user, account, location, today),
        activities=_activities(user, account, today),
        stakeholders=_stakeholders(plan, location, today),
        actions_ours=[a for a in actions if a.side == ActionSide.OURS],
        actions_theirs=[a for a in actions if a.side == ActionSide.THEIRS],
        visits=list(visit_list(user=user).filter(relationship=account)[: LIMITS["visits"]]),
    )


# --- accounts, sites, visits ---------------------------------------------------------------------


def brief_account(*, user: Any, pk: Any) -> Relationship:
    """An account the user may see (404 otherwise, a supply-side relationship too)."""
    return account_get(user=user, pk=pk)


def account_location(relationship: Relationship, pk: Any) -> Site | None:
    """One of the account's locations by id (None for none); 404 for a site of another account."""
    if pk in (None, ""):
        return None
    try:
        return locations_of(relationship).get(pk=pk)
    except (Site.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404 from error


def location_choices(relationship: Relationship) -> QuerySet[Site]:
    return locations_of(relationship)


def attendee_choices(*, user: Any, relationship: Relationship) -> QuerySet[Contact]:
    """The account's people who may be recorded as attending: current contacts of its
    organization."""
    return (
        Contact.objects.restrict(user, Action.VIEW)
        .filter(organization_id=relationship.organization_id, archived_at__isnull=True)
        .select_related("site")
        .order_by("last_name", "first_name", "pk")
    )


def visit_list(*, user: Any) -> QuerySet[Visit]:
    return Visit.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "activity", "location", "recorded_by"
    )


def visit_filterset(*, user: Any, filters: Any) -> VisitFilterSet:
    return VisitFilterSet(filters, queryset=visit_list(user=user).order_by("-visited_on", "-pk"))


def visit_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Visit:
    rows = Visit.objects.select_related(
        "relationship__organization", "activity", "location", "recorded_by"
    )
    return get_for_user(rows, user=user, pk=pk, action=action)
