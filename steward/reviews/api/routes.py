"""The reviews app's API routes for business reviews and action items, gathered for the router."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
