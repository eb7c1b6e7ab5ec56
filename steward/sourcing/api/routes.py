"""The sourcing app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.sourcing.api.views import (
    BidderQuestionViewSet,
    ClarificationViewSet,
    EvaluationCriterionViewSet,
    EventAttachmentViewSet,
    EventInvitationViewSet,
    EventLineViewSet,
    EventLogViewSet,
    SourcingEventMemberViewSet,
    SourcingEventViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("sourcing-events", SourcingEventViewSet, "sourcing-event"),
    ("sourcing-event-lines", EventLineViewSet, "sourcing-event-line"),
    ("sourcing-event-attachments", EventAttachmentViewSet, "sourcing-event-attachment"),
    ("sourcing-bidder-questions", BidderQuestionViewSet, "sourcing-bidder-question"),
    ("sourcing-criteria", EvaluationCriterionViewSet, "sourcing-criterion"),
    ("sourcing-invitations", EventInvitationViewSet, "sourcing-invitation"),
    ("sourcing-clarifications", ClarificationViewSet, "sourcing-clarification"),
    ("sourcing-event-log", EventLogViewSet, "sourcing-event-log"),
    ("sourcing-event-members", SourcingEventMemberViewSet, "sourcing-event-member"),
]
PATHS: list[Any] = []
