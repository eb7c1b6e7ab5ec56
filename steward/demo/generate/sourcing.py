"""Electronic sourcing: an RFQ awarded last month with its saving, and one open now with bids.

Both events source packaging, the category of the vendor whose portal user the demo prints
(``portal``), so that login finds an invitation to bid on its home page:

- **awarded**: "Printed shipping cartons" closed five weeks ago with three bids (one in USD,
  converted at the ledger's rate); the lowest evaluated bid won, the award was approved by the
  head of procurement, the winner confirmed it, and the award drafted an order form and recorded
  the saving against the target price;
- **open**: "Shipping boxes and labels 2027" closes in six days with three bids, one of them
  revised; a bidder's question was answered to every invitee; the bids stay sealed.

Two more packaging vendors are prequalified for the category and have a portal user each, so
every bid is submitted by the vendor's own person, as in life.
Writes go through the services at story moments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from steward.awards.models import Award
from steward.awards.services import proposal, response
from steward.bidding.services.submission import bid_submit
from steward.demo.generate import people
from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.contract_story import story_clock
from steward.people.choices import UserKind
from steward.people.models import Profile
from steward.scorecards.services.consequences import sourcing_blocked
from steward.sourcing.choices import EventKind
from steward.sourcing.models import EventInvitation, SourcingEvent
from steward.sourcing.services import clarifications, events, invitations, lines
from steward.suppliers import lifecycle
from steward.suppliers import services as supplier_services
from steward.suppliers.models import Category, Supplier

CATEGORY = "Packaging and promotional goods"
BIDDERS = 3
D = Decimal

# (description, quantity, unit, target unit price, last price paid)
AWARDED_LINES = (
    ("Printed shipping carton 400x300x200 mm", D(40_000), "each", D("0.92"), D("1.01")),
    ("Branded packing tape 50 mm x 66 m", D(2_400), "roll", D("2.10"), D("2.35")),
)
OPEN_LINES = (
    ("Shipping box, double wall, 600x400x400 mm", D(25_000), "each", D("1.45"), D("1.52")),
    ("Thermal shipping label 100x150 mm", D(500), "roll of 500", D("6.80"), D("7.10")),
    ("Void fill paper, 75 m roll", D(1_200), "roll", None, D("4.90")),
)
# Per bidder: currency and the factor on the target price it bids (the winner bids lowest).
AWARDED_OFFERS = (("EUR", D("0.86")), ("USD", D("0.97")), ("EUR", D("1.04")))
OPEN_OFFERS = (("EUR", D("0.98")), ("EUR", D("0.93")), ("USD", D("1.02")))
REVISED = D("0.95")  # the portal vendor sharpens its open bid


def create_sourcing(ctx: DemoContext) -> None:
    category = Category.objects.filter(name=CATEGORY).first()
    owner = (ctx.users.get("senior_vendor_manager") or ctx.users.get("admin") or [None])[0]
    head = (ctx.users.get("procurement_head") or ctx.users.get("admin") or [None])[0]
    if category is None or owner is None or head is None:
        return
    bidders = _bidders(ctx, category, head)
    if len(bidders) < BIDDERS:
        return
    _Story(ctx, category, owner, head, bidders).run()


def _bidders(ctx: DemoContext, category: Category, head: Any) -> list[tuple[Supplier, Any]]:
    """The portal login's vendor first, then running vendors, each with a portal user."""
    portal_orgs = [org.pk for org in ctx.portal_organizations]
    running = Supplier.objects.filter(stage__in=lifecycle.PREQUALIFIABLE, archived_at=None)
    first = list(running.filter(relationship__organization_id__in=portal_orgs[:1]))
    others = running.exclude(relationship__organization_id__in=portal_orgs)
    # Vendors of the category first, then other running vendors (prequalified for it below);
    # none whose scorecard standing blocks sourcing, each with someone to bid.
    in_category = list(others.filter(categories=category).order_by("pk"))
    rest = list(others.exclude(pk__in=[s.pk for s in in_category]).order_by("pk"))
    with_email = {c.organization_id for c in ctx.contacts if c.email}
    chosen = [
        supplier
        for supplier in first + in_category + rest
        if supplier.relationship.organization_id in with_email
        and not sourcing_blocked(supplier.relationship_id)
    ][:BIDDERS]
    if len(chosen) < BIDDERS:
        return []
    moment = ctx.now - dt.timedelta(days=60)
    picked: list[tuple[Supplier, Any]] = []
    with story_clock(moment):
        for supplier in chosen:
            owner = supplier.relationship.owner
            if not supplier.prequalifications.filter(
                category=category, revoked_on=None, expires_on__gte=ctx.today
            ).exists():
                supplier_services.prequalification_grant(
                    actor=owner, supplier=supplier, category=category
                )
            picked.append((supplier, _portal_user(ctx, supplier, moment)))
    return picked


