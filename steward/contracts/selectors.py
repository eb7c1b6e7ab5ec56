"""Reads on contracts for the pages: the list and one contract with what its tabs show.

Renewal and service-level reads live in selectors_renewals.py and selectors_sla.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from steward.contracts.filtersets import ContractFilterSet
from steward.contracts.models import (
    Contract,
    ContractApproval,
    ContractTransition,
    NegotiationEntry,
)
from steward.core.access import Action, get_for_user


def contract_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> ContractFilterSet:
    contracts = (
        Contract.objects.restrict(user, Action.VIEW)
        .select_related("relationship__organization", "owner", "parent")
        .order_by("end_date", "title", "pk")
    )
    filterset = ContractFilterSet(filters or {}, queryset=contracts)
    # "Pending my approval" needs to know who "my" is.
    filterset.user = user
    return filterset


def contract_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Contract]:
    return contract_filterset(user=user, filters=filters).qs


def contract_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Contract:
    contracts = Contract.objects.select_related("relationship__organization", "owner", "parent")
    return get_for_user(contracts, user=user, pk=pk, action=action)


def approvals_of(contract: Contract) -> list[ContractApproval]:
    """Every approval of the contract, newest round first."""
    return list(contract.approvals.active().select_related("approver").order_by("-round", "pk"))


def negotiation_of(contract: Contract) -> list[NegotiationEntry]:
    return list(contract.negotiation_entries.active().select_related("logged_by"))


def transitions_of(contract: Contract) -> list[ContractTransition]:
    return list(contract.transitions.select_related("actor"))


def approval_get(*, user: Any, pk: Any) -> ContractApproval:
    """An approval the user may see (through its contract); the service checks the approver."""
    approvals = ContractApproval.objects.select_related("contract__relationship", "approver")
    return get_for_user(approvals, user=user, pk=pk, action=Action.VIEW)


__all__ = [
    "approval_get",
    "approvals_of",
    "contract_filterset",
    "contract_get",
    "contract_list",
    "negotiation_of",
    "transitions_of",
]
