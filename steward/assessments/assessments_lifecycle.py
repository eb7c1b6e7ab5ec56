"""The assessment status machine as a table; the services in services.py are the only place it is
applied.

The vendor works on an assessment while it is sent, in progress or back for clarification; IT
security reviews it once submitted. Completed and cancelled are final.
"""

from __future__ import annotations

from steward.assessments.choices import AssessmentStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SENT, S.CANCELLED}),
    S.SENT: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.CANCELLED}),
    S.IN_REVIEW: frozenset({S.CLARIFICATION, S.COMPLETED, S.CANCELLED}),
    S.CLARIFICATION: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

# The vendor's portal users may change answers only in these.
OPEN_TO_VENDOR = frozenset({S.SENT, S.IN_PROGRESS, S.CLARIFICATION})
# Waiting for IT security.
AWAITING_REVIEW = frozenset({S.SUBMITTED, S.IN_REVIEW})
DONE = frozenset({S.COMPLETED, S.CANCELLED})
OPEN = frozenset(S.values) - DONE


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(from_status)
