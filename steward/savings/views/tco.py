"""TCO comparisons: the list, a comparison with its vendors side by side and the stacked chart of
their costs, create and edit a comparison, add and edit a vendor's inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.savings import selectors
from steward.savings.forms import ComparisonForm, OptionForm
from steward.savings.models import TcoComparison, TcoOption
from steward.savings.services import tco as services
from steward.savings.tco import COMPONENTS, TcoBreakdown, tco_breakdown
from steward.savings.views.common import InternalOnlyMixin, internal_only
from steward.spend.money import base_currency

COMPARISON_COLUMNS = (
    Column("Id", lambda c: c.pk),
    Column("Title", lambda c: c.title),
    Column("Category", lambda c: str(c.category) if c.category_id else ""),
    Column("Item", lambda c: c.item),
    Column("Annual quantity", lambda c: c.annual_quantity),
    Column("Horizon (years)", lambda c: c.horizon_years),
    Column("Owner", lambda c: person_name(c.owner)),
    Column("Archived", lambda c: c.archived_at),
)

# The inputs as the side-by-side table lists them: (field, label).
INPUT_ROWS = (
    ("unit_price", "Unit price"),
    ("freight_per_unit", "Freight per unit"),
    ("duties_pct", "Duties (%)"),
    ("other_landed_per_unit", "Other landed cost per unit"),
    ("operating_cost_per_year", "Operating cost per year"),
    ("support_cost_per_year", "Support cost per year"),
    ("rejection_rate_pct", "Rejection rate (%)"),
    ("cost_per_rejection", "Cost per rejection"),
    ("late_delivery_rate_pct", "Late-delivery rate (%)"),
    ("cost_per_late_delivery", "Cost per late delivery"),
    ("risk_cost_per_year", "Risk cost per year"),
)


class ComparisonListView(InternalOnlyMixin, ListPage):
    template_name = "savings/tco_list.html"
    filterset_selector = selectors.comparison_filterset
    export_name = "tco-comparisons"
    export_columns = COMPARISON_COLUMNS
    title = "TCO comparisons"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_add": can_create(self.request.user, TcoComparison)}


def _chart(options: list[TcoOption], breakdowns: list[TcoBreakdown]) -> dict[str, Any] | None:
    if not options:
        return None
    names = [plain_text(option.supplier) for option in options]
    figure = go.Figure()
    for name, label in COMPONENTS:
        figure.add_trace(
            go.Bar(x=names, y=[getattr(b, name) for b in breakdowns], name=plain_text(label))
        )
    figure.update_layout(
        **base_layout(height=380, barmode="stack", yaxis={"title": base_currency()})
    )
    return chart_context(
        figure,
        chart_id="tco-components",
        label="Total cost of ownership of each vendor, stacked by component",
        description="The table beside the chart lists every component of every vendor.",
    )


def detail_context(request: HttpRequest, comparison: TcoComparison) -> dict[str, Any]:
    user = request.user
    options = selectors.live_options(comparison)
    breakdowns = [tco_breakdown(option) for option in options]
    lowest_tco = min((b.total for b in breakdowns), default=None)
    lowest_price = min((o.unit_price for o in options), default=None)
    can_change = not comparison.is_archived and allows(user, Action.CHANGE, comparison)
    columns = [
        {
            "option": option,
            "breakdown": breakdown,
            "lowest_tco": breakdown.total == lowest_tco,
            "lowest_price": option.unit_price == lowest_price,
        }
        for option, breakdown in zip(options, breakdowns, strict=True)
    ]
    # Rows of the side-by-side table: one cell per option, in the columns' order.
    input_table = [
        (label, [(getattr(o, name), o.defaults.get(name, "")) for o in options])
        for name, label in INPUT_ROWS
    ]
    cost_table = [(label, [getattr(b, name) for b in breakdowns]) for name, label in COMPONENTS]
    return {
        "object": comparison,
        "title": comparison.title,
        "columns": columns,
        "input_table": input_table,
        "cost_table": cost_table,
        "chart": _chart(options, breakdowns),
        "currency": base_currency(),
        "can_change": can_change,
        "can_delete": allows(user, Action.DELETE, comparison),
        "archive_url": reverse("savings:tco-archive", args=[comparison.pk]),
        "restore_url": reverse("savings:tco-restore", args=[comparison.pk]),
        **history_context(request, comparison),
    }


@chart_page
@login_required
@internal_only
def comparison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comparison = selectors.comparison_get(user=request.user, pk=pk)
    context = detail_context(request, comparison)
    return render_page(request, "savings/tco_detail.html", context, partial="history")


def _form_page(
    request: HttpRequest,
    form: Any,
    service: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any],
    success_message: str,
    success_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request, form, service, success_message=success_message, success_url=success_url
        )
        if response is not None:
            return response
    return render(request, template, {"form": form, **context})


@login_required
@internal_only
def comparison_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create(user, TcoComparison):
        raise PermissionDenied("You may not start TCO comparisons.")
    form = ComparisonForm(request.POST or None, user=user)
    return _form_page(
        request,
        form,
        lambda: services.tco_comparison_create(actor=user, **form.changes()),
        template="savings/tco_form.html",
        context={"title": "New TCO comparison"},
        success_message="Comparison started; add the vendors to compare.",
    )


@login_required
@internal_only
def comparison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    comparison = selectors.comparison_get(user=user, pk=pk, action=Action.CHANGE)
    form = ComparisonForm(
        request.POST or None, user=user, initial=ComparisonForm.initial_of(comparison)
    )
    return _form_page(
        request,
        form,
        lambda: services.tco_comparison_update(
            actor=user,
            comparison=comparison,
            expected_version=form.cleaned_data.get("version") or comparison.version,
            **form.changes(),
        ),
        template="savings/tco_form.html",
        context={"title": f"Edit {comparison}", "object": comparison},
        success_message="Changes saved.",
    )


@login_required
@internal_only
def option_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    comparison = selectors.comparison_get(user=user, pk=pk, action=Action.CHANGE)
    if not can_create(user, TcoOption, parent=comparison):
        raise PermissionDenied("You may not add vendors to this comparison.")
    form = OptionForm(request.POST or None, user=user)
    return _form_page(
        request,
        form,
        lambda: services.tco_option_add(
            actor=user,
            comparison=comparison,
            supplier=form.cleaned_data["supplier"],
            **form.inputs(),
        ),
        template="savings/tco_option_form.html",
        context={"title": f"Add a vendor to {comparison}", "comparison": comparison},
        success_message="Vendor added; check the suggested values.",
    )


@login_required
@internal_only
def option_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    option = selectors.option_get(user=user, pk=pk, action=Action.CHANGE)
    form = OptionForm(
        request.POST or None, user=user, editing=True, initial=OptionForm.initial_of(option)
    )
    return _form_page(
        request,
        form,
        lambda: services.tco_option_update(
            actor=user,
            option=option,
            expected_version=form.cleaned_data.get("version") or option.version,
            **form.inputs(),
        ),
        template="savings/tco_option_form.html",
        context={
            "title": f"Edit {option.supplier} in {option.comparison}",
            "comparison": option.comparison,
            "object": option,
        },
        success_message="Changes saved.",
    )


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return None


def _archive_comparison(request: HttpRequest, pk: int, *, restore: bool) -> HttpResponse:
    user = request.user
    comparison = selectors.comparison_get(user=user, pk=pk, action=Action.DELETE)
    service = services.tco_comparison_restore if restore else services.tco_comparison_archive
    try:
        service(actor=user, comparison=comparison, expected_version=_version(request))
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(comparison.get_absolute_url())
    messages.success(request, f"{comparison} was {'restored' if restore else 'archived'}.")
    if restore:
        return HttpResponseRedirect(comparison.get_absolute_url())
    return HttpResponseRedirect(reverse("savings:tco-list"))


@login_required
@internal_only
@require_POST
def comparison_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_comparison(request, pk, restore=False)


@login_required
@internal_only
@require_POST
def comparison_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_comparison(request, pk, restore=True)


@login_required
@internal_only
@require_POST
def option_archive(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    option = selectors.option_get(user=user, pk=pk, action=Action.DELETE)
    try:
        services.tco_option_archive(actor=user, option=option, expected_version=_version(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{option.supplier} was taken out of the comparison.")
    return HttpResponseRedirect(option.comparison.get_absolute_url())
