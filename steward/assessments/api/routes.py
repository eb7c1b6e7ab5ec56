"""The assessments app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.assessments.api.views import (
    AnswerEvidenceViewSet,
    AnswerViewSet,
    AssessmentViewSet,
    QuestionnaireTemplateViewSet,
    QuestionViewSet,
    SectionViewSet,
    TemplateVersionViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("assessment-templates", QuestionnaireTemplateViewSet, "assessment-template"),
    ("assessment-template-versions", TemplateVersionViewSet, "assessment-template-version"),
    ("assessment-sections", SectionViewSet, "assessment-section"),
    ("assessment-questions", QuestionViewSet, "assessment-question"),
    ("assessments", AssessmentViewSet, "assessment"),
    ("assessment-answers", AnswerViewSet, "assessment-answer"),
    ("assessment-evidence", AnswerEvidenceViewSet, "answer-evidence"),
]
PATHS: list[Any] = []
