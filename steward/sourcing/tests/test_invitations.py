"""Who may bid: eligibility, overriding it with a reason, inviting once, and declining."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError, DuplicateError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.people.tests.factories import UserFactory
from steward.sourcing import selectors, services
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.eligibility import NOT_PREQUALIFIED, STANDING_BLOCKS, eligibility_of
from steward.sourcing.models import EventInvitation, EventLogEntry
from steward.sourcing.tests.factories import (
    EventFactory,
    InvitationFactory,
    OpenEventFactory,
    block_sourcing,
    prequalified_vendor,
    prequalify,
    procurement_user,
)
from steward.suppliers.choices import Stage
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def vendor(stage: str = Stage.ACTIVE, **kwargs: Any) -> Supplier:
    made = SupplierFactory(stage=stage, **kwargs)
    assert isinstance(made, Supplier)
    return made


# --- eligibility -------------------------------------------------------------------------------


def test_eligibility_needs_a_current_prequalification_and_a_standing_that_allows(
    cast: Cast,
) -> None:
    category = CategoryFactory()
    today = timezone.localdate()
    good = prequalified_vendor(category)
    assert eligibility_of(good, category).eligible

    other_category = prequalified_vendor(CategoryFactory())
    assert eligibility_of(other_category, category).reasons == (NOT_PREQUALIFIED,)

    expired = vendor()
    prequalify(expired, category, on=today - dt.timedelta(days=400), days=30)
    assert eligibility_of(expired, category).reasons == (NOT_PREQUALIFIED,)

    not_yet = vendor()
    prequalify(not_yet, category, on=today + dt.timedelta(days=3))
    assert not eligibility_of(not_yet, category).eligible
    assert eligibility_of(not_yet, category, today + dt.timedelta(days=3)).eligible

    revoked = prequalified_vendor(category)
    revoked.prequalifications.update(revoked_on=today, revoked_reason="Failed audit")
    assert not eligibility_of(revoked, category).eligible

    exited = prequalified_vendor(category)
    Supplier.objects.filter(pk=exited.pk).update(stage=Stage.OFFBOARDED)
    assert not eligibility_of(exited, category).eligible

    blocked = prequalified_vendor(category)
    block_sourcing(blocked)
    assert eligibility_of(blocked, category).reasons == (STANDING_BLOCKS,)
    described = eligibility_of(blocked, category).describe(category, today)
    assert described == ["its scorecard standing blocks sourcing"]


def test_eligibility_does_not_depend_on_who_asks(cast: Cast) -> None:
    # Given vendor B, which the owner of vendor A cannot see, is prequalified
    category = CategoryFactory()
    vendor_b = prequalified_vendor(category, relationship=cast.rel_b)
    event = EventFactory(owner=cast.owner, category=category)
    # When the owner (no procurement function) runs an event in that category
    choices = selectors.invite_choices(user=cast.owner, event=event)
    # Then B is offered, and invited without an override
    assert choices.eligible == [vendor_b]
    invitation = services.invitation_create(actor=cast.owner, event=event, supplier=vendor_b)
    assert invitation.override_reason == ""


def test_the_invite_screen_separates_who_needs_a_reason(cast: Cast) -> None:
    buyer = procurement_user()
    category = CategoryFactory()
    event = EventFactory(owner=buyer, category=category)
    eligible = prequalified_vendor(category)
    blocked = prequalified_vendor(category)
    block_sourcing(blocked)
    supplies_category = vendor()
    supplies_category.categories.add(category)
    unrelated = vendor()
    invited = prequalified_vendor(category)
    InvitationFactory(event=event, supplier=invited)

    choices = selectors.invite_choices(user=buyer, event=event)

    assert choices.eligible == [eligible]
    reasons = {e.supplier.pk: e.reasons for e in choices.ineligible}
    assert reasons == {blocked.pk: (STANDING_BLOCKS,), supplies_category.pk: (NOT_PREQUALIFIED,)}
    # a search finds any vendor the buyer can see
    name = unrelated.relationship.organization.display_name
    found = selectors.invite_choices(user=buyer, event=event, search=name)
    assert [e.supplier.pk for e in found.ineligible] == [unrelated.pk]


# --- inviting ----------------------------------------------------------------------------------


def test_an_ineligible_vendor_needs_a_reason_which_is_logged(cast: Cast) -> None:
    buyer = procurement_user()
    event = EventFactory(owner=buyer)
    outsider = vendor()

    with pytest.raises(DomainError) as refused:
        services.invitation_create(actor=buyer, event=event, supplier=outsider)
    assert (refused.value.field, refused.value.code) == ("override_reason", "ineligible")
    assert "not prequalified" in refused.value.message
    assert not EventInvitation.objects.exists()

    invitation = services.invitation_create(
        actor=buyer, event=event, supplier=outsider, override_reason="Sole maker of the part"
    )
    assert invitation.override_reason == "Sole maker of the part"
    entry = EventLogEntry.objects.get(event=event, action=LogAction.INVITED_OVERRIDE)
    assert entry.detail == {
        "reasons": [NOT_PREQUALIFIED],
        "override_reason": "Sole maker of the part",
    }
    assert "not prequalified" in entry.summary


def test_a_blocked_vendor_is_invited_only_over_the_block(cast: Cast) -> None:
    buyer = procurement_user()
    event = EventFactory(owner=buyer)
    blocked = prequalified_vendor(event.category)
    block_sourcing(blocked)
    with pytest.raises(DomainError, match="standing blocks sourcing"):
        services.invitation_create(actor=buyer, event=event, supplier=blocked)
    services.invitation_create(
        actor=buyer, event=event, supplier=blocked, override_reason="Improvement plan agreed"
    )
    entry = EventLogEntry.objects.get(event=event, action=LogAction.INVITED_OVERRIDE)
    assert entry.detail["reasons"] == [STANDING_BLOCKS]


def test_an_override_is_only_for_a_vendor_the_buyer_can_see(cast: Cast) -> None:
    # vendor B is not prequalified and the owner of A cannot see it
    event = EventFactory(owner=cast.owner)
    vendor_b = vendor(relationship=cast.rel_b)
    with pytest.raises(DomainError) as refused:
        services.invitation_create(
            actor=cast.owner, event=event, supplier=vendor_b, override_reason="Trust me"
        )
    assert refused.value.code == "does_not_exist"


def test_a_vendor_is_invited_once(cast: Cast) -> None:
    invitation = InvitationFactory(event=EventFactory())
    with pytest.raises(DuplicateError) as refused:
        services.invitation_create(
            actor=invitation.event.owner, event=invitation.event, supplier=invitation.supplier
        )
    assert refused.value.field == "supplier"


def test_inviting_while_open_shows_and_tells_at_once(cast: Cast) -> None:
    event = OpenEventFactory()
    supplier = prequalified_vendor(event.category)
    portal = UserFactory(profile__organization=supplier.relationship.organization)
    invitation = services.invitation_create(actor=event.owner, event=event, supplier=supplier)
    assert invitation.visible_to_vendor
    assert Notification.objects.filter(recipient=portal, kind="sourcing.invited").exists()


def test_a_draft_invitation_stays_hidden_and_quiet(cast: Cast) -> None:
    event = EventFactory()
    supplier = prequalified_vendor(event.category)
    portal = UserFactory(profile__organization=supplier.relationship.organization)
    invitation = services.invitation_create(actor=event.owner, event=event, supplier=supplier)
    assert not invitation.visible_to_vendor
    assert not Notification.objects.filter(recipient=portal).exists()
    assert not EventInvitation.objects.restrict(portal).exists()


@pytest.mark.parametrize(
    "status", [EventStatus.CLOSED, EventStatus.CANCELLED, EventStatus.AWARD_PROPOSED]
)
def test_no_invitation_after_bidding_ends(cast: Cast, status: str) -> None:
    event = EventFactory(status=status)
    with pytest.raises(DomainError) as refused:
        services.invitation_create(
            actor=event.owner, event=event, supplier=prequalified_vendor(event.category)
        )
    assert refused.value.code == "closed"


def test_no_invitation_once_the_closing_time_passed(cast: Cast) -> None:
    event = OpenEventFactory(closes_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError, match="past its closing time"):
        services.invitation_create(
            actor=event.owner, event=event, supplier=prequalified_vendor(event.category)
        )


def test_only_who_may_change_the_event_invites(cast: Cast) -> None:
    event = EventFactory()
    supplier = prequalified_vendor(event.category)
    for user in (cast.auditor, cast.outsider, cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=user, event=event, supplier=supplier)


# --- declining ---------------------------------------------------------------------------------


def test_the_vendor_declines_with_a_reason_and_the_team_hears(cast: Cast) -> None:
    supplier = prequalified_vendor(CategoryFactory(), relationship=cast.rel_a)
    invitation = InvitationFactory(
        event=OpenEventFactory(category=supplier.prequalifications.get().category),
        supplier=supplier,
    )
    with pytest.raises(DomainError) as refused:
        services.invitation_decline(actor=cast.portal_a, invitation=invitation, reason="")
    assert refused.value.field == "reason"

    declined = services.invitation_decline(
        actor=cast.portal_a, invitation=invitation, reason="Fully booked"
    )

    assert (declined.status, declined.declined_reason) == (
        InvitationStatus.DECLINED,
        "Fully booked",
    )
    assert EventLogEntry.objects.filter(event=invitation.event, action=LogAction.DECLINED).exists()
    assert Notification.objects.filter(
        recipient=invitation.event.owner, kind="sourcing.declined"
    ).exists()
    with pytest.raises(DomainError, match="already"):
        services.invitation_decline(actor=cast.portal_a, invitation=declined, reason="Again")


def test_only_the_invited_vendor_declines(cast: Cast) -> None:
    invitation = InvitationFactory(
        supplier=prequalified_vendor(CategoryFactory(), relationship=cast.rel_a)
    )
    for user in (cast.portal_b, cast.owner, invitation.event.owner, cast.admin):
        with pytest.raises(DomainError) as refused:
            services.invitation_decline(actor=user, invitation=invitation, reason="No")
        assert refused.value.code == "forbidden"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


def test_declining_after_the_closing_time_is_refused(cast: Cast) -> None:
    invitation = InvitationFactory(
        supplier=prequalified_vendor(CategoryFactory(), relationship=cast.rel_a),
        event=OpenEventFactory(closes_at=timezone.now() - dt.timedelta(seconds=1)),
    )
    with pytest.raises(DomainError) as refused:
        services.invitation_decline(actor=cast.portal_a, invitation=invitation, reason="Late")
    assert refused.value.code == "closed"


def test_an_invitee_lists_the_events_still_taking_its_bid(cast: Cast) -> None:
    category = CategoryFactory()
    vendor_a = prequalified_vendor(category, relationship=cast.rel_a)
    taking = InvitationFactory(event=OpenEventFactory(category=category), supplier=vendor_a)
    InvitationFactory(event=EventFactory(category=category), supplier=vendor_a)  # a draft
    InvitationFactory(
        event=OpenEventFactory(closes_at=timezone.now() - dt.timedelta(seconds=1)),
        supplier=vendor_a,
    )
    InvitationFactory(event=OpenEventFactory(), supplier=vendor_a, status=InvitationStatus.DECLINED)
    InvitationFactory(event=taking.event)  # another vendor's
    assert list(selectors.events_for_invitee(user=cast.portal_a)) == [taking]
    assert not selectors.events_for_invitee(user=cast.portal_b).exists()
