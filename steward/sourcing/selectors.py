"""Reads of sourcing events, each starting from the access policy.

The parts of an event (lines, documents, questions, criteria, team, invitations, questions and
answers, the log) are read for an event that was fetched through the policy first; the API's
lists of parts go through the policy row by row (``part_list``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from steward.core.access import Action, RestrictedQuerySet, get_for_user
from steward.scorecards.services.consequences import sourcing_blocked
from steward.sourcing.choices import EventStatus, InvitationStatus
from steward.sourcing.eligibility import (
    NOT_PREQUALIFIED,
    STANDING_BLOCKS,
    Eligibility,
    prequalified,
    split_prequalified,
)
from steward.sourcing.filtersets import SourcingEventFilterSet
from steward.sourcing.models import (
    BidderQuestion,
    Clarification,
    EvaluationCriterion,
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
    SourcingEventMember,
)
from steward.suppliers.models import Category, Supplier

_M = TypeVar("_M", bound=Model)
# The invite screen lists at most this many vendors that need an override.
INELIGIBLE_LIMIT = 50


# --- events ------------------------------------------------------------------------------------


def event_list(*, user: Any) -> QuerySet[SourcingEvent]:
    return SourcingEvent.objects.restrict(user, Action.VIEW).select_related("category", "owner")


def event_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> SourcingEventFilterSet:
    return SourcingEventFilterSet(
        filters if filters is not None else QueryDict(), queryset=event_list(user=user)
    )


def event_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> SourcingEvent:
    return get_for_user(event_list(user=user), user=user, pk=pk, action=action)


def category_choices() -> QuerySet[Category]:
    """Categories to filter or start events by (reference data every inside user reads)."""
    return Category.objects.filter(archived_at__isnull=True).order_by("name")


def owner_choices(*, user: Any) -> QuerySet[Any]:
    """The people who own the events the user may see, to filter the list by."""
    owners = event_list(user=user).values("owner_id")
    return get_user_model().objects.filter(pk__in=owners).order_by("first_name", "last_name")


def closing_between(*, user: Any, start: dt.datetime, end: dt.datetime) -> QuerySet[SourcingEvent]:
    """Open events the user may see whose bids close in [start, end)."""
    return event_list(user=user).filter(
        status=EventStatus.OPEN,
        archived_at__isnull=True,
        closes_at__gte=start,
        closes_at__lt=end,
    )


# --- the parts of an event the user may see ----------------------------------------------------


def lines_of(event: SourcingEvent) -> QuerySet[EventLine]:
    return event.lines.filter(archived_at__isnull=True).order_by("number")


def attachments_of(event: SourcingEvent) -> QuerySet[EventAttachment]:
    return (
        event.attachments.filter(archived_at__isnull=True)
        .select_related("line", "uploaded_by")
        .order_by("line__number", "pk")
    )


def bidder_questions_of(event: SourcingEvent) -> QuerySet[BidderQuestion]:
    return event.bidder_questions.filter(archived_at__isnull=True).order_by("number")


def criteria_of(event: SourcingEvent) -> QuerySet[EvaluationCriterion]:
    return event.criteria.filter(archived_at__isnull=True).order_by("order", "pk")


def members_of(event: SourcingEvent) -> QuerySet[SourcingEventMember]:
    return event.members.filter(archived_at__isnull=True).select_related("user")


def invitations_of(event: SourcingEvent) -> QuerySet[EventInvitation]:
    """The invitees with how many bid versions each has submitted: a count, never contents
    (the bids themselves are sealed until the closing time)."""
    return (
        event.invitations.filter(archived_at__isnull=True)
        .select_related("supplier__relationship__organization", "invited_by")
        .annotate(bid_count=Count("bids", distinct=True))
        .order_by("supplier__relationship__organization__display_name", "pk")
    )


def clarifications_of(event: SourcingEvent) -> QuerySet[Clarification]:
    """Every question and answer, with who asked: for the buyer's side only."""
    return (
        event.clarifications.filter(archived_at__isnull=True)
        .select_related("invitation__supplier__relationship__organization", "asked_by")
        .order_by("published_at", "pk")
    )


