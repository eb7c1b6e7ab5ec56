"""The visits app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.visits.api.views import AccountBriefViewSet, VisitViewSet

ROUTES: list[tuple[str, Any, str]] = [("visits", VisitViewSet, "visit")]
# An account's brief is one answer, not a collection of records.
PATHS: list[Any] = [
    path(
        "accounts/<int:pk>/brief/",
        AccountBriefViewSet.as_view({"get": "retrieve"}),
        name="account-brief",
    ),
]
