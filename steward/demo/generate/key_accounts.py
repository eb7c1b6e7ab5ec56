"""Key accounts, in bulk: the catalog we sell from, and for every active account its profile,
installed base, two years of monthly revenue and cost to serve, its whitespace, its pipeline
(won, lost and open opportunities with their stage history), and the account managers' quotas and
training objectives.

The story the screens tell:

- the demo account manager (``account.manager``) is **behind quota** this quarter: the target was
  raised after a strong last quarter and little has closed since;
- their main account has a **whitespace with obvious open cells**: competitors hold most families
  at its plants, each with a large potential;
- one account **churned** half a year ago and one is **expanding**, so gross and net revenue
  retention differ;
- one account manager let a required training objective lapse.

Rows go in through the bulk writer (``writes.insert``), each with its "created" history, as an
import would bring them; the amounts follow the services' arithmetic (a line's amount is quantity
times price less its discount, rounded to cents; an opportunity's amount is the sum of its lines).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from steward.accounts.choices import Holder, Segment
from steward.accounts.models import AccountProfile, InstalledProduct, WhitespaceCell
from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.demo.generate import kam_vocabulary as words
from steward.demo.generate.context import DemoContext
from steward.demo.generate.writes import bulk_insert, insert
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Relationship, Site
from steward.pipeline.choices import (
    DEFAULT_PROBABILITY,
    OPEN_STAGES,
    CreditRole,
    ForecastCategory,
    PenetrationType,
    Stage,
)
from steward.pipeline.models import Opportunity, OpportunityCredit, OpportunityLine, StageChange
from steward.quotas.choices import CostKind
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective
from steward.spend.conversion import RateBook
from steward.spend.money import base_currency

D = Decimal
CENT = D("0.01")
ACCOUNT_STATUSES = (RelationshipStatus.ACTIVE, RelationshipStatus.UNDER_REVIEW)
CURRENCY_BY_COUNTRY = {"US": "USD", "GB": "GBP"}
MONTHS_OF_REVENUE = 24
CATEGORY_BY_STAGE: dict[str, str] = {
    Stage.PROSPECTING: ForecastCategory.PIPELINE,
    Stage.QUALIFICATION: ForecastCategory.PIPELINE,
    Stage.SOLUTION: ForecastCategory.BEST_CASE,
    Stage.PROPOSAL: ForecastCategory.BEST_CASE,
    Stage.NEGOTIATION: ForecastCategory.COMMIT,
    Stage.WON: ForecastCategory.CLOSED,
    Stage.LOST: ForecastCategory.OMITTED,
}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class _Account:
    relationship: Relationship
    currency: str
    sites: list[Site]
    installed: list[InstalledProduct] = field(default_factory=list)
    families_at: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def create_key_accounts(ctx: DemoContext) -> None:
    products = _catalog(ctx)
    if not products:
        return
    accounts = _accounts(ctx)
    if not accounts:
        return
    story = _story_account(ctx, accounts)
    _profiles(ctx, accounts)
    # one read of the rates for every conversion below (a query per line would not scale)
    rates = RateBook([*CURRENCY_BY_COUNTRY.values(), "EUR", base_currency()], until=ctx.today)
    _installed_base(ctx, accounts, products, rates)
    _revenue(ctx, accounts, story)
    _whitespace(ctx, accounts, story)
    won = _pipeline(ctx, accounts, products, rates)
    _quotas(ctx, won)
    _training(ctx)


# --- the catalog ---------------------------------------------------------------------------------


def _catalog(ctx: DemoContext) -> list[Product]:
    admin = ctx.users["admin"][0]
    at = ctx.now - dt.timedelta(days=900)
    families = [
        ProductFamily(code=code, name=name, position=position)
        for position, (code, name, _) in enumerate(words.CATALOG, 1)
    ]
    insert(ctx, families, by=lambda _: admin, at=lambda _: at)
    products = [
        Product(
            family=family,
            sku=sku,
            name=name,
            kind=kind,
            unit=unit,
            currency="EUR",
            list_price=price,
            standard_cost=cost,
            recurring=recurring,
        )
        for family, (_, _, items) in zip(families, words.CATALOG, strict=True)
        for sku, name, kind, unit, price, cost, recurring in items
    ]
    insert(ctx, products, by=lambda _: admin, at=lambda _: at)
    by_sku = {product.sku: product for product in products}
    bundles = [
        Bundle(code=code, name=name, currency="EUR", price=price)
        for code, name, price, _ in words.BUNDLES
    ]
    insert(ctx, bundles, by=lambda _: admin, at=lambda _: at)
    items = [
        BundleItem(bundle=bundle, product=by_sku[sku], quantity=D(quantity))
        for bundle, (_, _, _, contents) in zip(bundles, words.BUNDLES, strict=True)
        for sku, quantity in contents
    ]
    insert(ctx, items, by=lambda _: admin, at=lambda _: at)
    return products


# --- accounts ------------------------------------------------------------------------------------


def _accounts(ctx: DemoContext) -> list[_Account]:
    sites: dict[int, list[Site]] = defaultdict(list)
    for site in ctx.sites:
        sites[site.organization_id].append(site)
    return [
        _Account(
            relationship=relationship,
            currency=CURRENCY_BY_COUNTRY.get(str(relationship.organization.country), "EUR"),
            sites=sites[relationship.organization_id][:4],
        )
        for relationship in ctx.relationships
        if relationship.side == Side.DEMAND
        and relationship.status in ACCOUNT_STATUSES
        and sites[relationship.organization_id]
    ]


def main_account(ctx: DemoContext) -> Relationship | None:
    """The demo account manager's main account (the story's), once the accounts exist."""
    accounts = _accounts(ctx)
    return _story_account(ctx, accounts).relationship if accounts else None


def _story_account(ctx: DemoContext, accounts: list[_Account]) -> _Account:
    """The demo account manager's account with the most locations (their main account)."""
    login = (ctx.users.get("account_manager") or [None])[0]
    own = [a for a in accounts if a.relationship.owner == login] or accounts
    return max(own, key=lambda a: (len(a.sites), -a.relationship.tier, -a.relationship.pk))


