"""A vendor's strategy: starting it from the playbook, editing it, KPIs and negotiation levers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.ui import run_form_service
from steward.suppliers import selectors, services
from steward.suppliers.forms import (
    RACI_FUNCTIONS,
    KpiEditForm,
    KpiForm,
    LeverEditForm,
    LeverForm,
    StrategyForm,
)
from steward.suppliers.models import Supplier, SupplierStrategy
from steward.suppliers.views.common import render_form, vendor_crumbs, vendor_url


def _strategy_for_change(request: HttpRequest, pk: int) -> tuple[Supplier, SupplierStrategy | None]:
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    return supplier, selectors.strategy_for(supplier=supplier)


def _no_strategy_yet(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    messages.info(request, "Start the strategy from the playbook first.")
    return HttpResponseRedirect(vendor_url(supplier, "strategy"))


@login_required
@require_POST
def strategy_start(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    services.strategy_get_or_create(actor=request.user, supplier=supplier)
    messages.success(request, "Strategy started from the playbook.")
    return HttpResponseRedirect(vendor_url(supplier, "strategy"))


@login_required
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, strategy = _strategy_for_change(request, pk)
    if strategy is None:
        return _no_strategy_yet(request, supplier)
    form = StrategyForm(request.POST or None, instance=strategy, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.strategy_update(
                actor=request.user,
                strategy=strategy,
                expected_version=form.cleaned_data.get("version") or 0,
                resource_people=form.cleaned_data["resource_people"],
                **form.changes(),
            ),
            success_message="Strategy saved.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Strategy for {supplier}",
        cancel_url=vendor_url(supplier, "strategy"),
        crumbs=vendor_crumbs(supplier, "strategy"),
        submit="Save strategy",
        template="suppliers/strategy_form.html",
        object=supplier,
        playbook=selectors.playbook_for(supplier=supplier),
        raci_functions=RACI_FUNCTIONS,
    )


@login_required
def kpi_create(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, strategy = _strategy_for_change(request, pk)
    if strategy is None:
        return _no_strategy_yet(request, supplier)
    form = KpiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.kpi_add(actor=request.user, strategy=strategy, **form.cleaned_data),
            success_message="KPI added.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"New KPI for {supplier}",
        cancel_url=vendor_url(supplier, "strategy"),
        crumbs=vendor_crumbs(supplier, "strategy"),
        submit="Add KPI",
    )


@login_required
def lever_create(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, strategy = _strategy_for_change(request, pk)
    if strategy is None:
        return _no_strategy_yet(request, supplier)
    form = LeverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.lever_add(actor=request.user, strategy=strategy, **form.cleaned_data),
            success_message="Negotiation lever added.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"New negotiation lever for {supplier}",
        cancel_url=vendor_url(supplier, "strategy"),
        crumbs=vendor_crumbs(supplier, "strategy"),
        submit="Add lever",
    )


@login_required
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = selectors.kpi_get(user=request.user, pk=pk, action=Action.CHANGE)
    supplier = kpi.strategy.supplier
    form = KpiEditForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.kpi_update(
                actor=request.user,
                kpi=kpi,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            ),
            success_message="KPI saved.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Edit KPI {kpi.name}",
        cancel_url=vendor_url(supplier, "strategy"),
        crumbs=vendor_crumbs(supplier, "strategy"),
        submit="Save KPI",
    )


@login_required
def lever_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lever = selectors.lever_get(user=request.user, pk=pk, action=Action.CHANGE)
    supplier = lever.strategy.supplier
    form = LeverEditForm(request.POST or None, instance=lever)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.lever_update(
                actor=request.user,
                lever=lever,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            ),
            success_message="Negotiation lever saved.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Edit negotiation lever: {lever.get_kind_display()}",
        cancel_url=vendor_url(supplier, "strategy"),
        crumbs=vendor_crumbs(supplier, "strategy"),
        submit="Save lever",
    )
