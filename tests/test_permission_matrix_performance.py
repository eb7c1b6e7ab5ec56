"""The permission matrix for measured performance (issue 5): business reviews, their decisions
and action items; issues, their moves and escalations, the escalation ladder and the targets per
severity; scorecards and what hangs from them.

The same rules as tests/test_permission_matrix.py, whose cast, clients and outcome helpers this
module reuses: expectations are written out by hand from the policy's rules, every role acts on
the same starting state (its writes are rolled back), an allowed role gets the row or the change
and a denied role gets neither, with the database untouched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from typing import cast as made_as

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from steward.issues import services as issue_services
from steward.issues.models import (
    EscalationLevel,
    Issue,
    IssueEscalation,
    IssueTransition,
    SeverityTarget,
)
from steward.parties.tests.cast import ROLES, Cast
from steward.reviews import services_reviews
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision
from steward.scorecards.models import (
    CriterionScore,
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScoreAppeal,
    Scorecard,
    ScorecardCriterion,
    ScorecardPeriod,
    ScorecardTemplate,
    ScoreCorrection,
    SurveyResponse,
    TemplateVersion,
)
from steward.scorecards.services import feedback
from steward.scorecards.tests import factories as scorecard_factories
from tests.test_permission_matrix import (
    ADMINS,
    INTERNAL,
    REL_A_EDITORS,
    REL_A_READERS,
    Outcome,
    _api_rows,
    _changed,
    _client,
    _seen,
    _visible,
)

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

# Shared with A's portal: its portal users read it, nobody else outside does.
REL_A_READERS_AND_PORTAL = REL_A_READERS | {"portal_a"}

# (model, action) -> roles allowed, for the records of organization A's relationship.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # A business review follows its relationship and its owner (``owner``, whose managers read
    # it); a decision follows its review. Portal users see neither.
    ("review", "list"): REL_A_READERS,
    ("review", "detail"): REL_A_READERS,
    ("review", "create"): REL_A_EDITORS,
    ("review", "update"): REL_A_EDITORS,
    ("review", "delete"): REL_A_EDITORS,
    ("review_decision", "list"): REL_A_READERS,
    ("review_decision", "detail"): REL_A_READERS,
    ("review_decision", "create"): REL_A_EDITORS,
    ("review_decision", "update"): REL_A_EDITORS,
    ("review_decision", "delete"): REL_A_EDITORS,
    # An action item shared with the portal reaches A's portal users (read only), never B's.
    ("action_item", "list"): REL_A_READERS_AND_PORTAL,
    ("action_item", "detail"): REL_A_READERS_AND_PORTAL,
    ("action_item", "create"): REL_A_EDITORS,
    ("action_item", "update"): REL_A_EDITORS,
    ("action_item", "delete"): REL_A_EDITORS,
    # An action item that ``reviewer`` owns: owning it lets them change it, as with obligations.
    ("reviewer_action_item", "list"): REL_A_READERS,
    ("reviewer_action_item", "detail"): REL_A_READERS,
    ("reviewer_action_item", "update"): REL_A_EDITORS | {"reviewer"},
    ("reviewer_action_item", "delete"): REL_A_EDITORS | {"reviewer"},
    # An issue: its owner, the relationship's team, the owner's managers, and A's portal users
    # when shared. Its moves and escalations follow it, but portal users see neither.
    ("issue", "list"): REL_A_READERS_AND_PORTAL,
    ("issue", "detail"): REL_A_READERS_AND_PORTAL,
    ("issue", "create"): REL_A_EDITORS,
    ("issue", "update"): REL_A_EDITORS,
    ("issue", "delete"): REL_A_EDITORS,
    ("issue_transition", "list"): REL_A_READERS,
    ("issue_transition", "detail"): REL_A_READERS,
    ("issue_transition", "create"): REL_A_EDITORS,  # moving the issue along
    ("issue_escalation", "list"): REL_A_READERS,
    ("issue_escalation", "detail"): REL_A_READERS,
    ("issue_escalation", "create"): REL_A_EDITORS,  # escalating by hand
    ("escalation_level", "list"): REL_A_READERS,
    ("escalation_level", "detail"): REL_A_READERS,
    ("escalation_level", "create"): REL_A_EDITORS,
    ("escalation_level", "update"): REL_A_EDITORS,
    ("escalation_level", "delete"): REL_A_EDITORS,
    # Reference data: every inside user reads the targets, administrators change them.
    ("severity_target", "list"): INTERNAL,
    ("severity_target", "detail"): INTERNAL,
    ("severity_target", "update"): ADMINS,
    # Scorecard templates and periods are reference data: inside users read them,
    # administrators write them (closing a period is its change).
    ("scorecard_template", "list"): INTERNAL,
    ("scorecard_template", "detail"): INTERNAL,
    ("scorecard_template", "create"): ADMINS,
    ("scorecard_template", "update"): ADMINS,
    ("template_version", "list"): INTERNAL,
    ("template_version", "create"): ADMINS,  # new criteria, from the next period
    ("scorecard_criterion", "list"): INTERNAL,
    ("scorecard_period", "list"): INTERNAL,
    ("scorecard_period", "detail"): INTERNAL,
    ("scorecard_period", "update"): ADMINS,
    # A card follows its relationship, and A's portal users read it while it is shared; its
    # criterion scores, corrections and appeals follow it. Sharing is changing the card.
    ("scorecard", "list"): REL_A_READERS_AND_PORTAL,
    ("scorecard", "detail"): REL_A_READERS_AND_PORTAL,
    ("scorecard", "update"): REL_A_EDITORS,
    ("criterion_score", "list"): REL_A_READERS_AND_PORTAL,
    ("criterion_score", "detail"): REL_A_READERS_AND_PORTAL,
    ("score_correction", "list"): REL_A_READERS_AND_PORTAL,
    ("score_correction", "detail"): REL_A_READERS_AND_PORTAL,
    ("score_correction", "create"): REL_A_EDITORS,
    # Whoever sees the card and may write at all comments on or appeals it, and A's portal
    # users while it is shared; answering an appeal is changing the card.
    ("score_appeal", "list"): REL_A_READERS_AND_PORTAL,
    ("score_appeal", "detail"): REL_A_READERS_AND_PORTAL,
    ("score_appeal", "create"): REL_A_READERS_AND_PORTAL - {"auditor"},
    ("score_appeal", "update"): REL_A_EDITORS,
    ("measurement", "list"): REL_A_READERS,
    ("measurement", "detail"): REL_A_READERS,
    ("measurement", "create"): REL_A_EDITORS,
    ("measurement", "update"): REL_A_EDITORS,
    ("measurement", "delete"): REL_A_EDITORS,
    # A survey response is ``reviewer``'s to answer; the API and the survey page show each
    # respondent only their own (the policy would let the relationship's readers see them).
    ("survey_response", "list"): frozenset({"reviewer"}),
    ("survey_response", "detail"): frozenset({"reviewer"}),
    ("survey_response", "update"): frozenset({"reviewer"}),
    ("improvement_plan", "list"): REL_A_READERS,
    ("improvement_plan", "detail"): REL_A_READERS,
    ("improvement_plan", "create"): REL_A_EDITORS,
    ("improvement_plan", "update"): REL_A_EDITORS,
    ("improvement_target", "list"): REL_A_READERS,
    ("improvement_target", "detail"): REL_A_READERS,
    ("improvement_target", "create"): REL_A_EDITORS,
    ("improvement_target", "update"): REL_A_EDITORS,
}

# A portal user has no page listing action items: they open a shared one from its link.
EXPECTED_UI_OVERRIDES: dict[tuple[str, str], frozenset[str]] = {
    ("action_item", "list"): REL_A_READERS,
    # The pages used here for cards, corrections and appeals are the relationship's scorecard
    # page, which is not a portal user's: A's portal users open a shared card at its own
    # address instead (steward/scorecards/tests/test_views.py proves it), and through the API.
    ("scorecard", "list"): REL_A_READERS,
    ("scorecard", "detail"): REL_A_READERS,
    ("score_correction", "list"): REL_A_READERS,
    ("score_appeal", "list"): REL_A_READERS,
}


# --- the target records, made through the services ---------------------------------------------

TODAY = timezone.localdate()


def _review(cast: Cast) -> BusinessReview:
    review = BusinessReview.objects.filter(relationship=cast.rel_a, title="Matrix QBR").first()
    return review or services_reviews.review_schedule(
        actor=cast.owner,
        relationship=cast.rel_a,
        scheduled_on=TODAY + dt.timedelta(days=14),
        title="Matrix QBR",
    )


def _decision(cast: Cast) -> ReviewDecision:
    review = _review(cast)
    decision = ReviewDecision.objects.filter(review=review).first()
    return decision or services_reviews.review_decision_add(
        actor=cast.owner, review=review, text="Matrix: dual-source the castings"
    )


def _action_item(cast: Cast, owner: str = "owner") -> ActionItem:
    """An action of the matrix review; ``owner``'s is shared with A's portal."""
    review = _review(cast)
    title = f"Matrix action of {owner}"
    action = ActionItem.objects.filter(review=review, title=title).first()
    return action or services_reviews.action_item_add(
        actor=cast.owner,
        review=review,
        title=title,
        due_on=TODAY + dt.timedelta(days=7),
        owner=cast.user(owner),
        shared_with_portal=owner == "owner",
    )


def _issue(cast: Cast, title: str = "Matrix issue") -> Issue:
    issue = Issue.objects.filter(relationship=cast.rel_a, title=title).first()
    return issue or issue_services.issue_open(
        actor=cast.owner,
        relationship=cast.rel_a,
        title=title,
        category="quality",
        severity="high",
        shared_with_portal=True,
    )


def _transition(cast: Cast) -> IssueTransition:
    issue = _issue(cast, "Matrix acknowledged issue")
    if issue.status == "new":
        issue_services.issue_transition(actor=cast.owner, issue=issue, to="acknowledged")
    return IssueTransition.objects.filter(issue=issue).first()  # type: ignore[return-value]


def _rung(cast: Cast) -> EscalationLevel:
    rung = EscalationLevel.objects.filter(relationship=cast.rel_a, level=1).first()
    return rung or issue_services.escalation_level_add(
        actor=cast.owner,
        relationship=cast.rel_a,
        level=1,
        name="Matrix account manager",
        internal_contact=cast.owner,
    )


def _escalation(cast: Cast) -> IssueEscalation:
    _rung(cast)
    issue = _issue(cast, "Matrix escalated issue")
    escalation = IssueEscalation.objects.filter(issue=issue).first()
    if escalation is None:
        issue_services.issue_escalate(actor=cast.owner, issue=issue, note="Matrix escalation note")
        escalation = IssueEscalation.objects.get(issue=issue)
    return escalation


def _severity_target() -> SeverityTarget:
    target, _ = SeverityTarget.objects.get_or_create(
        severity="high", defaults={"response_hours": 8, "resolution_hours": 72}
    )
    return target


def _template() -> ScorecardTemplate:
    template = ScorecardTemplate.objects.filter(name="Matrix scorecard").first()
    return template or scorecard_factories.template_with_criteria(name="Matrix scorecard")[0]


def _closed_period() -> ScorecardPeriod:
    """2024 Q1 of the matrix template, closed."""
    template = _template()
    period = ScorecardPeriod.objects.filter(template=template, status="closed").first()
    return period or made_as(
        ScorecardPeriod,
        scorecard_factories.ScorecardPeriodFactory(
            version=template.versions.get(number=1), closed=True
        ),
    )


def _open_period() -> ScorecardPeriod:
    """2024 Q2 of the matrix template, still open: closing it is the period's change."""
    template = _template()
    period = ScorecardPeriod.objects.filter(template=template, status="open").first()
    return period or made_as(
        ScorecardPeriod,
        scorecard_factories.ScorecardPeriodFactory(
            version=template.versions.get(number=1),
            starts_on=dt.date(2024, 4, 1),
            ends_on=dt.date(2024, 6, 30),
        ),
    )


