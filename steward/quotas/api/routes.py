"""The quotas app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.quotas.api.views import (
    AccountabilityViewSet,
    AccountRevenueViewSet,
    AttainmentViewSet,
    ProfitabilityViewSet,
    QuotaViewSet,
    RetentionViewSet,
    ServiceCostViewSet,
    TrainingObjectiveViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("quotas", QuotaViewSet, "quota"),
    ("account-revenue", AccountRevenueViewSet, "account-revenue"),
    ("service-costs", ServiceCostViewSet, "service-cost"),
    ("training-objectives", TrainingObjectiveViewSet, "training-objective"),
]

# Figures are one answer each, not collections of records.
PATHS: list[Any] = [
    path("attainment/", AttainmentViewSet.as_view({"get": "retrieve"}), name="attainment"),
    path(
        "accounts/<int:pk>/profitability/",
        ProfitabilityViewSet.as_view({"get": "retrieve"}),
        name="account-profitability",
    ),
    path("retention/", RetentionViewSet.as_view({"get": "retrieve"}), name="retention"),
    path(
        "accountability/",
        AccountabilityViewSet.as_view({"get": "retrieve"}),
        name="accountability",
    ),
]
