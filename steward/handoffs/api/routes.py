"""The handoffs app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.handoffs.api.views import HandoffItemViewSet, HandoffViewSet

ROUTES: list[tuple[str, Any, str]] = [
    ("handoffs", HandoffViewSet, "handoff"),
    ("handoff-items", HandoffItemViewSet, "handoff-item"),
]
PATHS: list[Any] = []
