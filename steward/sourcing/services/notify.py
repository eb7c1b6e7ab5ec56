"""In-app notifications to the portal users of invited vendors and to the event's team.

What goes out names the event and what changed, never a bid, a bidder or who asked a question.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import NoReverseMatch

from steward.core.notifications import Alert, notifications_send
from steward.people.choices import UserKind
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation, SourcingEvent

INVITED_ALERT = "sourcing.invited"
DEADLINE_ALERT = "sourcing.deadline_changed"
CANCELLED_ALERT = "sourcing.cancelled"
DOCUMENT_ALERT = "sourcing.document_added"
CLARIFICATION_ALERT = "sourcing.clarification"
DECLINED_ALERT = "sourcing.declined"
QUESTION_ALERT = "sourcing.question"


def portal_url(invitation: EventInvitation) -> str:
    """The invitee's page of the event (the bidding app's), or nothing while it is not there."""
    try:
        return invitation.get_absolute_url()
    except NoReverseMatch:
        return ""


def portal_users(organization_ids: Iterable[int]) -> QuerySet[Any]:
    """The active portal users of these organizations (awards tells its winners through it)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__kind=UserKind.EXTERNAL,
            profile__organization_id__in=set(organization_ids),
        )
        .order_by("pk")
    )


def _portal_users_by_organization(organization_ids: Iterable[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for user in portal_users(organization_ids).select_related("profile"):
        organization_id = user.profile.organization_id
        if organization_id is not None:
            found.setdefault(organization_id, []).append(user)
    return found


def tell_invitees(
    invitations: Iterable[EventInvitation], *, kind: str, title: str, body: str = ""
) -> int:
    """One alert per portal user of each invitation's vendor, linking to that invitation.

    Declined and not yet visible invitations are skipped: those vendors are not bidding.
    """
    chosen = [
        invitation
        for invitation in invitations
        if invitation.visible_to_vendor and invitation.status != InvitationStatus.DECLINED
    ]
    organizations = {i.pk: i.supplier.relationship.organization_id for i in chosen}
    users = _portal_users_by_organization(organizations.values())
    return notifications_send(
        Alert(
            recipient_id=user.pk,
            kind=kind,
            title=title,
            body=body,
            url=portal_url(invitation),
        )
        for invitation in chosen
        for user in users.get(organizations[invitation.pk], [])
    )


def current_invitations(event: SourcingEvent) -> list[EventInvitation]:
    return list(
        EventInvitation.objects.filter(event=event, archived_at__isnull=True)
        .select_related("supplier__relationship")
        .order_by("pk")
    )


def tell_team(event: SourcingEvent, *, kind: str, title: str, body: str = "") -> int:
    """The owner and the event's current team members."""
    members = event.members.filter(archived_at__isnull=True).values_list("user_id", flat=True)
    recipients = {event.owner_id, *members}
    return notifications_send(
        Alert(
            recipient_id=user_id,
            kind=kind,
            title=title,
            body=body,
            url=event.get_absolute_url(),
        )
        for user_id in sorted(recipients)
    )
