"""The contract's internal stakeholders: the contract page's "stakeholders" tab."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.contracts.forms.obligations import StakeholderForm
from steward.contracts.models import Contract, ContractStakeholder
from steward.core.access import Action, can_create


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
    user = request.user
    context["stakeholders"] = list(
        ContractStakeholder.objects.restrict(user, Action.VIEW)
        .active()
        .filter(contract=contract)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    # Removing a stakeholder needs the right to change the contract, as adding one does.
    context["can_manage_stakeholders"] = context["can_change"] and can_create(
        user, ContractStakeholder, parent=contract
    )
    if context["can_manage_stakeholders"]:
        context["stakeholder_form"] = forms.get("stakeholder_form") or StakeholderForm(user=user)
