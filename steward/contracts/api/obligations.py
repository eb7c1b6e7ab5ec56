"""API endpoints of the contracts app's obligations area."""

from __future__ import annotations

from typing import Any

# (prefix, viewset, basename) for the /api/v1/ router.
ROUTES: list[tuple[str, Any, str]] = []
