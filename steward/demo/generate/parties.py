"""Organizations (groups and subsidiaries), their sites and their contacts."""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django_countries import countries
from faker import Faker

from steward.core.models import Tag
from steward.demo.generate.context import DemoContext
from steward.demo.generate.vocabulary import (
    CONTACT_INFLUENCE,
    CONTACT_NOTES,
    CONTACT_TITLES,
    COUNTRIES,
    INDUSTRY_NOUNS,
    INDUSTRY_WEIGHTS,
    NAME_ENDS,
    NAME_STARTS,
    ORGANIZATION_TAGS,
    SITE_LABELS,
    CountryProfile,
)
from steward.demo.generate.writes import Revision, insert, revise
from steward.parties.choices import Industry, Side, SiteKind
from steward.parties.identity import normalize_legal_name, normalize_tax_id
from steward.parties.models import Contact, ContactRole, Organization, Site

COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}
GROUP_SHARE = 0.08  # chance that the next organization starts a group with subsidiaries
SUPPLY_SHARE = 0.55  # organizations we buy from
DEMAND_SHARE = 0.40  # organizations we sell to (some do both)


def _pick_country(rng: random.Random) -> CountryProfile:
    return rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]


def _pick_industry(rng: random.Random) -> str:
    return rng.choices(list(INDUSTRY_WEIGHTS), weights=list(INDUSTRY_WEIGHTS.values()))[0]


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(folded)


@dataclass
class _Naming:
    """Generates unique legal names and tax ids in a fixed order."""

    rng: random.Random
    fakers: dict[str, Faker]
    name_keys: set[str]
    tax_ids: set[str]

    def stem(self, country: CountryProfile) -> str:
        roll = self.rng.random()
        faker = self.fakers[country.locale]
        if roll < 0.45:
            return faker.last_name()
        if roll < 0.6:
            return f"{faker.last_name()} & {faker.last_name()}"
        return self.rng.choice(NAME_STARTS) + self.rng.choice(NAME_ENDS)

    def unique(self, build: Any) -> tuple[str, str]:
        """Call ``build() -> (legal, display)`` until the normalized legal name is new."""
        for _ in range(50):
            legal, display = build()
            key = normalize_legal_name(legal)
            if key and key not in self.name_keys:
                self.name_keys.add(key)
                return legal, display
        legal, display = build()
        number = 2
        while normalize_legal_name(f"{display} {number} {legal}") in self.name_keys:
            number += 1
        legal = f"{display} {number}"
        self.name_keys.add(normalize_legal_name(legal))
        return legal, legal

    def tax_id(self, country: CountryProfile) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(country.tax_digits))
            if country.code == "US":
                digits = f"{digits[:2]}-{digits[2:]}"
            candidate = f"{country.tax_prefix}{digits}"
            if normalize_tax_id(candidate) not in self.tax_ids:
                self.tax_ids.add(normalize_tax_id(candidate))
                return candidate


def _organization(
    naming: _Naming,
    *,
    country: CountryProfile,
    industry: str,
    legal_name: str,
    display_name: str,
    parent: Organization | None,
) -> Organization:
    rng = naming.rng
    tax_id = naming.tax_id(country)
    registration = country.registration.format(n=rng.randint(100_000, 99_999_999))
    kind = "public body" if industry == Industry.PUBLIC_SECTOR else "company"
    label = Industry(industry).label.lower()
    description = f"{label.capitalize()} {kind} based in {countries.name(country.code)}."
    if parent is not None:
        description += f" Part of {parent.display_name}."
    return Organization(
        legal_name=legal_name,
        display_name=display_name,
        registration_number=registration,
        tax_id=tax_id,
        website=f"https://www.{_ascii_slug(display_name)}.example",
        country=country.code,
        industry=industry,
        parent=parent,
        description=description,
        name_key=normalize_legal_name(legal_name),
        tax_id_key=normalize_tax_id(tax_id),
    )


