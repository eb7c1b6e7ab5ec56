"""The permission matrix of the awards app (issue 8): every role of the cast, through the UI and
the API, on the awards records."""

from __future__ import annotations

COVERED_MODELS: set[type] = set()
