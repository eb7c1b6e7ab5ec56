"""The plan standard: one record, changed by administrators."""

from __future__ import annotations

from typing import Any

from steward.accountplans.models import PlanStandard
from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.services import refuse_unknown_fields, update_record

FIELDS = frozenset(
    {
        "executive_sponsor_rule",
        "locations_rule",
        "objectives_complete_rule",
        "min_objectives_rule",
        "min_objectives",
        "reviewed_recently_rule",
        "review_days",
        "next_review_rule",
        "actions_both_sides_rule",
    }
)


def _check(standard: PlanStandard) -> None:
    if not 1 <= standard.min_objectives <= 50:
        raise DomainError("Ask for 1 to 50 objectives.", field="min_objectives")
    if not 1 <= standard.review_days <= 730:
        raise DomainError("Give 1 to 730 days.", field="review_days")


def standard_update(
    *, actor: Any, standard: PlanStandard, expected_version: int | None, **changes: Any
) -> PlanStandard:
    require(actor, Action.CHANGE, standard)
    refuse_unknown_fields(changes, FIELDS)
    return update_record(
        standard,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check,
        reason="Standard changed",
    )
