"""Stage probabilities calibrated on the organization's own history.

For each open stage: among opportunities closed (won or lost) in the last 24 months that
reached the stage (a ``StageChange`` into it), the share that was won. The observed rate is
used once at least ``MINIMUM_SAMPLE`` closed opportunities reached the stage; before that the
stage's default (``DEFAULT_PROBABILITY``) holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from steward.pipeline.choices import DEFAULT_PROBABILITY, OPEN_STAGES, Stage

MINIMUM_SAMPLE = 20
WINDOW_MONTHS = 24


@dataclass(frozen=True)
class CalibrationRow:
    stage: str
    default: int
    observed: int | None
    won: int
    sample: int

    @property
    def uses_observed(self) -> bool:
        return self.observed is not None and self.sample >= MINIMUM_SAMPLE

    @property
    def probability(self) -> int:
        return self.observed if self.uses_observed and self.observed is not None else self.default

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


def win_rate(won: int, sample: int) -> int | None:
    """won ÷ sample in whole per cent, half up; None without a sample."""
    if sample <= 0:
        return None
    return int((Decimal(won) * 100 / Decimal(sample)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def calibrate(observed: Mapping[str, tuple[int, int]]) -> list[CalibrationRow]:
    """The table for every open stage from (won, sample) per stage."""
    rows = []
    for stage in OPEN_STAGES:
        won, sample = observed.get(stage, (0, 0))
        rows.append(
            CalibrationRow(
                stage=stage,
                default=DEFAULT_PROBABILITY[stage],
                observed=win_rate(won, sample),
                won=won,
                sample=sample,
            )
        )
    return rows


def window_start(today: dt.date) -> dt.date:
    """The same day 24 months before (the 28th for a 29 February)."""
    year = today.year - WINDOW_MONTHS // 12
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def observed_rates(today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """(won, sample) per open stage, in one query over the stage changes."""
    from steward.pipeline.models import StageChange

    today = today or timezone.localdate()
    rows = (
        StageChange.objects.filter(
            to_stage__in=OPEN_STAGES,
            opportunity__archived_at__isnull=True,
            opportunity__stage__in=(Stage.WON, Stage.LOST),
            opportunity__closed_on__gte=window_start(today),
            opportunity__closed_on__lte=today,
        )
        .values("to_stage")
        .annotate(
            sample=Count("opportunity", distinct=True),
            won=Count("opportunity", distinct=True, filter=Q(opportunity__stage=Stage.WON)),
        )
        .order_by()
    )
    return {row["to_stage"]: (row["won"], row["sample"]) for row in rows}


def calibration_table(today: dt.date | None = None) -> list[CalibrationRow]:
    return calibrate(observed_rates(today))


def probability_for(stage: str, today: dt.date | None = None) -> int:
    """The probability an opportunity takes when it moves into ``stage``."""
    if stage not in OPEN_STAGES:
        return DEFAULT_PROBABILITY[stage]
    for row in calibration_table(today):
        if row.stage == stage:
            return row.probability
    return DEFAULT_PROBABILITY[stage]  # pragma: no cover - every open stage has a row
