"""The satisfaction app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.satisfaction.api.views import (
    AccountSatisfactionViewSet,
    MeetingCadenceViewSet,
    SatisfactionResponseViewSet,
    SatisfactionStandardViewSet,
    SurveyRequestViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("satisfaction-responses", SatisfactionResponseViewSet, "satisfaction-response"),
    ("survey-requests", SurveyRequestViewSet, "survey-request"),
    ("satisfaction-standard", SatisfactionStandardViewSet, "satisfaction-standard"),
    ("meeting-cadences", MeetingCadenceViewSet, "meeting-cadence"),
]

# An account's figures are one answer, not a collection of records.
PATHS: list[Any] = [
    path(
        "accounts/<int:pk>/satisfaction/",
        AccountSatisfactionViewSet.as_view({"get": "retrieve"}),
        name="account-satisfaction",
    ),
]
