"""Background jobs of spend: thin, idempotent, calling services."""

from __future__ import annotations


def schedule() -> None:
    """Periodic jobs (none yet); the import job is enqueued by the import service."""
