"""The portal app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.portal.api.views import InvitationViewSet

ROUTES: list[tuple[str, Any, str]] = [
    ("portal-invitations", InvitationViewSet, "portal-invitation"),
]
PATHS: list[Any] = []
