"""The savings register: the list with its totals and export, an initiative's page with its
realized-savings chart, create, edit, move along the workflow, archive and restore."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.charts import base_layout, chart_context, chart_page
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column, export_response
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.savings import selectors
from steward.savings.choices import SavingsStatus
from steward.savings.forms import InitiativeForm, TransitionForm
from steward.savings.models import SavingsInitiative
from steward.savings.realized import Realized
from steward.savings.services import initiatives as services
from steward.savings.views.common import InternalOnlyMixin, internal_only
from steward.spend.money import base_currency, month_label
from steward.spend.scope import scope_for

CENT = Decimal("0.01")


def _columns(realized: dict[int, Realized]) -> tuple[Column, ...]:
    def measured(i: SavingsInitiative) -> Any:
        found = realized.get(i.pk)
        return found.realized if found is not None else None

    return (
        Column("Id", lambda i: i.pk),
        Column("Title", lambda i: i.title),
        Column("Kind", lambda i: i.get_kind_display()),
        Column("Status", lambda i: i.get_status_display()),
        Column("Owner", lambda i: person_name(i.owner)),
        Column("Vendor", lambda i: str(i.supplier) if i.supplier_id else ""),
        Column("Category", lambda i: str(i.category) if i.category_id else ""),
        Column("Contract", lambda i: str(i.contract) if i.contract_id else ""),
        Column("Baseline method", lambda i: i.get_baseline_method_display()),
        Column("Item", lambda i: i.item),
        Column("Baseline unit price", lambda i: i.baseline_unit_price),
        Column("Baseline annual spend", lambda i: i.baseline_annual_spend),
        Column("Estimated annual savings", lambda i: i.estimated_annual_savings),
        Column("Negotiated unit price", lambda i: i.negotiated_unit_price),
        Column("Negotiated annual savings", lambda i: i.negotiated_savings),
        Column("Realized savings", measured),
        Column("Effective date", lambda i: i.effective_date),
        Column("End date", lambda i: i.end_date),
        Column("Currency", lambda i: base_currency()),
        Column("Archived", lambda i: i.archived_at),
    )


# The columns for the export's description; the values come from ``_columns`` per request.
INITIATIVE_COLUMNS = _columns({})


class InitiativeListView(InternalOnlyMixin, ListPage):
    template_name = "savings/initiative_list.html"
    filterset_selector = selectors.initiative_filterset
    export_name = "savings-register"
    export_columns = INITIATIVE_COLUMNS
    title = "Savings register"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        export = request.GET.get("export")
        if export not in ("csv", "xlsx"):
            return super().get(request, *args, **kwargs)
        filterset = selectors.initiative_filterset(user=request.user, filters=self.get_filters())
        rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
        # A clone: evaluating ``rows`` itself would turn the export's slice into a list.
        measured = selectors.realized_for(rows.all(), user=request.user, today=timezone.localdate())
        return export_response(
            rows, _columns(measured), filename=self.export_name, file_format=export
        )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
        measured, totals = selectors.register_summary(
            rows.all(), user=user, today=timezone.localdate()
        )
        for initiative in page.object_list:
            initiative.measured = measured.get(initiative.pk)
        return {
            "totals": totals,
            "currency": base_currency(),
            "statuses": SavingsStatus.choices,
            "can_add": can_create(user, SavingsInitiative),
            "partial_scope": not scope_for(user).everything,
        }


def _realized_chart(realized: Realized) -> dict[str, Any] | None:
    if not realized.months:
        return None
    labels = [month_label(f.month) for f in realized.months]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[f.realized.quantize(CENT) for f in realized.months],
            name="Saved in the month",
        )
    )
    figure.add_trace(
        go.Scatter(x=labels, y=list(realized.cumulative), name="Cumulative", mode="lines+markers")
    )
    figure.update_layout(**base_layout(height=320, yaxis={"title": base_currency()}))
    return chart_context(
        figure,
        chart_id="realized-savings",
        label="Realized savings month by month, and their running total",
        description="The table below the chart lists the same figures.",
    )


def detail_context(
    request: HttpRequest, initiative: SavingsInitiative, **forms: Any
) -> dict[str, Any]:
    user = request.user
    realized = selectors.realized_for([initiative], user=user, today=timezone.localdate())[
        initiative.pk
    ]
    can_change = not initiative.is_archived and allows(user, Action.CHANGE, initiative)
    moves = sorted(services.allowed_next(initiative.status)) if can_change else []
    return {
        "object": initiative,
        "title": initiative.title,
        "realized": realized,
        "chart": _realized_chart(realized),
        "rows": [
            (month_label(figure.month), figure, cumulative)
            for figure, cumulative in zip(realized.months, realized.cumulative, strict=True)
        ],
        "currency": base_currency(),
        "partial_scope": not scope_for(user).everything,
        "can_change": can_change,
        "moves": [(status, SavingsStatus(status).label) for status in moves],
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "can_delete": allows(user, Action.DELETE, initiative),
        "archive_url": reverse("savings:initiative-archive", args=[initiative.pk]),
        "restore_url": reverse("savings:initiative-restore", args=[initiative.pk]),
        **history_context(request, initiative),
    }


@chart_page
@login_required
@internal_only
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_get(user=request.user, pk=pk)
    context = detail_context(request, initiative)
    return render_page(request, "savings/initiative_detail.html", context, partial="history")


def _form_page(
    request: HttpRequest,
    form: InitiativeForm,
    service: Callable[[], Any],
    *,
    title: str,
    success_message: str,
    initiative: SavingsInitiative | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        response = run_form_service(request, form, service, success_message=success_message)
        if response is not None:
            return response
    context = {"form": form, "title": title, "object": initiative}
    return render(request, "savings/initiative_form.html", context)


@login_required
@internal_only
def initiative_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create(user, SavingsInitiative):
        raise PermissionDenied("You may not record savings initiatives.")
    form = InitiativeForm(request.POST or None, user=user)
    return _form_page(
        request,
        form,
        lambda: services.savings_initiative_create(actor=user, **form.changes()),
        title="New savings initiative",
        success_message="Initiative recorded.",
    )


@login_required
@internal_only
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk, action=Action.CHANGE)
    form = InitiativeForm(
        request.POST or None, user=user, initial=InitiativeForm.initial_of(initiative)
    )
    return _form_page(
        request,
        form,
        lambda: services.savings_initiative_update(
            actor=user,
            initiative=initiative,
            expected_version=form.cleaned_data.get("version") or initiative.version,
            **form.changes(),
        ),
        title=f"Edit {initiative}",
        success_message="Changes saved.",
        initiative=initiative,
    )


@chart_page
@login_required
@internal_only
@require_POST
def initiative_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk, action=Action.CHANGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.savings_initiative_transition(
                actor=user,
                initiative=initiative,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            ),
            success_message="Status changed.",
        )
        if response is not None:
            return response
    context = detail_context(request, initiative, transition_form=form)
    return render(request, "savings/initiative_detail.html", context, status=400)


def _archive(request: HttpRequest, pk: int, *, restore: bool) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk, action=Action.DELETE)
    service = (
        services.savings_initiative_restore if restore else services.savings_initiative_archive
    )
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        version = None
    try:
        service(actor=user, initiative=initiative, expected_version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(initiative.get_absolute_url())
    messages.success(request, f"{initiative} was {'restored' if restore else 'archived'}.")
    if restore:
        return HttpResponseRedirect(initiative.get_absolute_url())
    return HttpResponseRedirect(reverse("savings:initiative-list"))


@login_required
@internal_only
@require_POST
def initiative_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive(request, pk, restore=False)


@login_required
@internal_only
@require_POST
def initiative_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive(request, pk, restore=True)
