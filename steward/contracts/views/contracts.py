"""Contracts: the list, a contract's page with its tabs, create and edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from steward.contracts import hooks, lifecycle, selectors, services
from steward.contracts.choices import ContractStatus, Decision
from steward.contracts.forms import (
    ApprovalDecisionForm,
    ContractForm,
    NegotiationForm,
    TransitionForm,
)
from steward.contracts.models import Contract, NegotiationEntry
from steward.contracts.views.tabs import documents, obligations, renewals, sla, stakeholders
from steward.core.access import Action, allows, can_create
from steward.core.charts import chart_page
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices

# (name, label) in the order the contract page shows them.
DETAIL_TABS = (
    ("terms", "Terms"),
    ("documents", "Documents"),
    ("approvals", "Approvals"),
    ("negotiation", "Negotiation"),
    ("obligations", "Obligations"),
    ("slas", "SLAs"),
    ("stakeholders", "Stakeholders"),
    ("renewal", "Renewal"),
    ("history", "History"),
)
TAB_NAMES = frozenset(name for name, _ in DETAIL_TABS)


CONTRACT_COLUMNS = (
    Column("Id", lambda c: c.pk),
    Column("Title", lambda c: c.title),
    Column("Reference", lambda c: c.reference),
    Column("Counterparty", lambda c: c.relationship.organization.display_name),
    Column("Side", lambda c: c.side),
    Column("Kind", lambda c: c.get_kind_display()),
    Column("Status", lambda c: c.get_status_display()),
    Column("Owner", lambda c: person_name(c.owner)),
    Column("Currency", lambda c: c.currency),
    Column("Annual value", lambda c: c.annual_value),
    Column("Total value", lambda c: c.total_value),
    Column("Start date", lambda c: c.start_date),
    Column("End date", lambda c: c.end_date),
    Column("Notice deadline", lambda c: c.notice_deadline),
    Column("Auto-renews", lambda c: c.auto_renews),
    Column("Archived", lambda c: c.archived_at),
)


class ContractListView(ListPage):
    template_name = "contracts/contract_list.html"
    filterset_selector = selectors.contract_filterset
    export_name = "contracts"
    export_columns = CONTRACT_COLUMNS
    title = "Contracts"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        relationship = parties_selectors.relationship_named(
            user=user, pk=self.request.GET.get("relationship")
        )
        return {
            "today": timezone.localdate(),
            "owner_choices": internal_user_choices(user=user),
            "relationship_filter": relationship,
            # Narrowed to one relationship, the list offers to draft a contract on it.
            "can_add_contract": relationship is not None
            and not relationship.is_archived
            and can_create(user, Contract, parent=relationship),
        }


def detail_context(
    request: HttpRequest, contract: Contract, tab: str, **forms: Any
) -> dict[str, Any]:
    """What the contract page shows on ``tab``; ``forms`` carry bound forms with errors."""
    user = request.user
    can_change = not contract.is_archived and allows(user, Action.CHANGE, contract)
    moves = sorted(lifecycle.allowed_next(contract.status)) if can_change else []
    context: dict[str, Any] = {
        "object": contract,
        "relationship": contract.relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "today": timezone.localdate(),
        "can_change": can_change,
        "can_edit_terms": can_change and contract.status in lifecycle.EDITABLE,
        "moves": [(status, ContractStatus(status).label) for status in moves],
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "can_delete": allows(user, Action.DELETE, contract),
        "archive_url": reverse("contracts:contract-archive", args=[contract.pk]),
        "restore_url": reverse("contracts:contract-restore", args=[contract.pk]),
    }
    if tab != "history":
        context["tab_template"] = f"contracts/tabs/{tab}.html"
    TAB_CONTEXTS.get(tab, _history_tab)(request, contract, context, forms)
    return context


def _terms_tab(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    context["transitions"] = selectors.transitions_of(contract)


def _approvals_tab(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    context["approvals"] = _approvals_with_forms(request, contract, forms)


def _negotiation_tab(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    context["entries"] = selectors.negotiation_of(contract)
    if (
        context["can_change"]
        and contract.status not in lifecycle.ENDED
        and can_create(request.user, NegotiationEntry, parent=contract)
    ):
        context["negotiation_form"] = forms.get("negotiation_form") or NegotiationForm()


def _history_tab(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    context.update(history_context(request, contract))


TabContext = Callable[[HttpRequest, Contract, dict[str, Any], dict[str, Any]], None]
# Each tab's module adds what it shows; the areas' modules own their tabs.
TAB_CONTEXTS: dict[str, TabContext] = {
    "terms": _terms_tab,
    "documents": documents.tab_context,
    "approvals": _approvals_tab,
    "negotiation": _negotiation_tab,
    "obligations": obligations.tab_context,
    "slas": sla.tab_context,
    "stakeholders": stakeholders.tab_context,
    "renewal": renewals.tab_context,
    "history": _history_tab,
}


def _approvals_with_forms(
    request: HttpRequest, contract: Contract, forms: dict[str, Any]
) -> list[Any]:
    """The approvals, each open one of the current round carrying the decision form for its
    approver (a bound one after a refused decision)."""
    approvals = selectors.approvals_of(contract)
    current = max((a.round for a in approvals), default=0)
    bound = forms.get("decision_form")
    for approval in approvals:
        approval.decision_form = None  # type: ignore[attr-defined]
        open_for_me = (
            approval.approver_id == request.user.pk
            and approval.decision == Decision.PENDING
            and approval.round == current
            and contract.status == ContractStatus.PENDING_APPROVAL
        )
        if open_for_me:
            form = bound if bound is not None and forms.get("approval_pk") == approval.pk else None
            approval.decision_form = form or ApprovalDecisionForm()  # type: ignore[attr-defined]
    return approvals


def _tab(request: HttpRequest) -> str:
    tab = request.GET.get("tab", "terms")
    return tab if tab in TAB_NAMES else "terms"


# A chart page as a whole: the SLA tab's charts may be swapped in by htmx.
@chart_page
@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    context = detail_context(request, contract, _tab(request))
    return render_page(request, "contracts/contract_detail.html", context, partial="tab")


@login_required
def contract_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, Contract, parent=relationship):
        raise PermissionDenied("You may not add contracts to this relationship.")
    form = ContractForm(request.POST or None, user=user, relationship=relationship)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.contract_create(
                actor=user, relationship=relationship, **form.changes()
            ),
            success_message="Contract drafted.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"New contract with {relationship.organization}",
        "warnings": hooks.commitment_warnings(relationship),
    }
    return render(request, "contracts/contract_form.html", context)


@login_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = ContractForm(
        request.POST or None, instance=contract, user=user, relationship=contract.relationship
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.contract_update(
                actor=user,
                contract=contract,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": contract,
        "relationship": contract.relationship,
        "title": f"Edit {contract}",
    }
    return render(request, "contracts/contract_form.html", context)