def _standalone(naming: _Naming) -> Organization:
    country = _pick_country(naming.rng)
    industry = _pick_industry(naming.rng)
    faker = naming.fakers[country.locale]

    def build() -> tuple[str, str]:
        if industry == Industry.PUBLIC_SECTOR:
            name = f"{faker.city()} {naming.rng.choice(INDUSTRY_NOUNS[industry])}"
            return name, name
        stem = naming.stem(country)
        if naming.rng.random() < 0.6:
            stem = f"{stem} {naming.rng.choice(INDUSTRY_NOUNS[industry])}"
        form = naming.rng.choice(country.legal_forms)
        return f"{stem} {form}", stem

    legal, display = naming.unique(build)
    return _organization(
        naming,
        country=country,
        industry=industry,
        legal_name=legal,
        display_name=display,
        parent=None,
    )


def _group(naming: _Naming, subsidiaries: int) -> list[Organization]:
    """A holding and its subsidiaries, named after the same stem, in several countries."""
    rng = naming.rng
    home = _pick_country(rng)
    industry = _pick_industry(rng)
    while industry == Industry.PUBLIC_SECTOR:
        industry = _pick_industry(rng)
    stems: list[str] = []

    def build_parent() -> tuple[str, str]:
        stems[:] = [naming.stem(home)]
        form = "SE" if home.region == "emea" and rng.random() < 0.3 else home.legal_forms[0]
        return f"{stems[0]} {rng.choice(('Group', 'Holding'))} {form}", f"{stems[0]} Group"

    legal, display = naming.unique(build_parent)
    parent = _organization(
        naming, country=home, industry=industry, legal_name=legal, display_name=display, parent=None
    )
    members = [parent]
    for index in range(subsidiaries):
        country = home if index == 0 else _pick_country(rng)

        def build_subsidiary(country: CountryProfile = country) -> tuple[str, str]:
            if country is home or rng.random() < 0.5:
                qualifier = rng.choice(INDUSTRY_NOUNS[industry])
            else:
                qualifier = str(countries.name(country.code))
            name = f"{stems[0]} {qualifier}"
            return f"{name} {rng.choice(country.legal_forms)}", name

        legal, display = naming.unique(build_subsidiary)
        members.append(
            _organization(
                naming,
                country=country,
                industry=industry,
                legal_name=legal,
                display_name=display,
                parent=parent,
            )
        )
    return members


def create_organizations(ctx: DemoContext) -> None:
    """Organizations with group hierarchies; decides their relationships and owners too."""
    rng = ctx.rng("parties.organizations")
    naming = _Naming(rng, ctx.fakers(rng, [c.locale for c in COUNTRIES]), set(), set())
    naming.name_keys.update(Organization.objects.values_list("name_key", flat=True))
    organizations: list[Organization] = []
    target = ctx.size.organizations
    while len(organizations) < target:
        remaining = target - len(organizations)
        if remaining >= 3 and rng.random() < GROUP_SHARE:
            organizations.extend(_group(naming, rng.randint(2, min(5, remaining - 1))))
        else:
            organizations.append(_standalone(naming))
    _plan_relationships(ctx, rng, organizations)
    tags = {tag.name: tag for tag in Tag.resolve(["emea", "americas", "apac", *ORGANIZATION_TAGS])}
    tags_of: dict[int, list[Tag]] = {}
    for organization in organizations:
        chosen = [tags[COUNTRY_BY_CODE[str(organization.country)].region]]
        if rng.random() < 0.25:
            chosen.append(tags[rng.choice(ORGANIZATION_TAGS)])
        tags_of[id(organization)] = chosen
    created = {id(o): ctx.days_ago(rng, 120, 720) for o in organizations}
    for organization in organizations:
        if organization.parent is not None:
            # A subsidiary is recorded after its group.
            created[id(organization)] = max(
                created[id(organization)], created[id(organization.parent)]
            )
    for level in (False, True):  # groups and standalone organizations first, then subsidiaries
        insert(
            ctx,
            [o for o in organizations if (o.parent is not None) is level],
            by=lambda o: o.owner,
            at=lambda o: created[id(o)],
            many={"tags": lambda o: tags_of[id(o)]},
        )
    ctx.organizations = organizations
    _choose_portal_organizations(ctx, rng)


