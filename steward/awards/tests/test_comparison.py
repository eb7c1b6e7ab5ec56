"""The comparison matrix: sealed before the closing time, normalized after it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.awards import selectors
from steward.awards.evaluation import LowRule
from steward.awards.models import CriterionScore
from steward.awards.tests.factories import World, bid, build_world
from steward.bidding.models import Bid
from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import EventStatus, InvitationStatus
from steward.sourcing.tests.factories import CriterionFactory
from steward.spend.models import ExchangeRate

pytestmark = pytest.mark.django_db
D = Decimal


def test_before_the_closing_time_the_comparison_is_refused_and_the_bids_stay_sealed(
    cast: Cast,
) -> None:
    # given an open event with a bid in, closing in an hour
    world = build_world(
        cast, status=EventStatus.OPEN, closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    bid(world.inv_a, {world.line(1): D("2.00")}, minutes_before_close=90)
    # when its owner (or an administrator) asks for the comparison
    for user in (cast.owner, cast.admin):
        with pytest.raises(DomainError) as refused:
            selectors.comparison(user=user, event=world.event)
        # then it is refused, and the policy shows no bid either
        assert refused.value.code == "sealed"
        assert not Bid.objects.restrict(user, "view").filter(invitation__event=world.event)


def test_the_matrix_ranks_every_offer_per_line_with_savings_against_the_target(
    world: World,
) -> None:
    matrix = selectors.comparison(user=world.cast.owner, event=world.event)
    first, second = matrix.rows
    # line 1: A 2.00, B 2.20, C 2.40 per unit, 1000 units, target 2.50
    assert [c.invitation.pk for c in first.cells] == [
        world.inv_a.pk,
        world.inv_b.pk,
        world.inv_c.pk,
    ]
    assert [c.rank for c in first.cells] == [1, 2, 3]
    best = first.cells[0]
    assert best.cost.unit_price == D("2.00")
    assert best.cost.price == D(2000)
    assert best.cost.tco == D(2000)  # no delivery, life-cycle, quality or scorecard weight
    assert best.saving == D(500)  # (2.50 - 2.00) x 1000
    assert (first.baseline, first.baseline_kind) == (D("2.50"), "target")
    # line 2: 500 units, target 4.50: A 4.00 saves 250
    assert second.cells[0].saving == D(250)
    # totals: A 2000 + 2000 = 4000, ranked first among the vendors that bid every line
    totals = {t.invitation.pk: t for t in matrix.totals}
    assert totals[world.inv_a.pk].price == D(4000)
    assert (totals[world.inv_a.pk].rank, totals[world.inv_b.pk].rank) == (1, 2)
    assert totals[world.inv_a.pk].saving == D(750)


def test_a_foreign_currency_bid_per_hundred_is_converted_at_the_closing_days_rate(
    cast: Cast,
) -> None:
    # given a USD rate (one USD is 0.90 EUR) dated before the closing day, and a later one
    world = build_world(cast, lines=1)
    closing = timezone.localdate(world.event.closes_at)
    ExchangeRate.objects.create(
        currency="USD", rate_date=closing - dt.timedelta(days=3), rate=D("0.90")
    )
    ExchangeRate.objects.create(
        currency="USD", rate_date=closing + dt.timedelta(days=1), rate=D("0.50")
    )
    # and B's bid of 250 USD per 100 units, A's of 2.40 EUR each
    bid(world.inv_b, {world.line(1): {"unit_price": D(250), "price_per": D(100)}}, currency="USD")
    bid(world.inv_a, {world.line(1): D("2.40")})
    # when the owner compares
    matrix = selectors.comparison(user=cast.owner, event=world.event)
    cells = {c.invitation.pk: c for c in matrix.rows[0].cells}
    # then B's unit is 250 / 100 x 0.90 = 2.25 EUR (the closing day's rate), and B ranks first
    assert cells[world.inv_b.pk].cost.unit_price == D("2.25")
    assert cells[world.inv_b.pk].currency == "USD"
    assert cells[world.inv_b.pk].rank == 1
    assert matrix.sheet.rates == {"EUR": D(1), "USD": D("0.90")}


def test_a_missing_rate_is_a_clear_error(cast: Cast) -> None:
    world = build_world(cast, lines=1)
    bid(world.inv_b, {world.line(1): D(3)}, currency="CHF")
    with pytest.raises(DomainError) as refused:
        selectors.comparison(user=cast.owner, event=world.event)
    assert refused.value.code == "no_rate"
    assert "CHF" in refused.value.message


def test_only_the_last_version_before_closing_counts_and_declined_invitees_are_out(
    cast: Cast,
) -> None:
    world = build_world(cast, lines=1)
    line = world.line(1)
    bid(world.inv_a, {line: D("3.00")}, minutes_before_close=50)
    bid(world.inv_a, {line: D("2.10")}, minutes_before_close=10)  # the revision
    bid(world.inv_b, {line: D("1.00")})
    type(world.inv_b).objects.filter(pk=world.inv_b.pk).update(status=InvitationStatus.DECLINED)
    matrix = selectors.comparison(user=cast.owner, event=world.event)
    (cell,) = matrix.rows[0].cells
    assert (cell.invitation.pk, cell.bid_line.unit_price, cell.flags) == (
        world.inv_a.pk,
        D("2.1000"),
        (),
    )
    assert {i.pk for i in matrix.rows[0].without_offer} == set()


def test_abnormally_low_offers_are_flagged_in_the_matrix(cast: Cast) -> None:
    world = build_world(cast, lines=1)
    line = world.line(1)
    bid(world.inv_a, {line: D("1.20")})  # 40 % under the others' mean of 2.00 and 40 % under 2
    bid(world.inv_b, {line: D("2.00")})
    bid(world.inv_c, {line: D("2.00")})
    matrix = selectors.comparison(user=cast.owner, event=world.event)
    flagged = {c.invitation.pk: c.flags for c in matrix.rows[0].cells}
    assert flagged[world.inv_a.pk] == (LowRule.MEAN, LowRule.NEXT)
    assert flagged[world.inv_b.pk] == ()


def test_a_weighted_event_lowers_the_evaluated_price_by_the_scores(cast: Cast) -> None:
    world = build_world(cast, lines=1, weighted=True)
    quality = CriterionFactory(event=world.event, max_value=D("0.1"), name="Quality")
    service = CriterionFactory(event=world.event, max_value=D("0.1"), name="Service")
    bid(world.inv_a, {world.line(1): D("2.00")})
    bid(world.inv_b, {world.line(1): D("1.90")})
    for criterion in (quality, service):
        CriterionScore.objects.create(
            invitation=world.inv_a, criterion=criterion, value=D("0.1"), scored_by=cast.owner
        )
    matrix = selectors.comparison(user=cast.owner, event=world.event)
    cells = {c.invitation.pk: c for c in matrix.rows[0].cells}
    # A: 2000 / (1 + 0.2 / 0.8) = 1600; B unscored: 1900. A ranks first.
    assert cells[world.inv_a.pk].cost.evaluated == D(1600)
    assert cells[world.inv_a.pk].rank == 1
    assert [value for _, value in cells[world.inv_a.pk].features] == [D("0.1"), D("0.1")]


def test_portal_users_never_get_the_comparison(world: World) -> None:
    with pytest.raises(PermissionDenied):
        selectors.comparison(user=world.cast.portal_a, event=world.event)
