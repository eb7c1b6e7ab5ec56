"""Shared cards, comments and appeals, and corrections: the only way a closed card's score moves,
re-weighted like the engine and recorded before and after."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.scorecards import scoring
from steward.scorecards.choices import AppealKind, AppealStatus
from steward.scorecards.models import (
    ImprovementPlan,
    ScoreAppeal,
    Scorecard,
    ScorecardCriterion,
    ScoreCorrection,
)
from steward.scorecards.services.feedback import (
    APPEAL_ANSWERED_ALERT,
    APPEAL_RAISED_ALERT,
    appeal_answer,
    appeal_raise,
    card_correct,
    card_share,
)
from steward.scorecards.tests.factories import period_with_criteria, scored_card

pytestmark = pytest.mark.django_db

SCORES = {"delivery": Decimal(40), "quality": Decimal(80), "relationship": Decimal(75)}
# (40*40 + 30*80 + 30*75) / 100 = 62.50 -> watch


def card_of(cast: Cast, *, closed: bool = True, shared: bool = False) -> Scorecard:
    period = period_with_criteria(closed=closed)
    return scored_card(
        period=period, relationship=cast.rel_a, scores=SCORES, shared_with_portal=shared
    )


def criterion(card: Scorecard, code: str) -> ScorecardCriterion:
    return ScorecardCriterion.objects.get(version=card.period.version, code=code)


# --- sharing ---------------------------------------------------------------------------------


def test_share_and_unshare(cast: Cast) -> None:
    card = card_of(cast)
    shared = card_share(actor=cast.owner, card=card, shared=True)
    assert shared.shared_with_portal
    assert shared.shared_by == cast.owner
    assert shared.shared_at is not None
    assert Scorecard.objects.restrict(cast.portal_a).filter(pk=card.pk).exists()
    assert not Scorecard.objects.restrict(cast.portal_b).filter(pk=card.pk).exists()
    again = card_share(actor=cast.member, card=card, shared=True)
    assert again.shared_by == cast.owner  # nothing changed
    hidden = card_share(actor=cast.owner, card=card, shared=False)
    assert (hidden.shared_with_portal, hidden.shared_by, hidden.shared_at) == (False, None, None)


@pytest.mark.parametrize("role", ["reviewer", "outsider", "auditor", "portal_a"])
def test_who_may_not_share(cast: Cast, role: str) -> None:
    card = card_of(cast)
    with pytest.raises(PermissionDenied):
        card_share(actor=cast.user(role), card=card, shared=True)
    card.refresh_from_db()
    assert not card.shared_with_portal


# --- appeals ---------------------------------------------------------------------------------


def test_a_portal_user_appeals_a_shared_card_and_the_owner_is_told(cast: Cast) -> None:
    card = card_of(cast, shared=True)
    appeal = appeal_raise(
        actor=cast.portal_a,
        card=card,
        kind=AppealKind.APPEAL,
        body="  February's late deliveries were your forecast change.  ",
        criterion_code="delivery",
    )
    assert appeal.status == AppealStatus.OPEN
    assert appeal.body == "February's late deliveries were your forecast change."
    assert appeal.raised_by == cast.portal_a
    assert appeal.history.count() == 1
    alert = Notification.objects.get(kind=APPEAL_RAISED_ALERT)
    assert alert.recipient == cast.owner


def test_internal_viewers_may_comment(cast: Cast) -> None:
    card = card_of(cast)
    comment = appeal_raise(actor=cast.reviewer, card=card, kind="comment", body="Fair score.")
    assert comment.kind == AppealKind.COMMENT


@pytest.mark.parametrize("role", ["portal_b", "outsider", "auditor"])
def test_who_may_not_appeal(cast: Cast, role: str) -> None:
    card = card_of(cast, shared=True)
    with pytest.raises(PermissionDenied):
        appeal_raise(actor=cast.user(role), card=card, kind="appeal", body="Unfair")
    assert not ScoreAppeal.objects.exists()


def test_a_portal_user_may_not_appeal_an_unshared_card(cast: Cast) -> None:
    card = card_of(cast, shared=False)
    with pytest.raises(PermissionDenied):
        appeal_raise(actor=cast.portal_a, card=card, kind="appeal", body="Unfair")
    assert not ScoreAppeal.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "   "}, "body"),
        ({"kind": "complaint"}, "kind"),
        ({"criterion_code": "taste"}, "criterion_code"),
    ],
)
def test_appeal_input_errors_name_the_field(cast: Cast, fields: dict[str, Any], field: str) -> None:
    card = card_of(cast, shared=True)
    values = {"kind": "appeal", "body": "Unfair", **fields}
    with pytest.raises(DomainError) as error:
        appeal_raise(actor=cast.portal_a, card=card, **values)
    assert error.value.field == field
    assert not ScoreAppeal.objects.exists()


def test_answer_keeps_the_score_or_upholds_only_after_a_correction(cast: Cast) -> None:
    card = card_of(cast, shared=True)
    appeal = appeal_raise(actor=cast.portal_a, card=card, kind="appeal", body="Unfair")
    with pytest.raises(DomainError) as error:
        appeal_answer(actor=cast.owner, appeal=appeal, answer="You are right", uphold=True)
    assert (error.value.field, error.value.code) == ("uphold", "correction_required")
    with pytest.raises(DomainError) as error:
        appeal_answer(actor=cast.owner, appeal=appeal, answer="  ", uphold=False)
    assert error.value.field == "answer"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN

    card_correct(
        actor=cast.owner,
        card=card,
        criterion=criterion(card, "delivery"),
        to_score=Decimal(70),
        reason="Forecast change on our side",
        appeal=appeal,
    )
    upheld = appeal_answer(actor=cast.owner, appeal=appeal, answer="Corrected", uphold=True)
    assert upheld.status == AppealStatus.UPHELD
    assert upheld.answered_by == cast.owner
    assert Notification.objects.get(kind=APPEAL_ANSWERED_ALERT).recipient == cast.portal_a
    with pytest.raises(DomainError) as error:
        appeal_answer(actor=cast.owner, appeal=upheld, answer="Again", uphold=False)
    assert error.value.code == "answered"


def test_answer_without_uphold(cast: Cast) -> None:
    card = card_of(cast, shared=True)
    appeal = appeal_raise(actor=cast.portal_a, card=card, kind="comment", body="Hm")
    answered = appeal_answer(actor=cast.member, appeal=appeal, answer="Noted", uphold=False)
    assert (answered.status, answered.answer) == (AppealStatus.ANSWERED, "Noted")
    card.refresh_from_db()
    assert card.score == Decimal("62.50")


@pytest.mark.parametrize("role", ["reviewer", "portal_a", "outsider", "auditor"])
def test_who_may_not_answer(cast: Cast, role: str) -> None:
    card = card_of(cast, shared=True)
    appeal = appeal_raise(actor=cast.portal_a, card=card, kind="appeal", body="Unfair")
    with pytest.raises(PermissionDenied):
        appeal_answer(actor=cast.user(role), appeal=appeal, answer="No", uphold=False)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_reweights_reclassifies_and_records_before_and_after(cast: Cast) -> None:
    card = card_of(cast)
    assert (card.score, card.standing) == (Decimal("62.50"), "watch")
    correction = card_correct(
        actor=cast.owner,
        card=card,
        criterion=criterion(card, "delivery"),
        to_score="85",
        reason="Two deliveries were booked late by our warehouse",
    )
    card.refresh_from_db()
    # (40*85 + 30*80 + 30*75) / 100 = 80.50 -> good
    assert (card.score, card.standing, card.corrected) == (Decimal("80.50"), "good", True)
    assert (correction.from_score, correction.to_score) == (Decimal(40), Decimal(85))
    assert (correction.card_from, correction.card_to) == (Decimal("62.50"), Decimal("80.50"))
    assert (correction.standing_from, correction.standing_to) == ("watch", "good")
    assert correction.actor == cast.owner
    assert card.criteria.get(criterion__code="delivery").score == Decimal(85)


def test_correcting_to_no_data_renormalises_and_lists_the_criterion_missing(cast: Cast) -> None:
    card = card_of(cast)
    card_correct(
        actor=cast.owner,
        card=card,
        criterion=criterion(card, "delivery"),
        to_score=None,
        reason="The delivery feed was broken all quarter",
    )
    card.refresh_from_db()
    # (30*80 + 30*75) / 60 = 77.50
    assert card.score == Decimal("77.50")
    assert card.missing == ["delivery"]
    weights = dict(card.criteria.values_list("criterion__code", "applied_weight"))
    assert weights == {"delivery": Decimal(0), "quality": Decimal(50), "relationship": Decimal(50)}


def test_a_correction_into_poor_in_a_closed_period_requires_a_plan(cast: Cast) -> None:
    card = card_of(cast)
    card_correct(
        actor=cast.owner,
        card=card,
        criterion=criterion(card, "quality"),
        to_score=Decimal(0),
        reason="Recall found after close",
    )
    card.refresh_from_db()
    # (40*40 + 30*0 + 30*75) / 100 = 38.50 -> poor
    assert card.standing == "poor"
    assert ImprovementPlan.objects.filter(relationship=cast.rel_a, card=card).exists()


def test_corrections_in_an_open_period_too(cast: Cast) -> None:
    card = card_of(cast, closed=False)
    card_correct(
        actor=cast.member,
        card=card,
        criterion=criterion(card, "relationship"),
        to_score=100,
        reason="Survey mis-keyed",
    )
    card.refresh_from_db()
    assert card.score == Decimal("70.00")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"to_score": "101"}, "to_score"),
        ({"to_score": "-0.5"}, "to_score"),
        ({"to_score": "much"}, "to_score"),
        ({"to_score": Decimal(40)}, "to_score"),  # unchanged
    ],
)
def test_correction_errors_name_the_field_and_change_nothing(
    cast: Cast, fields: dict[str, Any], field: str
) -> None:
    card = card_of(cast)
    values = {"to_score": Decimal(60), "reason": "Because", **fields}
    with pytest.raises(DomainError) as error:
        card_correct(actor=cast.owner, card=card, criterion=criterion(card, "delivery"), **values)
    assert error.value.field == field
    card.refresh_from_db()
    assert (card.score, card.corrected) == (Decimal("62.50"), False)
    assert not ScoreCorrection.objects.exists()


def test_correction_refuses_another_cards_criterion_or_appeal(cast: Cast) -> None:
    card = card_of(cast)
    other = scored_card(period=period_with_criteria(), relationship=cast.rel_a, scores=SCORES)
    with pytest.raises(DomainError) as error:
        card_correct(
            actor=cast.owner,
            card=card,
            criterion=criterion(other, "delivery"),
            to_score=50,
            reason="x",
        )
    assert error.value.field == "criterion"
    foreign = appeal_raise(actor=cast.owner, card=other, kind="appeal", body="x")
    with pytest.raises(DomainError) as error:
        card_correct(
            actor=cast.owner,
            card=card,
            criterion=criterion(card, "delivery"),
            to_score=50,
            reason="x",
            appeal=foreign,
        )
    assert error.value.field == "appeal"
    assert not ScoreCorrection.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "portal_a", "outsider", "auditor", "manager"])
def test_who_may_not_correct(cast: Cast, role: str) -> None:
    card = card_of(cast, shared=True)
    with pytest.raises(PermissionDenied):
        card_correct(
            actor=cast.user(role),
            card=card,
            criterion=criterion(card, "delivery"),
            to_score=90,
            reason="Mine",
        )
    card.refresh_from_db()
    assert card.score == Decimal("62.50")


scores_or_none = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.fixed_dictionaries(
        {"delivery": scores_or_none, "quality": scores_or_none, "relationship": scores_or_none}
    ),
    code=st.sampled_from(["delivery", "quality", "relationship"]),
    to_score=scores_or_none,
)
def test_a_correction_equals_score_card_of_the_corrected_criteria(
    cast: Cast, start: dict[str, Decimal | None], code: str, to_score: Decimal | None
) -> None:
    if start[code] == to_score:
        return
    card = scored_card(period=period_with_criteria(), relationship=cast.rel_a, scores=start)
    card_correct(
        actor=cast.owner,
        card=card,
        criterion=criterion(card, code),
        to_score=to_score,
        reason="Property",
    )
    card.refresh_from_db()
    expected = scoring.score_card(
        scoring.Card.of(
            {"delivery": Decimal(40), "quality": Decimal(30), "relationship": Decimal(30)}
        ),
        {**start, code: to_score},
    )
    assert card.score == expected.overall
    assert card.score is None or Decimal(0) <= card.score <= Decimal(100)
    assert card.missing == list(expected.missing)
