"""The opportunity's stage machine and what each stage implies, as tables.

Open stages move freely among themselves; won and lost are reached only from an open stage;
a lost opportunity may be reopened into an open stage; won is final.
"""

from __future__ import annotations

from steward.pipeline.choices import CLOSED_STAGES, OPEN_STAGES, ForecastCategory, Stage

TRANSITIONS: dict[str, frozenset[str]] = {
    **{stage: frozenset(set(OPEN_STAGES) - {stage} | set(CLOSED_STAGES)) for stage in OPEN_STAGES},
    Stage.LOST: frozenset(OPEN_STAGES),
    Stage.WON: frozenset(),
}

# The forecast category a stage implies until the owner says otherwise.
DEFAULT_CATEGORY: dict[str, str] = {
    Stage.PROSPECTING: ForecastCategory.PIPELINE,
    Stage.QUALIFICATION: ForecastCategory.PIPELINE,
    Stage.SOLUTION: ForecastCategory.BEST_CASE,
    Stage.PROPOSAL: ForecastCategory.BEST_CASE,
    Stage.NEGOTIATION: ForecastCategory.COMMIT,
    Stage.WON: ForecastCategory.CLOSED,
    Stage.LOST: ForecastCategory.OMITTED,
}

# What the owner may choose for an open opportunity; closed is only ever a won one's.
OPEN_CATEGORIES = frozenset(
    {
        ForecastCategory.PIPELINE,
        ForecastCategory.BEST_CASE,
        ForecastCategory.COMMIT,
        ForecastCategory.OMITTED,
    }
)


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES
