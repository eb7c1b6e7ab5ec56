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
from steward.contracts.models.documents import ContractDocument, DocumentVersion
from steward.contracts.models.obligations import (
    Obligation,
    ObligationAlert,
    ObligationEvidence,
)
from steward.contracts.models.renewals import (
    RenewalDecision,
    RenewalReminderPolicy,
    RenewalReminderSent,
)
from steward.contracts.models.sla import (
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaMeasurement,
    SlaPeriodResult,
)

__all__ = [
    "ApprovalRule",
    "Contract",
    "ContractApproval",
    "ContractDocument",
    "ContractStakeholder",
    "ContractTransition",
    "DocumentVersion",
    "NegotiationEntry",
    "Obligation",
    "ObligationAlert",
    "ObligationEvidence",
    "RenewalDecision",
    "RenewalReminderPolicy",
    "RenewalReminderSent",
    "ServiceCredit",
    "ServiceLevel",
    "SlaBreach",
    "SlaMeasurement",
    "SlaPeriodResult",
]
