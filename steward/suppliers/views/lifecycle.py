"""A vendor's moves: stage transitions, checklist ticks, segment override, prequalification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import is_partial, run_form_service
from steward.suppliers import selectors, services
from steward.suppliers.choices import Stage
from steward.suppliers.forms import (
    ChecklistForm,
    PrequalificationForm,
    RevokeForm,
    SegmentOverrideForm,
    TransitionForm,
)
from steward.suppliers.views.common import render_form, vendor_crumbs, vendor_url
from steward.suppliers.views.detail import lifecycle_context


@login_required
def vendor_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a vendor on; a refused move comes back here with the reason beside the stage."""
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {"to_stage": request.GET.get("to"), "version": supplier.version}
    form = TransitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.supplier_transition(
                actor=request.user,
                supplier=supplier,
                to_stage=data["to_stage"],
                reason=data["reason"],
                expected_version=data.get("version"),
            ),
            success_message=f"Moved to {Stage(data['to_stage']).label}.",
            success_url=vendor_url,  # type: ignore[arg-type]
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Move {supplier} on",
        cancel_url=vendor_url(supplier),
        crumbs=vendor_crumbs(supplier),
        submit="Move",
        template="suppliers/transition_form.html",
        object=supplier,
        next_stages=selectors.next_stages(supplier=supplier),
    )


@login_required
@require_POST
def vendor_checklist(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Tick or untick one item; htmx gets the lifecycle block back, others the vendor page."""
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    item = selectors.checklist_item_get(
        user=request.user, supplier=supplier, code=code, action=Action.CHANGE
    )
    form = ChecklistForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            services.checklist_set(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as refusal:
            error = refusal.message
    if is_partial(request):
        supplier.refresh_from_db()
        context: dict[str, Any] = {
            "object": supplier,
            "can_change": True,
            "checklist_error": error,
            **lifecycle_context(request, supplier),
        }
        return render(request, "suppliers/vendor_detail.html#lifecycle", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{item.get_code_display()}: saved.")
    return HttpResponseRedirect(vendor_url(supplier))


@login_required
def vendor_segment(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {
        "segment": supplier.segment_override,
        "override_reason": supplier.override_reason,
        "version": supplier.version,
    }
    form = SegmentOverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.supplier_override_segment(
                actor=request.user,
                supplier=supplier,
                expected_version=data["version"],
                segment=data["segment"],
                reason=data["override_reason"],
            ),
            success_message="Override saved." if data["segment"] else "Override cleared.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Place {supplier} on the matrix",
        cancel_url=vendor_url(supplier),
        crumbs=vendor_crumbs(supplier),
        template="suppliers/segment_form.html",
        object=supplier,
    )


@login_required
def prequalification_create(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = PrequalificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.prequalification_grant(
                actor=request.user,
                supplier=supplier,
                category=data["category"],
                expires_on=data["expires_on"],
            ),
            success_message="Prequalification granted.",
            success_url=lambda grant: vendor_url(supplier),
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Prequalify {supplier}",
        cancel_url=vendor_url(supplier),
        crumbs=vendor_crumbs(supplier),
        submit="Grant",
    )


@login_required
def prequalification_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.prequalification_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.prequalification_revoke(
                actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
            ),
            success_message="Prequalification revoked.",
            success_url=lambda revoked: vendor_url(grant.supplier),
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Revoke prequalification for {grant.category}",
        cancel_url=vendor_url(grant.supplier),
        crumbs=vendor_crumbs(grant.supplier),
        submit="Revoke",
    )