def _card(cast: Cast) -> Scorecard:
    """A's closed card for 2024 Q1, shared with A's portal; the survey criterion had no data."""
    period = _closed_period()
    card = Scorecard.objects.filter(period=period, relationship=cast.rel_a).first()
    return card or scorecard_factories.scored_card(
        period=period,
        relationship=cast.rel_a,
        scores={"delivery": Decimal(60), "quality": Decimal(80)},
        shared_with_portal=True,
    )


def _correction(cast: Cast) -> ScoreCorrection:
    card = _card(cast)
    correction = ScoreCorrection.objects.filter(card=card).first()
    return correction or feedback.card_correct(
        actor=cast.owner,
        card=card,
        criterion=card.period.version.criteria.get(code="quality"),
        to_score=Decimal(90),
        reason="Matrix: two defects were the forwarder's",
    )


def _appeal(cast: Cast) -> ScoreAppeal:
    card = _card(cast)
    appeal = ScoreAppeal.objects.filter(card=card).first()
    return appeal or feedback.appeal_raise(
        actor=cast.portal_a, card=card, kind="appeal", body="Matrix: February was your forecast"
    )


def _measurement(cast: Cast) -> Measurement:
    measurement = Measurement.objects.filter(relationship=cast.rel_a).first()
    return measurement or made_as(
        Measurement,
        scorecard_factories.MeasurementFactory(relationship=cast.rel_a, entered_by=cast.owner),
    )


