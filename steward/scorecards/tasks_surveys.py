"""Background jobs of the scorecard engine for surveys."""

from __future__ import annotations


def schedule_survey_jobs() -> None:
    """Registered with the scheduler as the jobs land."""