def _plan_relationships(
    ctx: DemoContext, rng: random.Random, organizations: list[Organization]
) -> None:
    """Which organizations we buy from and sell to, with owners spread evenly."""
    plan: list[tuple[Organization, str]] = []
    for organization in organizations:
        # Groups are mostly customers: we sell to the group and buy from some subsidiaries.
        is_group = organization.parent is None and organization.display_name.endswith(" Group")
        if rng.random() < SUPPLY_SHARE and not is_group:
            plan.append((organization, Side.SUPPLY))
        if rng.random() < DEMAND_SHARE or is_group:
            plan.append((organization, Side.DEMAND))
    owners: dict[str, list[Any]] = {
        Side.SUPPLY: _spread(
            rng,
            ctx.pool("senior_vendor_manager", "vendor_manager", "vendor_manager"),
            sum(1 for _, side in plan if side == Side.SUPPLY),
        ),
        Side.DEMAND: _spread(
            rng,
            ctx.pool("sales_manager", *["account_manager"] * 3),
            sum(1 for _, side in plan if side == Side.DEMAND),
        ),
    }
    ctx.relationship_plan = [(org, side, owners[side].pop()) for org, side in plan]
    owner_of: dict[int, Any] = {}
    for organization, _, owner in ctx.relationship_plan:
        owner_of.setdefault(id(organization), owner)
    everyone = ctx.pool("senior_vendor_manager", "vendor_manager", "account_manager")
    for organization in organizations:
        parent_owner = owner_of.get(id(organization.parent)) if organization.parent else None
        organization.owner = owner_of.get(id(organization)) or parent_owner or rng.choice(everyone)


def _spread(rng: random.Random, people: list[Any], count: int) -> list[Any]:
    """``count`` owners drawn so that everyone in ``people`` gets a fair share, in random order."""
    if not people:
        raise ValueError("no one to own these relationships")
    chosen = [people[index % len(people)] for index in range(count)]
    rng.shuffle(chosen)
    return chosen


