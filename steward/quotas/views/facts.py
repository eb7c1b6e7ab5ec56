"""Revenue and costs to serve: lists, entry, imports; and the account's Profitability tab."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.catalog.models import Product
from steward.core.access import Action, allows, can_create, principal_for
from steward.core.charts import base_layout, chart_context
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, inside_only
from steward.quotas import figures, selectors, services
from steward.quotas.forms import (
    RevenueEditForm,
    RevenueForm,
    ServiceCostEditForm,
    ServiceCostForm,
)
from steward.quotas.models import AccountRevenue, ServiceCost
from steward.quotas.views.common import form_page, import_page, period_of

REVENUE_COLUMNS = (
    Column("Account id", lambda r: r.relationship_id),
    Column("Account", lambda r: str(r.relationship)),
    Column("Month", lambda r: r.month),
    Column("Product", lambda r: r.product.sku if r.product else ""),
    Column("Currency", lambda r: r.currency),
    Column("Revenue", lambda r: r.revenue),
    Column("Cost of goods", lambda r: r.cost),
)
COST_COLUMNS = (
    Column("Account id", lambda r: r.relationship_id),
    Column("Account", lambda r: str(r.relationship)),
    Column("Month", lambda r: r.month),
    Column("Kind", lambda r: r.kind),
    Column("Currency", lambda r: r.currency),
    Column("Amount", lambda r: r.amount),
    Column("Notes", lambda r: r.notes),
)


def _writable_accounts(user: Any) -> Any:
    return selectors.fact_accounts(user=user).select_related("organization")


def _may_enter(user: Any) -> bool:
    return selectors.fact_accounts(user=user).exists()


class RevenueListPage(ListPage):
    template_name = "quotas/revenue_list.html"
    filterset_selector = selectors.revenue_filterset
    export_columns = REVENUE_COLUMNS
    export_name = "account-revenue"
    title = "Account revenue"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"may_enter": _may_enter(self.request.user)}


class ServiceCostListPage(ListPage):
    template_name = "quotas/cost_list.html"
    filterset_selector = selectors.cost_filterset
    export_columns = COST_COLUMNS
    export_name = "service-costs"
    title = "Cost to serve"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"may_enter": _may_enter(self.request.user)}


@login_required
def revenue_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not _may_enter(request.user):
        raise PermissionDenied("You keep no account's figures.")
    form = RevenueForm(
        request.POST or None,
        accounts=_writable_accounts(request.user),
        products=Product.objects.filter(archived_at__isnull=True).order_by("sku"),
        initial=request.GET.dict() or None,
    )

    def save() -> AccountRevenue:
        data = dict(form.cleaned_data)
        if data.get("cost") is None:
            data.pop("cost", None)
        return services.account_revenue_record(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        template="quotas/fact_form.html",
        context={"title": "Record revenue", "back": reverse("quotas:revenue-list")},
        success_message="Revenue recorded.",
        success_url=reverse("quotas:revenue-list"),
    )


def _fact_edit(
    request: HttpRequest,
    row: Any,
    form: Any,
    update: Any,
    *,
    what: str,
    names: str,
    cleaned: Any = None,
) -> HttpResponse:
    """The edit page of a recorded month (``names``: the list's URL names' prefix); ``update`` is
    the service, ``cleaned`` adjusts the form's data before it."""

    def save() -> Any:
        data = dict(form.cleaned_data)
        version = data.pop("version", None) or 0
        if cleaned is not None:
            data = cleaned(data)
        return update(actor=request.user, row=row, expected_version=version, **data)

    back = reverse(f"quotas:{names}-list")
    return form_page(
        request,
        form,
        save,
        template="quotas/fact_form.html",
        context={
            "title": f"{what} of {row.relationship}, {row.month:%B %Y}",
            "back": back,
            "archive_url": reverse(f"quotas:{names}-archive", args=[row.pk]),
            "row": row,
            "may_archive": allows(request.user, Action.DELETE, row),
        },
        success_message=f"{what} saved.",
        success_url=back,
    )


def _initial(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names} | {"version": row.version}


def _no_cost_is_zero(data: dict[str, Any]) -> dict[str, Any]:
    # As when recorded: no cost of goods given is none.
    return data | {"cost": Decimal(0)} if data.get("cost") is None else data


