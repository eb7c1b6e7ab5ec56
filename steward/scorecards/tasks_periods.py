"""Background jobs of the scorecard engine for periods."""

from __future__ import annotations


def schedule_period_jobs() -> None:
    """Registered with the scheduler as the jobs land."""
