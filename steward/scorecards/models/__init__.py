"""The scorecard engine's models: templates and their versions, periods and cards, measurements
and surveys, improvement plans, appeals and corrections."""

from steward.scorecards.models.cards import CriterionScore, Scorecard, ScorecardPeriod
from steward.scorecards.models.feedback import ScoreAppeal, ScoreCorrection
from steward.scorecards.models.inputs import Measurement, Survey, SurveyResponse
from steward.scorecards.models.plans import ImprovementPlan, ImprovementTarget
from steward.scorecards.models.templates import (
    ScorecardCriterion,
    ScorecardTemplate,
    TemplateVersion,
)

__all__ = [
    "CriterionScore",
    "ImprovementPlan",
    "ImprovementTarget",
    "Measurement",
    "ScoreAppeal",
    "ScoreCorrection",
    "Scorecard",
    "ScorecardCriterion",
    "ScorecardPeriod",
    "ScorecardTemplate",
    "Survey",
    "SurveyResponse",
    "TemplateVersion",
]
