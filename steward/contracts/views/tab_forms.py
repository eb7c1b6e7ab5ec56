"""A form posted from one tab of the contract page: call its service, or show the tab again.

A refused input re-renders the contract page on the tab with the service's message on the field
it names; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from steward.contracts import selectors
from steward.contracts.models import Contract
from steward.contracts.views.contracts import detail_context
from steward.core.access import Action
from steward.core.ui import render_page, run_form_service

DETAIL_TEMPLATE = "contracts/contract_detail.html"


def tab_form_post(
    request: HttpRequest,
    pk: int,
    *,
    tab: str,
    form_name: str,
    bind: Callable[[], Any],
    service: Callable[[Any, Contract], Any],
    success_message: str,
) -> HttpResponse:
    """Bind the form, call ``service(form, contract)``; back to the tab, or the tab again with
    the bound form as ``<form_name>_form``."""
    contract = selectors.contract_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = bind()
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: service(form, contract),
            success_message=success_message,
            success_url=lambda _: f"{contract.get_absolute_url()}?tab={tab}",
        )
        if response is not None:
            return response
    context = detail_context(request, contract, tab, **{f"{form_name}_form": form})
    return render_page(request, DETAIL_TEMPLATE, context)
