"""The renewal decision and pack: the contract page's "renewal" tab."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.contracts import lifecycle
from steward.contracts.forms.renewals import RenewalDecisionForm
from steward.contracts.models import Contract, RenewalDecision
from steward.contracts.selectors_renewals import decision_history
from steward.core.access import can_create


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
    history = list(decision_history(user=request.user, contract=contract))
    context["decisions"] = history
    context["current_decision"] = next(
        (
            d
            for d in history
            if d.is_current and contract.end_date and d.for_term_ending == contract.end_date
        ),
        None,
    )
    if context["today"] and contract.notice_deadline:
        context["notice_days_left"] = (contract.notice_deadline - context["today"]).days
    if (
        context["can_change"]
        and contract.status not in lifecycle.ENDED
        and can_create(request.user, RenewalDecision, parent=contract)
    ):
        context["renewal_form"] = forms.get("renewal_form") or RenewalDecisionForm()
