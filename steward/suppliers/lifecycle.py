"""The vendor lifecycle as a table: which stage may follow which, and what must be done first.

The table is the only place transitions are defined; ``supplier_transition`` in services.py
is the only place they happen.
"""

from __future__ import annotations

from steward.parties.choices import RelationshipStatus
from steward.suppliers.choices import ChecklistItemCode, Stage

TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.PROSPECT: frozenset({Stage.QUALIFICATION, Stage.OFFBOARDED}),
    Stage.QUALIFICATION: frozenset({Stage.ONBOARDING, Stage.OFFBOARDED}),
    Stage.ONBOARDING: frozenset({Stage.ACTIVE, Stage.OFFBOARDED}),
    Stage.ACTIVE: frozenset({Stage.UNDER_REVIEW, Stage.EXITING}),
    Stage.UNDER_REVIEW: frozenset({Stage.ACTIVE, Stage.EXITING}),
    Stage.EXITING: frozenset({Stage.OFFBOARDED}),
    # A vendor dropped or offboarded may be approached again later, from the start.
    Stage.OFFBOARDED: frozenset({Stage.PROSPECT}),
}

# The checklist each stage carries. Leaving a stage forward needs its items done; becoming
# active needs every item of qualification and onboarding done.
CHECKLIST: dict[str, tuple[str, ...]] = {
    Stage.QUALIFICATION: (
        ChecklistItemCode.DOCUMENTS_RECEIVED,
        ChecklistItemCode.SECURITY_REVIEW_DONE,
    ),
    Stage.ONBOARDING: (
        ChecklistItemCode.BANK_DETAILS_VERIFIED,
        ChecklistItemCode.CONTRACT_SIGNED,
    ),
}
ALL_CHECKLIST_ITEMS: tuple[str, ...] = tuple(code for items in CHECKLIST.values() for code in items)

# Forward moves that require the current stage's checklist to be complete.
GUARDED: dict[tuple[str, str], tuple[str, ...]] = {
    (Stage.QUALIFICATION, Stage.ONBOARDING): CHECKLIST[Stage.QUALIFICATION],
    (Stage.ONBOARDING, Stage.ACTIVE): ALL_CHECKLIST_ITEMS,
}

# The shared relationship base keeps a coarse status in step with the vendor's stage.
BASE_STATUS: dict[str, str] = {
    Stage.PROSPECT: RelationshipStatus.PROSPECT,
    Stage.QUALIFICATION: RelationshipStatus.PROSPECT,
    Stage.ONBOARDING: RelationshipStatus.PROSPECT,
    Stage.ACTIVE: RelationshipStatus.ACTIVE,
    Stage.UNDER_REVIEW: RelationshipStatus.UNDER_REVIEW,
    Stage.EXITING: RelationshipStatus.ACTIVE,
    Stage.OFFBOARDED: RelationshipStatus.INACTIVE,
}

# Stages in which a vendor may hold prequalification for sourcing.
PREQUALIFIABLE = frozenset(
    {Stage.QUALIFICATION, Stage.ONBOARDING, Stage.ACTIVE, Stage.UNDER_REVIEW}
)


def allowed_next(stage: str) -> frozenset[str]:
    return TRANSITIONS.get(stage, frozenset())


def missing_for(from_stage: str, to_stage: str, done: set[str]) -> list[str]:
    """Checklist items still open that block moving from ``from_stage`` to ``to_stage``."""
    return [code for code in GUARDED.get((from_stage, to_stage), ()) if code not in done]
