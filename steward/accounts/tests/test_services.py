"""Account services: profiles, buying units, the installed base and the whitespace."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.accounts import selectors, services
from steward.accounts.choices import Holder
from steward.accounts.models import AccountProfile, WhitespaceCell
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.errors import DomainError, StaleVersionError
from steward.parties.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_profile_is_made_on_its_first_edit_and_versioned_after(cast, world) -> None:
    account = world.account_a
    profile = services.account_profile_update(
        actor=cast.owner, relationship=account, segment="enterprise", wallet=D("250000")
    )
    assert (profile.segment, profile.wallet, profile.currency, profile.version) == (
        "enterprise",
        D("250000"),
        "EUR",
        1,
    )
    profile = services.account_profile_update(
        actor=cast.member, relationship=account, expected_version=1, currency="usd"
    )
    assert (profile.currency, profile.version) == ("USD", 2)
    with pytest.raises(StaleVersionError):
        services.account_profile_update(
            actor=cast.owner, relationship=account, expected_version=1, notes="late"
        )
    assert AccountProfile.objects.filter(relationship=account).count() == 1


def test_no_profile_on_a_supply_side_relationship(cast, world) -> None:
    with pytest.raises(DomainError) as refused:
        services.account_profile_update(actor=cast.owner, relationship=cast.rel_a, segment="")
    assert refused.value.code == "not_an_account"


def test_readers_and_peers_change_nothing(cast, world) -> None:
    for user in (cast.reviewer, cast.manager, cast.auditor, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.account_profile_update(actor=user, relationship=world.account_a, notes="x")


def test_profile_rules_name_their_field(cast, world) -> None:
    cases = [
        ({"wallet": D(-1)}, "wallet"),
        ({"expected_margin_percent": D(150)}, "expected_margin_percent"),
        ({"currency": "EURO"}, "currency"),
        ({"customer_since": timezone.localdate() + dt.timedelta(days=3)}, "customer_since"),
    ]
    for fields, field in cases:
        with pytest.raises(DomainError) as refused:
            services.account_profile_update(
                actor=cast.owner, relationship=world.account_a, **fields
            )
        assert refused.value.field == field


def test_a_buying_unit_sits_at_a_location_of_the_group(cast, world) -> None:
    unit = services.buying_unit_create(
        actor=cast.owner, relationship=world.account_a, name="Maintenance", site=cast.site_a_private
    )
    assert unit.site == cast.site_a_private
    with pytest.raises(DomainError) as refused:
        services.buying_unit_create(
            actor=cast.owner, relationship=world.account_a, name="Elsewhere", site=cast.site_b
        )
    assert refused.value.code == "not_a_location"
    with pytest.raises(DomainError) as twice:
        services.buying_unit_create(
            actor=cast.owner, relationship=world.account_a, name="maintenance"
        )
    assert twice.value.code == "duplicate"
    # A subsidiary's site is a location of the group.
    subsidiary_site = SiteFactory(organization__parent=cast.org_a, name="Aurora Nordic")
    services.buying_unit_create(
        actor=cast.owner, relationship=world.account_a, name="Nordic", site=subsidiary_site
    )


def test_installed_totals_are_converted_into_the_accounts_currency(cast, world, usd_rate) -> None:
    account = world.account_a
    euro = ProductFactory(currency="EUR", standard_cost=D("60"))
    dollar = ProductFactory(currency="USD")
    # 1,000 EUR revenue, cost defaults to 2 x 60 = 120
    services.installed_product_add(
        actor=cast.owner, relationship=account, product=euro, annual_revenue=D(1000), quantity=D(2)
    )
    # 2,000 USD revenue, 500 USD cost = 1,800 and 450 EUR at 0.90
    services.installed_product_add(
        actor=cast.owner,
        relationship=account,
        product=dollar,
        annual_revenue=D(2000),
        annual_cost=D(500),
    )
    # ended last year: left out of today's totals
    ended = services.installed_product_add(
        actor=cast.owner,
        relationship=account,
        product=euro,
        annual_revenue=D(99999),
        since=dt.date(2020, 1, 1),
        until=dt.date(2021, 1, 1),
    )
    totals = selectors.installed_totals(relationship=account)
    assert (totals.revenue, totals.cost, totals.margin) == (D("2800.00"), D("570.00"), D("2230.00"))
    assert totals.margin_percent == D("79.64")  # 2,230 / 2,800
    with pytest.raises(DomainError) as twice:
        services.installed_product_end(actor=cast.owner, installed=ended, until=dt.date(2022, 1, 1))
    assert twice.value.code == "ended"


def test_installed_until_before_since_is_refused(cast, world) -> None:
    with pytest.raises(DomainError) as refused:
        services.installed_product_add(
            actor=cast.owner,
            relationship=world.account_a,
            product=ProductFactory(),
            annual_revenue=D(1),
            since=dt.date(2025, 5, 1),
            until=dt.date(2025, 4, 1),
        )
    assert refused.value.field == "until"


def test_fill_creates_every_missing_cell_once(cast, world) -> None:
    account = world.account_a
    ProductFamilyFactory(code="PKG")
    ProductFamilyFactory(code="SVC")
    services.buying_unit_create(
        actor=cast.owner, relationship=account, name="Rolling", site=cast.site_a_private
    )
    services.buying_unit_create(
        actor=cast.owner, relationship=account, name="Casting", site=cast.site_a_private
    )
    # Rows: HQ; the smelter's two buying units (in place of the smelter itself) — 3 rows x 2
    created = services.whitespace_fill(actor=cast.owner, relationship=account)
    assert created == 6
    assert services.whitespace_fill(actor=cast.owner, relationship=account) == 0
    cells = WhitespaceCell.objects.filter(relationship=account)
    assert {c.holder for c in cells} == {Holder.UNKNOWN}
    assert cells.filter(site=cast.site_a_private, buying_unit__isnull=True).count() == 0
    with pytest.raises(PermissionDenied):
        services.whitespace_fill(actor=cast.reviewer, relationship=account)


def test_a_competitor_cell_names_the_competitor(cast, world) -> None:
    ProductFamilyFactory()
    services.whitespace_fill(actor=cast.owner, relationship=world.account_a)
    cell = WhitespaceCell.objects.filter(relationship=world.account_a).first()
    with pytest.raises(DomainError) as refused:
        services.whitespace_cell_update(actor=cast.owner, cell=cell, holder=Holder.COMPETITOR)
    assert refused.value.field == "competitor"
    cell = services.whitespace_cell_update(
        actor=cast.member, cell=cell, holder=Holder.COMPETITOR, competitor=" Acme ", potential=D(5)
    )
    assert (cell.competitor, cell.version) == ("Acme", 2)
    # Marked ours (as the pipeline does when an opportunity is won): the competitor goes.
    cell = services.whitespace_cell_update(actor=cast.owner, cell=cell, holder=Holder.US)
    assert (cell.holder, cell.competitor) == (Holder.US, "")


def test_penetration_moves_as_cells_are_marked(cast, world, usd_rate) -> None:
    account = world.account_a
    pkg = ProductFamilyFactory(code="PKG")
    svc = ProductFamilyFactory(code="SVC")
    services.whitespace_fill(actor=cast.owner, relationship=account)
    cell = {
        (c.site_id, c.family_id): c for c in WhitespaceCell.objects.filter(relationship=account)
    }
    hq, smelter = cast.site_a_shared.pk, cast.site_a_private.pk
    update = services.whitespace_cell_update
    update(actor=cast.owner, cell=cell[hq, pkg.pk], holder="us", current_spend=D(10000))
    update(
        actor=cast.owner,
        cell=cell[hq, svc.pk],
        holder="competitor",
        competitor="Acme",
        current_spend=D(30000),
        potential=D(20000),
    )
    update(actor=cast.owner, cell=cell[smelter, pkg.pk], currency="USD", potential=D(5000))
    update(actor=cast.owner, cell=cell[smelter, svc.pk], holder="not_a_fit", current_spend=D(9))
    figures = selectors.penetration(relationship=account)
    # 1 of 3 eligible; 10,000 / 40,000; 20,000 + 5,000 USD x 0.90
    assert (figures.held, figures.eligible, figures.percent) == (1, 3, D("33.33"))
    assert figures.share_of_wallet == D("25.00")
    assert figures.open_potential == D("24500.00")
    update(actor=cast.owner, cell=cell[hq, svc.pk], holder="us")
    assert selectors.penetration(relationship=account).percent == D("66.67")
    # In another currency: the amounts convert, the shares do not move.
    in_usd = selectors.penetration(relationship=account, currency="USD")
    assert in_usd.open_potential == D("5000.00")
    assert in_usd.percent == D("66.67")


def test_a_missing_rate_is_said_not_guessed(cast, world) -> None:
    ProductFamilyFactory()
    services.whitespace_fill(actor=cast.owner, relationship=world.account_a)
    cell = WhitespaceCell.objects.filter(relationship=world.account_a).first()
    services.whitespace_cell_update(actor=cast.owner, cell=cell, currency="JPY", potential=D(1))
    with pytest.raises(DomainError) as refused:
        selectors.penetration(relationship=world.account_a)
    assert refused.value.code == "no_rate"
