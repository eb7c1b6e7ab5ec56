"""Forms parse and check input types; the contract services decide and write.

One module per area of the contract page; the contract's own forms are re-exported here.
"""

from steward.contracts.forms.contracts import (
    DATE,
    ApprovalDecisionForm,
    ContractForm,
    NegotiationForm,
    TransitionForm,
)

__all__ = ["DATE", "ApprovalDecisionForm", "ContractForm", "NegotiationForm", "TransitionForm"]
