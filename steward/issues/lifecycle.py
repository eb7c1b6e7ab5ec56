"""The issue status machine as a table; ``issue_transition`` in services.py is the only place it
is applied."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from steward.issues.choices import IssueStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED}),
    # Reopening (from resolved or closed back to in progress) needs a reason.
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset({S.IN_PROGRESS}),
}

# Issues still being worked: the escalation job and "overdue" watch these.
OPEN = frozenset({S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS})
DONE = frozenset({S.RESOLVED, S.CLOSED})
# Moves that need a root cause and a corrective action.
RESOLVING = frozenset({S.RESOLVED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def is_reopen(from_status: str, to_status: str) -> bool:
    return from_status in DONE and to_status == S.IN_PROGRESS


def overdue_q(now: dt.datetime) -> Q:
    """Open issues past the target that counts for them: the response target until they are
    acknowledged, the resolution target after (see ``targets.missed_target``)."""
    not_acknowledged = Q(acknowledged_at__isnull=True, respond_by__lt=now)
    unresolved = Q(acknowledged_at__isnull=False, resolve_by__lt=now)
    return Q(status__in=OPEN) & (not_acknowledged | unresolved)
