"""Background jobs of the scorecard engine: thin, idempotent, calling services.

Period close lives in ``tasks_periods``, the survey round (send, chase, close) in ``tasks_surveys``.
"""

from __future__ import annotations


def schedule() -> None:
    from steward.scorecards.tasks_periods import schedule_period_jobs
    from steward.scorecards.tasks_surveys import schedule_survey_jobs

    schedule_period_jobs()
    schedule_survey_jobs()
