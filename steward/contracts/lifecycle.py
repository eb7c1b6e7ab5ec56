"""The contract workflow as a table; ``contract_transition`` in services.py is the only place
it is applied."""

from __future__ import annotations

from steward.contracts.choices import ContractStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_NEGOTIATION, S.PENDING_APPROVAL}),
    S.IN_NEGOTIATION: frozenset({S.DRAFT, S.PENDING_APPROVAL}),
    # Rejected or withdrawn: back to the table.
    S.PENDING_APPROVAL: frozenset({S.ACTIVE, S.IN_NEGOTIATION}),
    S.ACTIVE: frozenset({S.EXPIRING, S.RENEWED, S.TERMINATED, S.EXPIRED}),
    # Expiring is a warning stage: it ends, is renewed or terminated, or carries on (rolled over).
    S.EXPIRING: frozenset({S.ACTIVE, S.RENEWED, S.TERMINATED, S.EXPIRED}),
    S.RENEWED: frozenset(),
    S.TERMINATED: frozenset(),
    S.EXPIRED: frozenset(),
}

# States in which the commercial terms may still change; later changes are amendments.
EDITABLE = frozenset({S.DRAFT, S.IN_NEGOTIATION})
# States whose contracts bind the parties (the renewal radar watches these).
IN_FORCE = frozenset({S.ACTIVE, S.EXPIRING})
ENDED = frozenset({S.RENEWED, S.TERMINATED, S.EXPIRED})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())
