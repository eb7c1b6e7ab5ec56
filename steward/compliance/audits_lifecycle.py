"""The audit status machine as a table; ``audit_transition`` in services is the only place it is
applied."""

from __future__ import annotations

from steward.compliance.choices import AuditStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.REPORT_ISSUED, S.CANCELLED}),
    S.REPORT_ISSUED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

FINISHED = frozenset({S.CLOSED, S.CANCELLED})
# Findings are raised while the audit runs and when its report is written.
TAKES_FINDINGS = frozenset({S.IN_PROGRESS, S.REPORT_ISSUED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())
