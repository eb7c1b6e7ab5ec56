"""The stakeholders tab's actions: add an internal person to the contract, or take one off.

A refused addition re-renders the contract page on the tab with the service's message on the
field it names; nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.contracts import selectors, services
from steward.contracts.forms.obligations import StakeholderForm
from steward.contracts.models import ContractStakeholder
from steward.contracts.views.contracts import detail_context
from steward.core.access import Action, get_for_user
from steward.core.ui import render_page, run_form_service

DETAIL_TEMPLATE = "contracts/contract_detail.html"


@login_required
@require_POST
def stakeholder_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = StakeholderForm(request.POST, user=user)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.stakeholder_add(actor=user, contract=contract, **form.cleaned_data),
            success_message="Stakeholder added.",
            success_url=lambda _: f"{contract.get_absolute_url()}?tab=stakeholders",
        )
        if response is not None:
            return response
    context = detail_context(request, contract, "stakeholders", stakeholder_form=form)
    return render_page(request, DETAIL_TEMPLATE, context)


@login_required
@require_POST
def stakeholder_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    stakeholder = get_for_user(
        ContractStakeholder.objects.select_related("contract", "user"),
        user=user,
        pk=pk,
        action=Action.DELETE,
    )
    services.stakeholder_remove(actor=user, stakeholder=stakeholder)
    messages.success(request, f"{stakeholder.user} no longer has a part in this contract.")
    return HttpResponseRedirect(f"{stakeholder.contract.get_absolute_url()}?tab=stakeholders")
