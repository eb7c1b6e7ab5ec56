"""POST-only actions from the contract page: move it, decide an approval, log a negotiation.

A refusal re-renders the contract page on the tab the form sits on, with the service's
message on the field it names; nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.contracts import selectors, services
from steward.contracts.forms import ApprovalDecisionForm, NegotiationForm, TransitionForm
from steward.contracts.views.contracts import detail_context
from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import render_page, run_form_service

DETAIL_TEMPLATE = "contracts/contract_detail.html"


@login_required
@require_POST
def contract_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.contract_transition(
                actor=user,
                contract=contract,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            ),
            success_message="Status changed.",
        )
        if response is not None:
            return response
    context = detail_context(request, contract, "terms", transition_form=form)
    return render_page(request, DETAIL_TEMPLATE, context)


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    approval = selectors.approval_get(user=user, pk=pk)
    contract = approval.contract
    if not services.may_decide(user, approval):
        raise PermissionDenied("Only the approver decides this approval.")
    form = ApprovalDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.approval_decide(
                actor=user,
                approval=approval,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, "Decision recorded.")
            return HttpResponseRedirect(f"{contract.get_absolute_url()}?tab=approvals")
    context = detail_context(
        request, contract, "approvals", decision_form=form, approval_pk=approval.pk
    )
    return render_page(request, DETAIL_TEMPLATE, context)


@login_required
@require_POST
def negotiation_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = NegotiationForm(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.negotiation_log(
                actor=user,
                contract=contract,
                **{k: v for k, v in form.cleaned_data.items() if v is not None},
            ),
            success_message="Negotiation logged.",
            success_url=lambda entry: f"{contract.get_absolute_url()}?tab=negotiation",
        )
        if response is not None:
            return response
    context = detail_context(request, contract, "negotiation", negotiation_form=form)
    return render_page(request, DETAIL_TEMPLATE, context)