def _profiles(ctx: DemoContext, accounts: list[_Account]) -> None:
    rng = ctx.rng("key_accounts.profiles")
    segments = {1: Segment.ENTERPRISE, 2: Segment.UPPER_MID_MARKET}
    profiles = []
    for account in accounts:
        relationship = account.relationship
        segment = segments.get(relationship.tier, Segment.MID_MARKET)
        if relationship.organization.industry == "public_sector":
            segment = Segment.PUBLIC_SECTOR
        scale = D(5 - relationship.tier)
        profiles.append(
            AccountProfile(
                relationship=relationship,
                segment=segment,
                currency=account.currency,
                wallet=D(rng.randint(300, 900)) * 1000 * scale,
                expected_margin_percent=D(rng.choice((28, 30, 32, 35, 38))),
                customer_since=ctx.today - dt.timedelta(days=rng.randint(700, 4000)),
            )
        )
    insert(
        ctx,
        profiles,
        by=lambda p: p.relationship.owner,
        at=lambda p: ctx.later(rng, p.relationship.created_at, 30),
    )


def _installed_base(
    ctx: DemoContext, accounts: list[_Account], products: list[Product], rates: RateBook
) -> None:
    rng = ctx.rng("key_accounts.installed")
    rows = []
    for account in accounts:
        for site in account.sites[: rng.choice((1, 1, 2))]:
            for product in rng.sample(products, rng.randint(1, 3)):
                quantity = D(rng.randint(1, 6))
                revenue = cents(
                    _price_in(rates, ctx, product.list_price, account.currency) * quantity
                )
                margin = D(rng.randint(24, 46)) / 100
                row = InstalledProduct(
                    relationship=account.relationship,
                    product=product,
                    site=site,
                    quantity=quantity,
                    currency=account.currency,
                    annual_revenue=revenue,
                    annual_cost=cents(revenue * (1 - margin)),
                    since=ctx.today - dt.timedelta(days=rng.randint(200, 2500)),
                )
                account.installed.append(row)
                account.families_at[site.pk].add(product.family_id)
                rows.append(row)
    insert(
        ctx,
        rows,
        by=lambda r: r.relationship.owner,
        at=lambda r: ctx.later(rng, r.relationship.created_at, 60),
    )


def _price_in(rates: RateBook, ctx: DemoContext, amount: Decimal, currency: str) -> Decimal:
    """A catalog price (EUR) in the account's currency at today's rates."""
    if currency == "EUR":
        return amount
    return rates.convert(amount, "EUR", currency, ctx.today)


