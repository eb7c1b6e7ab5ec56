"""The risk app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.risk.api.views import (
    FindingViewSet,
    RiskConcentrationViewSet,
    RiskProfileViewSet,
    RiskViewSet,
    SubcontractorViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("risk-profiles", RiskProfileViewSet, "risk-profile"),
    ("risks", RiskViewSet, "risk"),
    ("findings", FindingViewSet, "finding"),
    ("subcontractors", SubcontractorViewSet, "subcontractor"),
]

# The concentration figures are one answer, not a collection of records.
PATHS: list[Any] = [
    path(
        "risk/concentration/",
        RiskConcentrationViewSet.as_view({"get": "retrieve"}),
        name="risk-concentration",
    )
]
