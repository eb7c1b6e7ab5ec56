"""The handoff services: who prepares, what a handoff needs before it is handed over, who
accepts (the receiver only), completion refused while items are open, and the items' rules."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.core.errors import DomainError, StaleVersionError, TransitionError
from steward.core.models import Notification
from steward.handoffs import lifecycle, services
from steward.handoffs.choices import HandoffStatus, ItemKind
from steward.handoffs.models import Handoff, HandoffItem
from steward.handoffs.tests.factories import bd_user, commitment, days, draft, handed_over, step
from steward.parties.tests.cast import Cast
from steward.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    return demand_accounts(cast)


@pytest.fixture
def bd(cast: Cast) -> Any:
    return bd_user()


def _code(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


# --- create and edit -----------------------------------------------------------------------------


def test_business_development_prepares_a_draft_received_by_the_account_owner(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = draft(cast, world, bd)
    assert handoff.status == HandoffStatus.DRAFT
    assert handoff.receiver == cast.owner
    assert handoff.handed_over_by == bd
    assert [t.to_status for t in handoff.transitions.all()] == [HandoffStatus.DRAFT]
    assert handoff.history.count() == 1


def test_a_peer_without_the_account_may_not_prepare(cast: Cast, world: DemandWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.handoff_create(actor=cast.outsider, relationship=world.account_a)
    with pytest.raises(PermissionDenied):
        services.handoff_create(actor=cast.auditor, relationship=world.account_a)
    assert not Handoff.objects.exists()


def test_the_account_owner_may_prepare_their_own(cast: Cast, world: DemandWorld) -> None:
    handoff = services.handoff_create(actor=cast.owner, relationship=world.account_a)
    assert handoff.handed_over_by == cast.owner


def test_a_supply_side_relationship_is_no_account(cast: Cast, bd: Any) -> None:
    with pytest.raises(DomainError) as error:
        services.handoff_create(actor=bd, relationship=cast.rel_a)
    assert (error.value.code, error.value.field) == ("not_an_account", "relationship")


def test_one_handoff_under_way_per_account(cast: Cast, world: DemandWorld, bd: Any) -> None:
    draft(cast, world, bd)
    with pytest.raises(DomainError) as error:
        draft(cast, world, bd)
    assert error.value.code == "duplicate"
    assert Handoff.objects.count() == 1


def test_the_receiver_must_be_able_to_change_the_account(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    # reviewer reads the account only; outsider is not on it.
    for person in (cast.reviewer, cast.outsider):
        with pytest.raises(DomainError) as error:
            draft(cast, world, bd, receiver=person)
        assert (error.value.field, error.value.code) == ("receiver", "not_on_account")
    # member edits the account: may receive it.
    assert draft(cast, world, bd, receiver=cast.member).receiver == cast.member


def test_go_live_before_the_start_is_refused(cast: Cast, world: DemandWorld, bd: Any) -> None:
    with pytest.raises(DomainError) as error:
        draft(cast, world, bd, implementation_start=days(10), go_live=days(9))
    assert (error.value.field, error.value.code) == ("go_live", "order")


def test_only_a_won_opportunity_of_the_account(cast: Cast, world: DemandWorld, bd: Any) -> None:
    open_one = Opportunity.objects.create(
        relationship=world.account_a,
        name="Expansion",
        owner=cast.owner,
        close_date=days(10),
        penetration_type="new_product",
    )
    with pytest.raises(DomainError) as error:
        draft(cast, world, bd, opportunity=open_one)
    assert error.value.code == "not_won"
    other = Opportunity.objects.create(
        relationship=world.account_b,
        name="Borealis deal",
        owner=cast.outsider,
        close_date=days(-1),
        stage="won",
        penetration_type="new_product",
    )
    with pytest.raises(DomainError) as error:
        draft(cast, world, bd, opportunity=other)
    assert error.value.code == "other_account"
    Opportunity.objects.filter(pk=open_one.pk).update(stage="won")
    open_one.refresh_from_db()
    assert draft(cast, world, bd, opportunity=open_one).opportunity == open_one


def test_edit_only_while_a_draft_by_its_preparer(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    changed = services.handoff_update(
        actor=bd, handoff=handoff, expected_version=1, summary="Signed in May."
    )
    assert (changed.summary, changed.version) == ("Signed in May.", 2)
    with pytest.raises(StaleVersionError):
        services.handoff_update(actor=bd, handoff=changed, expected_version=1, summary="x")
    with pytest.raises(PermissionDenied):
        services.handoff_update(actor=cast.owner, handoff=changed, expected_version=2, summary="x")
    with pytest.raises(DomainError):
        services.handoff_update(actor=bd, handoff=changed, expected_version=2, status="accepted")


# --- submit, accept, send back, complete, cancel -------------------------------------------------


def test_submit_needs_a_first_review_date_and_an_item(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = draft(cast, world, bd, first_review_on=None)
    with pytest.raises(DomainError) as error:
        services.handoff_submit(actor=bd, handoff=handoff)
    assert error.value.code == "not_ready"
    assert "first review date" in error.value.message
    assert "at least one item" in error.value.message
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.DRAFT


def test_submit_notifies_the_receiver(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = handed_over(cast, world, bd)
    assert handoff.status == HandoffStatus.HANDED_OVER
    assert handoff.handed_over_at is not None
    alert = Notification.objects.get(recipient=cast.owner)
    assert alert.kind == "handoff_waiting"
    assert alert.url == handoff.get_absolute_url()


def test_only_the_receiver_accepts_not_even_an_administrator(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = handed_over(cast, world, bd)
    for someone in (cast.admin, bd, cast.member, cast.manager, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.handoff_accept(actor=someone, handoff=handoff)
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.HANDED_OVER
    accepted = services.handoff_accept(actor=cast.owner, handoff=handoff, note="Welcome aboard")
    assert accepted.status == HandoffStatus.ACCEPTED
    assert accepted.acceptance_note == "Welcome aboard"
    assert Notification.objects.filter(recipient=bd, kind="handoff_accepted").exists()


def test_send_back_needs_a_reason_and_returns_a_draft(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = handed_over(cast, world, bd)
    with pytest.raises(DomainError) as error:
        services.handoff_send_back(actor=cast.owner, handoff=handoff, reason="  ")
    assert (error.value.field, error.value.code) == ("reason", "required")
    back = services.handoff_send_back(
        actor=cast.owner, handoff=handoff, reason="The risks are missing."
    )
    assert back.status == HandoffStatus.DRAFT
    assert back.sent_back_reason == "The risks are missing."
    assert [t.to_status for t in back.transitions.all()] == [
        HandoffStatus.DRAFT,
        HandoffStatus.HANDED_OVER,
        HandoffStatus.DRAFT,
    ]
    # The preparer fixes it and hands over again.
    assert services.handoff_submit(actor=bd, handoff=back).status == HandoffStatus.HANDED_OVER


def test_complete_refused_naming_the_open_items(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = services.handoff_accept(actor=cast.owner, handoff=handed_over(cast, world, bd))
    with pytest.raises(DomainError) as error:
        services.handoff_complete(actor=cast.owner, handoff=handoff)
    assert error.value.code == "open_items"
    assert error.value.message == (
        "2 items are still open: Quarterly on-site review for the first year; "
        "Send welcome pack. Close them first."
    )
    for item in handoff.items.all():
        services.item_close(actor=cast.member, item=item, note="Done")
    done = services.handoff_complete(actor=cast.member, handoff=handoff)
    assert done.status == HandoffStatus.COMPLETED
    assert done.completed_at is not None


def test_cancel_with_a_reason_by_the_preparer(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = handed_over(cast, world, bd)
    with pytest.raises(PermissionDenied):
        services.handoff_cancel(actor=cast.owner, handoff=handoff, reason="No")
    cancelled = services.handoff_cancel(actor=bd, handoff=handoff, reason="Deal fell through")
    assert cancelled.status == HandoffStatus.CANCELLED
    with pytest.raises(TransitionError):
        services.handoff_cancel(actor=bd, handoff=cancelled, reason="Again")


def _reach(status: str, cast: Cast, world: DemandWorld, bd: Any) -> Handoff:
    handoff = draft(cast, world, bd)
    step(bd, handoff)
    if status == HandoffStatus.DRAFT:
        return handoff
    if status == HandoffStatus.CANCELLED:
        return services.handoff_cancel(actor=bd, handoff=handoff, reason="Stop")
    handoff = services.handoff_submit(actor=bd, handoff=handoff)
    if status == HandoffStatus.HANDED_OVER:
        return handoff
    handoff = services.handoff_accept(actor=cast.owner, handoff=handoff)
    if status == HandoffStatus.ACCEPTED:
        return handoff
    for item in handoff.items.all():
        services.item_close(actor=cast.owner, item=item)
    return services.handoff_complete(actor=cast.owner, handoff=handoff)


MOVES: dict[str, Any] = {
    HandoffStatus.HANDED_OVER: lambda h, c, bd: services.handoff_submit(actor=bd, handoff=h),
    HandoffStatus.ACCEPTED: lambda h, c, bd: services.handoff_accept(actor=c.owner, handoff=h),
    HandoffStatus.DRAFT: lambda h, c, bd: services.handoff_send_back(
        actor=c.owner, handoff=h, reason="Back"
    ),
    HandoffStatus.COMPLETED: lambda h, c, bd: services.handoff_complete(actor=c.owner, handoff=h),
    HandoffStatus.CANCELLED: lambda h, c, bd: services.handoff_cancel(
        actor=bd, handoff=h, reason="Stop"
    ),
}


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(HandoffStatus.values, HandoffStatus.values))
)
def test_the_services_follow_the_table(
    source: str, target: str, cast: Cast, world: DemandWorld, bd: Any
) -> None:
    # Given a handoff in ``source`` (its items closed when it is accepted, so completion is
    # possible), when the service of ``target`` runs, then it moves exactly when the table says.
    handoff = _reach(source, cast, world, bd)
    if source == HandoffStatus.ACCEPTED:
        for item in handoff.items.all():
            services.item_close(actor=cast.owner, item=item)
    if lifecycle.can_move(source, target):
        assert MOVES[target](handoff, cast, bd).status == target
    else:
        with pytest.raises(TransitionError):
            MOVES[target](handoff, cast, bd)
        handoff.refresh_from_db()
        assert handoff.status == source


# --- items ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ({"kind": ItemKind.MILESTONE}, "due_on", "required"),
        ({"kind": ItemKind.COMMITMENT, "due_on": days(3)}, "contact", "required"),
        ({"kind": ItemKind.RISK}, "severity", "required"),
        ({"kind": ItemKind.RISK, "severity": 6, "mitigation": "x"}, "severity", "out_of_range"),
        ({"kind": ItemKind.RISK, "severity": 3}, "mitigation", "required"),
        ({"kind": ItemKind.CHECKLIST, "severity": 3}, "severity", "not_applicable"),
        (
            {"kind": ItemKind.CONTACT, "contact_role": "Sponsor", "due_on": days(1)},
            "due_on",
            "not_applicable",
        ),
        ({"kind": ItemKind.CHECKLIST, "title": " "}, "title", "required"),
    ],
)
def test_each_kind_asks_for_what_it_needs(
    case: tuple[dict[str, Any], str, str], cast: Cast, world: DemandWorld, bd: Any
) -> None:
    values, field, code = case
    handoff = draft(cast, world, bd)
    args: dict[str, Any] = {"title": "Item", "owner": bd, **values}
    with pytest.raises(DomainError) as error:
        services.item_add(actor=bd, handoff=handoff, **args)
    assert (error.value.field, error.value.code) == (field, code)
    assert not HandoffItem.objects.exists()


def test_a_contact_of_another_organization_is_refused(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = draft(cast, world, bd)
    with pytest.raises(DomainError) as error:
        commitment(bd, handoff, cast.contact_b)
    assert error.value.code == "other_organization"


def test_a_risk_and_a_named_contact(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    risk = services.item_add(
        actor=bd,
        handoff=handoff,
        kind=ItemKind.RISK,
        title="Data migration slips",
        owner=cast.owner,
        severity=4,
        mitigation="Weekly check with IT",
    )
    named = services.item_add(
        actor=bd,
        handoff=handoff,
        kind=ItemKind.CONTACT,
        title="Project sponsor",
        owner=cast.owner,
        contact=cast.contact_a_shared,
        contact_role="Signs off go-live",
    )
    assert (risk.severity, named.contact) == (4, cast.contact_a_shared)


def test_who_works_the_items(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    # While a draft, the preparer and the account's editors add items; readers do not.
    step(bd, handoff)
    step(cast.member, handoff, title="Order licences", owner=cast.member)
    for reader in (cast.reviewer, cast.manager, cast.outsider, cast.auditor):
        with pytest.raises(PermissionDenied):
            step(reader, handoff, owner=cast.owner)
    handoff = services.handoff_submit(actor=bd, handoff=handoff)
    # Once handed over the preparer no longer works them; the account's team does.
    with pytest.raises(PermissionDenied):
        step(bd, handoff)
    item = step(cast.owner, handoff, title="Kick-off call")
    closed = services.item_close(actor=cast.owner, item=item, note="Held on Monday")
    assert (closed.closed_by, closed.close_note) == (cast.owner, "Held on Monday")
    with pytest.raises(DomainError) as error:
        services.item_close(actor=cast.owner, item=closed)
    assert error.value.code == "closed"
    reopened = services.item_reopen(actor=cast.member, item=closed)
    assert reopened.closed_at is None
    with pytest.raises(DomainError) as error:
        services.item_remove(actor=cast.owner, item=reopened)
    assert error.value.code == "not_draft"


def test_items_of_a_finished_handoff_do_not_change(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    item = step(bd, handoff)
    services.handoff_cancel(actor=bd, handoff=handoff, reason="Stop")
    with pytest.raises(DomainError) as error:
        services.item_close(actor=cast.owner, item=item)
    assert error.value.code == "finished"


def test_remove_a_draft_item_archives_it(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    item = step(bd, handoff)
    removed = services.item_remove(actor=bd, item=item, expected_version=1)
    assert removed.is_archived
    assert services.submit_problems(handoff) == [
        "Add at least one item (a step, milestone, commitment, risk or contact)."
    ]


def test_item_update_validates_the_kind(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    item = step(bd, handoff)
    with pytest.raises(DomainError) as error:
        services.item_update(actor=bd, item=item, expected_version=1, kind=ItemKind.MILESTONE)
    assert error.value.field == "due_on"
    item.refresh_from_db()
    assert item.kind == ItemKind.CHECKLIST
    changed = services.item_update(
        actor=bd, item=item, expected_version=1, kind=ItemKind.MILESTONE, due_on=days(9)
    )
    assert (changed.kind, changed.version) == (ItemKind.MILESTONE, 2)
