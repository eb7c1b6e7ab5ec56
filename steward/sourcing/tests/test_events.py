"""Events: references, editing a draft and an open event, publishing, cancelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError, StaleVersionError, TransitionError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.people.tests.factories import UserFactory
from steward.sourcing import services
from steward.sourcing.choices import EventStatus, InvitationStatus, LogAction
from steward.sourcing.models import EventInvitation, EventLogEntry, SourcingEvent
from steward.sourcing.services.references import next_reference
from steward.sourcing.tests.factories import (
    CriterionFactory,
    EventFactory,
    InvitationFactory,
    LineFactory,
    OpenEventFactory,
    WeightedEventFactory,
    prequalified_vendor,
    procurement_user,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def create(actor: Any, **kwargs: Any) -> SourcingEvent:
    values: dict[str, Any] = {
        "kind": "rfq",
        "title": "Ball bearings 2026",
        "category": CategoryFactory(),
        "currency": "eur",
        "closes_at": in_days(7),
    }
    values.update(kwargs)
    return services.event_create(actor=actor, **values)


def actions(event: SourcingEvent) -> list[str]:
    return list(EventLogEntry.objects.filter(event=event).values_list("action", flat=True))


def publishable(buyer: Any, **kwargs: Any) -> SourcingEvent:
    """A draft with a line and one eligible invitee."""
    event = cast(SourcingEvent, EventFactory(owner=buyer, **kwargs))
    LineFactory(event=event)
    services.invitation_create(
        actor=buyer, event=event, supplier=prequalified_vendor(event.category)
    )
    return event


# --- create and reference numbering ------------------------------------------------------------


def test_references_are_numbered_per_kind_and_year(cast: Cast) -> None:
    buyer = procurement_user()
    year = timezone.localdate().year

    first = create(buyer)
    second = create(buyer)
    proposal = create(buyer, kind="rfp")

    assert first.reference == f"RFQ-{year}-0001"
    assert second.reference == f"RFQ-{year}-0002"
    assert proposal.reference == f"RFP-{year}-0001"
    # a new year starts again at 1
    assert next_reference("rfq", dt.date(year + 1, 1, 1)) == f"RFQ-{year + 1}-0001"


def test_reference_numbers_pass_four_digits_in_order(cast: Cast) -> None:
    year = timezone.localdate().year
    EventFactory(reference=f"RFQ-{year}-9999")
    assert next_reference("rfq", timezone.localdate()) == f"RFQ-{year}-10000"
    EventFactory(reference=f"RFQ-{year}-10000")
    assert next_reference("rfq", timezone.localdate()) == f"RFQ-{year}-10001"


def test_a_reference_taken_meanwhile_moves_creation_to_the_next(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given another buyer took the computed number between our read and our insert
    buyer = procurement_user()
    year = timezone.localdate().year
    EventFactory(reference=f"RFQ-{year}-0001")
    stale = iter([f"RFQ-{year}-0001"])
    real = next_reference

    def racing(kind: str, day: dt.date) -> str:
        return next(stale, None) or real(kind, day)

    monkeypatch.setattr("steward.sourcing.services.events.next_reference", racing)
    # When we create, the clash is retried with a fresh number
    event = create(buyer)
    assert event.reference == f"RFQ-{year}-0002"
    assert SourcingEvent.objects.filter(reference__startswith=f"RFQ-{year}-").count() == 2


def test_create_sets_defaults_logs_and_checks_fields(cast: Cast) -> None:
    buyer = procurement_user()
    event = create(buyer, kind="rfp")
    assert event.status == EventStatus.DRAFT
    assert event.currency == "EUR"
    assert event.evaluation_method == "weighted"
    assert event.owner == buyer
    assert actions(event) == [LogAction.CREATED]

    for bad, field in (
        ({"currency": "EURO"}, "currency"),
        ({"title": "  "}, "title"),
        ({"closes_at": in_days(-1)}, "closes_at"),
        ({"opens_at": in_days(8), "closes_at": in_days(7)}, "closes_at"),
        ({"kind": "auction"}, "kind"),
        ({"owner": cast.portal_a}, "owner"),
    ):
        with pytest.raises(DomainError) as refused:
            create(buyer, **bad)
        assert refused.value.field == field, bad
    assert SourcingEvent.objects.count() == 1


def test_auditors_and_portal_users_create_no_event(cast: Cast) -> None:
    for user in (cast.auditor, cast.portal_a):
        with pytest.raises(PermissionDenied):
            create(user)
    assert not SourcingEvent.objects.exists()


# --- update ------------------------------------------------------------------------------------


def test_a_draft_changes_freely_and_logs_the_fields(cast: Cast) -> None:
    event = EventFactory()
    updated = services.event_update(
        actor=event.owner,
        event=event,
        expected_version=event.version,
        title="Bearings, revised",
        award_rule="split",
    )
    assert (updated.title, updated.award_rule, updated.version) == ("Bearings, revised", "split", 2)
    entry = EventLogEntry.objects.get(event=event, action=LogAction.CHANGED)
    assert entry.summary == "Changed: award rule, title."
    with pytest.raises(StaleVersionError):
        services.event_update(actor=event.owner, event=event, expected_version=1, title="Old")


def test_an_open_event_changes_only_its_description_and_a_later_closing_time(cast: Cast) -> None:
    event: Any = OpenEventFactory()
    invitation = InvitationFactory(event=event)
    portal = prequalified_portal_user(invitation)
    with pytest.raises(DomainError) as refused:
        services.event_update(
            actor=event.owner, event=event, expected_version=event.version, title="New title"
        )
    assert (refused.value.field, refused.value.code) == ("title", "open")

    services.event_update(
        actor=event.owner, event=event, expected_version=event.version, description="More detail"
    )
    later = event.closes_at + dt.timedelta(days=2)
    event.refresh_from_db()
    moved = services.event_update(
        actor=event.owner, event=event, expected_version=event.version, closes_at=later
    )
    assert moved.closes_at == later
    assert actions(event)[-2:] == [LogAction.CHANGED, LogAction.DEADLINE_CHANGED]
    told = Notification.objects.get(recipient=portal, kind="sourcing.deadline_changed")
    assert event.reference in told.title

    with pytest.raises(DomainError) as shortened:
        services.event_update(
            actor=event.owner,
            event=moved,
            expected_version=moved.version,
            closes_at=later - dt.timedelta(hours=1),
        )
    assert shortened.value.code == "shortened"


def test_the_closing_time_does_not_move_once_passed(cast: Cast) -> None:
    event = OpenEventFactory(closes_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as refused:
        services.event_update(
            actor=event.owner, event=event, expected_version=event.version, closes_at=in_days(3)
        )
    assert refused.value.code == "past"


def test_closed_and_cancelled_events_do_not_change(cast: Cast) -> None:
    for status in (EventStatus.CLOSED, EventStatus.CANCELLED, EventStatus.AWARDED):
        event = EventFactory(status=status)
        with pytest.raises(DomainError) as refused:
            services.event_update(
                actor=event.owner, event=event, expected_version=event.version, description="x"
            )
        assert refused.value.code == "not_editable"


def test_only_who_may_change_the_event_edits_it(cast: Cast) -> None:
    event = EventFactory()
    for user in (cast.owner, cast.auditor, cast.manager):
        with pytest.raises(PermissionDenied):
            services.event_update(
                actor=user, event=event, expected_version=event.version, title="Mine"
            )
    services.event_update(actor=cast.admin, event=event, expected_version=1, title="Admin's")
    services.event_update(actor=procurement_user(), event=event, expected_version=2, title="P")


# --- publish -----------------------------------------------------------------------------------


def prequalified_portal_user(invitation: EventInvitation) -> Any:
    return UserFactory(profile__organization=invitation.supplier.relationship.organization)


def test_publishing_opens_the_event_shows_and_tells_the_invitees(cast: Cast) -> None:
    buyer = procurement_user()
    event = publishable(buyer)
    invitation = event.invitations.get()
    assert not invitation.visible_to_vendor
    portal = prequalified_portal_user(invitation)

    published = services.event_publish(actor=buyer, event=event)

    assert published.status == EventStatus.OPEN
    invitation.refresh_from_db()
    assert invitation.visible_to_vendor
    alert = Notification.objects.get(recipient=portal, kind="sourcing.invited")
    assert alert.title.startswith(f"Invitation to bid: {event.reference}")
    assert actions(event)[-1] == LogAction.PUBLISHED


def test_publishing_lists_every_missing_piece(cast: Cast) -> None:
    buyer = procurement_user()
    event = WeightedEventFactory(owner=buyer, closes_at=None)
    with pytest.raises(DomainError) as refused:
        services.event_publish(actor=buyer, event=event)
    message = refused.value.message
    assert refused.value.code == "not_publishable"
    for missing in (
        "Add at least one line.",
        "Set the closing time.",
        "Add at least one evaluation criterion",
        "Invite at least one vendor",
    ):
        assert missing in message
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert actions(event) == []


def test_publishing_refuses_a_closing_time_in_the_past(cast: Cast) -> None:
    buyer = procurement_user()
    event = publishable(buyer)
    SourcingEvent.objects.filter(pk=event.pk).update(closes_at=in_days(-0.01))
    with pytest.raises(DomainError, match="Move the closing time into the future"):
        services.event_publish(actor=buyer, event=event)


def test_a_weighted_event_publishes_with_criteria_within_the_sum(cast: Cast) -> None:
    buyer = procurement_user()
    event = publishable(buyer, evaluation_method="weighted", kind="rfp")
    CriterionFactory(event=event, max_value=Decimal("0.2"))
    CriterionFactory(event=event, max_value=Decimal("0.15"))  # written past the service's check
    with pytest.raises(DomainError, match=r"sum to 0\.35"):
        services.event_publish(actor=buyer, event=event)
    event.criteria.filter(max_value=Decimal("0.15")).update(max_value=Decimal("0.1"))
    assert services.event_publish(actor=buyer, event=event).status == EventStatus.OPEN


def test_an_event_open_to_its_category_invites_every_eligible_vendor(cast: Cast) -> None:
    buyer = procurement_user()
    event = EventFactory(owner=buyer, open_to_category=True)
    LineFactory(event=event)
    first = prequalified_vendor(event.category)
    second = prequalified_vendor(event.category)
    prequalified_vendor(CategoryFactory())  # another category: not invited

    services.event_publish(actor=buyer, event=event)

    invited = set(event.invitations.values_list("supplier_id", flat=True))
    assert invited == {first.pk, second.pk}
    assert all(event.invitations.values_list("visible_to_vendor", flat=True))


def test_an_event_open_to_an_empty_category_does_not_publish(cast: Cast) -> None:
    buyer = procurement_user()
    event = EventFactory(owner=buyer, open_to_category=True)
    LineFactory(event=event)
    with pytest.raises(DomainError, match="No vendor is eligible"):
        services.event_publish(actor=buyer, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_only_a_draft_publishes(cast: Cast) -> None:
    event = OpenEventFactory()
    with pytest.raises(TransitionError):
        services.event_publish(actor=event.owner, event=event)


# --- cancel ------------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_tells_the_invitees(cast: Cast) -> None:
    invitation = InvitationFactory()
    event = invitation.event
    portal = prequalified_portal_user(invitation)
    with pytest.raises(DomainError) as refused:
        services.event_cancel(actor=event.owner, event=event, reason=" ")
    assert refused.value.field == "reason"

    cancelled = services.event_cancel(actor=event.owner, event=event, reason="Budget withdrawn")

    assert cancelled.status == EventStatus.CANCELLED
    assert cancelled.cancelled_reason == "Budget withdrawn"
    alert = Notification.objects.get(recipient=portal, kind="sourcing.cancelled")
    assert alert.body == "Budget withdrawn"
    assert actions(event)[-1] == LogAction.CANCELLED


def test_declined_vendors_hear_nothing_more(cast: Cast) -> None:
    invitation = InvitationFactory(status=InvitationStatus.DECLINED)
    portal = prequalified_portal_user(invitation)
    services.event_cancel(actor=invitation.event.owner, event=invitation.event, reason="Stop")
    assert not Notification.objects.filter(recipient=portal).exists()


@pytest.mark.parametrize(
    ("status", "cancellable"),
    [
        (EventStatus.DRAFT, True),
        (EventStatus.OPEN, True),
        (EventStatus.CLOSED, True),
        (EventStatus.AWARD_PROPOSED, False),
        (EventStatus.AWARDED, False),
        (EventStatus.CANCELLED, False),
    ],
)
def test_which_events_cancel(cast: Cast, status: str, cancellable: bool) -> None:
    event = EventFactory(status=status)
    if cancellable:
        assert services.event_cancel(actor=event.owner, event=event, reason="No").status == (
            EventStatus.CANCELLED
        )
    else:
        with pytest.raises(DomainError):
            services.event_cancel(actor=event.owner, event=event, reason="No")
