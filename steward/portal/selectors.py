"""Reads of the portal, each starting from the access policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from steward.core.access import Action, get_for_user
from steward.people.choices import UserKind
from steward.portal.models import Invitation
from steward.reviews.choices import ActionSide, ActionStatus
from steward.reviews.models import ActionItem
from steward.scorecards.models import Scorecard
from steward.suppliers.models import Supplier

User = get_user_model()


def _invitations(user: Any) -> QuerySet[Invitation]:
    return Invitation.objects.restrict(user, Action.VIEW).select_related(
        "organization", "invited_by", "accepted_user"
    )


def invitation_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Invitation]:
    """The invitations the user may see, filtered by the invitation filter set."""
    from steward.portal.filtersets import InvitationFilterSet

    return InvitationFilterSet(filters or None, queryset=_invitations(user)).qs


def invitation_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Invitation:
    return get_for_user(_invitations(user), user=user, pk=pk, action=action)


def vendor_invitations(*, user: Any, supplier: Supplier) -> QuerySet[Invitation]:
    return _invitations(user).filter(supplier=supplier)


def vendor_portal_users(*, user: Any, supplier: Supplier) -> QuerySet[Any]:
    """The portal users of the vendor's organization, for whoever may see the vendor."""
    from steward.people.selectors import user_list

    return (
        user_list(user=user)
        .filter(
            profile__kind=UserKind.EXTERNAL,
            profile__organization_id=supplier.relationship.organization_id,
        )
        .order_by("last_name", "first_name", "pk")
    )


def shared_scorecards(*, user: Any) -> QuerySet[Scorecard]:
    """Scorecards shared with the user's organization, newest period first."""
    return (
        Scorecard.objects.restrict(user, Action.VIEW)
        .filter(shared_with_portal=True)
        .select_related("period", "relationship__organization")
        .order_by("-period__starts_on", "-pk")
    )


def shared_actions(*, user: Any) -> QuerySet[ActionItem]:
    """Open actions on the vendor's side that were shared with its portal, soonest first."""
    return (
        ActionItem.objects.restrict(user, Action.VIEW)
        .filter(
            Q(shared_with_portal=True),
            side=ActionSide.THEIRS,
            status=ActionStatus.OPEN,
            archived_at__isnull=True,
        )
        .select_related("owner_contact")
        .order_by("due_on", "pk")
    )
