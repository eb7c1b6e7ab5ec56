"""The key-account story's moments, written through the apps' services on the days they happened
(``story_clock``), after the bulk data of ``key_accounts``:

- the demo account manager's (``account.manager``) main account has a joint plan that **meets the
  plan standard**: an executive sponsor, a decision maker at every location, complete objectives,
  actions owned on both sides, reviewed three weeks ago with the next review set;
- their next account's plan does **not**: no sponsor, an objective without a stakeholder or a
  measure, never reviewed, its review date passed; and a **detractor** answered there last week
  (NPS 3, CSAT 2), so the early warnings page shows it;
- the main account's largest open whitespace cell was **opened as an opportunity** last week.

The newly won customer handed over by business development is ``key_account_handoff``'s; the
logins below mention it.
"""

from __future__ import annotations

import datetime as dt
from itertools import cycle
from typing import Any

from django.db.models import F

from steward.accountplans import services as plans
from steward.accountplans.choices import DecisionRole, Sentiment, Visibility
from steward.accountplans.models import AccountPlan
from steward.accounts.choices import OPEN_HOLDERS
from steward.accounts.models import WhitespaceCell
from steward.catalog.models import Product
from steward.demo.generate import kam_vocabulary as words
from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.key_accounts import ACCOUNT_STATUSES, main_account
from steward.demo.generate.vendor_plan import at_hour
from steward.parties import services as parties
from steward.parties.choices import Side, SiteKind
from steward.parties.models import Contact, ContactRole, Relationship, Site
from steward.pipeline import services as pipeline
from steward.pipeline.models import Opportunity
from steward.reviews.choices import ActionSide
from steward.satisfaction.choices import SurveyKind
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.services.responses import response_record


def create_story(ctx: DemoContext) -> None:
    manager = (ctx.users.get("account_manager") or [None])[0]
    main = main_account(ctx)
    if manager is None or main is None:
        return
    other = (
        Relationship.objects.filter(
            owner=manager,
            side=Side.DEMAND,
            status__in=ACCOUNT_STATUSES,
            archived_at__isnull=True,
            organization__sites__isnull=False,
        )
        .exclude(pk=main.pk)
        .distinct()
        .order_by("tier", "pk")
        .first()
    )
    _plan_meeting_the_standard(ctx, manager, main)
    if other is not None:
        _plan_below_the_standard(ctx, manager, other)
    _detractor(ctx, manager, other or main)
    _cell_opportunity(ctx, manager, main)


def describe_logins(ctx: DemoContext) -> None:
    """Tell the account manager, the sales director and business development what waits."""
    ctx.logins = [
        DemoLogin(login.role, login.username, login.sees + _ADDED[login.username])
        if login.username in _ADDED
        else login
        for login in ctx.logins
    ]
    if ctx.users.get("business_developer"):
        ctx.logins.append(
            DemoLogin(
                "Business development",
                ctx.users["business_developer"][0].username,
                "the handoff of a newly won customer (/handoffs/), handed over to "
                "account.manager and waiting for their acceptance",
            )
        )


_ADDED = {
    "account.manager": "; behind quota this quarter (/accountability/); their main account's "
    "whitespace with open cells, one opened as an opportunity; a joint plan meeting the "
    "standard and one that does not (/account-plans/); a detractor on the early warnings "
    "(/satisfaction/warnings/); a handoff waiting for their acceptance (/handoffs/)",
    "sales.director": "; the team's pipeline and forecast (/pipeline/forecast/), quotas with "
    "account.manager behind (/accountability/), plans meeting the standard (/account-plans/), "
    "early warnings (/satisfaction/warnings/) and a handoff under way (/handoffs/)",
}


def story_moment(ctx: DemoContext, days_ago: int, hour: int = 10) -> dt.datetime:
    return at_hour(ctx.today - dt.timedelta(days=days_ago), hour)


def story_day(ctx: DemoContext, days: int) -> dt.date:
    return ctx.today + dt.timedelta(days=days)


# --- people of the customer ----------------------------------------------------------------------


