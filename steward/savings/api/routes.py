"""The savings app's API routes for the /api/v1/ router."""

from __future__ import annotations

from typing import Any

from steward.savings.api.views import (
    SavingsInitiativeViewSet,
    SavingsLeverViewSet,
    TcoComparisonViewSet,
    TcoOptionViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("savings-initiatives", SavingsInitiativeViewSet, "savings-initiative"),
    ("savings-levers", SavingsLeverViewSet, "savings-lever"),
    ("tco-comparisons", TcoComparisonViewSet, "tco-comparison"),
    ("tco-options", TcoOptionViewSet, "tco-option"),
]
