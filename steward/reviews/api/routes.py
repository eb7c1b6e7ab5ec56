"""The reviews app's API routes for business reviews and action items, gathered for the router."""

from __future__ import annotations

from typing import Any

from steward.reviews.api import reviews

ROUTES: list[tuple[str, Any, str]] = [*reviews.ROUTES]
