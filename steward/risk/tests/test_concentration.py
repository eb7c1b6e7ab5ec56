"""Concentration risk from the data, with hand-computed spend: the largest vendor's share of a
category, single-source categories, countries with several critical vendors, and fourth parties
several vendors depend on (through the tree)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.risk import selectors, services
from steward.risk.tests.helpers import security_person, vendor_of
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 15)  # the last twelve whole months: 2025-07 to 2026-06
IN_PERIOD = dt.date(2026, 3, 10)


def _vendor(owner: Any, name: str, country: str = "", **fields: Any) -> Any:
    organization = OrganizationFactory(display_name=name, country=country)
    relationship = RelationshipFactory(organization=organization, owner=owner, side="supply")
    return SupplierFactory(relationship=relationship, **fields)


def test_the_largest_vendors_share_of_a_category(cast: Cast) -> None:
    admin = cast.admin
    cloud, office = CategoryFactory(name="Cloud"), CategoryFactory(name="Office")
    big, small, third = (_vendor(admin, n) for n in ("Big", "Small", "Third"))
    store(
        [
            # Cloud: 700 + 300 = 1,000; Big holds 70 % (over the 50 % threshold).
            Line(big, IN_PERIOD, Decimal(700), category=cloud),
            Line(small, IN_PERIOD, Decimal(300), category=cloud),
            # Office: 400 + 400 + 200; the largest holds 40 %: not concentrated.
            Line(big, IN_PERIOD, Decimal(400), category=office),
            Line(small, IN_PERIOD, Decimal(400), category=office),
            Line(third, IN_PERIOD, Decimal(200), category=office),
            # Outside the period: not counted.
            Line(small, dt.date(2024, 1, 5), Decimal(5_000), category=cloud),
        ]
    )
    figures = selectors.concentration(user=admin, today=TODAY)
    assert [(r.category, r.top_supplier, r.top_share, r.vendors) for r in figures.categories] == [
        ("Cloud", "Big", Decimal("70.00"), 2)
    ]
    assert figures.categories[0].amount == Decimal(1000)


def test_single_source_counts_vendors_in_active_stages(cast: Cast) -> None:
    admin = cast.admin
    sole, shared = CategoryFactory(name="Smelting"), CategoryFactory(name="Freight")
    only = _vendor(admin, "Only", stage="active")
    first = _vendor(admin, "First", stage="active")
    second = _vendor(admin, "Second", stage="onboarding")
    leaving = _vendor(admin, "Leaving", stage="offboarded")
    only.categories.add(sole)
    leaving.categories.add(sole)  # offboarded: does not count as a second source
    first.categories.add(shared)
    second.categories.add(shared)
    figures = selectors.concentration(user=admin, today=TODAY)
    assert [(r.category, r.supplier) for r in figures.single_source] == [("Smelting", "Only")]


def test_countries_with_several_critical_vendors(cast: Cast) -> None:
    admin = cast.admin
    tier_one = _vendor(admin, "Alpha", "DE")
    services.risk_profile_save(
        actor=admin, supplier=tier_one, data_handled="special", system_access="none"
    )
    _vendor(admin, "Beta", "DE", criticality=4)  # critical by its criticality
    _vendor(admin, "Gamma", "DE", criticality=3)  # not critical
    _vendor(admin, "Delta", "FR", criticality=5)  # alone in France
    figures = selectors.concentration(user=admin, today=TODAY)
    assert [(r.key, [name for _, name in r.vendors]) for r in figures.countries] == [
        ("DE", ["Alpha", "Beta"])
    ]


def test_fourth_parties_shared_through_the_tree(cast: Cast) -> None:
    admin = cast.admin
    one, two, three = (_vendor(admin, n) for n in ("One", "Two", "Three"))
    hyperscaler = OrganizationFactory(display_name="Hyperscaler")
    payroll = OrganizationFactory(display_name="Payroll Co")
    services.subcontractor_add(
        actor=admin, supplier=one, organization=hyperscaler, service="Hosting"
    )
    # Two relies on it only through its payroll provider: seen through the tree.
    under = services.subcontractor_add(
        actor=admin, supplier=two, organization=payroll, service="Payroll"
    )
    services.subcontractor_add(
        actor=admin,
        supplier=two,
        organization=hyperscaler,
        service="Hosting",
        parent=under,
        handles_our_data=True,
    )
    services.subcontractor_add(actor=admin, supplier=three, organization=payroll, service="HR")
    figures = selectors.concentration(user=admin, today=TODAY)
    assert [
        (r.label, [n for _, n in r.vendors], r.handles_our_data) for r in figures.fourth_parties
    ] == [
        ("Hyperscaler", ["One", "Two"], True),
        ("Payroll Co", ["Three", "Two"], False),
    ]


def test_concentration_shows_only_what_the_user_may_see(cast: Cast) -> None:
    vendor_a, vendor_b = vendor_of(cast.rel_a), vendor_of(cast.rel_b)
    shared = OrganizationFactory(display_name="Shared DC")
    for vendor, owner in ((vendor_a, cast.owner), (vendor_b, cast.outsider)):
        services.subcontractor_add(actor=owner, supplier=vendor, organization=shared, service="DC")
    assert [
        r.label for r in selectors.concentration(user=cast.admin, today=TODAY).fourth_parties
    ] == ["Shared DC"]
    assert [
        r.label for r in selectors.concentration(user=security_person(), today=TODAY).fourth_parties
    ] == ["Shared DC"]
    # The owner of A sees only A's link: nothing shared as far as they may know.
    assert selectors.concentration(user=cast.owner, today=TODAY).fourth_parties == []
    assert selectors.concentration(user=cast.portal_a, today=TODAY).empty
