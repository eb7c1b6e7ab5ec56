"""The savings app's API routes for the /api/v1/ router."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
