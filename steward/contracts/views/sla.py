"""Service-level pages and actions: define and edit a service level, record or import
measurements, judge a period again, move a credit along the ledger.

Actions posted from the contract page's "slas" tab re-render that tab after a refusal, with the
service's message on the field it names; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.contracts import selectors, selectors_sla, services
from steward.contracts.forms.sla import (
    CreditMarkForm,
    MeasurementForm,
    MeasurementImportForm,
    PeriodEvaluateForm,
    ServiceLevelForm,
)
from steward.contracts.models import Contract
from steward.contracts.models.sla import ServiceLevel
from steward.contracts.services.sla_periods import period_bounds
from steward.contracts.sla_import import COLUMNS, ImportRefused, measurements_import
from steward.contracts.views.contracts import detail_context
from steward.core.access import Action, can_create
from steward.core.charts import chart_page
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, render_page, run_form_service
from steward.core.uploads import ALLOWED_TYPES, check_upload

DETAIL_TEMPLATE = "contracts/contract_detail.html"
IMPORT_TYPES = {ext: ALLOWED_TYPES[ext] for ext in (".csv", ".xlsx")}
# The example the import page shows: one row per measured day.
IMPORT_EXAMPLE = (
    ("availability", "2026-03-31", "99.95", "March, from the provider's report"),
    ("p1-incidents", "2026-03-31", "1", ""),
)


def _tab_url(contract: Contract) -> str:
    return f"{contract.get_absolute_url()}?tab=slas"


def _tab_again(request: HttpRequest, contract: Contract, **forms: Any) -> HttpResponse:
    return render_page(request, DETAIL_TEMPLATE, detail_context(request, contract, "slas", **forms))


# --- definitions -----------------------------------------------------------------------------


def _form_page(request: HttpRequest, form: ServiceLevelForm, contract: Contract) -> HttpResponse:
    level = form.instance if form.instance.pk else None
    context = {
        "form": form,
        "contract": contract,
        "relationship": contract.relationship,
        "level": level,
        "title": f"Edit {level}" if level else f"New service level on {contract}",
    }
    return render(request, "contracts/sla_form.html", context)


@login_required
def service_level_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    if not can_create(user, ServiceLevel, parent=contract):
        raise PermissionDenied("You may not add service levels to this contract.")
    form = ServiceLevelForm(request.POST or None, initial={"currency": contract.currency})
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.service_level_add(actor=user, contract=contract, **form.changes()),
            success_message="Service level added.",
            success_url=lambda level: _tab_url(contract),
        )
        if response is not None:
            return response
    return _form_page(request, form, contract)


@login_required
def service_level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    level = selectors_sla.service_level_get(user, pk, Action.CHANGE)
    form = ServiceLevelForm(request.POST or None, instance=level)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.service_level_update(
                actor=user,
                service_level=level,
                expected_version=form.cleaned_data.get("version") or level.version,
                **form.changes(),
            ),
            success_message="Service level saved.",
            success_url=lambda saved: _tab_url(level.contract),
        )
        if response is not None:
            return response
    return _form_page(request, form, level.contract)


# --- measurements ----------------------------------------------------------------------------


@chart_page
@login_required
@require_POST
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    levels = selectors_sla.service_levels(user, contract).filter(active=True)
    form = MeasurementForm(request.POST, levels=levels)
    if form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.measurement_record(
                actor=user,
                service_level=data["service_level"],
                measured_on=data["measured_on"],
                value=data["value"],
                note=data["note"],
            ),
            success_message="Measurement recorded; its period was judged again.",
            success_url=lambda measurement: _tab_url(contract),
        )
        if response is not None:
            return response
    return _tab_again(request, contract, measurement_form=form)


@login_required
def measurements_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a CSV or XLSX file of measurements: all rows or none."""
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=IMPORT_TYPES)
            result = measurements_import(
                actor=user, contract=contract, file=upload, filename=upload.name or ""
            )
        except ImportRefused as refused:
            form.add_error("file", refused.message)
            row_errors = refused.errors
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            count = result.created
            messages.success(
                request,
                f"Imported {count} measurement{'s' if count != 1 else ''}; "
                f"{len(result.periods)} period{'s' if len(result.periods) != 1 else ''} judged.",
            )
            return HttpResponseRedirect(_tab_url(contract))
    context = {
        "form": form,
        "contract": contract,
        "relationship": contract.relationship,
        "levels": selectors_sla.service_levels(user, contract).filter(active=True),
        "columns": COLUMNS,
        "example": IMPORT_EXAMPLE,
        "row_errors": row_errors,
        "title": f"Import measurements into {contract}",
    }
    return render(request, "contracts/sla_import.html", context)


# --- periods and credits ---------------------------------------------------------------------


@chart_page
@login_required
@require_POST
def period_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """Judge a chosen period of a service level again from its measurements."""
    user = request.user
    level = selectors_sla.service_level_get(user, pk, Action.CHANGE)
    form = PeriodEvaluateForm(request.POST, prefix_pk=level.pk)
    if form.is_valid():
        start, _ = period_bounds(level.window, form.cleaned_data["day"])
        response = run_form_service(
            request,
            form,
            lambda: services.sla_period_evaluate(
                actor=user, service_level=level, period_start=start
            ),
            success_message=f"The period from {start} was judged again.",
            success_url=lambda result: _tab_url(level.contract),
        )
        if response is not None:
            return response
    return _tab_again(request, level.contract, evaluate_form=form, level_pk=level.pk)


@chart_page
@login_required
@require_POST
def credit_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a credit claimed, received or waived."""
    user = request.user
    credit = selectors_sla.credit_get(user, pk, Action.CHANGE)
    contract = credit.period_result.service_level.contract
    form = CreditMarkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.credit_mark(
                actor=user,
                credit=credit,
                status=data["status"],
                on=data["on"],
                note=data["note"],
                expected_version=data.get("version"),
            ),
            success_message="Credit updated.",
            success_url=lambda marked: _tab_url(contract),
        )
        if response is not None:
            return response
    return _tab_again(request, contract, credit_form=form, credit_pk=credit.pk)
