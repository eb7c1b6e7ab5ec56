"""A "Customer health" scorecard template built from this app's computed measures.

The scorecard engine already ships a default demand-side "Customer health" template (made by
``templates_ensure_defaults``, from the recorded ``csat`` and ``nps`` measures). A data migration
making another default here would collide with it (one default per side) and with the engine's
own tests of its shipped templates, so ``health_template_ensure`` is called explicitly (it makes
the template only when no template of that name exists) and the criteria below are offered to
the engine's shipped template (see docs/satisfaction.md).
"""

from __future__ import annotations

from typing import Any

HEALTH_TEMPLATE = "Customer health"


def _bands(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"bands": [{"threshold": t, "score": s} for t, s in pairs]}


HEALTH_CRITERIA: list[dict[str, Any]] = [
    {"code": "csat", "name": "CSAT from responses", "category": "satisfaction", "weight": 20,
     "measure": "survey_csat_pct", "rule_kind": "linear", "rule": {"floor": "60", "target": "90"}},
    {"code": "nps", "name": "NPS from responses", "category": "satisfaction", "weight": 20,
     "measure": "survey_nps", "rule_kind": "linear", "rule": {"floor": "-20", "target": "50"}},
    {"code": "usage", "name": "Usage and adoption", "category": "usage", "weight": 15,
     "measure": "usage_pct", "rule_kind": "linear", "rule": {"floor": "40", "target": "90"}},
    {"code": "open-problems", "name": "Open service problems", "category": "responsiveness",
     "weight": 10, "measure": "open_problems", "rule_kind": "bands",
     "rule": _bands(("0", "100"), ("1", "75"), ("3", "40"), ("5", "10"))},
    {"code": "problem-age", "name": "Age of open problems", "category": "responsiveness",
     "weight": 10, "measure": "problem_age_days", "rule_kind": "bands",
     "rule": _bands(("7", "100"), ("30", "60"), ("90", "20"))},
    {"code": "engagement", "name": "Days since the last engagement", "category": "relationship",
     "weight": 15, "measure": "days_since_engagement", "rule_kind": "bands",
     "rule": _bands(("30", "100"), ("60", "70"), ("90", "40"), ("180", "10"))},
    {"code": "renewal", "name": "Days to the next renewal", "category": "relationship",
     "weight": 10, "measure": "days_to_renewal", "rule_kind": "linear",
     "rule": {"floor": "30", "target": "180"}},
]  # fmt: skip


def health_template_ensure() -> Any:
    """Make the template unless one of its name exists; the side's default if it has none."""
    from steward.parties.choices import Side
    from steward.scorecards.choices import PeriodKind
    from steward.scorecards.models import ScorecardTemplate
    from steward.scorecards.services import templates

    if ScorecardTemplate.objects.filter(name=HEALTH_TEMPLATE).exists():
        return None
    has_default = ScorecardTemplate.objects.filter(
        side=Side.DEMAND, is_default=True, archived_at__isnull=True
    ).exists()
    # The engine's system entry (no administrator signs a migration), as its own defaults use.
    return templates._template_insert(
        actor=None,
        name=HEALTH_TEMPLATE,
        side=Side.DEMAND,
        period_kind=PeriodKind.QUARTERLY,
        description="Satisfaction from survey responses, usage, open service problems, "
        "engagement and renewal of a customer account.",
        standings_rows=None,
        criteria=HEALTH_CRITERIA,
        is_default=not has_default,
    )
