"""The handoff's status machine as a table; ``services.handoffs.move`` is the only place it is
applied.

draft → handed over (business development submits) → accepted (the receiver, explicitly) →
completed (every item closed). A handoff handed over may be sent back to draft with a reason;
a draft or a handoff handed over may be cancelled with a reason.
"""

from __future__ import annotations

from steward.handoffs.choices import HandoffStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.HANDED_OVER, S.CANCELLED}),
    S.HANDED_OVER: frozenset({S.ACCEPTED, S.DRAFT, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

# The handoff's own fields (account, receiver, dates, summary) change only while a draft.
EDITABLE = frozenset({S.DRAFT})
# Items are added, changed, closed and reopened while the handoff is still going.
WORKING = frozenset({S.DRAFT, S.HANDED_OVER, S.ACCEPTED})
# Items stay on the receiver's list of due work while the handoff is going.
LIVE = frozenset({S.HANDED_OVER, S.ACCEPTED})
FINISHED = frozenset({S.COMPLETED, S.CANCELLED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(from_status)
