"""The scorecards app's API routes for the /api/v1/ router, and its single-record paths."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []

# Single records outside the router (no collection, no id in the path).
PATHS: list[Any] = []
