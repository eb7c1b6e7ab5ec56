"""Scoring the non-price criteria of a weighted event, once its bids are unsealed and until an
award is proposed (the ranking an award is proposed on must not move under it)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from steward.awards.matrix import require_closed
from steward.awards.models import CriterionScore
from steward.awards.services.common import lock_event, plain_text
from steward.bidding.models import Bid
from steward.core.access import require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.services import create_record, update_record
from steward.sourcing.choices import EvaluationMethod, EventStatus, LogAction
from steward.sourcing.models import EvaluationCriterion, EventInvitation
from steward.sourcing.services.log import log_event
from steward.sourcing.services.status import ensure_closed


def _value(value: Any, criterion: EvaluationCriterion) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise DomainError(f"“{value}” is not a number.", field="value") from error
    if not number.is_finite():
        raise DomainError(f"“{value}” is not a number.", field="value")
    if number < 0 or number > criterion.max_value:
        raise DomainError(
            f"{criterion.name} is scored from 0 to {criterion.max_value}.",
            field="value",
            code="out_of_range",
        )
    if number != number.quantize(Decimal("0.0001")):
        raise DomainError("A score has at most four decimal places.", field="value")
    return number


def _check(invitation: EventInvitation, criterion: EvaluationCriterion) -> None:
    event = invitation.event
    if event.evaluation_method != EvaluationMethod.WEIGHTED:
        raise DomainError(
            "Only a weighted event has criteria to score.", field="criterion", code="not_weighted"
        )
    if criterion.event_id != event.pk or criterion.archived_at is not None:
        raise DomainError("Choose a current criterion of this event.", field="criterion")
    require_closed(event)
    bid = Bid.objects.filter(invitation=invitation, submitted_at__lte=event.closes_at)
    if not bid.exists():
        raise DomainError(
            f"{invitation.supplier} did not bid: there is nothing to score.",
            field="invitation",
            code="no_bid",
        )


def criterion_score_set(
    *,
    actor: Any,
    invitation: EventInvitation,
    criterion: EvaluationCriterion,
    value: Any,
    note: str = "",
) -> CriterionScore:
    """Give (or change) an invitee's value on one criterion, between 0 and its maximum."""
    require_create(actor, CriterionScore, parent=invitation)
    _check(invitation, criterion)
    number = _value(value, criterion)
    note = plain_text(note, field="note")
    ensure_closed(invitation.event)
    with transaction.atomic():
        event = lock_event(invitation.event)
        if event.status != EventStatus.CLOSED:
            raise TransitionError(
                f"Scores are given while the event is closed and before an award is proposed; "
                f"it is {event.get_status_display().lower()}.",
                field="status",
            )
        current = CriterionScore.objects.filter(invitation=invitation, criterion=criterion).first()
        if current is None:
            score = create_record(
                CriterionScore(
                    invitation=invitation,
                    criterion=criterion,
                    value=number,
                    note=note,
                    scored_by=actor,
                ),
                actor=actor,
                reason="Scored",
            )
        else:
            score = update_record(
                current,
                actor=actor,
                expected_version=None,
                changes={"value": number, "note": note, "scored_by": actor},
                reason="Score changed",
            )
        log_event(
            event,
            LogAction.SCORED,
            f"“{criterion.name}” scored for an invitee.",
            actor=actor,
            invitation=invitation,
        )
    return score
