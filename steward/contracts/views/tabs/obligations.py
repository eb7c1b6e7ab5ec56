"""Obligations: who owes what by when: the contract page's "obligations" tab."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest

from steward.contracts import lifecycle
from steward.contracts.filtersets_obligations import STATUS_CHOICES, ObligationFilterSet
from steward.contracts.forms.obligations import ObligationForm
from steward.contracts.models import Contract, Obligation, ObligationEvidence
from steward.contracts.selectors_renewals import obligation_list
from steward.core.access import can_create

STATUS_NAMES = frozenset(value for value, _ in STATUS_CHOICES)


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in STATUS_NAMES else ""
    evidence = ObligationEvidence.objects.active().select_related("uploaded_by")
    rows = obligation_list(user=user, contract=contract).prefetch_related(
        Prefetch("evidence", queryset=evidence, to_attr="evidence_files")
    )
    rows = ObligationFilterSet({"status": status} if status else {}, queryset=rows).qs
    context["obligations"] = list(rows)
    context["obligation_status"] = status
    context["obligation_statuses"] = STATUS_CHOICES
    bound = forms.get("obligation_form")
    if bound is not None:  # a refused addition: show the form with the refusal
        context["obligation_form"] = bound
    elif (
        context["can_change"]
        and contract.status not in lifecycle.ENDED
        and can_create(user, Obligation, parent=contract)
    ):
        context["obligation_form"] = ObligationForm(user=user)