def _portal_user(ctx: DemoContext, supplier: Supplier, joined: dt.datetime) -> Any:
    organization = supplier.relationship.organization
    existing = (
        Profile.objects.filter(kind=UserKind.EXTERNAL, organization=organization)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing.user
    contact = next(
        (c for c in ctx.contacts if c.organization_id == organization.pk and c.email), None
    )
    return people.add_portal_user(ctx, contact, joined) if contact is not None else None


class _Story:
    def __init__(
        self,
        ctx: DemoContext,
        category: Category,
        owner: Any,
        head: Any,
        bidders: list[tuple[Supplier, Any]],
    ) -> None:
        self.ctx = ctx
        self.category = category
        self.owner = owner
        self.head = head
        self.bidders = bidders

    def at(self, days: float, hour: int = 10) -> dt.datetime:
        """A story moment ``days`` before now (negative: in the future)."""
        return self.ctx.now - dt.timedelta(days=days) + dt.timedelta(hours=hour)

    def run(self) -> None:
        self.awarded()
        self.open()

    # --- the awarded RFQ ------------------------------------------------------------------

    def awarded(self) -> None:
        event = self.event(
            "Printed shipping cartons 2026",
            AWARDED_LINES,
            opened=self.at(50),
            closes=self.at(36, 17),
            description="Cartons and tape for the distribution centres, delivered monthly.",
        )
        for index, (invitation, user) in enumerate(self.invitations(event, self.at(49))):
            currency, factor = AWARDED_OFFERS[index]
            self.bid(invitation, user, currency, factor, self.at(42 - index * 2, 14))
        with story_clock(self.at(34)):
            winner = event.invitations.order_by("pk")[0]
            proposal.award_propose(
                actor=self.owner,
                event=event,
                allocations=winner,
                rationale="Lowest cost of ownership on both lines, and a good scorecard.",
            )
        with story_clock(self.at(33)):
            proposal.award_approve(actor=self.head, event=event)
        award = Award.objects.filter(event=event).order_by("pk").first()
        if award is not None:
            with story_clock(self.at(31, 11)):
                confirmed = response.award_confirm(actor=self.bidders[0][1], award=award)
            # Confirming drafted the contract and recorded the saving: count them as loaded.
            self.ctx.counts["contracts.Contract"] += confirmed.contract_id is not None
            self.ctx.counts["savings.SavingsInitiative"] += confirmed.savings_id is not None

    # --- the open RFQ ---------------------------------------------------------------------

    def open(self) -> None:
        event = self.event(
            "Shipping boxes and labels 2027",
            OPEN_LINES,
            opened=self.at(9),
            closes=self.at(-6, 17),
            description="Next year's boxes, labels and void fill for the three warehouses.",
            reverse_auction=True,
        )
        invited = self.invitations(event, self.at(8))
        for index, (invitation, user) in enumerate(invited):
            currency, factor = OPEN_OFFERS[index]
            self.bid(invitation, user, currency, factor, self.at(5 - index, 15))
        portal_invitation, portal_user = invited[0]
        self.bid(portal_invitation, portal_user, "EUR", REVISED, self.at(1, 9))
        asker_invitation, asker = invited[1]
        with story_clock(self.at(6, 16)):
            question = clarifications.clarification_ask(
                actor=asker,
                invitation=asker_invitation,
                question="May the labels come on 76 mm cores instead of 40 mm?",
            )
        with story_clock(self.at(5, 9)):
            clarifications.clarification_answer(
                actor=self.owner,
                clarification=question,
                answer="Yes: 76 mm cores suit all three warehouses' printers.",
                publish=True,
            )

    # --- shared ---------------------------------------------------------------------------

    def event(
        self,
        title: str,
        rows: tuple[tuple[Any, ...], ...],
        *,
        opened: dt.datetime,
        closes: dt.datetime,
        description: str,
        reverse_auction: bool = False,
    ) -> SourcingEvent:
        with story_clock(opened - dt.timedelta(days=2)):
            event = events.event_create(
                actor=self.owner,
                kind=EventKind.RFQ,
                title=title,
                category=self.category,
                currency="EUR",
                description=description,
                opens_at=opened,
                closes_at=closes,
                reverse_auction=reverse_auction,
                quality_cost_rate=D("0.02"),
            )
            for description_, quantity, unit, target, last in rows:
                lines.line_add(
                    actor=self.owner,
                    event=event,
                    description=description_,
                    quantity=quantity,
                    unit=unit,
                    target_delivery_date=(closes + dt.timedelta(days=45)).date(),
                    target_unit_price=target,
                    last_unit_price=last,
                )
        return event

    def invitations(
        self, event: SourcingEvent, moment: dt.datetime
    ) -> list[tuple[EventInvitation, Any]]:
        made = []
        with story_clock(moment - dt.timedelta(hours=2)):
            for supplier, user in self.bidders:
                invitation = invitations.invitation_create(
                    actor=self.owner, event=event, supplier=supplier
                )
                made.append((invitation, user))
            events.event_publish(actor=self.owner, event=event)
        event.refresh_from_db()
        return [(EventInvitation.objects.get(pk=i.pk), user) for i, user in made]

    def bid(
        self,
        invitation: EventInvitation,
        user: Any,
        currency: str,
        factor: Decimal,
        moment: dt.datetime,
    ) -> None:
        if user is None:
            return
        usd = currency == "USD"
        offers = []
        for line in invitation.event.lines.order_by("number"):
            base = line.target_unit_price or line.last_unit_price or D(1)
            price = base * factor * (D("1.08") if usd else 1)
            offers.append(
                {
                    "line": line,
                    "unit_price": price.quantize(D("0.0001")),
                    "lead_time_days": 21 + line.number * 7,
                    "delivery_cost": D(250) * line.number,
                }
            )
        with story_clock(moment):
            bid_submit(
                actor=user,
                invitation=invitation,
                currency=currency,
                lines=offers,
                notes="Prices held for twelve months; delivery to each warehouse included.",
                now=moment,
            )


def describe_logins(ctx: DemoContext) -> None:
    """The vendor manager runs sourcing; the portal user has an invitation to bid."""
    ctx.logins = [
        DemoLogin(login.role, login.username, login.sees + _ADDED.get(login.username, ""))
        for login in ctx.logins
    ]


_ADDED = {
    "vendor.manager": "; sourcing (/sourcing/): an RFQ open for bids, sealed until it closes, "
    "and one awarded with a drafted order form and the saving recorded",
    "portal": "; an invitation to bid on an open RFQ, with its bid history and rank",
}