@login_required
def revenue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row = selectors.revenue_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = RevenueEditForm(
        request.POST or None,
        products=Product.objects.filter(archived_at__isnull=True).order_by("sku"),
        initial=_initial(row, ("month", "product", "currency", "revenue", "cost")),
    )
    update = services.account_revenue_update
    return _fact_edit(
        request, row, form, update, what="Revenue", names="revenue", cleaned=_no_cost_is_zero
    )


@login_required
def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row = selectors.cost_get(user=request.user, pk=pk, action=Action.CHANGE)
    initial = _initial(row, ("month", "kind", "currency", "amount", "notes"))
    form = ServiceCostEditForm(request.POST or None, initial=initial)
    update = services.service_cost_update
    return _fact_edit(request, row, form, update, what="Cost to serve", names="cost")


def _archive(request: HttpRequest, row: Any, archive: Any, back: str) -> HttpResponse:
    try:
        archive(actor=request.user, row=row, expected_version=_version(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed the row of {row.relationship}, {row.month:%B %Y}.")
    return HttpResponseRedirect(back)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
@login_required
def revenue_archive(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row = selectors.revenue_get(user=request.user, pk=pk, action=Action.DELETE)
    back = reverse("quotas:revenue-list")
    return _archive(request, row, services.account_revenue_archive, back)


@require_POST
@login_required
def cost_archive(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row = selectors.cost_get(user=request.user, pk=pk, action=Action.DELETE)
    return _archive(request, row, services.service_cost_archive, reverse("quotas:cost-list"))


@login_required
def cost_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not _may_enter(request.user):
        raise PermissionDenied("You keep no account's figures.")
    form = ServiceCostForm(
        request.POST or None,
        accounts=_writable_accounts(request.user),
        initial=request.GET.dict() or None,
    )

    def save() -> ServiceCost:
        return services.service_cost_record(actor=request.user, **form.cleaned_data)

    return form_page(
        request,
        form,
        save,
        template="quotas/fact_form.html",
        context={"title": "Record a cost to serve", "back": reverse("quotas:cost-list")},
        success_message="Cost recorded.",
        success_url=reverse("quotas:cost-list"),
    )


@login_required
def revenue_import(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not principal_for(request.user).may_write:
        raise PermissionDenied("You may not import figures.")
    return import_page(
        request,
        lambda upload: services.account_revenue_import(actor=request.user, upload=upload),
        title="Import account revenue",
        columns="account (id), month, product (SKU, may be empty), currency, revenue, cost",
        back=reverse("quotas:revenue-list"),
    )


@login_required
def cost_import(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not principal_for(request.user).may_write:
        raise PermissionDenied("You may not import figures.")
    return import_page(
        request,
        lambda upload: services.service_costs_import(actor=request.user, upload=upload),
        title="Import costs to serve",
        columns="account (id), month, kind, currency, amount, notes",
        back=reverse("quotas:cost-list"),
    )


# --- the account's tab --------------------------------------------------------------------------


def profitability_tab(request: HttpRequest, relationship: Any) -> dict[str, Any]:
    """The Profitability tab of an account: profitability, retention and revenue by month."""
    today = timezone.localdate()
    first, last = period_of(request, today)
    found = figures.account_figures([relationship.pk], first, last)[relationship.pk]
    periods = figures.retention_periods(first, last)
    kept = figures.retention_of([relationship.pk], periods)
    chart = None
    if found.months:
        months = [m.month for m in found.months]
        fig = go.Figure()
        fig.add_trace(go.Bar(x=months, y=[m.revenue for m in found.months], name="Revenue"))
        fig.add_trace(
            go.Scatter(
                x=months,
                y=[m.revenue - m.cost_of_goods - m.cost_to_serve for m in found.months],
                name="Net margin",
                mode="lines+markers",
            )
        )
        fig.update_layout(**base_layout(height=300, yaxis={"title": found.currency}))
        chart = chart_context(
            fig,
            chart_id="account-revenue",
            label="Revenue and net margin by month",
            description="The table below gives the same figures.",
        )
    return {
        "profit": found,
        "retention": kept,
        "periods": periods,
        "revenue_chart": chart,
        "may_enter_figures": principal_for(request.user).may_write
        and can_create(request.user, AccountRevenue, parent=relationship),
    }