def _survey_response(cast: Cast) -> SurveyResponse:
    """``reviewer``'s unanswered rating of A in the open period's survey."""
    response = SurveyResponse.objects.filter(respondent=cast.reviewer).first()
    return response or made_as(
        SurveyResponse,
        scorecard_factories.SurveyResponseFactory(
            survey=scorecard_factories.SurveyFactory(
                period=_open_period(), relationship=cast.rel_a
            ),
            respondent=cast.reviewer,
        ),
    )


def _plan(cast: Cast) -> ImprovementPlan:
    plan = ImprovementPlan.objects.filter(relationship=cast.rel_a).first()
    return plan or made_as(
        ImprovementPlan,
        scorecard_factories.ImprovementPlanFactory(
            relationship=cast.rel_a, owner=cast.owner, due_on=TODAY + dt.timedelta(days=90)
        ),
    )


def _plan_target(cast: Cast) -> ImprovementTarget:
    plan = _plan(cast)
    target = ImprovementTarget.objects.filter(plan=plan).first()
    return target or made_as(
        ImprovementTarget,
        scorecard_factories.ImprovementTargetFactory(
            plan=plan, due_on=TODAY + dt.timedelta(days=60)
        ),
    )


MAKERS: dict[str, Callable[[Cast], Any]] = {
    "review": _review,
    "review_decision": _decision,
    "action_item": _action_item,
    "reviewer_action_item": lambda c: _action_item(c, "reviewer"),
    "issue": _issue,
    "issue_transition": _transition,
    "issue_escalation": _escalation,
    "escalation_level": _rung,
    "severity_target": lambda c: _severity_target(),
    "scorecard_template": lambda c: _template(),
    "template_version": lambda c: _template().versions.get(number=1),
    "scorecard_criterion": lambda c: _template().versions.get(number=1).criteria.first(),
    "scorecard_period": lambda c: _open_period(),
    "scorecard": _card,
    "criterion_score": lambda c: CriterionScore.objects.filter(card=_card(c)).first(),
    "score_correction": _correction,
    "score_appeal": _appeal,
    "measurement": _measurement,
    "survey_response": _survey_response,
    "improvement_plan": _plan,
    "improvement_target": _plan_target,
}


