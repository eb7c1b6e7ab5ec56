"""The permission matrix of the handoffs app (issue 9): every role of the cast, through the UI and
the API, on its records."""

from __future__ import annotations

COVERED_MODELS: set[type] = set()