def customer_contacts(relationship: Relationship) -> list[Contact]:
    """The account's people, the most influential first."""
    return list(
        Contact.objects.filter(organization=relationship.organization, archived_at__isnull=True)
        .select_related("site")
        .order_by(F("influence").desc(nulls_last=True), "pk")
    )


def _email_domain(contacts: list[Contact]) -> str:
    return next((c.email.split("@", 1)[1] for c in contacts if "@" in c.email), "")


def _new_contact(
    actor: Any,
    relationship: Relationship,
    person: tuple[str, str, str, str],
    site: Site | None,
    domain: str,
) -> Contact:
    first, last, title, role = person
    email = f"{first}.{last}@{domain}".lower() if domain else ""
    return parties.contact_create(
        actor=actor,
        organization=relationship.organization,
        first_name=first,
        last_name=last,
        roles=list(ContactRole.objects.filter(code=role)),
        title=title,
        email=email,
        site=site,
        influence=5 if role == "executive_sponsor" else 4,
        relationship_strength=3,
    )


def _has_role(contact: Contact, code: str) -> bool:
    return contact.roles.filter(code=code).exists()


# --- the plans -----------------------------------------------------------------------------------


def _plan_meeting_the_standard(ctx: DemoContext, manager: Any, account: Relationship) -> None:
    contacts = customer_contacts(account)
    sites = list(Site.objects.filter(organization=account.organization, archived_at__isnull=True))
    sites.sort(key=lambda s: (s.kind != SiteKind.HEADQUARTERS, s.pk))
    domain = _email_domain(contacts)
    with story_clock(story_moment(ctx, 105)):
        sponsor = next((c for c in contacts if _has_role(c, "executive_sponsor")), None)
        if sponsor is None:
            sponsor = _new_contact(
                manager, account, words.PLAN_SPONSOR, sites[0] if sites else None, domain
            )
        deciders: list[Contact] = []
        for index, site in enumerate(sites):
            here = [c for c in contacts if c.site_id == site.pk and c.pk != sponsor.pk]
            here.sort(key=lambda c: not _has_role(c, "decision_maker"))
            if here:
                deciders.append(here[0])
                continue
            first, last, title, role = words.SITE_DECISION_MAKER
            person = (first, f"{last}{'' if index == 0 else f'-{index + 1}'}", title, role)
            deciders.append(_new_contact(manager, account, person, site, domain))
    with story_clock(story_moment(ctx, 100)):
        plan = plans.plan_create(
            actor=manager,
            relationship=account,
            starts_on=story_day(ctx, -100),
            ends_on=story_day(ctx, 264),
            goals=words.PLAN_GOALS,
            needs=words.PLAN_NEEDS,
            next_review_on=story_day(ctx, -10),
        )
        plans.stakeholder_add(
            actor=manager,
            plan=plan,
            contact=sponsor,
            decision_role=DecisionRole.EXECUTIVE_SPONSOR,
            sentiment=Sentiment.SUPPORTER,
            covered_by=manager,
            last_met_on=story_day(ctx, -100),
        )
        for contact in deciders:
            plans.stakeholder_add(
                actor=manager,
                plan=plan,
                contact=contact,
                decision_role=DecisionRole.DECISION_MAKER,
                sentiment=Sentiment.CHAMPION if contact is deciders[0] else Sentiment.NEUTRAL,
                covered_by=manager,
                visibility=Visibility.INTERNAL,
            )
        owners = cycle([manager, *ctx.users.get("specialist", [])[:1]])
        stakeholders = cycle([sponsor, *deciders])
        for title, measure, target, due_in, status in words.PLAN_OBJECTIVES:
            plans.objective_add(
                actor=manager,
                plan=plan,
                title=title,
                owner=next(owners),
                stakeholder=next(stakeholders),
                measure=measure,
                target=target,
                due_on=story_day(ctx, due_in),
                status=status,
            )
    _plan_actions(ctx, manager, plan, deciders[0] if deciders else sponsor)
    with story_clock(story_moment(ctx, 24, 15)):
        plans.plan_review_record(
            actor=manager,
            plan=plan,
            held_on=story_day(ctx, -24),
            notes=words.PLAN_REVIEW_NOTES,
            next_review_on=story_day(ctx, 68),
        )