def _choose_portal_organizations(ctx: DemoContext, rng: random.Random) -> None:
    """Active vendors whose contacts use the portal; the first has two portal users."""
    wanted = ctx.size.staff.portal_users
    vendors = [org for org, side, _ in ctx.relationship_plan if side == Side.SUPPLY]
    count = max(1, (wanted * 3 + 3) // 4) if wanted else 0
    ctx.portal_organizations = rng.sample(vendors, min(count, len(vendors)))


def _portal_seats(ctx: DemoContext) -> dict[int, int]:
    """How many portal users each portal organization gets: one each, the rest to the first."""
    organizations = ctx.portal_organizations
    seats = {org.pk: 1 for org in organizations}
    if organizations:
        seats[organizations[0].pk] += ctx.size.staff.portal_users - len(organizations)
    return seats


EXTRA_SITE_KINDS = [SiteKind.PLANT, SiteKind.OFFICE, SiteKind.WAREHOUSE, SiteKind.DATA_CENTER]


def _address(faker: Faker) -> dict[str, str]:
    region = faker.state() if hasattr(faker, "state") else ""
    return {
        "street": faker.street_address().replace("\n", ", ")[:200],
        "city": faker.city()[:100],
        "region": region[:100],
        "postal_code": faker.postcode()[:20],
    }


def create_sites(ctx: DemoContext) -> None:
    """A headquarters for everyone, plants, offices, warehouses and data centers for many."""
    rng = ctx.rng("parties.sites")
    fakers = ctx.fakers(rng, [c.locale for c in COUNTRIES])
    portal = {org.pk for org in ctx.portal_organizations}
    every_kind = [*EXTRA_SITE_KINDS, SiteKind.OTHER]
    sites: list[Site] = []
    extras = 0
    for organization in ctx.organizations:
        home = COUNTRY_BY_CODE[str(organization.country)]
        sites.append(
            Site(
                organization=organization,
                name="Headquarters",
                kind=SiteKind.HEADQUARTERS,
                country=home.code,
                shared_with_portal=organization.pk in portal or rng.random() < 0.15,
                **_address(fakers[home.locale]),
            )
        )
        for _ in range(rng.choices((0, 1, 2, 3), weights=(35, 30, 20, 15))[0]):
            # The first extra sites cover every kind, so every kind is in any data set.
            kind = every_kind[extras] if extras < len(every_kind) else rng.choice(every_kind)
            extras += 1
            country = home if rng.random() < 0.75 else _pick_country(rng)
            address = _address(fakers[country.locale])
            label = SITE_LABELS[kind]
            sites.append(
                Site(
                    organization=organization,
                    name=f"{address['city']} {label}"[:150],
                    kind=kind,
                    country=country.code,
                    shared_with_portal=rng.random() < 0.1,
                    **address,
                )
            )
    created = {id(site): ctx.later(rng, site.organization.created_at, 30) for site in sites}
    insert(ctx, sites, by=lambda s: s.organization.owner, at=lambda s: created[id(s)])
    ctx.sites = sites


def create_contacts(ctx: DemoContext) -> None:
    """People at each organization with role tags, influence and how well we know them."""
    rng = ctx.rng("parties.contacts")
    fakers = ctx.fakers(rng, [c.locale for c in COUNTRIES])
    roles = {role.code: role for role in ContactRole.objects.all()}
    codes = sorted(code for code in CONTACT_TITLES if code in roles)
    sites_of: dict[int, list[Site]] = defaultdict(list)
    for site in ctx.sites:
        sites_of[site.organization_id].append(site)
    seats = _portal_seats(ctx)
    contacts: list[Contact] = []
    roles_of: dict[int, list[ContactRole]] = {}
    for organization in ctx.organizations:
        faker = fakers[COUNTRY_BY_CODE[str(organization.country)].locale]
        domain = f"{_ascii_slug(organization.display_name)}.example"
        portal_seats = seats.get(organization.pk, 0)
        count = rng.choices((1, 2, 3, 4, 5, 6), weights=(15, 30, 30, 15, 6, 4))[0]
        for index in range(max(count, portal_seats + 2 if portal_seats else 0)):
            contact, contact_roles = _contact(
                rng, faker, organization=organization, domain=domain, codes=codes, roles=roles
            )
            contact.site = rng.choice(sites_of[organization.pk]) if rng.random() < 0.8 else None
            is_portal_user = index < portal_seats
            contact.shared_with_portal = is_portal_user or rng.random() < (
                0.3 if portal_seats else 0.1
            )
            contacts.append(contact)
            roles_of[id(contact)] = contact_roles
            if is_portal_user:
                ctx.portal_contacts.append(contact)
    created = {id(c): ctx.later(rng, c.organization.created_at, 60) for c in contacts}
    insert(
        ctx,
        contacts,
        by=lambda c: c.organization.owner,
        at=lambda c: created[id(c)],
        many={"roles": lambda c: roles_of[id(c)]},
    )
    ctx.contacts = contacts
    _contact_changes(ctx, rng)


def _contact(
    rng: random.Random,
    faker: Faker,
    *,
    organization: Organization,
    domain: str,
    codes: list[str],
    roles: dict[str, ContactRole],
) -> tuple[Contact, list[ContactRole]]:
    first, last = faker.first_name(), faker.last_name()
    primary = rng.choice(codes)
    others = rng.sample([c for c in codes if c != primary], rng.choice((0, 0, 1, 1, 2)))
    low, high = CONTACT_INFLUENCE.get(primary, (1, 5))
    local = f"{_ascii_slug(first)}.{_ascii_slug(last)}".replace("-", "")
    contact = Contact(
        organization=organization,
        first_name=first[:100],
        last_name=last[:100],
        title=rng.choice(CONTACT_TITLES[primary]),
        email=f"{local}@{domain}",
        phone=faker.phone_number()[:40],
        influence=rng.randint(low, high),
        relationship_strength=rng.randint(1, 5) if rng.random() < 0.85 else None,
        notes=rng.choice(CONTACT_NOTES) if rng.random() < 0.2 else "",
    )
    return contact, [roles[code] for code in (primary, *others)]


def _contact_changes(ctx: DemoContext, rng: random.Random) -> None:
    """Some relationships with contacts grew stronger; some contacts left and were archived."""
    portal = {id(contact) for contact in ctx.portal_contacts}
    revisions = []
    for contact in ctx.contacts:
        roll = rng.random()
        owner = contact.organization.owner
        at = ctx.since(rng, contact.created_at)
        if roll < 0.03 and id(contact) not in portal:
            revisions.append(
                Revision(contact, {"archived_at": at, "archived_by": owner}, at, owner, "Archived")
            )
        elif roll < 0.13 and (contact.relationship_strength or 5) < 5:
            strength = (contact.relationship_strength or 1) + 1
            revisions.append(Revision(contact, {"relationship_strength": strength}, at, owner, ""))
    revise(ctx, revisions)
