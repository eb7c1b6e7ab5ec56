"""The pipeline app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.pipeline.api.views import (
    ForecastViewSet,
    OpportunityContactViewSet,
    OpportunityCreditViewSet,
    OpportunityLineViewSet,
    OpportunityViewSet,
    ProposalDocumentViewSet,
    StageChangeViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("opportunities", OpportunityViewSet, "opportunity"),
    ("opportunity-lines", OpportunityLineViewSet, "opportunity-line"),
    ("opportunity-contacts", OpportunityContactViewSet, "opportunity-contact"),
    ("opportunity-credits", OpportunityCreditViewSet, "opportunity-credit"),
    ("proposal-documents", ProposalDocumentViewSet, "proposal-document"),
    ("stage-changes", StageChangeViewSet, "stage-change"),
]
PATHS: list[Any] = [
    path("forecast/", ForecastViewSet.as_view({"get": "retrieve"}), name="pipeline-forecast"),
]
