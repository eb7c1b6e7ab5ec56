"""Proposing an award (single and split), the low-bid justification, and the four-eyes decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.awards import services
from steward.awards.choices import AwardStatus
from steward.awards.models import Award, AwardLine
from steward.awards.tests.factories import World, bid, build_world, fresh, three_bids
from steward.core.errors import DomainError, TransitionError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import AwardRule, EventStatus, LogAction
from steward.sourcing.models import EventLogEntry
from steward.sourcing.tests.factories import InvitationFactory, OpenEventFactory, procurement_user

pytestmark = pytest.mark.django_db
D = Decimal


def propose_single(world: World, invitation: object = None, **kw: str) -> list[Award]:
    return services.award_propose(
        actor=world.cast.owner,
        event=world.event,
        allocations=invitation or world.inv_a,
        rationale=kw.pop("rationale", "Lowest cost of ownership on every line."),
        **kw,
    )


def nothing_written(world: World) -> bool:
    event = fresh(world.event)
    return (
        not Award.objects.filter(event=world.event).exists()
        and event.status == EventStatus.CLOSED
        and not EventLogEntry.objects.filter(
            event=world.event, action=LogAction.AWARD_PROPOSED
        ).exists()
    )


# --- single awards -------------------------------------------------------------------------------


def test_a_single_award_gives_every_line_to_one_vendor_at_its_normalized_prices(
    world: World,
) -> None:
    # when the owner proposes A for the whole event
    (award,) = propose_single(world)
    # then one award waits for approval, with A's last bid, rank 1 and its total
    assert (award.status, award.invitation_id, award.rank) == (
        AwardStatus.PROPOSED,
        world.inv_a.pk,
        1,
    )
    assert award.total == D("4000.00")  # 1000 x 2.00 + 500 x 4.00
    assert not award.visible_to_vendor
    lines = list(AwardLine.objects.filter(award=award).order_by("line__number"))
    assert [(a.line.number, a.unit_price, a.baseline_unit_price) for a in lines] == [
        (1, D("2.0000"), D("2.5000")),
        (2, D("4.0000"), D("4.5000")),
    ]
    # and the event waits for approval, with the rationale and the proposer recorded and logged
    event = fresh(world.event)
    assert event.status == EventStatus.AWARD_PROPOSED
    assert event.award_proposed_by == world.cast.owner
    assert event.award_rationale == "Lowest cost of ownership on every line."
    assert EventLogEntry.objects.filter(event=event, action=LogAction.AWARD_PROPOSED).count() == 1
    # and the owner's manager is asked to approve it
    assert Notification.objects.filter(recipient=world.cast.manager, kind="awards.to_approve")


def test_a_single_award_to_a_vendor_that_left_a_line_out_is_refused(cast: Cast) -> None:
    world = build_world(cast)
    bid(world.inv_a, {world.line(1): D(2)})  # line 2 not offered
    with pytest.raises(DomainError) as refused:
        propose_single(world)
    assert (refused.value.field, refused.value.code) == ("allocations", "no_bid")
    assert "Line 2" in refused.value.message
    assert nothing_written(world)


def test_a_single_award_event_refuses_a_split(world: World) -> None:
    allocations = {world.line(1): world.inv_a, world.line(2): world.inv_b}
    with pytest.raises(DomainError) as refused:
        services.award_propose(
            actor=world.cast.owner, event=world.event, allocations=allocations, rationale="Split"
        )
    assert refused.value.code == "single_award"
    assert nothing_written(world)


def test_a_rationale_is_required(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        propose_single(world, rationale="   ")
    assert refused.value.field == "rationale"
    assert nothing_written(world)


def test_an_event_still_open_cannot_be_awarded(cast: Cast) -> None:
    event = OpenEventFactory(owner=cast.owner)
    invitation = InvitationFactory(event=event)
    with pytest.raises(DomainError) as refused:
        services.award_propose(
            actor=cast.owner, event=event, allocations=invitation, rationale="Too early"
        )
    assert refused.value.code in ("sealed", "invalid_transition")
    assert not Award.objects.filter(event=event).exists()


def test_an_event_past_its_closing_time_is_closed_first_then_awarded(cast: Cast) -> None:
    # given an event past its closing time that the closing job has not reached yet
    world = three_bids(build_world(cast, status=EventStatus.OPEN))
    propose_single(world)
    assert fresh(world.event).status == EventStatus.AWARD_PROPOSED
    actions = list(EventLogEntry.objects.filter(event=world.event).values_list("action", flat=True))
    assert actions == [LogAction.CLOSED, LogAction.AWARD_PROPOSED]


def test_only_who_may_change_the_event_proposes(world: World) -> None:
    for user in (world.cast.reviewer, world.cast.auditor, world.cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.award_propose(
                actor=user, event=world.event, allocations=world.inv_a, rationale="Mine"
            )
    assert nothing_written(world)


# --- split awards --------------------------------------------------------------------------------


def test_a_split_award_gives_each_line_to_its_vendor(cast: Cast) -> None:
    world = three_bids(build_world(cast, rule=AwardRule.SPLIT))
    awards = services.award_propose(
        actor=cast.owner,
        event=world.event,
        allocations={world.line(1): world.inv_b, world.line(2): world.inv_a},
        rationale="B holds stock of line 1.",
    )
    by_vendor = {a.invitation_id: a for a in awards}
    assert set(by_vendor) == {world.inv_a.pk, world.inv_b.pk}
    assert list(by_vendor[world.inv_b.pk].lines.values_list("line__number", flat=True)) == [1]
    assert by_vendor[world.inv_b.pk].total == D("2200.00")
    assert by_vendor[world.inv_b.pk].rank == 2  # B is second on line 1
    assert by_vendor[world.inv_a.pk].rank == 1


def test_a_split_award_allocates_every_line_once_to_a_bidder_of_it(cast: Cast) -> None:
    world = build_world(cast, rule=AwardRule.SPLIT)
    bid(world.inv_a, {world.line(1): D(2), world.line(2): D(4)})
    bid(world.inv_b, {world.line(1): D("2.1")})
    other_event = InvitationFactory()
    cases = [
        ({world.line(1): world.inv_a}, "unallocated", "line 2"),
        ({world.line(1): world.inv_a, world.line(2): world.inv_b}, "no_bid", "Line 2"),
        ({world.line(1): other_event, world.line(2): world.inv_a}, "not_invited", "Line 1"),
        ({999999: world.inv_a, world.line(2): world.inv_a}, "invalid", "999999"),
    ]
    for allocations, code, named in cases:
        with pytest.raises(DomainError) as refused:
            services.award_propose(
                actor=cast.owner, event=world.event, allocations=allocations, rationale="Split"
            )
        assert refused.value.code == code
        assert refused.value.field == "allocations"
        assert named in refused.value.message
        assert nothing_written(world)


# --- abnormally low bids -------------------------------------------------------------------------


def test_awarding_an_abnormally_low_bid_needs_a_justification(cast: Cast) -> None:
    world = build_world(cast, lines=1)
    bid(world.inv_a, {world.line(1): D("1.20")})
    bid(world.inv_b, {world.line(1): D("2.00")})
    bid(world.inv_c, {world.line(1): D("2.00")})
    with pytest.raises(DomainError) as refused:
        propose_single(world)
    assert (refused.value.field, refused.value.code) == (
        "low_bid_justification",
        "justification_required",
    )
    assert "line 1" in refused.value.message
    assert nothing_written(world)
    (award,) = propose_single(world, low_bid_justification="A's own smelter; prices checked.")
    assert award.low_bid_justification == "A's own smelter; prices checked."


def test_awarding_a_sound_bid_keeps_no_justification(world: World) -> None:
    (award,) = propose_single(world, low_bid_justification="Not needed")
    assert award.low_bid_justification == ""


# --- four eyes -----------------------------------------------------------------------------------


def test_the_proposer_never_approves_and_a_manager_of_the_owner_does(world: World) -> None:
    cast = world.cast
    propose_single(world)
    # the proposer, a reviewer on the vendor, an auditor and a portal user may not approve
    for user in (cast.owner, cast.reviewer, cast.auditor, cast.outsider, cast.portal_a):
        with pytest.raises((PermissionDenied, DomainError)):
            services.award_approve(actor=user, event=world.event)
    assert fresh(world.event).status == EventStatus.AWARD_PROPOSED
    # the owner's manager approves: the award goes to A for confirmation within 5 days
    before = timezone.now()
    (award,) = services.award_approve(actor=cast.manager, event=world.event)
    award = fresh(award)
    assert award.status == AwardStatus.AWAITING_CONFIRMATION
    assert award.visible_to_vendor
    assert award.confirm_by is not None
    assert before + dt.timedelta(days=5) <= award.confirm_by
    assert award.confirm_by <= timezone.now() + dt.timedelta(days=5)
    event = fresh(world.event)
    assert (event.status, event.award_approved_by) == (EventStatus.AWARDED, cast.manager)
    # and A's portal user is told, B's is not
    assert Notification.objects.filter(recipient=cast.portal_a, kind="awards.awarded").count() == 1
    assert not Notification.objects.filter(recipient=cast.portal_b)


def test_an_administrator_who_proposed_may_not_approve_but_a_procurement_buyer_may(
    world: World,
) -> None:
    cast = world.cast
    services.award_propose(
        actor=cast.admin, event=world.event, allocations=world.inv_a, rationale="Cheapest"
    )
    with pytest.raises(PermissionDenied):
        services.award_approve(actor=cast.admin, event=world.event)
    buyer = procurement_user("approver")
    services.award_approve(actor=buyer, event=world.event)
    assert fresh(world.event).status == EventStatus.AWARDED


def test_approving_twice_is_refused(world: World) -> None:
    propose_single(world)
    services.award_approve(actor=world.cast.manager, event=world.event)
    with pytest.raises(TransitionError):
        services.award_approve(actor=world.cast.admin, event=world.event)


def test_a_proposal_sent_back_withdraws_its_awards_and_closes_the_event_again(
    world: World,
) -> None:
    (award,) = propose_single(world)
    with pytest.raises(DomainError) as refused:
        services.award_send_back(actor=world.cast.manager, event=world.event, reason="")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.award_send_back(actor=world.cast.owner, event=world.event, reason="Mine")
    services.award_send_back(
        actor=world.cast.manager, event=world.event, reason="Check B's lead times first."
    )
    assert fresh(award).status == AwardStatus.WITHDRAWN
    event = fresh(world.event)
    assert event.status == EventStatus.CLOSED
    assert event.award_proposed_by is None
    log = EventLogEntry.objects.get(event=event, action=LogAction.AWARD_REJECTED)
    assert "Check B's lead times first." in log.summary
    # and the event may be proposed again
    (again,) = propose_single(world, world.inv_b)
    assert again.invitation_id == world.inv_b.pk