def _revenue(ctx: DemoContext, accounts: list[_Account], story: _Account) -> None:
    """Two years of monthly revenue and cost to serve; one account churned, one expands."""
    rng = ctx.rng("key_accounts.revenue")
    first = add_months(month_start(ctx.today), -MONTHS_OF_REVENUE)
    churned = next((a for a in accounts if a is not story and a.relationship.tier > 2), None)
    revenue_rows, cost_rows = [], []
    for account in accounts:
        yearly = sum((row.annual_revenue for row in account.installed), D(0))
        if not yearly:
            continue
        growth = D(rng.randint(-12, 25)) / 100
        if account is story:
            growth = D("0.30")  # expanding
        margin = D(rng.randint(26, 40)) / 100
        for index in range(MONTHS_OF_REVENUE):
            month = add_months(first, index)
            if account is churned and index >= MONTHS_OF_REVENUE - 6:
                break  # the customer left six months ago
            trend = 1 + growth * D(index - MONTHS_OF_REVENUE // 2) / 12
            revenue = cents(yearly / 12 * trend * D(rng.randint(85, 115)) / 100)
            revenue_rows.append(
                AccountRevenue(
                    relationship=account.relationship,
                    month=month,
                    currency=account.currency,
                    revenue=revenue,
                    cost=cents(revenue * (1 - margin)),
                )
            )
            for kind, share in ((CostKind.ACCOUNT_MANAGEMENT, 3), (CostKind.SUPPORT, 2)):
                cost_rows.append(
                    ServiceCost(
                        relationship=account.relationship,
                        month=month,
                        kind=kind,
                        currency=account.currency,
                        amount=cents(revenue * share * D(rng.randint(70, 130)) / 10000),
                    )
                )
    finance = (ctx.users.get("reviewer_finance") or ctx.users["admin"])[0]

    def booked(month: dt.date) -> dt.datetime:
        moment = dt.datetime.combine(add_months(month, 1), dt.time(9), tzinfo=ctx.now.tzinfo)
        return min(moment, ctx.now - dt.timedelta(hours=1))

    insert(ctx, revenue_rows, by=lambda _: finance, at=lambda r: booked(r.month))
    insert(ctx, cost_rows, by=lambda _: finance, at=lambda r: booked(r.month))


def _whitespace(ctx: DemoContext, accounts: list[_Account], story: _Account) -> None:
    """Families by locations for the strategic and key accounts; the story account's plants are
    held mostly by competitors, with large potential."""
    rng = ctx.rng("key_accounts.whitespace")
    families = list(ProductFamily.objects.order_by("position"))
    holders = (Holder.COMPETITOR, Holder.IN_HOUSE, Holder.UNKNOWN, Holder.NOT_A_FIT)
    cells = []
    for account in accounts:
        if account is not story and account.relationship.tier > 2:
            continue
        for site in account.sites[:3]:
            for family in families:
                if family.pk in account.families_at[site.pk]:
                    holder = Holder.US
                elif account is story:
                    holder = rng.choices(holders, weights=(70, 10, 15, 5))[0]
                else:
                    holder = rng.choices(holders, weights=(35, 20, 30, 15))[0]
                spend = D(rng.randint(20, 300)) * 1000
                cells.append(
                    WhitespaceCell(
                        relationship=account.relationship,
                        family=family,
                        site=site,
                        holder=holder,
                        competitor=rng.choice(words.COMPETITORS)
                        if holder == Holder.COMPETITOR
                        else "",
                        currency=account.currency,
                        current_spend=None if holder == Holder.UNKNOWN else spend,
                        potential=None
                        if holder in (Holder.US, Holder.NOT_A_FIT)
                        else cents(spend * D(rng.randint(40, 90)) / 100),
                    )
                )
    insert(
        ctx,
        cells,
        by=lambda c: c.relationship.owner,
        at=lambda c: ctx.days_ago(rng, 20, 120),
    )


# --- the pipeline --------------------------------------------------------------------------------


@dataclass
class _Won:
    owner: Any
    closed_on: dt.date
    amount: Decimal  # in the base currency


def _pipeline(
    ctx: DemoContext, accounts: list[_Account], products: list[Product], rates: RateBook
) -> list[_Won]:
    rng = ctx.rng("key_accounts.pipeline")
    opportunities: list[Opportunity] = []
    lines: list[OpportunityLine] = []
    changes: list[StageChange] = []
    credit_rows: list[OpportunityCredit] = []
    created: dict[int, dt.datetime] = {}
    won: list[_Won] = []
    specialists = ctx.users.get("specialist", [])
    for account in accounts:
        relationship = account.relationship
        for _ in range(rng.randint(2, 6)):
            opportunity, opened = _opportunity(ctx, rng, account)
            chosen = rng.sample(products, rng.randint(1, 3))
            own_lines = [_line(ctx, rng, opportunity, product, rates) for product in chosen]
            opportunity.amount = sum((line.amount for line in own_lines), D(0))
            opportunity.cost = sum((line.cost for line in own_lines), D(0))
            family_ids = {product.family_id for product in chosen}
            site = opportunity.site
            installed_here = account.families_at[site.pk] if site else set()
            if not installed_here:
                opportunity.penetration_type = PenetrationType.NEW_LOCATION
            elif family_ids - installed_here:
                opportunity.penetration_type = PenetrationType.NEW_PRODUCT
            else:
                opportunity.penetration_type = PenetrationType.EXPANSION
            opportunities.append(opportunity)
            created[id(opportunity)] = opened
            lines.extend(own_lines)
            changes.extend(_history(ctx, rng, opportunity, opened))
            if opportunity.stage == Stage.WON and opportunity.closed_on is not None:
                closed_on = opportunity.closed_on
                base = rates.convert(
                    opportunity.amount, opportunity.currency, base_currency(), closed_on
                )
                split = specialists and rng.random() < 0.3
                if split:
                    specialist = rng.choice(specialists)
                    credit_rows.append(
                        OpportunityCredit(
                            opportunity=opportunity,
                            user=relationship.owner,
                            role=CreditRole.OWNER,
                            percent=D(80),
                        )
                    )
                    credit_rows.append(
                        OpportunityCredit(
                            opportunity=opportunity,
                            user=specialist,
                            role=CreditRole.SOLUTION,
                            percent=D(20),
                        )
                    )
                    base = base * D("0.8")
                won.append(_Won(relationship.owner, closed_on, base))
    insert(ctx, opportunities, by=lambda o: o.owner, at=lambda o: created[id(o)])
    insert(
        ctx,
        lines,
        by=lambda line: line.opportunity.owner,
        at=lambda line: created[id(line.opportunity)],
    )
    insert(
        ctx, credit_rows, by=lambda c: c.opportunity.owner, at=lambda c: created[id(c.opportunity)]
    )
    bulk_insert(changes)  # the stage history is itself the record; it keeps no history
    ctx.counts[StageChange._meta.label] += len(changes)
    return won


def _opportunity(
    ctx: DemoContext, rng: random.Random, account: _Account
) -> tuple[Opportunity, dt.datetime]:
    relationship = account.relationship
    roll = rng.random()
    if roll < 0.40:
        stage = Stage.WON
        close = ctx.today - dt.timedelta(days=rng.randint(3, 330))
    elif roll < 0.55:
        stage = Stage.LOST
        close = ctx.today - dt.timedelta(days=rng.randint(3, 330))
    else:
        stage = rng.choice(OPEN_STAGES)
        close = ctx.today + dt.timedelta(days=rng.randint(5, 200))
    # opened 40 to 150 days before it closed, or 30 to 200 days ago while still open
    age = (
        (ctx.today - close).days + rng.randint(40, 150)
        if close < ctx.today
        else rng.randint(30, 200)
    )
    opened = ctx.now - dt.timedelta(days=age)
    site = rng.choice(account.sites)
    opportunity = Opportunity(
        relationship=relationship,
        name=f"{relationship.organization.display_name or relationship.organization.legal_name}: "
        f"{site.name} {rng.choice(('retrofit', 'expansion', 'upgrade', 'new line', 'service'))}"[
            :200
        ],
        owner=relationship.owner,
        stage=stage,
        probability=DEFAULT_PROBABILITY[stage],
        forecast_category=CATEGORY_BY_STAGE[stage],
        close_date=close,
        next_step="" if stage in (Stage.WON, Stage.LOST) else rng.choice(words.NEXT_STEPS),
        site=site,
        currency=account.currency,
        closed_on=close if stage in (Stage.WON, Stage.LOST) else None,
        lost_reason=rng.choice(words.LOST_REASONS) if stage == Stage.LOST else "",
    )
    return opportunity, opened


def _line(
    ctx: DemoContext,
    rng: random.Random,
    opportunity: Opportunity,
    product: Product,
    rates: RateBook,
) -> OpportunityLine:
    quantity = D(rng.randint(1, 12))
    unit_price = _price_in(rates, ctx, product.list_price, opportunity.currency).quantize(
        D("0.0001")
    )
    unit_cost = _price_in(rates, ctx, product.standard_cost, opportunity.currency).quantize(
        D("0.0001")
    )
    discount = D(rng.choice((0, 0, 5, 10, 12)))
    return OpportunityLine(
        opportunity=opportunity,
        product=product,
        quantity=quantity,
        unit_price=unit_price,
        discount_percent=discount,
        unit_cost=unit_cost,
        amount=cents(quantity * unit_price * (1 - discount / 100)),
        cost=cents(quantity * unit_cost),
    )


def _history(
    ctx: DemoContext, rng: random.Random, opportunity: Opportunity, opened: dt.datetime
) -> list[StageChange]:
    """The stages the opportunity went through, from prospecting to where it is."""
    path: list[str] = list(OPEN_STAGES)
    if opportunity.stage in OPEN_STAGES:
        path = path[: path.index(opportunity.stage) + 1]
    else:
        path = [*path[: rng.randint(2, len(path))], opportunity.stage]
    end = (
        dt.datetime.combine(opportunity.closed_on, dt.time(16), tzinfo=ctx.now.tzinfo)
        if opportunity.closed_on
        else ctx.now - dt.timedelta(days=rng.randint(1, 20))
    )
    end = max(min(end, ctx.now - dt.timedelta(minutes=5)), opened + dt.timedelta(hours=1))
    step = (end - opened) / max(1, len(path) - 1)
    changes = []
    previous = ""
    for index, stage in enumerate(path):
        changes.append(
            StageChange(
                opportunity=opportunity,
                from_stage=previous,
                to_stage=stage,
                probability=DEFAULT_PROBABILITY[stage],
                forecast_category=CATEGORY_BY_STAGE[stage],
                amount=opportunity.amount,
                currency=opportunity.currency,
                close_date=opportunity.close_date,
                changed_at=opened + step * index,
                actor=opportunity.owner,
            )
        )
        previous = stage
    return changes


# --- quotas and training -------------------------------------------------------------------------


def _quotas(ctx: DemoContext, won: list[_Won]) -> None:
    """A quarterly quota for the last four quarters and this one: near what each account manager
    closed; the demo account manager's current target was raised, and they are behind."""
    rng = ctx.rng("key_accounts.quotas")
    managers = ctx.users.get("account_manager", [])
    director = (ctx.users.get("sales_director") or ctx.users["admin"])[0]
    this_quarter = quarter_start(ctx.today)
    quotas = []
    for quarter_index in range(-4, 1):
        start = add_months(this_quarter, 3 * quarter_index)
        end = add_months(start, 3) - dt.timedelta(days=1)
        for number, person in enumerate(managers):
            closed = sum(
                (w.amount for w in won if w.owner == person and start <= w.closed_on <= end),
                D(0),
            )
            target = max(closed * D(rng.randint(90, 120)) / 100, D(60000))
            if quarter_index == 0:
                # the quarter is under way: a target for the whole quarter
                target = max(D(rng.randint(150, 260)) * 1000, closed * 2)
                if number == 0:
                    target = max(D(420000), closed * 4)  # behind quota
            target = (target / 1000).quantize(D(1), rounding=ROUND_HALF_UP) * 1000
            quotas.append(
                Quota(
                    person=person,
                    starts_on=start,
                    ends_on=end,
                    currency=base_currency(),
                    sales_target=target,
                    margin_target=(target * D("0.32")).quantize(D(100)),
                )
            )
    insert(
        ctx,
        quotas,
        by=lambda _: director,
        at=lambda q: dt.datetime.combine(
            q.starts_on - dt.timedelta(days=10), dt.time(10), tzinfo=ctx.now.tzinfo
        ),
    )


def _training(ctx: DemoContext) -> None:
    rng = ctx.rng("key_accounts.training")
    managers = ctx.users.get("account_manager", [])
    director = (ctx.users.get("sales_director") or ctx.users["admin"])[0]
    rows = []
    for number, person in enumerate(managers):
        for title, due_in, required in words.TRAINING:
            due = ctx.today + dt.timedelta(days=due_in)
            completed = None
            if due_in < 0 and not (number == 1 and required and due_in == -20):
                completed = due - dt.timedelta(days=rng.randint(0, 25))  # one lapsed
            rows.append(
                TrainingObjective(
                    person=person,
                    title=title,
                    required=required,
                    due_on=due,
                    completed_on=completed,
                    evidence="Course certificate on file" if completed else "",
                )
            )
    insert(ctx, rows, by=lambda _: director, at=lambda r: ctx.days_ago(rng, 100, 160))
