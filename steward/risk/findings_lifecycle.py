"""The finding status machine as a table; ``finding_transition`` in services.py is the only place
it is applied."""

from __future__ import annotations

from steward.risk.choices import FindingStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.REMEDIATING, S.CLOSED, S.ACCEPTED}),
    S.REMEDIATING: frozenset({S.CLOSED, S.ACCEPTED, S.OPEN}),
    # Reopening a closed or accepted finding needs a reason, as every move does.
    S.CLOSED: frozenset({S.OPEN}),
    S.ACCEPTED: frozenset({S.OPEN}),
}

OPEN = frozenset({S.OPEN, S.REMEDIATING})
DONE = frozenset({S.CLOSED, S.ACCEPTED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())
