"""The spend app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.spend.api.analytics import PATHS as ANALYTICS_PATHS
from steward.spend.api.analytics import ROUTES as ANALYTICS_ROUTES
from steward.spend.api.ledger import ROUTES as LEDGER_ROUTES

ROUTES: list[tuple[str, Any, str]] = [*LEDGER_ROUTES, *ANALYTICS_ROUTES]

# Analytics answers (the cube, Pareto, concentration …) are not collections of records.
PATHS: list[Any] = [*ANALYTICS_PATHS]
