"""Reads: the list scoped by the policy, the forecast in one currency in a fixed number of
queries, the stage summary and calibration from the stage history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.parties.tests.cast import Cast
from steward.pipeline import selectors, services
from steward.pipeline.calibration import calibration_table, probability_for
from steward.pipeline.models import Opportunity, StageChange
from steward.pipeline.tests.factories import opportunity, rate, with_line

pytestmark = pytest.mark.django_db
D = Decimal


def _won(
    cast: Cast, world: DemandWorld, *, closed_on: dt.date, price: str = "1000", **kwargs: Any
) -> Opportunity:
    opp = opportunity(actor=cast.owner, relationship=world.account_a, **kwargs)
    opp = with_line(opp, actor=cast.owner, quantity="1", unit_price=price)
    return services.opportunity_win(actor=cast.owner, opportunity=opp, closed_on=closed_on)


def _open(cast: Cast, world: DemandWorld, stage: str, price: str, **kwargs: Any) -> Opportunity:
    opp = opportunity(actor=cast.owner, relationship=world.account_a, **kwargs)
    opp = with_line(opp, actor=cast.owner, quantity="1", unit_price=price)
    return services.opportunity_move(actor=cast.owner, opportunity=opp, stage=stage)


@pytest.fixture
def book(cast: Cast, world: DemandWorld) -> dict[str, Any]:
    """A period of 21 days, half past: two wins, two open, one lost, one outside the period."""
    today = timezone.localdate()
    rate("USD", today - dt.timedelta(days=30), "0.8")  # 1 USD = 0.80 EUR until yesterday
    rate("USD", today - dt.timedelta(days=1), "0.9")  # then 0.90 EUR
    soon = today + dt.timedelta(days=5)
    _won(cast, world, closed_on=today - dt.timedelta(days=2))  # 1000 EUR
    _won(cast, world, closed_on=today - dt.timedelta(days=5), currency="USD", price="2000")
    _open(cast, world, "negotiation", "500", close_date=soon)  # commit at 80 %
    _open(cast, world, "proposal", "1000", close_date=soon, currency="USD")  # best case 60 %
    lost = opportunity(actor=cast.owner, relationship=world.account_a, close_date=soon)
    services.opportunity_lose(actor=cast.owner, opportunity=lost, reason="Price")
    _open(cast, world, "negotiation", "7000", close_date=today + dt.timedelta(days=60))
    return {"start": today - dt.timedelta(days=10), "end": today + dt.timedelta(days=10)}


def test_forecast_hand_computed(cast: Cast, book: dict[str, Any]) -> None:
    result = selectors.forecast(user=cast.owner, owner_ids=[cast.owner.pk], **book)
    totals = result.totals
    assert result.currency == "EUR"
    assert totals.closed == D("2600.00")  # 1000 + 2000 USD x 0.80 (its close date's rate)
    assert totals.commit == D("3100.00")  # + 500
    assert totals.best_case == D("4000.00")  # + 1000 USD x 0.90 (today's rate)
    assert totals.pipeline == D("4000.00")
    assert totals.weighted == D("3540.00")  # 2600 + 500 x 0.8 + 900 x 0.6


def test_forecast_in_another_currency(cast: Cast, book: dict[str, Any]) -> None:
    result = selectors.forecast(
        user=cast.owner, owner_ids=None, currency="USD", as_of=timezone.localdate(), **book
    )
    # 1000 EUR / 0.8 (two days ago) = 1250 USD; plus 2000 USD
    assert result.totals.closed == D("3250.00")


def test_forecast_follows_the_policy(cast: Cast, book: dict[str, Any]) -> None:
    # a peer sees nothing of owner's; the manager reads the team's
    peer = selectors.forecast(user=cast.outsider, owner_ids=None, **book)
    assert peer.totals.pipeline == D("0.00")
    team = selectors.forecast(
        user=cast.manager, owner_ids=selectors.team_owner_ids(cast.manager), **book
    )
    assert team.totals.pipeline == D("4000.00")


def test_forecast_queries_do_not_grow(
    cast: Cast, world: DemandWorld, book: dict[str, Any], django_assert_num_queries: Any
) -> None:
    selectors.forecast(user=cast.owner, owner_ids=None, **book)  # the user's roles, once
    with django_assert_num_queries(3):  # won sums, open sums, the rates
        selectors.forecast(user=cast.owner, owner_ids=None, **book)
    for _ in range(3):
        _open(cast, world, "proposal", "10", close_date=timezone.localdate(), currency="USD")
    with django_assert_num_queries(3):
        selectors.forecast(user=cast.owner, owner_ids=None, **book)


def test_stage_summary(cast: Cast, book: dict[str, Any], django_assert_num_queries: Any) -> None:
    visible = selectors.opportunities_visible(user=cast.owner)
    list(visible[:1])
    with django_assert_num_queries(2):
        rows = {row.stage: row for row in selectors.stage_summary(visible)}
    assert (rows["negotiation"].count, rows["negotiation"].amount) == (2, D("7500.00"))
    assert rows["negotiation"].weighted == D("6000.00")
    assert rows["proposal"].amount == D("900.00")
    assert rows["prospecting"].count == 0


def test_list_filters_and_scope(cast: Cast, world: DemandWorld) -> None:
    mine = opportunity(actor=cast.owner, relationship=world.account_a, name="Alpha")
    theirs = opportunity(actor=cast.member, relationship=world.account_a, name="Beta")
    peer = opportunity(actor=cast.outsider, relationship=world.account_b, name="Gamma")

    def names(user: Any, **filters: str) -> list[str]:
        query = QueryDict(mutable=True)
        query.update(filters)
        return sorted(o.name for o in selectors.opportunity_list(user=user, filters=query))

    assert names(cast.owner) == ["Alpha", "Beta"]  # the account's team sees both
    assert names(cast.owner, scope="mine") == ["Alpha"]
    assert names(cast.manager, scope="team") == ["Alpha"]
    assert names(cast.manager) == ["Alpha", "Beta"]
    assert names(cast.outsider) == ["Gamma"]
    assert names(cast.portal_a) == []
    assert names(cast.owner, q="bet") == ["Beta"]
    assert names(cast.owner, stage="won") == []
    assert names(cast.owner, owner=str(cast.member.pk)) == ["Beta"]
    assert {mine.pk, theirs.pk, peer.pk} == set(Opportunity.objects.values_list("pk", flat=True))


def test_open_pipeline_for(cast: Cast, world: DemandWorld) -> None:
    later = opportunity(
        actor=cast.owner,
        relationship=world.account_a,
        name="Later",
        close_date=timezone.localdate() + dt.timedelta(days=40),
    )
    sooner = opportunity(actor=cast.owner, relationship=world.account_a, name="Sooner")
    lost = opportunity(actor=cast.owner, relationship=world.account_a, name="Lost")
    services.opportunity_lose(actor=cast.owner, opportunity=lost, reason="No budget")
    assert list(selectors.open_pipeline_for(world.account_a)) == [sooner, later]


def test_calibration_from_the_stage_history(cast: Cast, world: DemandWorld) -> None:
    # 20 closed opportunities reached proposal: 15 won, 5 lost -> 75 %
    for index in range(20):
        opp = _open(cast, world, "proposal", "100", name=f"Deal {index}")
        if index < 15:
            services.opportunity_win(actor=cast.owner, opportunity=opp)
        else:
            services.opportunity_lose(actor=cast.owner, opportunity=opp, reason="Lost")
    rows = {row.stage: row for row in calibration_table()}
    assert (rows["proposal"].won, rows["proposal"].sample) == (15, 20)
    assert rows["proposal"].probability == 75
    # only 20 reached prospecting too (all created there): 15/20 = 75, used as well
    assert rows["prospecting"].probability == 75
    # nobody reached negotiation: the default
    assert rows["negotiation"].probability == 80
    assert probability_for("proposal") == 75
    # one more opportunity moved into proposal now takes 75 %
    moved = _open(cast, world, "proposal", "100")
    assert moved.probability == 75
    assert StageChange.objects.filter(opportunity=moved).last().probability == 75
