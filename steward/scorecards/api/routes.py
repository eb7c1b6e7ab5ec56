"""The scorecards app's API routes for the /api/v1/ router, and its single-record paths."""

from __future__ import annotations

from typing import Any

from steward.scorecards.api.views import (
    CriterionScoreViewSet,
    ImprovementPlanViewSet,
    ImprovementTargetViewSet,
    MeasurementViewSet,
    ScoreAppealViewSet,
    ScorecardPeriodViewSet,
    ScorecardTemplateViewSet,
    ScorecardViewSet,
    ScoreCorrectionViewSet,
    SurveyResponseViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("scorecard-templates", ScorecardTemplateViewSet, "scorecard-template"),
    ("scorecard-periods", ScorecardPeriodViewSet, "scorecard-period"),
    ("scorecards", ScorecardViewSet, "scorecard"),
    ("criterion-scores", CriterionScoreViewSet, "criterion-score"),
    ("score-corrections", ScoreCorrectionViewSet, "score-correction"),
    ("measurements", MeasurementViewSet, "measurement"),
    ("survey-responses", SurveyResponseViewSet, "survey-response"),
    ("improvement-plans", ImprovementPlanViewSet, "improvement-plan"),
    ("improvement-targets", ImprovementTargetViewSet, "improvement-target"),
    ("score-appeals", ScoreAppealViewSet, "score-appeal"),
]

# Single records outside the router (no collection, no id in the path).
PATHS: list[Any] = []
