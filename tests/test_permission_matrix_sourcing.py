"""The permission matrix of the sourcing app (issue 8): every role of the cast, through the UI and
the API, on the sourcing records."""

from __future__ import annotations

COVERED_MODELS: set[type] = set()
