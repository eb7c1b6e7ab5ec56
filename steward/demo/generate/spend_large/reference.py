"""The reference data of the large ledger: who imports it, its source, the categories and cost
centers topped up to the plan's counts, and the vendors with spend (the running ones, then new
organizations with a supply relationship and vendor record, written in bulk with history)."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from steward.core.access import can_create
from steward.demo.generate.context import DemoContext
from steward.demo.generate.parties import _Naming, _standalone
from steward.demo.generate.spend_large.shapes import (
    SOURCE_NAME,
    CategoryShape,
    LedgerPlan,
    VendorShape,
)
from steward.demo.generate.spend_large.vocabulary import (
    DEPARTMENTS,
    GOODS_CODES,
    SITES,
    subcategories,
)
from steward.demo.generate.vocabulary import COUNTRIES
from steward.demo.generate.writes import insert
from steward.parties.choices import RelationshipStatus, Side, Tier
from steward.parties.models import Organization, Relationship
from steward.people.choices import Function
from steward.spend.models import CostCenter, SpendImport, SpendSegment, SpendSource
from steward.spend.money import base_currency
from steward.suppliers.choices import RelationshipType, Stage
from steward.suppliers.models import Category, Supplier

RUNNING = (Stage.ACTIVE, Stage.EXITING, Stage.UNDER_REVIEW)
GOODS_NAMES = frozenset(name for _, name, goods in subcategories() if goods)
LOT_PREFIX = "office-supplies-lot-"  # categories past the vocabulary: numbered lots of goods
ITEMS_PER_CATEGORY = 10
CATEGORIES_PER_COST_CENTER = 10
SECOND_CATEGORY_SHARE = 0.3
SINGLE_SOURCE_EVERY = 20  # one category in twenty has a single vendor


def finance_user(ctx: DemoContext) -> Any:
    for pool in ("reviewer_finance", "admin"):
        if ctx.users.get(pool):
            return ctx.users[pool][0]
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    finance = users.filter(profile__function=Function.FINANCE)
    return next((u for u in finance if can_create(u, SpendImport)), None) or users.first()


def _billed_already() -> set[int]:
    """Vendors the ledger has spend for already (the spend story's year)."""
    return set(SpendSegment.objects.order_by().values_list("supplier_id", flat=True).distinct())


# --- categories and cost centers -----------------------------------------------------------------


def top_up_categories(
    ctx: DemoContext, rng: random.Random, plan: LedgerPlan, user: Any
) -> list[CategoryShape]:
    """The leaf categories the generated lines use, topped up so ``plan.categories`` exist."""
    existing = list(Category.objects.filter(archived_at=None).order_by("pk"))
    by_code = {category.code: category for category in existing}
    missing = plan.categories - len(existing)
    new: list[Category] = []
    for parent_code, name, _ in subcategories():
        code = slugify(name)[:40]
        if len(new) < missing and code not in by_code:
            new.append(Category(code=code, name=name, parent=by_code.get(parent_code)))
            by_code[code] = new[-1]
    number = 0
    while len(new) < missing:  # more than the vocabulary holds: numbered lots of supplies
        number += 1
        code = f"{LOT_PREFIX}{number}"
        if code not in by_code:
            new.append(Category(code=code, name=f"Office supplies, lot {number}"))
            by_code[code] = new[-1]
    created = ctx.now - dt.timedelta(days=31 * plan.months + 60)
    insert(ctx, new, by=lambda c: user, at=lambda c: created)
    parents = {c.parent_id for c in Category.objects.filter(parent__isnull=False)}
    leaves = [c for c in [*existing, *new] if c.pk not in parents]
    shapes = []
    for index, category in enumerate(leaves, start=1):
        goods = (
            category.code in GOODS_CODES
            or category.name in GOODS_NAMES
            or category.code.startswith(LOT_PREFIX)
        )
        shapes.append(
            CategoryShape(
                pk=category.pk,
                name=category.name,
                goods=goods,
                gl_account=f"{5 if goods else 6}{index:05d}",
                items=_items(rng, category) if goods else [],
            )
        )
    return shapes


def _items(rng: random.Random, category: Category) -> list[tuple[str, str, int]]:
    stem = slugify(category.name)[:30].upper()
    return [
        (f"{stem}-{slot + 1:03d}", f"{category.name}, item {slot + 1}", _log_uniform(rng, 200, 2e5))
        for slot in range(ITEMS_PER_CATEGORY)
    ]


def top_up_cost_centers(ctx: DemoContext, plan: LedgerPlan, user: Any) -> list[int]:
    existing = list(CostCenter.objects.filter(archived_at=None).order_by("pk"))
    codes = {c.code for c in CostCenter.objects.all()}
    new: list[CostCenter] = []
    number = 8000
    while len(existing) + len(new) < plan.cost_centers:
        number += 1
        code = f"CC-{number}"
        if code in codes:
            continue
        index = number - 8001
        site = SITES[(index // len(DEPARTMENTS)) % len(SITES)]
        new.append(CostCenter(code=code, name=f"{DEPARTMENTS[index % len(DEPARTMENTS)]} {site}"))
    created = ctx.now - dt.timedelta(days=31 * plan.months + 60)
    insert(ctx, new, by=lambda c: user, at=lambda c: created)
    return [c.pk for c in [*existing, *new]]


def _popularity(rng: random.Random, count: int) -> list[float]:
    """Weights of ``count`` things in a shuffled order: a few popular, many rarely chosen."""
    weights = [(rank + 1) ** -0.9 for rank in range(count)]
    rng.shuffle(weights)
    return weights


def assign_cost_centers(
    rng: random.Random, categories: list[CategoryShape], cost_centers: list[int]
) -> None:
    """Each cost center buys about ten categories; every category has a buyer."""
    weights = _popularity(rng, len(categories))
    per_center = min(CATEGORIES_PER_COST_CENTER, len(categories))
    for center in cost_centers:
        chosen: set[int] = set()
        while len(chosen) < per_center:
            chosen.add(rng.choices(range(len(categories)), weights=weights)[0])
        for index in sorted(chosen):
            categories[index].cost_centers.append(center)
    for category in categories:
        if not category.cost_centers:
            category.cost_centers.append(rng.choice(cost_centers))


# --- vendors -------------------------------------------------------------------------------------


def spending_vendors(
    ctx: DemoContext,
    rng: random.Random,
    plan: LedgerPlan,
    categories: list[CategoryShape],
) -> list[VendorShape]:
    """Vendors with spend, largest first: the running ones (the spend story's year of them
    goes on in the generated lines), then new ones, so that ``plan.vendors`` have spend."""
    eligible = {c.pk for c in categories}
    running = list(
        Supplier.objects.filter(stage__in=RUNNING, archived_at=None)
        .select_related("relationship__owner")
        .prefetch_related("categories")
        .order_by("pk")[: plan.vendors]
    )
    # Vendors the story billed that are no longer running count too (they have spend).
    gone = _billed_already() - {supplier.pk for supplier in running}
    wanted = plan.vendors - len(running) - len(gone)
    known = {c.pk for supplier in running for c in supplier.categories.all()}
    popularity = _popularity(rng, len(categories))
    # A few categories only one vendor sells in (single source): none is drawn for a vendor,
    # and each is then given to one vendor as its second category.
    unknown = [index for index, c in enumerate(categories) if c.pk not in known]
    for index in rng.sample(unknown, min(len(unknown), len(categories) // SINGLE_SOURCE_EVERY)):
        popularity[index] = 0.0
    vendors = []
    for supplier in running:
        own = [c.pk for c in supplier.categories.all() if c.pk in eligible][:2]
        spend = float(supplier.annual_spend or 30_000)
        vendors.append(
            VendorShape(
                supplier_id=supplier.pk,
                owner=supplier.relationship.owner,
                categories=own or _draw_categories(rng, categories, popularity),
                score=spend * math.exp(rng.gauss(0, 0.6)),
            )
        )
    vendors += _new_vendors(
        ctx, rng, plan, count=wanted, categories=categories, popularity=popularity
    )
    _cover_every_category(rng, vendors, categories)
    vendors.sort(key=lambda vendor: -vendor.score)
    for vendor in vendors:
        vendor.price_per_mille = rng.randint(900, 1150)
    return vendors


def _draw_categories(
    rng: random.Random, categories: list[CategoryShape], popularity: list[float]
) -> list[int]:
    first = rng.choices(categories, weights=popularity)[0].pk
    if len(categories) > 1 and rng.random() < SECOND_CATEGORY_SHARE:
        second = first
        while second == first:
            second = rng.choices(categories, weights=popularity)[0].pk
        return [first, second]
    return [first]


def _cover_every_category(
    rng: random.Random, vendors: list[VendorShape], categories: list[CategoryShape]
) -> None:
    """A category nobody sells in gets a vendor: one of the single-category vendors."""
    sold = {pk for vendor in vendors for pk in vendor.categories}
    singles = [vendor for vendor in vendors if len(vendor.categories) == 1]
    rng.shuffle(singles)
    for category in categories:
        if category.pk not in sold and singles:
            singles.pop().categories.append(category.pk)


def _new_vendors(
    ctx: DemoContext,
    rng: random.Random,
    plan: LedgerPlan,
    *,
    count: int,
    categories: list[CategoryShape],
    popularity: list[float],
) -> list[VendorShape]:
    """Organizations with an active supply relationship and vendor record, written in bulk."""
    if count <= 0:
        return []
    owners = ctx.pool("senior_vendor_manager", "vendor_manager") or _supply_owners()
    naming = _Naming(
        rng,
        ctx.fakers(rng, sorted({country.locale for country in COUNTRIES})),
        set(Organization.objects.values_list("name_key", flat=True)),
        set(Organization.objects.exclude(tax_id_key="").values_list("tax_id_key", flat=True)),
    )
    organizations, created = [], {}
    for _ in range(count):
        organization = _standalone(naming)
        organization.owner = rng.choice(owners)
        organizations.append(organization)
        created[id(organization)] = ctx.days_ago(rng, 31 * plan.months + 30, 31 * plan.months + 900)
    insert(ctx, organizations, by=lambda o: o.owner, at=lambda o: created[id(o)])
    relationships = [
        Relationship(
            organization=organization,
            side=Side.SUPPLY,
            owner=organization.owner,
            tier=rng.choice((Tier.KEY, Tier.MANAGED, Tier.MANAGED, Tier.TRANSACTIONAL)),
            status=RelationshipStatus.ACTIVE,
        )
        for organization in organizations
    ]
    started = {id(r): created[id(r.organization)] + dt.timedelta(days=1) for r in relationships}
    insert(ctx, relationships, by=lambda r: r.owner, at=lambda r: started[id(r)])
    suppliers = [
        Supplier(
            relationship=relationship,
            relationship_type=rng.choice(
                (RelationshipType.TRANSACTIONAL, RelationshipType.ONGOING)
            ),
            stage=Stage.ACTIVE,
            stage_changed_at=started[id(relationship)] + dt.timedelta(days=14),
        )
        for relationship in relationships
    ]
    drawn = {id(s): _draw_categories(rng, categories, popularity) for s in suppliers}
    by_pk = {c.pk: c for c in Category.objects.filter(pk__in={c.pk for c in categories})}
    insert(
        ctx,
        suppliers,
        by=lambda s: s.relationship.owner,
        at=lambda s: started[id(s.relationship)],
        many={"categories": lambda s: [by_pk[pk] for pk in drawn[id(s)]]},
    )
    return [
        VendorShape(
            supplier_id=supplier.pk,
            owner=supplier.relationship.owner,
            categories=drawn[id(supplier)],
            score=8_000 * math.exp(rng.gauss(0, 1.0)),
        )
        for supplier in suppliers
    ]


def _supply_owners() -> list[Any]:
    owners = (
        Relationship.objects.filter(side=Side.SUPPLY)
        .values_list("owner_id", flat=True)
        .distinct()
        .order_by("owner_id")
    )
    users = list(get_user_model().objects.filter(pk__in=owners).order_by("pk"))
    return users or list(get_user_model().objects.order_by("pk")[:1])


def ledger_source(ctx: DemoContext, user: Any) -> SpendSource:
    source = SpendSource.objects.filter(name=SOURCE_NAME).first()
    if source is None:
        source = SpendSource(name=SOURCE_NAME, default_currency=base_currency())
        insert(ctx, [source], by=lambda s: user, at=lambda s: ctx.now - dt.timedelta(days=1200))
    return source


def _log_uniform(rng: random.Random, low: float, high: float) -> int:
    return round(math.exp(rng.uniform(math.log(low), math.log(high))))