def _target(cast: Cast, model: str) -> Any:
    record = MAKERS[model](cast)
    assert record is not None, f"no {model} to check"
    return type(record).objects.get(pk=record.pk)


# --- how each channel reaches them -------------------------------------------------------------


def _review_page(c: Cast, t: Any) -> str:
    return f"/reviews/{_review(c).pk}/"


# model -> (list page, what the page shows of the record)
UI_LIST: dict[str, tuple[Callable[[Cast, Any], str], Callable[[Any], str]]] = {
    "review": (lambda c, t: "/reviews/", lambda t: t.get_absolute_url()),
    "review_decision": (_review_page, lambda t: t.text),
    "action_item": (_review_page, lambda t: t.get_absolute_url()),
    "reviewer_action_item": (_review_page, lambda t: t.get_absolute_url()),
    "issue": (lambda c, t: "/issues/", lambda t: t.get_absolute_url()),
    # the issue's timeline shows its moves and escalations
    "issue_transition": (lambda c, t: f"/issues/{t.issue_id}/", lambda t: "New → Acknowledged"),
    "issue_escalation": (lambda c, t: f"/issues/{t.issue_id}/", lambda t: t.note),
    "escalation_level": (
        lambda c, t: f"/relationships/{t.relationship_id}/escalation-ladder/",
        lambda t: t.name,
    ),
    "severity_target": (
        lambda c, t: "/issues/targets/",
        lambda t: f"<td>{t.get_severity_display()}</td><td>{t.response_hours}</td>",
    ),
}


def _card_page(card: Scorecard) -> str:
    return f"/relationships/{card.relationship_id}/scorecard/?card={card.pk}"


