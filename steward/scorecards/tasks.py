"""Background jobs of the scorecards engine: thin, idempotent, calling services."""

from __future__ import annotations


def schedule() -> None:
    """Periodic jobs are registered here as they land."""
