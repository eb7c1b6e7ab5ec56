"""A card shared with the counterparty, their comments and appeals, and recorded corrections.

A card's score never changes silently: after the engine scored it, the only way it changes is
``card_correct``, which re-weights the card through ``scoring.score_card`` with one criterion's
corrected score, re-classifies its standing and records the card before and after. An appeal is
upheld only when a correction was recorded for it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, principal_for, require
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, lock_for_update, save_with_history
from steward.scorecards import scoring
from steward.scorecards.choices import AppealKind, AppealStatus, PeriodStatus
from steward.scorecards.models import (
    CriterionScore,
    ScoreAppeal,
    Scorecard,
    ScorecardCriterion,
    ScoreCorrection,
)
from steward.scorecards.services.consequences import apply_to_cards, card_url
from steward.scorecards.services.templates import standings_of

APPEAL_RAISED_ALERT = "scorecards.appeal_raised"
APPEAL_ANSWERED_ALERT = "scorecards.appeal_answered"
CARD_SHARED_ALERT = "scorecards.card_shared"
WEIGHT_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")


def card_share(*, actor: Any, card: Scorecard, shared: bool) -> Scorecard:
    """Share the card with the counterparty's portal users (or stop sharing it).

    Sharing again changes nothing; the card records who shared it and when.
    """
    require(actor, Action.CHANGE, card)
    with transaction.atomic():
        locked = Scorecard.objects.select_for_update().get(pk=card.pk)
        if locked.shared_with_portal == shared:
            return locked
        locked.shared_with_portal = shared
        locked.shared_at = timezone.now() if shared else None
        locked.shared_by = actor if shared else None
        locked.save(update_fields=["shared_with_portal", "shared_at", "shared_by"])
    return locked


def _card_codes(card: Scorecard) -> set[str]:
    return set(
        CriterionScore.objects.filter(card=card).values_list("criterion__code", flat=True)
    ) | set(
        ScorecardCriterion.objects.filter(version_id=card.period.version_id).values_list(
            "code", flat=True
        )
    )


def appeal_raise(
    *, actor: Any, card: Scorecard, kind: str, body: str, criterion_code: str = ""
) -> ScoreAppeal:
    """Comment on or appeal a card's score.

    Internal people who may see the card (and may write at all) can, and the counterparty's
    portal users while the card is shared with them. The relationship's owner is told.
    """
    principal = principal_for(actor)
    require(actor, Action.VIEW, card)  # a portal user sees only their own shared cards
    if not principal.is_external and not principal.may_write:
        raise PermissionDenied("You may read this card but not comment on it.")
    if kind not in AppealKind.values:
        raise DomainError(
            f"Say whether this is a comment or an appeal, not {kind!r}.",
            field="kind",
            code="invalid_choice",
        )
    body = (body or "").strip()
    if not body:
        raise DomainError("Say what the comment or appeal is about.", field="body", code="required")
    criterion_code = (criterion_code or "").strip()
    if criterion_code and criterion_code not in _card_codes(card):
        raise DomainError(
            f"{criterion_code!r} is not a criterion on this card.",
            field="criterion_code",
            code="unknown_criterion",
        )
    with transaction.atomic():
        appeal = create_record(
            ScoreAppeal(
                card=card, kind=kind, body=body, criterion_code=criterion_code, raised_by=actor
            ),
            actor=actor,
        )
        relationship = card.relationship
        if relationship.owner_id != actor.pk:
            notifications_send(
                [
                    Alert(
                        recipient_id=relationship.owner_id,
                        kind=APPEAL_RAISED_ALERT,
                        title=(
                            f"{appeal.get_kind_display()} on the scorecard of "
                            f"{relationship.organization} ({card.period.label})"
                        ),
                        body=body[:500],
                        url=card_url(card),
                    )
                ]
            )
    return appeal


def appeal_answer(*, actor: Any, appeal: ScoreAppeal, answer: str, uphold: bool) -> ScoreAppeal:
    """Answer an open comment or appeal. Upholding it needs a correction recorded for it first
    (``card_correct(..., appeal=appeal)``); otherwise the score is kept."""
    require(actor, Action.CHANGE, appeal.card)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("Write the answer.", field="answer", code="required")
    with transaction.atomic():
        locked = lock_for_update(appeal, expected_version=None)
        if locked.status != AppealStatus.OPEN:
            raise DomainError(
                "This appeal has been answered already.", field="answer", code="answered"
            )
        if uphold and not locked.corrections.exists():
            raise DomainError(
                "Record the correction of the score before upholding the appeal.",
                field="uphold",
                code="correction_required",
            )
        locked.status = AppealStatus.UPHELD if uphold else AppealStatus.ANSWERED
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        save_with_history(locked, actor=actor, reason="Upheld" if uphold else "Answered")
        if locked.raised_by_id != actor.pk:
            notifications_send(
                [
                    Alert(
                        recipient_id=locked.raised_by_id,
                        kind=APPEAL_ANSWERED_ALERT,
                        title=f"Your {locked.get_kind_display().lower()} was answered",
                        body=answer[:500],
                        url=card_url(locked.card),
                    )
                ]
            )
    return locked


def _to_score(value: Any) -> Decimal | None:
    """A corrected criterion score: 0-100 (two places), or None for "no data"."""
    if value is None:
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise DomainError("A score is a number from 0 to 100.", field="to_score", code="invalid")
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError(
            f"A score is from 0 to 100, not {score}.", field="to_score", code="out_of_range"
        )
    return score.quantize(SCORE_PLACES)


def rescore(weights: dict[str, Decimal], scores: dict[str, Decimal | None]) -> scoring.CardScore:
    """A card's weighted score from its criteria's weights and scores (None is no data)."""
    return scoring.score_card(scoring.Card.of(weights), scores)


def card_correct(
    *,
    actor: Any,
    card: Scorecard,
    criterion: ScorecardCriterion,
    to_score: Any,
    reason: str,
    appeal: ScoreAppeal | None = None,
) -> ScoreCorrection:
    """Correct one criterion's score on a card, in an open or a closed period.

    The card is re-weighted through ``scoring.score_card`` (a criterion corrected to None has no
    data and the other weights are renormalised), its standing re-classified through the
    template's standings, and the correction recorded with the card's score and standing before
    and after. In a closed period, the new standing's consequences are applied.
    """
    require(actor, Action.CHANGE, card)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the score is corrected.", field="reason", code="required")
    score = _to_score(to_score)
    if appeal is not None and appeal.card_id != card.pk:
        raise DomainError("The appeal is about another card.", field="appeal", code="mismatch")
    if appeal is not None and appeal.status != AppealStatus.OPEN:
        raise DomainError(
            "The appeal has been answered; corrections for it are closed.",
            field="appeal",
            code="answered",
        )
    with transaction.atomic():
        locked = (
            Scorecard.objects.select_for_update(of=("self",))
            .select_related("period__template", "relationship__organization")
            .get(pk=card.pk)
        )
        if locked.period.status not in (PeriodStatus.OPEN, PeriodStatus.CLOSED):
            raise DomainError("The card's period cannot be corrected.", code="period_state")
        rows = {
            row.criterion.code: row
            for row in CriterionScore.objects.filter(card=locked).select_related("criterion")
        }
        row = rows.get(criterion.code)
        if row is None or row.criterion_id != criterion.pk:
            raise DomainError(
                f"{criterion} is not a criterion on this card.",
                field="criterion",
                code="unknown_criterion",
            )
        if row.score == score:
            raise DomainError(
                f"{criterion} scores {score} already; nothing to correct.",
                field="to_score",
                code="unchanged",
            )
        criteria = list(
            ScorecardCriterion.objects.filter(version_id=locked.period.version_id).order_by(
                "position", "pk"
            )
        )
        weights = {c.code: Decimal(c.weight) for c in criteria}
        scores: dict[str, Decimal | None] = {
            code: (rows[code].score if code in rows else None) for code in weights
        }
        scores[criterion.code] = score
        result = rescore(weights, scores)
        band = standings_of(locked.period.template).classify(result.overall)
        before = (locked.score, locked.standing)
        from_score = row.score

        row.score = score
        applied = {item.key: item.applied_weight for item in result.criteria}
        for code, other in rows.items():
            other.applied_weight = applied.get(code, Decimal(0)).quantize(WEIGHT_PLACES)
        CriterionScore.objects.bulk_update(list(rows.values()), ["score", "applied_weight"])

        locked.score = result.overall
        locked.standing = band.name if band is not None else ""
        locked.missing = list(result.missing)
        locked.corrected = True
        locked.save(update_fields=["score", "standing", "missing", "corrected"])
        correction = ScoreCorrection.objects.create(
            card=locked,
            criterion=criterion,
            appeal=appeal,
            from_score=from_score,
            to_score=score,
            card_from=before[0],
            card_to=locked.score,
            standing_from=before[1],
            standing_to=locked.standing,
            reason=reason,
            actor=actor,
        )
        if locked.period.status == PeriodStatus.CLOSED and locked.score is not None:
            apply_to_cards([locked])
    return correction
