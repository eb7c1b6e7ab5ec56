"""The accountplans app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.accountplans.api.views import (
    AccountPlanViewSet,
    PlanActionViewSet,
    PlanInitiativeViewSet,
    PlanObjectiveViewSet,
    PlanReviewViewSet,
    PlanStakeholderViewSet,
    PlanStandardViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("account-plans", AccountPlanViewSet, "account-plan"),
    ("account-plan-stakeholders", PlanStakeholderViewSet, "account-plan-stakeholder"),
    ("account-plan-objectives", PlanObjectiveViewSet, "account-plan-objective"),
    ("account-plan-initiatives", PlanInitiativeViewSet, "account-plan-initiative"),
    ("account-plan-actions", PlanActionViewSet, "account-plan-action"),
    ("account-plan-reviews", PlanReviewViewSet, "account-plan-review"),
    ("account-plan-standard", PlanStandardViewSet, "account-plan-standard"),
]
PATHS: list[Any] = []
