"""The winner's answer: confirming drafts the contract and records the saving; declining or
letting the deadline pass makes the award fall to the next-ranked bid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from steward.awards import selectors, services
from steward.awards.choices import AwardStatus
from steward.awards.models import Award
from steward.awards.services import handover
from steward.awards.services import response as response_module
from steward.awards.tests.factories import World, build_world, fresh, three_bids
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract
from steward.core.errors import DomainError, TransitionError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.people.tests.factories import UserFactory
from steward.savings.choices import SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative
from steward.sourcing.choices import AwardRule, EventKind, EventStatus, LogAction
from steward.sourcing.models import EventLogEntry

pytestmark = pytest.mark.django_db
D = Decimal


def awarded(world: World, invitation: Any = None) -> Award:
    """The event proposed to ``invitation`` (A) by its owner and approved by the manager."""
    (award,) = services.award_propose(
        actor=world.cast.owner,
        event=world.event,
        allocations=invitation or world.inv_a,
        rationale="Lowest cost of ownership.",
    )
    services.award_approve(actor=world.cast.manager, event=world.event)
    return fresh(award)


def actions(world: World) -> list[str]:
    return list(
        EventLogEntry.objects.filter(event=world.event)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def portal_c(world: World) -> Any:
    return UserFactory(profile__organization=world.vendor_c.relationship.organization)


# --- confirm -------------------------------------------------------------------------------------


def test_confirming_drafts_an_order_form_and_records_the_saving(world: World) -> None:
    cast = world.cast
    award = awarded(world)
    # when A's portal user confirms
    confirmed = services.award_confirm(actor=cast.portal_a, award=award)
    # then the award is confirmed, with a draft order form on A's relationship
    assert confirmed.status == AwardStatus.CONFIRMED
    assert confirmed.responded_by == cast.portal_a
    contract = Contract.objects.get(pk=confirmed.contract_id)
    assert (contract.relationship_id, contract.kind, contract.status) == (
        cast.rel_a.pk,
        ContractKind.ORDER_FORM,
        ContractStatus.DRAFT,
    )
    assert contract.title == f"{world.event.reference} {world.event.title}"
    assert (contract.currency, contract.total_value) == ("EUR", D("4000.00"))
    assert contract.owner == cast.owner  # the event's owner, who drafted it
    assert "1. " in contract.description
    assert "2. " in contract.description
    # and the saving: baseline 1000 x 2.50 + 500 x 4.50 = 4750; awarded 2000 + 2000 = 4000
    saving = SavingsInitiative.objects.get(pk=confirmed.savings_id)
    assert (saving.kind, saving.status) == (SavingsKind.SOURCING_AWARD, SavingsStatus.IN_PROGRESS)
    assert saving.baseline_annual_spend == D("4750.00")
    assert saving.negotiated_annual_savings == D("750.00")
    assert (saving.supplier_id, saving.category_id, saving.contract_id) == (
        world.vendor_a.pk,
        world.category.pk,
        contract.pk,
    )
    # and everything is in the log, in order
    assert actions(world)[-4:] == [
        LogAction.AWARD_CONFIRMED,
        LogAction.CONTRACT_DRAFTED,
        LogAction.SAVINGS_RECORDED,
        LogAction.BIDDERS_NOTIFIED,
    ]


def test_the_unsuccessful_bidders_are_told_without_the_winner_or_its_price(world: World) -> None:
    cast = world.cast
    other_c = portal_c(world)
    services.award_confirm(actor=cast.portal_a, award=awarded(world))
    for user in (cast.portal_b, other_c):
        (alert,) = Notification.objects.filter(recipient=user, kind="awards.unsuccessful")
        text = f"{alert.title} {alert.body}"
        for secret in ("Aurora", "4000", "2.00"):
            assert secret not in text
    assert not Notification.objects.filter(recipient=cast.portal_a, kind="awards.unsuccessful")


def test_a_contract_with_a_vendor_the_buyer_does_not_manage_is_drafted_through_its_owner(
    world: World,
) -> None:
    # B's relationship belongs to ``outsider``: the event's owner may not create its contracts
    award = awarded(world, world.inv_b)
    services.award_confirm(actor=world.cast.portal_b, award=award)
    contract = fresh(award).contract
    assert contract.relationship_id == world.cast.rel_b.pk
    assert contract.owner == world.cast.owner  # the buyer still owns the draft
    assert contract.history.earliest().history_user == world.cast.outsider


def test_a_proposal_request_drafts_a_master_and_a_master_in_force_gets_an_order_form(
    cast: Cast,
) -> None:
    world = three_bids(build_world(cast, kind=EventKind.RFP))
    services.award_confirm(actor=cast.portal_a, award=awarded(world))
    assert Contract.objects.get(sourcing_awards__event=world.event).kind == ContractKind.MASTER
    # a second event with A while a master agreement is in force: an order form under it
    master = Contract.objects.create(
        relationship=cast.rel_a,
        title="Frame agreement",
        kind=ContractKind.MASTER,
        owner=cast.owner,
        status=ContractStatus.ACTIVE,
    )
    second = three_bids(build_world(cast, kind=EventKind.RFP))
    services.award_confirm(actor=cast.portal_a, award=awarded(second))
    drafted = Contract.objects.get(sourcing_awards__event=second.event)
    assert (drafted.kind, drafted.parent_id) == (ContractKind.ORDER_FORM, master.pk)


def test_no_saving_is_recorded_without_a_baseline(cast: Cast) -> None:
    world = build_world(cast)
    for line in world.lines:
        type(line).objects.filter(pk=line.pk).update(target_unit_price=None, last_unit_price=None)
    three_bids(world)
    confirmed = services.award_confirm(actor=cast.portal_a, award=awarded(world))
    assert confirmed.contract_id is not None
    assert confirmed.savings_id is None
    assert LogAction.SAVINGS_RECORDED not in actions(world)


def test_an_award_dearer_than_its_baseline_claims_no_saving(cast: Cast) -> None:
    world = build_world(cast)
    for line in world.lines:
        type(line).objects.filter(pk=line.pk).update(target_unit_price=D("1.00"))
    confirmed = services.award_confirm(actor=cast.portal_a, award=awarded(three_bids(world)))
    saving = confirmed.savings
    # baseline 1000 x 1 + 500 x 1 = 1500 against 4000 awarded: 2500 more, no saving claimed
    assert (saving.baseline_annual_spend, saving.negotiated_annual_savings) == (D(1500), D(0))
    assert "2500.00" in saving.notes


def test_only_the_winners_portal_users_answer(world: World) -> None:
    cast = world.cast
    award = awarded(world)
    # B's portal user does not even see it; inside people may not answer for the vendor
    with pytest.raises(Http404):
        selectors.award_get(user=cast.portal_b, pk=award.pk)
    for user in (cast.portal_b, cast.owner, cast.admin):
        with pytest.raises(PermissionDenied):
            services.award_confirm(actor=user, award=award)
    assert fresh(award).status == AwardStatus.AWAITING_CONFIRMATION


def test_a_proposed_award_is_invisible_to_the_vendor_until_approved(world: World) -> None:
    (award,) = services.award_propose(
        actor=world.cast.owner, event=world.event, allocations=world.inv_a, rationale="Best"
    )
    with pytest.raises(Http404):
        selectors.award_get(user=world.cast.portal_a, pk=award.pk)
    with pytest.raises(PermissionDenied):
        services.award_confirm(actor=world.cast.portal_a, award=award)


def test_confirming_after_the_deadline_or_twice_is_refused(world: World) -> None:
    award = awarded(world)
    Award.objects.filter(pk=award.pk).update(confirm_by=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as late:
        services.award_confirm(actor=world.cast.portal_a, award=award)
    assert late.value.code == "expired"
    Award.objects.filter(pk=award.pk).update(confirm_by=timezone.now() + dt.timedelta(days=1))
    services.award_confirm(actor=world.cast.portal_a, award=award)
    with pytest.raises(TransitionError):
        services.award_confirm(actor=world.cast.portal_a, award=award)


def test_a_failing_contract_draft_leaves_the_award_waiting(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    award = awarded(world)
    logged = EventLogEntry.objects.count()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise DomainError("The contracts engine refused.", field="title")

    monkeypatch.setattr(handover, "contract_create", refuse)
    with pytest.raises(DomainError):
        services.award_confirm(actor=world.cast.portal_a, award=award)
    assert fresh(award).status == AwardStatus.AWAITING_CONFIRMATION
    assert not Contract.objects.filter(relationship=world.cast.rel_a).exists()
    assert EventLogEntry.objects.count() == logged


# --- decline and lapse ---------------------------------------------------------------------------


def test_a_declined_award_falls_to_the_next_ranked_bid(world: World) -> None:
    cast = world.cast
    award = awarded(world)
    with pytest.raises(DomainError) as refused:
        services.award_decline(actor=cast.portal_a, award=award, reason=" ")
    assert refused.value.field == "reason"
    services.award_decline(actor=cast.portal_a, award=award, reason="No capacity this quarter")
    assert fresh(award).status == AwardStatus.DECLINED
    # then B, ranked second, is asked at once, with its own deadline
    after = Award.objects.get(previous=award)
    assert (after.invitation_id, after.rank, after.status) == (
        world.inv_b.pk,
        2,
        AwardStatus.AWAITING_CONFIRMATION,
    )
    assert after.visible_to_vendor
    assert after.confirm_by is not None
    assert after.confirm_by > timezone.now()
    assert after.total == D("4250.00")  # 1000 x 2.20 + 500 x 4.10
    assert Notification.objects.filter(recipient=cast.portal_b, kind="awards.awarded")
    assert actions(world)[-2:] == [LogAction.AWARD_DECLINED, LogAction.AWARD_FELL_TO_NEXT]


def test_an_award_past_its_deadline_lapses_and_falls_to_the_next_once(world: World) -> None:
    award = awarded(world)
    assert award.confirm_by is not None
    later = award.confirm_by + dt.timedelta(minutes=1)
    # when the job runs after the deadline, twice
    assert services.awards_lapse_due(now=later) == 1
    assert services.awards_lapse_due(now=later) == 0
    # then A's award lapsed and B's waits, once
    assert fresh(award).status == AwardStatus.LAPSED
    assert Award.objects.filter(previous=award).count() == 1
    assert Award.objects.get(previous=award).invitation_id == world.inv_b.pk
    # and before the deadline the job lapses nothing
    assert services.awards_lapse_due(now=timezone.now()) == 0


def test_with_no_bid_left_the_owner_is_told_and_the_event_is_closed_again(world: World) -> None:
    cast = world.cast
    other_c = portal_c(world)
    first = awarded(world)
    services.award_decline(actor=cast.portal_a, award=first, reason="No capacity")
    second = Award.objects.get(previous=first)
    services.award_decline(actor=cast.portal_b, award=second, reason="No capacity either")
    third = Award.objects.get(previous=second)
    assert (third.invitation_id, third.rank) == (world.inv_c.pk, 3)
    assert third.confirm_by is not None
    services.awards_lapse_due(now=third.confirm_by + dt.timedelta(seconds=1))
    assert not Award.objects.filter(previous=third).exists()
    assert fresh(world.event).status == EventStatus.CLOSED
    assert Notification.objects.filter(recipient=cast.owner, kind="awards.no_bid_left")
    assert not Notification.objects.filter(recipient=other_c, kind="awards.unsuccessful")


def test_a_split_award_falls_only_for_its_own_lines(cast: Cast) -> None:
    world = three_bids(build_world(cast, rule=AwardRule.SPLIT))
    services.award_propose(
        actor=cast.owner,
        event=world.event,
        allocations={world.line(1): world.inv_a, world.line(2): world.inv_b},
        rationale="Split for supply security.",
    )
    services.award_approve(actor=cast.manager, event=world.event)
    on_a = Award.objects.get(event=world.event, invitation=world.inv_a)
    on_b = Award.objects.get(event=world.event, invitation=world.inv_b)
    services.award_confirm(actor=cast.portal_b, award=on_b)
    # B won line 2: nobody is told "unsuccessful" while A's award still waits
    assert not Notification.objects.filter(kind="awards.unsuccessful")
    services.award_decline(actor=cast.portal_a, award=on_a, reason="No capacity")
    # line 1 falls to the next after A on line 1 alone: B (2.20)
    fallen = Award.objects.get(previous=on_a)
    assert fallen.invitation_id == world.inv_b.pk
    assert list(fallen.lines.values_list("line__number", flat=True)) == [1]


def test_the_hourly_job_lapses_through_the_task(world: World) -> None:
    from steward.awards.tasks import LAPSE_JOB, awards_lapse
    from steward.core.schedule import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == LAPSE_JOB)
    assert (job.task, job.cadence.describe()) == (awards_lapse, "hourly")
    award = awarded(world)
    Award.objects.filter(pk=award.pk).update(confirm_by=timezone.now() - dt.timedelta(minutes=1))
    assert awards_lapse.call(slot="2026-01-01T00") == {"lapsed": 1}
    assert awards_lapse.call(slot="2026-01-01T00") == {"lapsed": 0}


def test_an_award_that_cannot_fall_stays_and_the_job_goes_on(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = three_bids(build_world(cast)), three_bids(build_world(cast))
    stuck, goes = awarded(first), awarded(second)
    past = timezone.now() - dt.timedelta(minutes=1)
    Award.objects.filter(pk__in=[stuck.pk, goes.pk]).update(confirm_by=past)
    real = response_module.fall_to_next

    def refuse_first(event: Any, failed: Award, **kw: Any) -> Any:
        if failed.pk == stuck.pk:
            raise DomainError("No rate for USD on the closing day.", code="no_rate")
        return real(event, failed, **kw)

    monkeypatch.setattr(response_module, "fall_to_next", refuse_first)
    assert services.awards_lapse_due() == 1
    assert fresh(stuck).status == AwardStatus.AWAITING_CONFIRMATION
    assert fresh(goes).status == AwardStatus.LAPSED
