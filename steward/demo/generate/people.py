"""Our own people (roles, functions, reporting lines, teams) and the vendors' portal users."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from itertools import cycle
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from faker import Faker

from steward.demo.generate.context import DemoContext, DemoLogin, SizeSpec, StaffPlan
from steward.demo.generate.vocabulary import SALES_REGIONS, STAFF_LOCALES, STAFF_TITLES
from steward.demo.generate.writes import insert
from steward.parties.models import Contact, Site
from steward.people.choices import Function, JobRole, UserKind
from steward.people.models import Profile, Team

User = get_user_model()

STAFF_DOMAIN = "steward-demo.example"


@dataclass(frozen=True)
class Pool:
    """One kind of person: how many, their job roles and function, who they report to."""

    name: str
    roles: tuple[str, ...]
    function: str
    username: str  # the first person of the pool gets this easy-to-type user name, if any
    reports_to: tuple[str, ...] = ()  # pools whose people they report to, in turn


def _pools(staff: StaffPlan) -> list[tuple[Pool, int]]:
    reviewers = [
        (
            Pool(f"reviewer_{function}", (), function, f"reviewer.{short}"),
            staff.reviewers_per_function,
        )
        for function, short in (
            (Function.LEGAL, "legal"),
            (Function.FINANCE, "finance"),
            (Function.IT_SECURITY, "security"),
            (Function.PROCUREMENT, "procurement"),
        )
    ]
    return [
        (Pool("admin", (JobRole.ADMINISTRATOR,), Function.OPERATIONS, "admin"), staff.admins),
        (Pool("auditor", (JobRole.AUDITOR,), Function.FINANCE, "auditor"), staff.auditors),
        (
            Pool(
                "sales_director", (JobRole.FIELD_SALES_MANAGER,), Function.SALES, "sales.director"
            ),
            1,
        ),
        (
            Pool(
                "sales_manager",
                (JobRole.FIELD_SALES_MANAGER,),
                Function.SALES,
                "sales.manager",
                ("sales_director",),
            ),
            staff.sales_managers,
        ),
        (
            Pool(
                "account_manager",
                (JobRole.ACCOUNT_MANAGER,),
                Function.SALES,
                "account.manager",
                ("sales_manager",),
            ),
            staff.account_managers,
        ),
        (
            Pool(
                "procurement_head",
                (JobRole.VENDOR_MANAGER,),
                Function.PROCUREMENT,
                "procurement.head",
            ),
            1,
        ),
        (
            Pool(
                "senior_vendor_manager",
                (JobRole.VENDOR_MANAGER,),
                Function.PROCUREMENT,
                "vendor.manager",
                ("procurement_head",),
            ),
            staff.senior_vendor_managers,
        ),
        (
            Pool(
                "vendor_manager",
                (JobRole.VENDOR_MANAGER,),
                Function.PROCUREMENT,
                "",
                ("senior_vendor_manager",),
            ),
            staff.vendor_managers,
        ),
        (
            Pool(
                "specialist",
                (JobRole.SPECIALIST,),
                Function.OPERATIONS,
                "specialist",
                ("senior_vendor_manager", "sales_manager"),
            ),
            staff.specialists,
        ),
        *reviewers,
        # Last, so adding them left everyone before them as they were.
        (
            Pool(
                "business_developer",
                (),
                Function.BUSINESS_DEVELOPMENT,
                "business.developer",
                ("sales_director",),
            ),
            staff.business_developers,
        ),
    ]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in folded if ch.isalnum())


class _Usernames:
    """first.last, made unique in creation order."""

    def __init__(self, reserved: set[str]) -> None:
        self.taken = set(reserved)

    def make(self, first: str, last: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}".strip(".") or "user"
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate


def _user(
    ctx: DemoContext, *, username: str, first: str, last: str, email: str, joined: dt.datetime
) -> Any:
    return User(
        username=username,
        email=email,
        first_name=first,
        last_name=last,
        password=ctx.password_hash,
        date_joined=joined,
        is_active=True,
    )


def showcase_usernames(size: SizeSpec) -> list[str]:
    """User names the loader gives out on purpose; a clash with an existing account refuses."""
    names = [pool.username for pool, count in _pools(size.staff) if count and pool.username]
    return [*names, "portal"]


def create_staff(ctx: DemoContext) -> None:
    """Administrators, auditors, the sales line, the procurement line, specialists, reviewers."""
    rng = ctx.rng("people.staff")
    fakers = ctx.fakers(rng, list(STAFF_LOCALES))
    pools = _pools(ctx.size.staff)
    # Generated names avoid the easy ones and any account that exists already.
    taken = set(User.objects.values_list("username", flat=True))
    usernames = _Usernames(taken | {pool.username for pool, _ in pools} | {"portal"})
    for pool, count in pools:
        bosses = ctx.pool(*pool.reports_to)
        managers = cycle(bosses) if bosses else None
        planned = []
        for index in range(count):
            faker = fakers[rng.choice(STAFF_LOCALES)]
            user, profile = _plan_person(ctx, rng, faker, usernames, pool=pool, index=index)
            profile.manager = next(managers) if managers else None
            planned.append((user, profile))
        if pool.name.startswith("reviewer_"):
            # In a large company the first reviewer of a function leads the others.
            for _, profile in planned[1:]:
                profile.manager = planned[0][0]
        # Later pools report to earlier ones, so each pool is written before the next is read.
        _write_people(ctx, planned)
        ctx.users[pool.name] = [user for user, _ in planned]
    _grant_roles(ctx, pools)


def _plan_person(
    ctx: DemoContext,
    rng: random.Random,
    faker: Faker,
    usernames: _Usernames,
    *,
    pool: Pool,
    index: int,
) -> tuple[Any, Profile]:
    first, last = faker.first_name(), faker.last_name()
    handle = usernames.make(first, last)
    user = _user(
        ctx,
        username=pool.username if index == 0 and pool.username else handle,
        first=first,
        last=last,
        email=f"{handle}@{STAFF_DOMAIN}",
        joined=ctx.days_ago(rng, 400, 900),
    )
    title = rng.choice(STAFF_TITLES[pool.name])
    if pool.name == "sales_manager":
        title = f"{title}, {SALES_REGIONS[index % len(SALES_REGIONS)]}"
    profile = Profile(
        kind=UserKind.INTERNAL,
        function=pool.function,
        title=title,
        phone=faker.phone_number()[:40],
    )
    return user, profile


def _write_people(ctx: DemoContext, planned: list[tuple[Any, Profile]]) -> None:
    if not planned:
        return
    users = [user for user, _ in planned]
    User.objects.bulk_create(users)
    ctx.counts[User._meta.label] += len(users)
    profiles = []
    for user, profile in planned:
        profile.user = user
        profiles.append(profile)
    # The administrators' accounts were opened from the command line (no acting user, as with
    # `user_create(actor=None)`); the first administrator opened everyone else's.
    opener = ctx.users["admin"][0] if ctx.users.get("admin") else None
    insert(
        ctx,
        profiles,
        by=lambda profile: opener,
        at=lambda profile: profile.user.date_joined,
        reason="Account created",
    )


def _grant_roles(ctx: DemoContext, pools: list[tuple[Pool, int]]) -> None:
    groups = {group.name: group for group in Group.objects.filter(name__in=JobRole.values)}
    missing = set(JobRole.values) - set(groups)
    for name in sorted(missing):
        groups[name] = Group.objects.create(name=name)
    through = User.groups.through
    rows = [
        through(user_id=user.pk, group_id=groups[role].pk)
        for pool, _ in pools
        for user in ctx.users.get(pool.name, [])
        for role in pool.roles
    ]
    through.objects.bulk_create(rows)
    ctx.counts[through._meta.label] += len(rows)


def create_portal_users(ctx: DemoContext) -> None:
    """Vendor contacts who log in to the portal: each is a shared contact of their organization."""
    rng = ctx.rng("people.portal")
    usernames = _Usernames(set(User.objects.values_list("username", flat=True)))
    planned: list[tuple[Any, Profile]] = []
    for index, contact in enumerate(ctx.portal_contacts):
        organization = contact.organization
        username = "portal" if index == 0 else usernames.make(contact.first_name, contact.last_name)
        user = _user(
            ctx,
            username=username,
            first=contact.first_name,
            last=contact.last_name,
            email=contact.email,
            joined=ctx.later(rng, organization.created_at, 120),
        )
        profile = Profile(
            kind=UserKind.EXTERNAL,
            organization=organization,
            title=contact.title,
            phone=contact.phone,
            digest_enabled=False,
        )
        planned.append((user, profile))
    _write_people(ctx, planned)
    ctx.users["portal"] = [user for user, _ in planned]


def add_portal_user(ctx: DemoContext, contact: Any, joined: dt.datetime) -> Any:
    """One more vendor contact who logs in to the portal (a later step's story needs them)."""
    usernames = _Usernames(set(User.objects.values_list("username", flat=True)))
    user = _user(
        ctx,
        username=usernames.make(contact.first_name, contact.last_name),
        first=contact.first_name,
        last=contact.last_name,
        email=contact.email,
        joined=joined,
    )
    profile = Profile(
        kind=UserKind.EXTERNAL,
        organization=contact.organization,
        title=contact.title,
        phone=contact.phone,
        digest_enabled=False,
    )
    _write_people(ctx, [(user, profile)])
    ctx.users.setdefault("portal", []).append(user)
    # As for every portal user: they are a shared contact, and their organization shares a site.
    Contact.objects.filter(pk=contact.pk).update(shared_with_portal=True)
    site = Site.objects.filter(organization=contact.organization).order_by("pk").first()
    if site is not None and not site.shared_with_portal:
        Site.objects.filter(pk=site.pk).update(shared_with_portal=True)
    return user


def create_teams(ctx: DemoContext) -> None:
    """Teams mirror the reporting lines: a sourcing team and one account team per region."""
    rng = ctx.rng("people.teams")
    head = ctx.users["procurement_head"][0]
    teams: list[Team] = [
        Team(
            name="Strategic Sourcing",
            description="Vendor managers who own our key supplier relationships.",
            lead=head,
        )
    ]
    members: dict[str, list[Any]] = {
        "Strategic Sourcing": ctx.pool("senior_vendor_manager", "vendor_manager")
    }
    for index, manager in enumerate(ctx.users.get("sales_manager", [])):
        region = SALES_REGIONS[index % len(SALES_REGIONS)]
        name = f"Key Accounts {region}"
        teams.append(Team(name=name, description=f"Account team for {region}.", lead=manager))
        members[name] = [
            user
            for user in ctx.users.get("account_manager", [])
            if user.profile.manager_id == manager.pk
        ]
    teams.append(
        Team(
            name="Risk and Compliance Review",
            description="Legal, finance, IT security and procurement reviewers.",
            lead=ctx.users["reviewer_legal"][0],
        )
    )
    members["Risk and Compliance Review"] = ctx.pool(
        "reviewer_legal", "reviewer_finance", "reviewer_it_security", "reviewer_procurement"
    )
    insert(
        ctx,
        teams,
        by=lambda team: team.lead,
        at=lambda team: ctx.days_ago(rng, 200, 380),
        many={"members": lambda team: members[team.name]},
    )


def describe_logins(ctx: DemoContext) -> None:
    """One login per role, with what that person will find after signing in."""
    portal_user = ctx.users["portal"][0] if ctx.users.get("portal") else None
    portal_org = portal_user.profile.organization if portal_user else None
    ctx.logins = [
        DemoLogin("Administrator", "admin", "everything; may change and reassign anything"),
        DemoLogin("Auditor", "auditor", "everything, read-only"),
        DemoLogin(
            "Field sales manager",
            "sales.director",
            "the accounts of their regional managers and account managers (indirect reports)",
        ),
        DemoLogin(
            "Account manager",
            "account.manager",
            "their own key accounts, some reviews overdue or due this week",
        ),
        DemoLogin(
            "Vendor manager",
            "vendor.manager",
            "every vendor to read (procurement reads them all), their own and their reports' "
            "to work on: the portfolio matrix, a stalled onboarding, an override, strategies "
            "and the roadmap",
        ),
        DemoLogin("Specialist", "specialist", "relationships whose team they work on"),
        DemoLogin(
            "Reviewer (legal)",
            "reviewer.legal",
            "relationships assigned to them for legal review, read-only",
        ),
    ]
    if portal_org is not None:
        ctx.logins.append(
            DemoLogin(
                "Portal user (external)",
                "portal",
                f"only the sites and contacts {portal_org} shares, nothing of others",
            )
        )
