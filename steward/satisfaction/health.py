"""The "Customer health" scorecard template Steward ships for the demand side.

Its measures are this app's, computed from what Steward holds (survey responses, service
problems, activities, contracts), plus the engine's recorded usage, which counts when provided.
It is registered with the engine's shipped templates, so ``templates_ensure_defaults`` (the demo
and the period job) makes it like the supply side's "Vendor performance".
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


CUSTOMER_HEALTH: dict[str, Any] = {
    "name": HEALTH_TEMPLATE,
    "side": "demand",
    "period_kind": "quarterly",
    "description": "Satisfaction from survey responses, usage, open service problems, "
    "engagement and renewal of a customer account.",
    "criteria": HEALTH_CRITERIA,
}


def register_health_template() -> None:
    from steward.scorecards.services.templates import register_shipped_template

    register_shipped_template(CUSTOMER_HEALTH)
