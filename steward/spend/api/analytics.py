"""The API of spend analytics: the cube, trend, Pareto, concentration, maverick spend …, and
the drill-down to lines."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
PATHS: list[Any] = []
