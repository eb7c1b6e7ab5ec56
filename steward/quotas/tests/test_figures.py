"""Attainment from closed business, team roll-ups, profitability and retention read from the
database: hand-computed examples with two currencies, split credits and partial periods, and the
number of queries (fixed, whatever the number of people or accounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.accounts.models import AccountProfile
from steward.accounts.tests.world import DemandWorld
from steward.parties.choices import Side
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.tests.factories import UserFactory
from steward.pipeline.choices import Stage
from steward.pipeline.models import OpportunityCredit
from steward.quotas import figures
from steward.quotas.tests.factories import (
    QuotaFactory,
    RevenueFactory,
    ServiceCostFactory,
    rate,
    won,
)

pytestmark = pytest.mark.django_db
D = Decimal
FEB_14 = dt.date(2026, 2, 14)


@pytest.fixture
def deals(cast: Cast, world: DemandWorld) -> None:
    """USD is worth 0.90 EUR from 10 January and 0.80 from 1 February.

    - A: 10,000 USD (cost 6,000) won by owner on 20 January -> 9,000 EUR, profit 3,600 EUR;
    - B: 5,000 EUR (cost 2,000) won by owner on 5 February;
    - C: 10,000 USD (cost 4,000) won on 10 February, credited 50 % owner, 50 % member ->
      each 5,000 USD = 4,000 EUR, profit 3,000 USD = 2,400 EUR;
    - D: 2,000 EUR won on 1 March, credited 100 % to member;
    - not counted: a lost deal, a deal won last year, an archived credit's share.
    """
    rate("USD", dt.date(2026, 1, 10), "0.90")
    rate("USD", dt.date(2026, 2, 1), "0.80")
    a = world.account_a
    won(
        relationship=a,
        owner=cast.owner,
        amount="10000",
        cost="6000",
        currency="USD",
        closed_on=dt.date(2026, 1, 20),
    )
    won(relationship=a, owner=cast.owner, amount="5000", cost="2000", closed_on=dt.date(2026, 2, 5))
    won(
        relationship=a,
        owner=cast.owner,
        amount="10000",
        cost="4000",
        currency="USD",
        closed_on=dt.date(2026, 2, 10),
        credits=[(cast.owner, "50"), (cast.member, "50")],
    )
    won(
        relationship=a,
        owner=cast.owner,
        amount="2000",
        closed_on=dt.date(2026, 3, 1),
        credits=[(cast.member, "100")],
    )
    won(
        relationship=a,
        owner=cast.owner,
        amount="99999",
        closed_on=dt.date(2026, 2, 2),
        stage=Stage.LOST,
    )
    won(relationship=a, owner=cast.owner, amount="99999", closed_on=dt.date(2025, 12, 31))
    stale = won(
        relationship=a,
        owner=cast.owner,
        amount="50000",
        closed_on=dt.date(2026, 2, 3),
        credits=[(cast.owner, "100")],
    )
    # The only credit row is archived: the deal counts as uncredited, so its owner gets it all.
    OpportunityCredit.objects.filter(opportunity=stale).update(
        archived_at=dt.datetime(2026, 2, 4, tzinfo=dt.UTC)
    )


def test_attainment_in_two_currencies_with_a_split_credit(cast: Cast, deals: None) -> None:
    # Given owner's Q1 quota in EUR: 90,000 sales, 30,000 gross profit
    quota: Any = QuotaFactory(person=cast.owner)
    # When measured on 14 February (45 of 90 days)
    [found] = figures.quota_figures([quota], FEB_14)
    # Then bookings are 9,000 (A) + 5,000 (B) + 4,000 (C, half) + 50,000 (uncredited) = 68,000
    assert found.bookings.achieved == D(68000)
    # and gross profit 3,600 + 3,000 + 2,400 + 50,000 = 59,000
    assert found.gross_profit.achieved == D(59000)
    assert found.bookings.prorated == D(45000)
    assert found.bookings.on_pace
    assert found.elapsed_days == 45


def test_a_quota_in_another_currency_starting_mid_quarter(
    cast: Cast, deals: None, django_assert_num_queries: Any
) -> None:
    # Given member's quota in USD from 15 February to 31 March (45 days), 45,000 USD
    quota: Any = QuotaFactory(
        person=cast.member,
        starts_on=dt.date(2026, 2, 15),
        ends_on=dt.date(2026, 3, 31),
        currency="USD",
        sales_target=D(45000),
        margin_target=D(9000),
    )
    # When measured on 1 March: C (10 February) is before the start; D is 2,000 EUR at 0.80
    [found] = figures.quota_figures([quota], dt.date(2026, 3, 1))
    # Then member booked 2,000 / 0.80 = 2,500 USD against 45,000 x 15 / 45 = 15,000 prorated
    assert found.bookings.achieved == D(2500)
    assert found.bookings.prorated == D(15000)
    assert not found.bookings.on_pace
    # and the pace chart reads the same 2,500 USD on 1 March, though every deal was in EUR,
    # from the figures already read
    with django_assert_num_queries(0):
        points = figures.cumulative_bookings(found)
    assert points[-1][:2] == (dt.date(2026, 3, 1), D(2500))


def test_the_team_roll_up_in_the_base_currency(cast: Cast, deals: None) -> None:
    QuotaFactory(person=cast.owner)
    QuotaFactory(person=cast.member, currency="USD", sales_target=D(9000), margin_target=D(900))
    roll_up = figures.team_roll_up([cast.owner, cast.member, cast.outsider], FEB_14)
    rows = {row.person.pk: row for row in roll_up.rows}
    assert roll_up.currency == "EUR"
    assert rows[cast.owner.pk].bookings == D(68000)
    # member: half of C = 4,000 EUR; 9,000 USD target at 14 February's 0.80 = 7,200 EUR
    assert rows[cast.member.pk].bookings == D(4000)
    assert rows[cast.member.pk].sales_target == D(7200)
    assert rows[cast.outsider.pk].figures is None
    assert roll_up.total.bookings == D(72000)
    assert roll_up.total.sales_target == D(97200)


def test_attainment_reads_a_fixed_number_of_queries(cast: Cast, deals: None) -> None:
    people = [UserFactory() for _ in range(6)]
    for person in people:
        QuotaFactory(person=person)
    with CaptureQueriesContext(connection) as few:
        figures.team_roll_up(people[:2], FEB_14)
    with CaptureQueriesContext(connection) as many:
        figures.team_roll_up(people, FEB_14)
    # the quotas, the credited and the uncredited deals (and the rates, when not all in EUR)
    assert len(few) == len(many) <= 4


def test_a_missing_rate_is_refused_by_name(cast: Cast, world: DemandWorld) -> None:
    from steward.core.errors import DomainError

    won(
        relationship=world.account_a,
        owner=cast.owner,
        amount="10",
        currency="JPY",
        closed_on=dt.date(2026, 2, 1),
    )
    with pytest.raises(DomainError, match="JPY"):
        figures.quota_figures([QuotaFactory.create(person=cast.owner)], FEB_14)


def test_profitability_in_the_account_currency(world: DemandWorld) -> None:
    # Given an account reporting in USD, expected to make 35 %; USD at 0.80 EUR since December
    account = world.account_a
    AccountProfile.objects.create(
        relationship=account, currency="USD", expected_margin_percent=D(35)
    )
    rate("USD", dt.date(2025, 12, 1), "0.80")
    RevenueFactory(relationship=account, month=dt.date(2026, 1, 1), revenue=D(1000), cost=D(600))
    RevenueFactory(
        relationship=account, month=dt.date(2026, 2, 1), currency="USD", revenue=D(500), cost=D(200)
    )
    ServiceCostFactory(relationship=account, month=dt.date(2026, 1, 1), amount=D(90))
    RevenueFactory(relationship=account, month=dt.date(2025, 6, 1), revenue=D(7777))  # outside
    # When read for January to March 2026
    found = figures.account_figures([account.pk], dt.date(2026, 1, 1), dt.date(2026, 3, 1))[
        account.pk
    ]
    p = found.profitability
    # Then revenue is 1,000 / 0.8 + 500 = 1,750 USD, cost of goods 750 + 200 = 950,
    # cost to serve 90 / 0.8 = 112.50: gross 800 (45.71 %), net 687.50 (39.29 %)
    assert found.currency == "USD"
    assert (p.revenue, p.cost_of_goods, p.cost_to_serve) == (D(1750), D(950), D("112.5"))
    assert p.net_margin == D("687.5")
    assert p.meets_expectation is True
    assert [m.month for m in found.months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def test_retention_with_churn_expansion_and_a_conversion(cast: Cast, world: DemandWorld) -> None:
    # USD is worth 0.80 EUR from October 2025 and 1.00 from January 2026
    rate("USD", dt.date(2025, 10, 1), "0.80")
    rate("USD", dt.date(2026, 1, 1), "1.00")
    x, y = world.account_a, world.account_b
    z = RelationshipFactory(organization=OrganizationFactory(), side=Side.DEMAND, owner=cast.owner)
    w = RelationshipFactory(organization=OrganizationFactory(), side=Side.DEMAND, owner=cast.owner)
    for month in (dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)):
        RevenueFactory(relationship=x, month=month, revenue=D(1000))  # base 3,000
    RevenueFactory(relationship=x, month=dt.date(2026, 2, 1), revenue=D(2400))  # contracts
    RevenueFactory(
        relationship=y, month=dt.date(2025, 10, 1), currency="USD", revenue=D(2500)
    )  # 2,000 EUR
    RevenueFactory(
        relationship=y, month=dt.date(2026, 1, 1), currency="USD", revenue=D(3000)
    )  # expands
    RevenueFactory(relationship=z, month=dt.date(2025, 12, 1), revenue=D(1000))  # churns
    RevenueFactory(relationship=w, month=dt.date(2026, 3, 1), revenue=D(5000))  # new: not counted
    periods = figures.retention_periods(dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert (periods.base_first, periods.base_last) == (dt.date(2025, 10, 1), dt.date(2025, 12, 1))
    kept = figures.retention_of([x.pk, y.pk, z.pk, w.pk], periods)
    # NRR = (2,400 + 3,000 + 0) / 6,000 = 90 %; GRR = (2,400 + 2,000 + 0) / 6,000 = 73.33 %
    assert kept.nrr == D(90)
    assert kept.grr is not None
    assert round(kept.grr, 2) == D("73.33")
    assert kept.churned == 1
    by_owner, together = figures.retention_by_owner(
        [(x.pk, cast.owner.pk), (y.pk, cast.outsider.pk), (z.pk, cast.owner.pk)], periods
    )
    # owner: X and Z: base 4,000, current 2,400 -> NRR 60 %; outsider: Y expands to 150 %
    assert by_owner[cast.owner.pk].nrr == D(60)
    assert by_owner[cast.outsider.pk].nrr == D(150)
    assert by_owner[cast.outsider.pk].grr == D(100)
    # and the three together: base 6,000, current 2,400 + 3,000 = 5,400 -> NRR 90 %
    assert (together.base, together.current, together.nrr) == (D(6000), D(5400), D(90))


def test_last_full_months() -> None:
    assert figures.last_full_months(dt.date(2026, 2, 14)) == (
        dt.date(2025, 2, 1),
        dt.date(2026, 1, 1),
    )
