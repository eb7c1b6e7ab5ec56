"""The sourcing event's status machine as a table; ``services.status.move`` is the only place it
is applied (publishing, closing, cancelling here; proposing and approving awards in the awards
app through ``set_status``)."""

from __future__ import annotations

from steward.sourcing.choices import EventStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.OPEN, S.CANCELLED}),
    S.OPEN: frozenset({S.CLOSED, S.CANCELLED}),
    S.CLOSED: frozenset({S.AWARD_PROPOSED, S.CANCELLED}),
    # An award sent back returns the event to closed, ready for another proposal.
    S.AWARD_PROPOSED: frozenset({S.AWARDED, S.CLOSED}),
    # Every award of the event fell through (declined or lapsed, no bid left): award again.
    S.AWARDED: frozenset({S.CLOSED}),
    S.CANCELLED: frozenset(),
}

# Lines, questions to bidders, criteria and the main fields change only while a draft.
EDITABLE = frozenset({S.DRAFT})
# Vendors may be invited while these last (and, once open, before the closing time).
INVITING = frozenset({S.DRAFT, S.OPEN})
CANCELLABLE = frozenset({S.DRAFT, S.OPEN, S.CLOSED})
# Nothing more happens to the event (the log stays readable).
FINISHED = frozenset({S.AWARDED, S.CANCELLED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(from_status)
