"""Who is told what about an award. Vendors hear only about their own award; unsuccessful
bidders learn that they did not win, never who did or at what price."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from steward.awards.models import Award
from steward.awards.services.common import organization_of
from steward.core.notifications import Alert, notifications_send
from steward.sourcing.models import EventInvitation, SourcingEvent
from steward.sourcing.services.notify import portal_users, tell_invitees, tell_team

AWARDED_ALERT = "awards.awarded"
DECIDED_ALERT = "awards.decided"
RESPONDED_ALERT = "awards.responded"
UNSUCCESSFUL_ALERT = "awards.unsuccessful"
NO_BID_LEFT_ALERT = "awards.no_bid_left"
TO_APPROVE_ALERT = "awards.to_approve"


def portal_award_url(award: Award) -> str:
    return reverse("awards:portal-award", args=[award.pk])


def tell_winner(award: Award) -> int:
    """The awarded vendor's portal users: what to confirm and by when."""
    event = award.event
    deadline = timezone.localtime(award.confirm_by) if award.confirm_by else None
    by = f" by {deadline:%d %b %Y %H:%M}" if deadline else ""
    users = portal_users([organization_of(award.invitation)])
    return notifications_send(
        Alert(
            recipient_id=user.pk,
            kind=AWARDED_ALERT,
            title=f"Award of {event.reference} {event.title}: please confirm{by}",
            body="Confirm or decline the award in the portal; unconfirmed in time, it lapses.",
            url=portal_award_url(award),
        )
        for user in users
    )


def winner_has_no_portal_user(award: Award) -> bool:
    return not portal_users([organization_of(award.invitation)]).exists()


def tell_owner(event: SourcingEvent, *, kind: str, title: str, body: str = "") -> int:
    return notifications_send(
        [
            Alert(
                recipient_id=event.owner_id,
                kind=kind,
                title=title,
                body=body,
                url=event.get_absolute_url(),
            )
        ]
    )


def tell_approvers(event: SourcingEvent, recipients: list[Any]) -> int:
    return notifications_send(
        Alert(
            recipient_id=user.pk,
            kind=TO_APPROVE_ALERT,
            title=f"Award of {event.reference} {event.title} to approve",
            url=event.get_absolute_url(),
        )
        for user in recipients
    )


def tell_event_team(event: SourcingEvent, title: str, body: str = "") -> int:
    return tell_team(event, kind=DECIDED_ALERT, title=title, body=body)


def tell_unsuccessful(event: SourcingEvent, invitations: list[EventInvitation]) -> int:
    return tell_invitees(
        invitations,
        kind=UNSUCCESSFUL_ALERT,
        title=f"{event.reference} {event.title}: the award went to another bid",
        body="Thank you for bidding. The event is awarded; your bid was not selected.",
    )
