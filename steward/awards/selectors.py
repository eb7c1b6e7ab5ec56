"""Reads of evaluation and award, each starting from the access policy.

The comparison reads the bids through the policy too: before the closing time the policy hides
every bid from inside users (the seal), and ``read_sheet`` refuses before then besides.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from steward.awards.choices import AwardStatus
from steward.awards.filtersets import AwardFilterSet
from steward.awards.matrix import Comparison, comparison_of, read_sheet
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.bidding.models import Bid
from steward.core.access import Action, get_for_user, principal_for
from steward.sourcing.models import SourcingEvent


def event_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> SourcingEvent:
    return get_for_user(
        SourcingEvent.objects.select_related("category", "owner"), user=user, pk=pk, action=action
    )


def comparison(*, user: Any, event: SourcingEvent) -> Comparison:
    """The comparison matrix of a closed event the user may see (inside users only)."""
    if not principal_for(user).is_internal:
        raise PermissionDenied("The comparison of bids is for the buyer's side.")
    sheet = read_sheet(
        event,
        bids=Bid.objects.restrict(user, Action.VIEW),
        scores=CriterionScore.objects.restrict(user, Action.VIEW),
    )
    return comparison_of(sheet)


def award_list(*, user: Any) -> QuerySet[Award]:
    return (
        Award.objects.restrict(user, Action.VIEW)
        .select_related(
            "event", "invitation__supplier__relationship__organization", "contract", "savings"
        )
        .order_by("-created_at", "-pk")
    )


def award_filterset(*, user: Any, filters: Any) -> AwardFilterSet:
    return AwardFilterSet(filters, queryset=award_list(user=user))


def award_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Award:
    return get_for_user(award_list(user=user), user=user, pk=pk, action=action)


def event_awards(*, user: Any, event: SourcingEvent) -> QuerySet[Award]:
    return award_list(user=user).filter(event=event).order_by("pk")


def award_lines(*, user: Any) -> QuerySet[AwardLine]:
    return (
        AwardLine.objects.restrict(user, Action.VIEW)
        .select_related("line", "award")
        .order_by("award_id", "line__number")
    )


def criterion_scores(*, user: Any) -> QuerySet[CriterionScore]:
    return (
        CriterionScore.objects.restrict(user, Action.VIEW)
        .select_related("criterion", "invitation")
        .order_by("invitation_id", "criterion__order", "pk")
    )


def awards_to_confirm(*, user: Any) -> QuerySet[Award]:
    """A portal user's awards waiting for their confirmation, soonest deadline first."""
    return (
        award_list(user=user)
        .filter(status=AwardStatus.AWAITING_CONFIRMATION)
        .order_by("confirm_by", "pk")
    )
