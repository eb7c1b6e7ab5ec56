"""The permission matrix of the bidding app (issue 8): every role of the cast, through the UI and
the API, on the bidding records."""

from __future__ import annotations

COVERED_MODELS: set[type] = set()
