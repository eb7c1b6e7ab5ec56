"""The small demo's measured performance: a vendor sliding into "poor" with an improvement plan,
an escalated issue, a review whose actions are overdue, a survey waiting for the reviewers."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from steward.contracts.models import SlaBreach
from steward.demo.services import DemoLoadResult
from steward.issues.choices import IssueSource
from steward.issues.models import Issue, IssueEscalation
from steward.reviews.choices import ActionStatus, ReviewStatus
from steward.reviews.models import ActionItem, BusinessReview
from steward.scorecards.choices import PeriodStatus, PlanStatus, SurveyStatus
from steward.scorecards.models import (
    ImprovementPlan,
    Scorecard,
    ScorecardPeriod,
    SurveyResponse,
)


def test_the_vendor_managers_vendor_slides_into_poor_with_a_plan(loaded: DemoLoadResult) -> None:
    plan = ImprovementPlan.objects.get(owner__username="vendor.manager", status=PlanStatus.OPEN)
    cards = list(
        Scorecard.objects.filter(
            relationship=plan.relationship, period__status=PeriodStatus.CLOSED
        ).order_by("period__starts_on")
    )
    # Four closed quarters, each scored lower than the one before, the last one "poor"
    assert len(cards) == 4
    scores = [card.score for card in cards if card.score is not None]
    assert len(scores) == len(cards)
    assert scores == sorted(scores, reverse=True)
    assert cards[0].standing in {"excellent", "good"}
    assert cards[-1].standing == "poor"
    # And the plan was required by the card of the last closed quarter, with targets
    assert plan.card == cards[-1]
    assert plan.targets.exists()


def test_every_card_is_within_the_scale_or_has_no_data(loaded: DemoLoadResult) -> None:
    cards = Scorecard.objects.all()
    assert cards.filter(score__isnull=False).exists()
    assert not cards.filter(score__lt=Decimal(0)).exists()
    assert not cards.filter(score__gt=Decimal(100)).exists()
    # A card without any data has no standing, never 0 or 100
    assert not cards.filter(score__isnull=True).exclude(standing="").exists()


def test_an_issue_escalated_and_every_breach_opened_one(loaded: DemoLoadResult) -> None:
    escalated = Issue.objects.filter(
        owner__username="vendor.manager", escalation_level__gte=1
    ).exclude(source=IssueSource.SLA_BREACH)
    assert escalated.exists()
    assert IssueEscalation.objects.filter(issue__in=escalated).exists()
    for breach in SlaBreach.objects.filter(cleared_at__isnull=True):
        issue = Issue.objects.get(sla_breach=breach)
        assert breach.issue_reference == issue.reference
        assert issue.opened_at == breach.opened_at


def test_a_held_review_left_overdue_actions_and_the_next_is_prepared(
    loaded: DemoLoadResult,
) -> None:
    today = timezone.localdate()
    held = BusinessReview.objects.get(owner__username="vendor.manager", status=ReviewStatus.HELD)
    overdue = ActionItem.objects.filter(review=held, status=ActionStatus.OPEN, due_on__lt=today)
    assert overdue.exists()
    assert ActionItem.objects.filter(review=held, status=ActionStatus.DONE).exists()
    assert held.decisions.exists()
    upcoming = BusinessReview.objects.get(
        relationship=held.relationship, status=ReviewStatus.PLANNED
    )
    assert upcoming.scheduled_on > today
    assert {section["key"] for section in upcoming.agenda} >= {"scorecard", "issues"}


def test_the_legal_reviewer_has_this_quarters_survey_to_answer(loaded: DemoLoadResult) -> None:
    current = ScorecardPeriod.objects.filter(status=PeriodStatus.OPEN)
    waiting = SurveyResponse.objects.filter(
        respondent__username="reviewer.legal",
        survey__period__in=current,
        survey__status=SurveyStatus.OPEN,
        rating__isnull=True,
    )
    assert waiting.exists()
    # Surveys of closed quarters are closed
    assert not SurveyResponse.objects.filter(
        survey__period__status=PeriodStatus.CLOSED, survey__status=SurveyStatus.OPEN
    ).exists()


def test_customer_health_cards_score_the_customers_survey_answers(loaded: DemoLoadResult) -> None:
    from steward.satisfaction.models import SatisfactionResponse
    from steward.scorecards.models import CriterionScore

    # Customers answered CSAT and NPS surveys, and the closed quarters of customer health read
    # those answers: each scored account is one that answered
    answered = set(SatisfactionResponse.objects.values_list("relationship_id", flat=True))
    scored = set(
        CriterionScore.objects.filter(
            card__period__status=PeriodStatus.CLOSED,
            card__period__template__name="Customer health",
            criterion__measure__in=["survey_csat_pct", "survey_nps"],
            raw__isnull=False,
        ).values_list("card__relationship_id", flat=True)
    )
    assert len(scored) >= 5
    assert scored <= answered
