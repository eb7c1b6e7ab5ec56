"""What the pipeline's services share: text, the opportunity's lock, its stage history and the
sums of its lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from steward.core.errors import DomainError
from steward.pipeline.amounts import to_cents
from steward.pipeline.models import Opportunity, OpportunityLine, StageChange


def locked(opportunity: Opportunity) -> Opportunity:
    """The opportunity's row under a lock: changes to it and its parts are serialized by it."""
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def require_open(opportunity: Opportunity, what: str) -> None:
    if opportunity.is_closed:
        raise DomainError(
            f"The opportunity is {opportunity.get_stage_display().lower()}: {what} only while "
            "it is open (reopen a lost one first).",
            code="closed",
        )


def require_current(opportunity: Opportunity) -> None:
    if opportunity.is_archived:
        raise DomainError(
            "This opportunity is archived; restore it before changing it.", code="archived"
        )


def record_stage_change(opportunity: Opportunity, *, actor: Any, from_stage: str) -> StageChange:
    """Keep the moment: stage, probability, category, amount and close date as they are now."""
    return StageChange.objects.create(
        opportunity=opportunity,
        from_stage=from_stage,
        to_stage=opportunity.stage,
        probability=opportunity.probability,
        forecast_category=opportunity.forecast_category,
        amount=opportunity.amount,
        currency=opportunity.currency,
        close_date=opportunity.close_date,
        changed_at=timezone.now(),
        actor=actor,
    )


TRACKED = ("stage", "amount", "close_date", "forecast_category")


def tracked_state(opportunity: Opportunity) -> tuple[Any, ...]:
    return tuple(getattr(opportunity, name) for name in TRACKED)


def line_sums(opportunity: Opportunity) -> tuple[Any, Any]:
    """The sums of the current lines, as the opportunity keeps them."""
    sums = OpportunityLine.objects.filter(
        opportunity=opportunity, archived_at__isnull=True
    ).aggregate(amount=Sum("amount"), cost=Sum("cost"))
    return to_cents(sums["amount"] or Decimal(0)), to_cents(sums["cost"] or Decimal(0))
