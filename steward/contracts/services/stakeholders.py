"""Writes on a contract's stakeholders: taking someone off the contract.

Adding one is ``stakeholder_add`` in ``services/contracts.py``. The contract's owner is not a
stakeholder row, so neither service touches them.
"""

from __future__ import annotations

from typing import Any

from steward.contracts.models import ContractStakeholder
from steward.core.access import Action, require
from steward.core.services import archive_record


def stakeholder_remove(*, actor: Any, stakeholder: ContractStakeholder) -> ContractStakeholder:
    """Take the person off the contract. The row is archived, not deleted, so its history says
    who had a part and who removed them; the access it gave ends at once (the policy ignores
    archived memberships). Removing someone twice changes nothing."""
    require(actor, Action.DELETE, stakeholder)
    return archive_record(stakeholder, actor=actor, reason="Removed from the contract")