UI_LIST.update(
    {
        "scorecard_template": (
            lambda c, t: "/scorecards/templates/",
            lambda t: f"/scorecards/templates/{t.pk}/",
        ),
        # a template's page shows its versions and their criteria
        "template_version": (
            lambda c, t: f"/scorecards/templates/{t.template_id}/",
            lambda t: f"Criteria of version {t.number}",
        ),
        "scorecard_criterion": (
            lambda c, t: f"/scorecards/templates/{t.version.template_id}/",
            lambda t: escape(t.name),
        ),
        "measurement": (
            lambda c, t: f"/relationships/{t.relationship_id}/measurements/",
            lambda t: f"<td>{t.measure}</td>",
        ),
        "scorecard_period": (
            lambda c, t: "/scorecards/periods/",
            lambda t: f"/scorecards/periods/{t.pk}/",
        ),
        "scorecard": (
            lambda c, t: f"/relationships/{t.relationship_id}/scorecard/",
            lambda t: f"/scorecards/cards/{t.pk}/",
        ),
        "score_appeal": (lambda c, t: _card_page(t.card), lambda t: t.body),
        "score_correction": (lambda c, t: _card_page(t.card), lambda t: escape(t.reason)),
        "survey_response": (
            lambda c, t: "/scorecards/surveys/",
            lambda t: f"/scorecards/survey-responses/{t.pk}/answer/",
        ),
        "improvement_target": (
            lambda c, t: f"/relationships/{t.plan.relationship_id}/scorecard/",
            lambda t: t.label,
        ),
    }
)
UI_DETAIL: dict[str, Callable[[Cast, Any], str]] = {
    "scorecard_template": lambda c, t: f"/scorecards/templates/{t.pk}/",
    "scorecard_period": lambda c, t: f"/scorecards/periods/{t.pk}/",
    # a card's and a plan's own addresses redirect to the relationship's scorecard page
    "scorecard": lambda c, t: _card_page(t),
    "improvement_plan": lambda c, t: f"/relationships/{t.relationship_id}/scorecard/",
    "review": lambda c, t: f"/reviews/{t.pk}/",
    "action_item": lambda c, t: f"/actions/{t.pk}/",
    "reviewer_action_item": lambda c, t: f"/actions/{t.pk}/",
    "issue": lambda c, t: f"/issues/{t.pk}/",
}
API_BASE = {
    "review": "business-reviews",
    "review_decision": "review-decisions",
    "action_item": "action-items",
    "reviewer_action_item": "action-items",
    "issue": "issues",
    "issue_transition": "issue-transitions",
    "issue_escalation": "issue-escalations",
    "escalation_level": "escalation-levels",
    "severity_target": "severity-targets",
    "scorecard_template": "scorecard-templates",
    "scorecard_period": "scorecard-periods",
    "scorecard": "scorecards",
    "criterion_score": "criterion-scores",
    "score_correction": "score-corrections",
    "score_appeal": "score-appeals",
    "measurement": "measurements",
    "survey_response": "survey-responses",
    "improvement_plan": "improvement-plans",
    "improvement_target": "improvement-targets",
}


