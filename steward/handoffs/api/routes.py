"""The handoffs app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
PATHS: list[Any] = []
