"""Writes on contracts, one module per part; import from here."""

from steward.contracts.services.contracts import (
    approval_decide,
    approvals_required,
    contract_create,
    contract_roll_forward,
    contract_transition,
    contract_update,
    negotiation_log,
    pending_approvals,
    stakeholder_add,
)

__all__ = [
    "approval_decide",
    "approvals_required",
    "contract_create",
    "contract_roll_forward",
    "contract_transition",
    "contract_update",
    "negotiation_log",
    "pending_approvals",
    "stakeholder_add",
]
