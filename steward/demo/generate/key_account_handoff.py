"""The newly won customer handed over (a key-account story moment, through the services): business
development (``business.developer``), on the account team for the sale, won the first line of one
of the demo account manager's prospects twelve days ago; the account manager made it an active,
profiled customer with the delivered hardware installed; two days ago business development handed
it over with checklist steps, a milestone, a commitment made during the sale, a risk and named
contacts. It waits for the account manager's acceptance, the first review set.

Runs after ``key_account_story.create_story``, which picks its accounts among those already
active, so this new customer is none of them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from steward.accounts.choices import Segment
from steward.accounts.services import account_profile_update, installed_product_add
from steward.catalog.choices import OfferingKind
from steward.catalog.models import Product
from steward.core.access import Access
from steward.demo.generate import kam_vocabulary as words
from steward.demo.generate.context import DemoContext
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.key_account_story import customer_contacts, story_day, story_moment
from steward.demo.generate.key_accounts import CURRENCY_BY_COUNTRY
from steward.handoffs import services as handoffs
from steward.handoffs.choices import ItemKind
from steward.handoffs.models import Handoff
from steward.parties import services as parties
from steward.parties.choices import RelationshipStatus, Side, TeamRole
from steward.parties.models import Contact, Relationship, Site
from steward.pipeline import services as pipeline
from steward.pipeline.choices import PenetrationType, Stage
from steward.pipeline.models import Opportunity

D = Decimal


def create_handoff(ctx: DemoContext) -> None:
    manager = (ctx.users.get("account_manager") or [None])[0]
    developer = (ctx.users.get("business_developer") or [None])[0]
    if manager is not None and developer is not None:
        _new_customer_handoff(ctx, manager, developer)


def _new_customer(manager: Any) -> Relationship | None:
    """The account manager's prospect with the most people we know."""
    return (
        Relationship.objects.filter(
            owner=manager,
            side=Side.DEMAND,
            status=RelationshipStatus.PROSPECT,
            archived_at__isnull=True,
        )
        .annotate(
            people=Count(
                "organization__contacts", filter=Q(organization__contacts__archived_at__isnull=True)
            )
        )
        .filter(people__gte=2, organization__sites__isnull=False)
        .select_related("organization")
        .distinct()
        .order_by("-people", "pk")
        .first()
    )


def _new_customer_handoff(ctx: DemoContext, manager: Any, developer: Any) -> None:
    account = _new_customer(manager)
    if account is None:
        return
    won = _win(ctx, manager, developer, account)
    _make_customer(ctx, manager, account, won)
    contacts = customer_contacts(account)
    with story_clock(story_moment(ctx, 3, 14)):
        handoff = handoffs.handoff_create(
            actor=developer,
            relationship=Relationship.objects.get(pk=account.pk),
            opportunity=won,
            summary=words.HANDOFF_SUMMARY,
            implementation_start=story_day(ctx, -5),
            go_live=story_day(ctx, 45),
            first_review_on=story_day(ctx, 14),
        )
        _handoff_items(ctx, handoff, manager, developer, contacts)
    with story_clock(story_moment(ctx, 2, 9)):
        handoffs.handoff_submit(actor=developer, handoff=handoff)


def _win(ctx: DemoContext, manager: Any, developer: Any, account: Relationship) -> Opportunity:
    """Business development, on the account team for the sale, won the first line."""
    site = (
        Site.objects.filter(organization=account.organization, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )
    currency = CURRENCY_BY_COUNTRY.get(str(account.organization.country), "EUR")
    with story_clock(story_moment(ctx, 130)):
        parties.member_add(
            actor=manager,
            relationship=account,
            user=developer,
            role=TeamRole.SALES,
            access=Access.EDIT,
        )
    with story_clock(story_moment(ctx, 120)):
        opportunity = pipeline.opportunity_create(
            actor=developer,
            relationship=account,
            name=f"{account.organization}: first automated line"[:200],
            close_date=story_day(ctx, -12),
            penetration_type=PenetrationType.NEW_LOCATION,
            stage=Stage.QUALIFICATION,
            currency=currency,
            site=site,
        )
        products = {p.sku: p for p in Product.objects.filter(sku__in=dict(words.WON_DEAL_LINES))}
        for sku, quantity in words.WON_DEAL_LINES:
            if sku in products:
                pipeline.line_add(
                    actor=developer,
                    opportunity=opportunity,
                    product=products[sku],
                    quantity=quantity,
                    discount_percent=8,
                )
    with story_clock(story_moment(ctx, 40)):
        opportunity = pipeline.opportunity_move(
            actor=developer, opportunity=opportunity, stage=Stage.NEGOTIATION
        )
    with story_clock(story_moment(ctx, 12, 17)):
        return pipeline.opportunity_win(
            actor=developer, opportunity=opportunity, closed_on=story_day(ctx, -12)
        )


def _make_customer(ctx: DemoContext, manager: Any, account: Relationship, won: Opportunity) -> None:
    """The account manager records the new customer: active, profiled, the delivered hardware
    installed."""
    with story_clock(story_moment(ctx, 11)):
        current = Relationship.objects.get(pk=account.pk)
        parties.relationship_update(
            actor=manager,
            relationship=current,
            expected_version=current.version,
            status=RelationshipStatus.ACTIVE,
        )
        account_profile_update(
            actor=manager,
            relationship=current,
            segment=Segment.MID_MARKET,
            currency=won.currency,
            customer_since=won.closed_on,
            expected_margin_percent=D(30),
        )
    with story_clock(story_moment(ctx, 5)):
        lines = won.lines.filter(archived_at__isnull=True, product__kind=OfferingKind.PRODUCT)
        for line in lines.select_related("product").order_by("pk"):
            installed_product_add(
                actor=manager,
                relationship=current,
                product=line.product,
                annual_revenue=line.amount,
                annual_cost=line.cost,
                currency=won.currency,
                quantity=line.quantity,
                site=won.site,
                since=story_day(ctx, -5),
            )


def _handoff_items(
    ctx: DemoContext, handoff: Handoff, manager: Any, developer: Any, contacts: list[Contact]
) -> None:
    for kind, title, due_in, details in words.HANDOFF_ITEMS:
        handoffs.item_add(
            actor=developer,
            handoff=handoff,
            kind=kind,
            title=title,
            details=details,
            owner=manager if due_in is not None else developer,
            due_on=story_day(ctx, due_in) if due_in is not None else None,
        )
    promised, why = words.HANDOFF_COMMITMENT
    handoffs.item_add(
        actor=developer,
        handoff=handoff,
        kind=ItemKind.COMMITMENT,
        title=promised,
        details=why,
        owner=manager,
        due_on=story_day(ctx, 40),
        contact=contacts[0],
    )
    risk, severity, mitigation = words.HANDOFF_RISK
    handoffs.item_add(
        actor=developer,
        handoff=handoff,
        kind=ItemKind.RISK,
        title=risk,
        owner=manager,
        severity=severity,
        mitigation=mitigation,
    )
    for contact, role in zip(contacts, words.HANDOFF_CONTACT_ROLES, strict=False):
        handoffs.item_add(
            actor=developer,
            handoff=handoff,
            kind=ItemKind.CONTACT,
            title=f"{contact.first_name} {contact.last_name}: {role}"[:200],
            owner=manager,
            contact=contact,
            contact_role=role,
        )
