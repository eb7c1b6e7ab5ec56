"""The API of imports and the reference data of spend."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
