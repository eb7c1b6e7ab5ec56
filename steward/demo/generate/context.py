"""What every generator step shares: the size, the seed, the clock and what earlier steps made.

Each step draws from its own random stream (named after the step), so a step added later, or
one that draws a little more, does not change what the other steps produce.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from faker import Faker

from steward.parties.models import Contact, Organization, Relationship, Site


@dataclass(frozen=True)
class StaffPlan:
    """How many of our own people of each kind a data set has."""

    admins: int
    auditors: int
    sales_managers: int  # regional field sales managers under the one sales director
    account_managers: int
    senior_vendor_managers: int  # under the one head of procurement
    vendor_managers: int
    specialists: int
    reviewers_per_function: int  # legal, finance, IT security, procurement
    portal_users: int
    business_developers: int = 1  # who win new customers and hand them to account managers

    @property
    def total(self) -> int:
        heads = 2  # the sales director and the head of procurement
        return (
            heads
            + self.admins
            + self.auditors
            + self.sales_managers
            + self.account_managers
            + self.senior_vendor_managers
            + self.vendor_managers
            + self.specialists
            + 4 * self.reviewers_per_function
            + self.portal_users
            + self.business_developers
        )


@dataclass(frozen=True)
class SizeSpec:
    name: str
    organizations: int
    staff: StaffPlan
    description: str


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(
        name="small",
        organizations=100,
        staff=StaffPlan(
            admins=1,
            auditors=1,
            sales_managers=2,
            account_managers=6,
            senior_vendor_managers=2,
            vendor_managers=4,
            specialists=4,
            reviewers_per_function=1,
            portal_users=4,
        ),
        description="about 100 organizations and 30 people: enough to show every screen",
    ),
    "large": SizeSpec(
        name="large",
        organizations=10_000,
        staff=StaffPlan(
            admins=2,
            auditors=3,
            sales_managers=6,
            account_managers=52,
            senior_vendor_managers=6,
            vendor_managers=40,
            specialists=40,
            reviewers_per_function=8,
            portal_users=17,
            business_developers=3,
        ),
        description="about 10,000 organizations and 200 people: for benchmarks",
    ),
}

DEFAULT_SEED = 20240601
DEMO_PASSWORD = "steward-demo"  # noqa: S105 - printed for everyone; demo data is never real


def _stable_faker(locale: str) -> Faker:
    """A Faker whose output depends on its seed alone.

    Some locales (it_IT) build their city list from a set, whose order changes with Python's
    per-process hash seed; a sorted copy on the provider instance makes the draws repeatable.
    """
    faker = Faker(locale)
    for provider in faker.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list | tuple):
            provider.cities = sorted(cities)
    return faker


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    sees: str


@dataclass
class DemoContext:
    size: SizeSpec
    seed: int
    # The story ends at midnight before today: every record lies before ``now``, and two loads
    # on the same day produce the same timestamps.
    now: dt.datetime
    today: dt.date
    password_hash: str
    # Our people by pool ("admin", "account_manager", "reviewer_legal", …), in creation order.
    users: dict[str, list[Any]] = field(default_factory=dict)
    organizations: list[Organization] = field(default_factory=list)
    # (organization, side, owner) for every relationship the parties steps decided on.
    relationship_plan: list[tuple[Organization, str, Any]] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    # Organizations whose portal users log in, and the contacts who are those users.
    portal_organizations: list[Organization] = field(default_factory=list)
    portal_contacts: list[Contact] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    # The supply side: categories by code, and one plan per vendor (see vendor_plan.py).
    categories: dict[str, Any] = field(default_factory=dict)
    vendors: list[Any] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # m2m rows written so far, for history snapshots: (model label, field) -> pk -> rows.
    many_rows: dict[tuple[str, str], dict[int, list[tuple[int, int]]]] = field(default_factory=dict)
    _fakers: dict[str, Faker] = field(default_factory=dict)

    @classmethod
    def starting(cls, *, size: SizeSpec, seed: int, password_hash: str) -> DemoContext:
        today = timezone.localdate()
        midnight = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
        return cls(size=size, seed=seed, now=midnight, today=today, password_hash=password_hash)

    def rng(self, step: str) -> random.Random:
        """The random stream of one step; a string seed is hashed the same way on every run."""
        return random.Random(f"{self.seed}:{step}")

    def fakers(self, rng: random.Random, locales: list[str]) -> dict[str, Faker]:
        """Faker instances for ``locales``, re-seeded from the step's stream in a fixed order."""
        for locale in sorted(set(locales)):
            faker = self._fakers.get(locale)
            if faker is None:
                faker = self._fakers[locale] = _stable_faker(locale)
            faker.seed_instance(rng.getrandbits(32))
        return {locale: self._fakers[locale] for locale in locales}

    def days_ago(self, rng: random.Random, low: float, high: float) -> dt.datetime:
        """A moment between ``high`` and ``low`` days before now."""
        return self.now - dt.timedelta(seconds=rng.randint(int(low * 86400), int(high * 86400)))

    def later(self, rng: random.Random, moment: dt.datetime, days: float) -> dt.datetime:
        """A moment up to ``days`` after ``moment``, never in the future."""
        candidate = moment + dt.timedelta(seconds=rng.randint(60, max(61, int(days * 86400))))
        return min(candidate, self.now - dt.timedelta(minutes=1))

    def since(self, rng: random.Random, moment: dt.datetime) -> dt.datetime:
        """A moment after ``moment`` and before now."""
        span = int((self.now - moment).total_seconds()) - 60
        return moment + dt.timedelta(seconds=rng.randint(1, max(1, span)))

    def pool(self, *names: str) -> list[Any]:
        return [user for name in names for user in self.users.get(name, [])]