def check_list(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    target = _target(cast, model)
    client = _client(channel, cast.user(role))
    if channel == "ui":
        if model not in UI_LIST:
            return None
        url, marker = UI_LIST[model]
        response = client.get(url(cast, target))
        if response.status_code in (403, 404):
            return Outcome(allowed=False, detail=str(response.status_code))
        return _seen(response, marker(target))
    if model not in API_BASE:
        return None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    if response.status_code in (403, 404):
        return Outcome(allowed=False, detail=str(response.status_code))
    return Outcome(allowed=any(row["id"] == target.pk for row in _api_rows(response)), detail="200")


def check_detail(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    target = _target(cast, model)
    client = _client(channel, cast.user(role))
    if channel == "ui":
        url = UI_DETAIL.get(model)
        return _visible(client.get(url(cast, target))) if url else None
    if model not in API_BASE:
        return None
    return _visible(client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/"))


# --- creating ----------------------------------------------------------------------------------


def _created(response: Any, ui: bool, made: bool, api_code: int = 201) -> Outcome:
    return _changed(response, made, (302,) if ui else (api_code,))


def _create_review(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {"title": "Matrix new review", "scheduled_on": (TODAY + dt.timedelta(days=30))}
    if ui:
        response = client.post(
            f"/relationships/{cast.rel_a.pk}/reviews/new/",
            {**data, "kind": "business_review"},
        )
    else:
        response = client.post(
            "/api/v1/business-reviews/", {**data, "relationship": cast.rel_a.pk}, format="json"
        )
    return _created(response, ui, BusinessReview.objects.filter(title=data["title"]).exists())


def _create_review_decision(client: Any, cast: Cast, ui: bool) -> Outcome:
    review, text = _review(cast), "Matrix: a new decision"
    if ui:
        response = client.post(f"/reviews/{review.pk}/decisions/new/", {"text": text})
    else:
        response = client.post(
            "/api/v1/review-decisions/", {"review": review.pk, "text": text}, format="json"
        )
    return _created(response, ui, ReviewDecision.objects.filter(text=text).exists())


def _create_action_item(client: Any, cast: Cast, ui: bool) -> Outcome:
    review = _review(cast)
    data = {"title": "Matrix new action", "due_on": (TODAY + dt.timedelta(days=10))}
    if ui:
        response = client.post(f"/reviews/{review.pk}/actions/new/", {**data, "side": "ours"})
    else:
        response = client.post(
            "/api/v1/action-items/", {**data, "review": review.pk}, format="json"
        )
    return _created(response, ui, ActionItem.objects.filter(title=data["title"]).exists())


def _create_issue(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {"title": "Matrix new issue", "category": "delivery", "severity": "medium"}
    if ui:
        response = client.post(f"/relationships/{cast.rel_a.pk}/issues/new/", data)
    else:
        response = client.post(
            "/api/v1/issues/", {**data, "relationship": cast.rel_a.pk}, format="json"
        )
    return _created(response, ui, Issue.objects.filter(title=data["title"]).exists())


def _create_issue_transition(client: Any, cast: Cast, ui: bool) -> Outcome:
    issue = _issue(cast)
    path = f"/issues/{issue.pk}/transition/"
    if ui:
        response = client.post(path, {"to": "acknowledged"})
    else:
        response = client.post(f"/api/v1{path}", {"to": "acknowledged"}, format="json")
    moved = IssueTransition.objects.filter(issue=issue, to_status="acknowledged").exists()
    return _created(response, ui, moved, api_code=200)


def _create_issue_escalation(client: Any, cast: Cast, ui: bool) -> Outcome:
    _rung(cast)
    issue = _issue(cast)
    path = f"/issues/{issue.pk}/escalate/"
    if ui:
        response = client.post(path, {"note": "Matrix: climb now"})
    else:
        response = client.post(f"/api/v1{path}", {"note": "Matrix: climb now"}, format="json")
    climbed = IssueEscalation.objects.filter(issue=issue).exists()
    return _created(response, ui, climbed, api_code=200)


def _create_escalation_level(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {
        "level": 2,
        "name": "Matrix director",
        "internal_contact": cast.manager.pk,
        "after_hours": 24,
    }
    if ui:
        response = client.post(f"/relationships/{cast.rel_a.pk}/escalation-ladder/", data)
    else:
        response = client.post(
            "/api/v1/escalation-levels/", {**data, "relationship": cast.rel_a.pk}, format="json"
        )
    return _created(response, ui, EscalationLevel.objects.filter(name=data["name"]).exists())


_CRITERION = {
    "code": "otd",
    "name": "On-time delivery",
    "category": "delivery",
    "weight": 100,
    "measure": "on_time_delivery_pct",
    "rule_kind": "linear",
    "rule": {"floor": "80", "target": "100"},
}


def _criteria_formset(criterion: dict[str, Any]) -> dict[str, Any]:
    """The web form's criteria rows: one row, in Django's formset fields."""
    rows = {f"criteria-0-{key}": value for key, value in criterion.items() if key != "rule"}
    return {
        "criteria-TOTAL_FORMS": 1,
        "criteria-INITIAL_FORMS": 0,
        "criteria-MIN_NUM_FORMS": 1,
        "criteria-MAX_NUM_FORMS": 1000,
        **rows,
        "criteria-0-rule": json.dumps(criterion["rule"]),
    }


def _create_scorecard_template(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    data = {"name": "Matrix new template", "side": "supply", "period_kind": "monthly"}
    if ui:
        response = client.post(
            "/scorecards/templates/new/", {**data, **_criteria_formset(_CRITERION)}
        )
    else:
        response = client.post(
            "/api/v1/scorecard-templates/", {**data, "criteria": [_CRITERION]}, format="json"
        )
    made = ScorecardTemplate.objects.filter(name=data["name"]).exists()
    return _created(response, ui, made)


def _create_template_version(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    template = _template()
    criterion = {**_CRITERION, "code": "otd-only"}
    note = "Matrix: delivery only"
    if ui:
        response = client.post(
            f"/scorecards/templates/{template.pk}/versions/new/",
            {"note": note, **_criteria_formset(criterion)},
        )
    else:
        response = client.post(
            f"/api/v1/scorecard-templates/{template.pk}/versions/",
            {"note": note, "criteria": [criterion]},
            format="json",
        )
    made = template.versions.filter(number=2).exists()
    return _created(response, ui, made)


def _create_score_correction(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    card = _card(cast)
    criterion = card.period.version.criteria.get(code="delivery")
    data = {"criterion": criterion.pk, "to_score": "75", "reason": "Matrix: recount"}
    path = f"/scorecards/{card.pk}/correct/"
    if ui:
        response = client.post(f"/scorecards/cards/{card.pk}/correct/", data)
    else:
        response = client.post(f"/api/v1{path}", data, format="json")
    made = ScoreCorrection.objects.filter(reason="Matrix: recount").exists()
    return _created(response, ui, made)


def _create_score_appeal(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    card = _card(cast)
    data = {"kind": "comment", "body": "Matrix: a new comment"}
    if ui:
        response = client.post(f"/scorecards/cards/{card.pk}/appeals/", data)
    else:
        response = client.post("/api/v1/score-appeals/", {**data, "card": card.pk}, format="json")
    return _created(response, ui, ScoreAppeal.objects.filter(body=data["body"]).exists())


def _create_measurement(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    data = {"measure": "defect_rate_pct", "measured_on": "2024-02-20", "value": "1.5"}
    if ui:
        response = client.post(f"/relationships/{cast.rel_a.pk}/measurements/", data)
    else:
        response = client.post(
            "/api/v1/measurements/", {**data, "relationship": cast.rel_a.pk}, format="json"
        )
    made = Measurement.objects.filter(measure="defect_rate_pct", relationship=cast.rel_a).exists()
    return _created(response, ui, made)


def _create_improvement_plan(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    data = {"title": "Matrix recovery plan", "due_on": (TODAY + dt.timedelta(days=120))}
    if ui:
        response = client.post(f"/relationships/{cast.rel_a.pk}/improvement-plans/new/", data)
    else:
        response = client.post(
            "/api/v1/improvement-plans/", {**data, "relationship": cast.rel_a.pk}, format="json"
        )
    made = ImprovementPlan.objects.filter(title=data["title"]).exists()
    return _created(response, ui, made)


def _create_improvement_target(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    plan = _plan(cast)
    data = {
        "label": "Matrix delivery back to 95",
        "target_score": "70",
        "due_on": (TODAY + dt.timedelta(days=30)),
    }
    if ui:
        response = client.post(f"/scorecards/plans/{plan.pk}/targets/", data)
    else:
        response = client.post(
            "/api/v1/improvement-targets/", {**data, "plan": plan.pk}, format="json"
        )
    made = ImprovementTarget.objects.filter(label=data["label"]).exists()
    return _created(response, ui, made)


CREATORS: dict[str, Callable[[Any, Cast, bool], Outcome | None]] = {
    "scorecard_template": _create_scorecard_template,
    "template_version": _create_template_version,
    "score_correction": _create_score_correction,
    "score_appeal": _create_score_appeal,
    "measurement": _create_measurement,
    "improvement_plan": _create_improvement_plan,
    "improvement_target": _create_improvement_target,
    "review": _create_review,
    "review_decision": _create_review_decision,
    "action_item": _create_action_item,
    "issue": _create_issue,
    "issue_transition": _create_issue_transition,
    "issue_escalation": _create_issue_escalation,
    "escalation_level": _create_escalation_level,
}


def check_create(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    creator = CREATORS.get(model)
    if creator is None:
        return None
    return creator(_client(channel, cast.user(role)), cast, channel == "ui")


# --- changing and archiving ----------------------------------------------------------------------


def _action_form(t: ActionItem) -> dict[str, Any]:
    return {
        "title": "Matrix renamed action",
        "side": t.side,
        "owner": t.owner_id,
        "due_on": t.due_on.isoformat(),
        "shared_with_portal": "on" if t.shared_with_portal else "",
    }


# model -> (web form URL or "" when there is none, form data, field, new value)
FORMS: dict[str, Callable[[Any], tuple[str, dict[str, Any], str, Any]]] = {
    "review": lambda t: (
        f"/reviews/{t.pk}/edit/",
        {
            "title": "Matrix renamed QBR",
            "kind": t.kind,
            "scheduled_on": t.scheduled_on.isoformat(),
            "owner": t.owner_id,
        },
        "title",
        "Matrix renamed QBR",
    ),
    "review_decision": lambda t: ("", {}, "text", "Matrix: a changed decision"),
    "action_item": lambda t: (
        f"/actions/{t.pk}/edit/",
        _action_form(t),
        "title",
        "Matrix renamed action",
    ),
    "reviewer_action_item": lambda t: (
        f"/actions/{t.pk}/edit/",
        _action_form(t),
        "title",
        "Matrix renamed action",
    ),
    "issue": lambda t: (
        f"/issues/{t.pk}/edit/",
        {
            "title": "Matrix renamed issue",
            "category": t.category,
            "severity": t.severity,
            "owner": t.owner_id,
            "description": t.description,
            "shared_with_portal": "on" if t.shared_with_portal else "",
        },
        "title",
        "Matrix renamed issue",
    ),
    "escalation_level": lambda t: (
        f"/escalation-levels/{t.pk}/edit/",
        {
            "level": t.level,
            "name": "Matrix key account",
            "internal_contact": t.internal_contact_id,
            "after_hours": t.after_hours,
        },
        "name",
        "Matrix key account",
    ),
    "severity_target": lambda t: (
        f"/issues/targets/{t.pk}/edit/",
        {"response_hours": t.response_hours, "resolution_hours": t.resolution_hours + 1},
        "resolution_hours",
        t.resolution_hours + 1,
    ),
}


FORMS.update(
    {
        "scorecard_template": lambda t: ("", {}, "description", "Matrix described"),
        "measurement": lambda t: ("", {}, "note", "Matrix note"),
        "improvement_plan": lambda t: (
            f"/scorecards/plans/{t.pk}/edit/",
            {"title": "Matrix renamed plan", "summary": t.summary, "due_on": t.due_on.isoformat()},
            "title",
            "Matrix renamed plan",
        ),
        "improvement_target": lambda t: ("", {}, "label", "Matrix renamed target"),
    }
)


def _post_both(client: Any, ui: bool, ui_path: str, api_path: str, data: dict[str, Any]) -> Any:
    if ui:
        return client.post(ui_path, data)
    return client.post(f"/api/v1/{api_path}", data, format="json")


def _close_period(client: Any, target: Any, ui: bool) -> Outcome:
    response = _post_both(
        client,
        ui,
        f"/scorecards/periods/{target.pk}/close/",
        f"scorecard-periods/{target.pk}/close/",
        {},
    )
    target.refresh_from_db()
    return _changed(response, target.status == "closed", (302,) if ui else (200,))


def _unshare_card(client: Any, target: Any, ui: bool) -> Outcome:
    assert target.shared_with_portal
    response = _post_both(
        client,
        ui,
        f"/scorecards/cards/{target.pk}/share/",
        f"scorecards/{target.pk}/share/",
        {"shared": False} if not ui else {},
    )
    target.refresh_from_db()
    return _changed(response, not target.shared_with_portal, (302,) if ui else (200,))


def _answer_appeal(client: Any, target: Any, ui: bool) -> Outcome:
    data = {"answer": "Matrix: noted, the score stands", "uphold": False}
    response = _post_both(
        client,
        ui,
        f"/scorecards/appeals/{target.pk}/answer/",
        f"score-appeals/{target.pk}/answer/",
        {"answer": data["answer"]} if ui else data,
    )
    target.refresh_from_db()
    return _changed(response, target.answer == data["answer"], (302,) if ui else (200,))


def _answer_survey(client: Any, target: Any, ui: bool) -> Outcome:
    response = _post_both(
        client,
        ui,
        f"/scorecards/survey-responses/{target.pk}/answer/",
        f"survey-responses/{target.pk}/answer/",
        {f"r{target.pk}-rating": 4} if ui else {"rating": 4},  # the page prefixes each form
    )
    target.refresh_from_db()
    return _changed(response, target.rating == 4, (302,) if ui else (200,))


ACTIONS: dict[str, Callable[[Any, Any, bool], Outcome]] = {
    "scorecard_period": _close_period,
    "scorecard": _unshare_card,
    "score_appeal": _answer_appeal,
    "survey_response": _answer_survey,
}


def check_update(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    if model not in FORMS and model not in ACTIONS:
        return None
    client = _client(channel, cast.user(role))
    target = _target(cast, model)
    ui = channel == "ui"
    if model in ACTIONS:
        return ACTIONS[model](client, target, ui)
    url, data, field, value = FORMS[model](target)
    if ui:
        if not url:
            return None
        response = client.post(url, {**data, "version": target.version})
    else:
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field: value, "version": target.version},
            format="json",
        )
    target.refresh_from_db()
    return _changed(response, getattr(target, field) == value, (302,) if ui else (200,))


UI_ARCHIVE: dict[str, Callable[[Any], str]] = {
    "review": lambda t: f"/reviews/{t.pk}/archive/",
    "action_item": lambda t: f"/actions/{t.pk}/archive/",
    "reviewer_action_item": lambda t: f"/actions/{t.pk}/archive/",
    "escalation_level": lambda t: f"/escalation-levels/{t.pk}/archive/",
    "measurement": lambda t: f"/scorecards/measurements/{t.pk}/archive/",
}
# Records the API archives on DELETE.
API_ARCHIVES = frozenset(
    {
        "review",
        "review_decision",
        "action_item",
        "reviewer_action_item",
        "issue",
        "escalation_level",
        "measurement",
    }
)


def check_delete(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    ui = channel == "ui"
    if (ui and model not in UI_ARCHIVE) or (not ui and model not in API_ARCHIVES):
        return None
    client = _client(channel, cast.user(role))
    target = _target(cast, model)
    if ui:
        response = client.post(UI_ARCHIVE[model](target), {"version": target.version})
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    target.refresh_from_db()
    return _changed(response, target.archived_at is not None, (302,) if ui else (204,))


CHECKS: dict[str, Callable[..., Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(MAKERS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        BusinessReview,
        ReviewDecision,
        ActionItem,
        Issue,
        IssueTransition,
        IssueEscalation,
        EscalationLevel,
        SeverityTarget,
        ScorecardTemplate,
        TemplateVersion,
        ScorecardCriterion,
        ScorecardPeriod,
        Scorecard,
        CriterionScore,
        ScoreCorrection,
        ScoreAppeal,
        Measurement,
        SurveyResponse,
        ImprovementPlan,
        ImprovementTarget,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_performance_permission_matrix(cast: Cast, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    if channel == "ui":
        expected = EXPECTED_UI_OVERRIDES.get((model, action), expected)
    mismatches, tried = [], 0
    for role in ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, cast, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    """No expectation is written for a model this module does not reach."""
    assert {model for model, _ in EXPECTED} == set(MODELS)
