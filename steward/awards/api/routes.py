"""The awards app's API routes for the /api/v1/ router, and its paths outside the router: an
event's comparison and award hang from the sourcing app's event URL."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.awards.api.views import (
    AwardLineViewSet,
    AwardViewSet,
    CriterionScoreViewSet,
    EventAwardViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("sourcing-criterion-scores", CriterionScoreViewSet, "sourcing-criterion-score"),
    ("awards", AwardViewSet, "award"),
    ("award-lines", AwardLineViewSet, "award-line"),
]
PATHS: list[Any] = [
    path(
        "sourcing-events/<int:pk>/comparison/",
        EventAwardViewSet.as_view({"get": "comparison"}),
        name="sourcing-event-comparison",
    ),
    path(
        "sourcing-events/<int:pk>/award/",
        EventAwardViewSet.as_view({"post": "propose"}),
        name="sourcing-event-award",
    ),
    path(
        "sourcing-events/<int:pk>/award/approve/",
        EventAwardViewSet.as_view({"post": "approve"}),
        name="sourcing-event-award-approve",
    ),
    path(
        "sourcing-events/<int:pk>/award/send-back/",
        EventAwardViewSet.as_view({"post": "send_back"}),
        name="sourcing-event-award-send-back",
    ),
]