def log_of(event: SourcingEvent, *, actions: list[str] | None = None) -> QuerySet[EventLogEntry]:
    """The event's log, oldest first; only ``actions`` when given."""
    entries = EventLogEntry.objects.filter(event=event).select_related(
        "actor", "invitation__supplier__relationship__organization"
    )
    if actions:
        entries = entries.filter(action__in=actions)
    return entries.order_by("at", "pk")


def part_list(*, user: Any, model: type[_M]) -> RestrictedQuerySet[_M]:
    """The API's list of one kind of event part: every row whose event the user may see."""
    rows: RestrictedQuerySet[_M] = model._default_manager.restrict(user, Action.VIEW)  # type: ignore[attr-defined]
    return rows


def part_get(*, user: Any, model: type[_M], pk: Any, action: Action | str = Action.VIEW) -> _M:
    return get_for_user(model._default_manager.all(), user=user, pk=pk, action=action)


# --- who may be invited ------------------------------------------------------------------------


@dataclass
class InviteChoices:
    """The invite screen: vendors one may simply invite, and those that need a reason."""

    eligible: list[Supplier]
    ineligible: list[Eligibility]
    on: dt.date


def invite_choices(*, user: Any, event: SourcingEvent, search: str = "") -> InviteChoices:
    """Eligible vendors not invited yet, and ineligible ones with why: those prequalified whose
    standing blocks sourcing, and vendors the user may see that supply the category (or match
    ``search``) without being prequalified for it."""
    today = timezone.localdate()
    invited = set(event.invitations.values_list("supplier_id", flat=True))
    eligible, blocked = split_prequalified(event.category, today)
    candidates = (
        Supplier.objects.restrict(user, Action.VIEW)
        .active()
        .exclude(pk__in=prequalified(event.category, today).values("pk"))
        .exclude(pk__in=invited)
        .select_related("relationship__organization")
        .order_by("relationship__organization__display_name")
    )
    words = [word.lower() for word in search.split()[:4]]
    if words:
        for word in words:
            candidates = candidates.filter(relationship__organization__display_name__icontains=word)
        blocked = [e for e in blocked if all(w in str(e.supplier).lower() for w in words)]
    else:
        candidates = candidates.filter(categories=event.category)
    unqualified = [
        Eligibility(
            supplier=supplier,
            reasons=(
                NOT_PREQUALIFIED,
                *((STANDING_BLOCKS,) if sourcing_blocked(supplier.pk) else ()),
            ),
        )
        for supplier in candidates.distinct()[:INELIGIBLE_LIMIT]
    ]
    return InviteChoices(
        eligible=[s for s in eligible if s.pk not in invited],
        ineligible=[e for e in blocked if e.supplier.pk not in invited] + unqualified,
        on=today,
    )


# --- the portal --------------------------------------------------------------------------------


def invitation_for_portal(*, user: Any, event_id: int) -> EventInvitation:
    """The user's organization's invitation to the event, as the policy shows it to portal
    users (published, their own organization's); 404 otherwise."""
    invitation = (
        EventInvitation.objects.restrict(user, Action.VIEW)
        .filter(event_id=event_id)
        .select_related("event")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def attachment_for_invitee(*, user: Any, pk: Any) -> EventAttachment:
    """A document of an event the user's organization is invited to; 404 for anyone else's."""
    try:
        attachment = EventAttachment.objects.get(pk=pk, archived_at__isnull=True)
    except (EventAttachment.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404 from missing
    invitation_for_portal(user=user, event_id=attachment.event_id)
    return attachment


def events_for_invitee(*, user: Any) -> QuerySet[EventInvitation]:
    """The invitations a portal user's organization has, to events still taking bids."""
    return (
        EventInvitation.objects.restrict(user, Action.VIEW)
        .filter(event__status=EventStatus.OPEN, archived_at__isnull=True)
        .exclude(status=InvitationStatus.DECLINED)
        .filter(Q(event__closes_at__gt=timezone.now()))
        .select_related("event")
        .order_by("event__closes_at", "pk")
    )
