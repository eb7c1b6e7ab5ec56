"""The stakeholders tab's actions: add an internal person to the contract, or take one off.

A refused addition re-renders the contract page on the tab with the service's message on the
field it names; nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.contracts import services
from steward.contracts.forms.obligations import StakeholderForm
from steward.contracts.models import ContractStakeholder
from steward.contracts.views.tab_forms import tab_form_post
from steward.core.access import Action, get_for_user


@login_required
@require_POST
def stakeholder_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return tab_form_post(
        request,
        pk,
        tab="stakeholders",
        form_name="stakeholder",
        bind=lambda: StakeholderForm(request.POST, user=user),
        service=lambda form, contract: services.stakeholder_add(
            actor=user, contract=contract, **form.cleaned_data
        ),
        success_message="Stakeholder added.",
    )


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
