"""The contract engine's models, one module per part: contracts and their workflow, service
levels, obligations and renewals."""

from steward.contracts.models.contracts import (
    ApprovalRule,
    Contract,
    ContractApproval,
    ContractStakeholder,
    ContractTransition,
    NegotiationEntry,
)

__all__ = [
    "ApprovalRule",
    "Contract",
    "ContractApproval",
    "ContractStakeholder",
    "ContractTransition",
    "NegotiationEntry",
]
