"""Reads of the handoffs app, every one starting from the access policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from steward.core.access import Action, get_for_user
from steward.handoffs import lifecycle
from steward.handoffs.choices import ItemKind
from steward.handoffs.filtersets import HandoffFilterSet, HandoffItemFilterSet
from steward.handoffs.models import Handoff, HandoffItem, HandoffTransition
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship
from steward.pipeline.choices import Stage
from steward.pipeline.models import Opportunity

User = get_user_model()


def handoff_list(*, user: Any) -> QuerySet[Handoff]:
    return Handoff.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "handed_over_by", "receiver", "opportunity"
    )


def with_item_counts(rows: QuerySet[Handoff], *, today: dt.date | None = None) -> QuerySet[Handoff]:
    """Each handoff's open and overdue item counts, in the same query."""
    today = today or timezone.localdate()
    live = Q(items__archived_at__isnull=True, items__closed_at__isnull=True)
    return rows.annotate(
        open_count=Count("items", filter=live, distinct=True),
        overdue_count=Count("items", filter=live & Q(items__due_on__lt=today), distinct=True),
    )


def handoff_filterset(*, user: Any, filters: Any) -> HandoffFilterSet:
    rows = with_item_counts(handoff_list(user=user)).order_by("-created_at", "-pk")
    return HandoffFilterSet(filters, queryset=rows)


def handoff_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Handoff:
    rows = Handoff.objects.select_related(
        "relationship__organization", "handed_over_by", "receiver", "opportunity"
    )
    return get_for_user(rows, user=user, pk=pk, action=action)


def item_list(*, user: Any) -> QuerySet[HandoffItem]:
    return HandoffItem.objects.restrict(user, Action.VIEW).select_related(
        "owner", "contact", "closed_by"
    )


def item_filterset(*, user: Any, filters: Any) -> HandoffItemFilterSet:
    return HandoffItemFilterSet(filters, queryset=item_list(user=user).order_by("handoff_id", "pk"))


def item_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> HandoffItem:
    rows = HandoffItem.objects.select_related(
        "handoff__relationship__organization", "owner", "contact", "closed_by"
    )
    return get_for_user(rows, user=user, pk=pk, action=action)


def items_of(handoff: Handoff) -> QuerySet[HandoffItem]:
    """The handoff's items (not removed): open first, then by due date."""
    return (
        handoff.items.filter(archived_at__isnull=True)
        .select_related("owner", "contact", "closed_by")
        .order_by("closed_at", "due_on", "pk")
    )


def items_by_kind(handoff: Handoff) -> list[dict[str, Any]]:
    """The items grouped by kind in the kinds' order, each group with its open and closed rows."""
    rows = list(items_of(handoff))
    groups = []
    for kind, label in ItemKind.choices:
        of_kind = [row for row in rows if row.kind == kind]
        groups.append(
            {
                "kind": kind,
                "label": label,
                "open": [row for row in of_kind if row.closed_at is None],
                "closed": [row for row in of_kind if row.closed_at is not None],
            }
        )
    return groups


def timeline_of(handoff: Handoff) -> QuerySet[HandoffTransition]:
    return handoff.transitions.select_related("actor").order_by("at", "pk")


def account_handoffs(*, user: Any, relationship: Relationship) -> QuerySet[Handoff]:
    """The account's handoffs the user may see, newest first, with their item counts."""
    rows = handoff_list(user=user).filter(relationship=relationship, archived_at__isnull=True)
    return with_item_counts(rows).order_by("-created_at", "-pk")


def open_items_of_account(*, user: Any, relationship: Relationship) -> QuerySet[HandoffItem]:
    """Open items of the account's handoffs still going, overdue first (by due date, the
    undated last)."""
    return (
        item_list(user=user)
        .filter(
            handoff__relationship=relationship,
            handoff__status__in=lifecycle.WORKING,
            archived_at__isnull=True,
            closed_at__isnull=True,
        )
        .select_related("handoff")
        .order_by("due_on", "pk")
    )


def due_items_for(*, user: Any, until: dt.date) -> QuerySet[HandoffItem]:
    """Open, dated items of live handoffs the user receives or owns, due by ``until``."""
    return (
        item_list(user=user)
        .filter(
            Q(handoff__receiver_id=user.pk) | Q(owner_id=user.pk),
            handoff__status__in=lifecycle.LIVE,
            handoff__archived_at__isnull=True,
            archived_at__isnull=True,
            closed_at__isnull=True,
            due_on__isnull=False,
            due_on__lte=until,
        )
        .select_related("handoff__relationship__organization")
        .order_by("due_on", "pk")
    )


# --- choices for forms and the API ---------------------------------------------------------------


def account_choices(*, user: Any) -> QuerySet[Relationship]:
    """Accounts the user may prepare a handoff of: business development and administrators any
    customer account (by name), others the accounts they may change."""
    from steward.handoffs.rules import may_prepare

    accounts = Relationship.objects.filter(side=Side.DEMAND, archived_at__isnull=True)
    if may_prepare(user):
        from steward.core.access import principal_for
        from steward.handoffs.rules import PREPARING_FUNCTIONS

        principal = principal_for(user)
        if principal.is_admin or principal.function in PREPARING_FUNCTIONS:
            return accounts.select_related("organization").order_by(
                "organization__display_name", "pk"
            )
    changeable = Relationship.objects.restrict(user, Action.CHANGE).values("pk")
    return (
        accounts.filter(pk__in=changeable)
        .select_related("organization")
        .order_by("organization__display_name", "pk")
    )


def won_opportunities(relationship: Relationship | None = None) -> QuerySet[Opportunity]:
    """Won opportunities (of the account), read through the ORM: the service checks the account."""
    rows = Opportunity.objects.filter(stage=Stage.WON, archived_at__isnull=True)
    if relationship is not None:
        rows = rows.filter(relationship=relationship)
    return rows.order_by("-closed_on", "-pk")


def contact_choices(*, user: Any, relationship: Relationship | None = None) -> QuerySet[Contact]:
    """Customer contacts (the directory every inside user reads), of the account's group."""
    from steward.handoffs.services.items import group_organization_ids

    rows = Contact.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)
    if relationship is not None:
        rows = rows.filter(organization_id__in=group_organization_ids(relationship.organization))
    return rows.select_related("organization").order_by("last_name", "first_name", "pk")


def people_choices(*, user: Any) -> QuerySet[Any]:
    from steward.people.selectors import internal_user_choices

    return internal_user_choices(user=user).order_by("first_name", "last_name", "username")