def _plan_actions(ctx: DemoContext, manager: Any, plan: AccountPlan, contact: Contact) -> None:
    with story_clock(story_moment(ctx, 24, 16)):
        for title, due_in, whose in words.PLAN_ACTIONS:
            ours = whose == "ours"
            plans.action_link_create(
                actor=manager,
                plan=plan,
                title=title,
                due_on=story_day(ctx, due_in),
                side=ActionSide.OURS if ours else ActionSide.THEIRS,
                owner=manager if ours else None,
                owner_contact=None if ours else contact,
            )


def _plan_below_the_standard(ctx: DemoContext, manager: Any, account: Relationship) -> None:
    """Started half a year ago and left alone since."""
    contacts = [c for c in customer_contacts(account) if c.site_id is not None]
    with story_clock(story_moment(ctx, 190)):
        plan = plans.plan_create(
            actor=manager,
            relationship=account,
            starts_on=story_day(ctx, -190),
            ends_on=story_day(ctx, 175),
            goals=words.WEAK_PLAN_GOALS,
            next_review_on=story_day(ctx, -15),
        )
        if contacts:
            plans.stakeholder_add(
                actor=manager,
                plan=plan,
                contact=contacts[0],
                decision_role=DecisionRole.DECISION_MAKER,
            )
        plans.objective_add(
            actor=manager, plan=plan, title=words.WEAK_PLAN_OBJECTIVE, owner=manager
        )


# --- the detractor -------------------------------------------------------------------------------


def _detractor(ctx: DemoContext, manager: Any, account: Relationship) -> None:
    """Last week one of the account's buyers answered NPS 3 and CSAT 2 on the quarterly call."""
    contacts = customer_contacts(account)
    contact = next((c for c in contacts if c.email), contacts[0] if contacts else None)
    email = contact.email.lower() if contact is not None else ""
    day = story_day(ctx, -8)
    while (
        email
        and SatisfactionResponse.objects.filter(
            relationship=account, respondent_email=email, answered_on=day, archived_at__isnull=True
        ).exists()
    ):
        day -= dt.timedelta(days=1)  # the survey import had them answer that day already
    with story_clock(at_hour(day, 16)):
        for kind, score in (
            (SurveyKind.NPS, words.DETRACTOR_NPS),
            (SurveyKind.CSAT, words.DETRACTOR_CSAT),
        ):
            response_record(
                actor=manager,
                relationship=account,
                kind=kind,
                score=score,
                answered_on=day,
                contact=contact,
                site=contact.site if contact is not None else None,
                comment=words.DETRACTOR_COMMENT if kind == SurveyKind.NPS else "",
            )


# --- the whitespace cell opened as an opportunity ------------------------------------------------


def _cell_opportunity(ctx: DemoContext, manager: Any, account: Relationship) -> None:
    cell = (
        WhitespaceCell.objects.filter(
            relationship=account, holder__in=OPEN_HOLDERS, archived_at__isnull=True
        )
        .exclude(
            pk__in=Opportunity.objects.filter(whitespace_cell__isnull=False).values(
                "whitespace_cell"
            )
        )
        .select_related("family", "site")
        .order_by(F("potential").desc(nulls_last=True), "pk")
        .first()
    )
    if cell is None:
        return
    product = (
        Product.objects.filter(family=cell.family, archived_at__isnull=True)
        .order_by("-list_price", "pk")
        .first()
    )
    with story_clock(story_moment(ctx, 6, 11)):
        opportunity = pipeline.opportunity_from_cell(actor=manager, cell=cell)
        if product is not None:
            wanted = (cell.potential or product.list_price) / product.list_price
            pipeline.line_add(
                actor=manager,
                opportunity=opportunity,
                product=product,
                quantity=max(1, min(40, int(wanted))),
            )
