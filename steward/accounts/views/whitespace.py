"""The whitespace matrix's actions: fill it in one step, edit a cell in place (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.accounts import selectors, services
from steward.accounts.cell_actions import cell_actions
from steward.accounts.views.workspace import account_for, cell_form
from steward.core.access import Action, allows
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, inside_only, is_partial


@login_required
@require_POST
def whitespace_fill(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = account_for(request, pk, Action.CHANGE)
    try:
        created = services.whitespace_fill(actor=request.user, relationship=relationship)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(request, f"{created} cell{'s' if created != 1 else ''} added.")
        else:
            messages.info(request, "The matrix is complete: no cell was missing.")
    return HttpResponseRedirect(reverse("accounts:whitespace", args=[relationship.pk]))


def _render_cell(
    request: HttpRequest, cell: object, *, editing: bool, form: object = None, status: int = 200
) -> HttpResponse:
    context = {
        "cell": cell,
        "editing": editing,
        "form": form,
        "can_change": allows(request.user, Action.CHANGE, cell),  # type: ignore[arg-type]
        "cell_actions": cell_actions(),
    }
    return render(request, "accounts/_cell.html", context, status=status)


@login_required
def cell_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the cell's form (htmx swaps it into the matrix); POST: save it and answer the cell
    (or, without htmx, go back to the matrix)."""
    inside_only(request)
    if request.method != "POST":
        cell = selectors.cell_get(user=request.user, pk=pk)
        if request.GET.get("cancel"):
            return _render_cell(request, cell, editing=False)
        cell = selectors.cell_get(user=request.user, pk=pk, action=Action.CHANGE)
        return _render_cell(request, cell, editing=True, form=cell_form(cell))
    cell = selectors.cell_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = cell_form(cell, request.POST)
    back = reverse("accounts:whitespace", args=[cell.relationship_id])
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.whitespace_cell_update(
                actor=request.user,
                cell=cell,
                expected_version=form.cleaned_data.get("version") or cell.version,
                **data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if is_partial(request):
                response = _render_cell(
                    request, selectors.cell_get(user=request.user, pk=saved.pk), editing=False
                )
                response["HX-Trigger"] = "whitespace-changed"
                return response
            messages.success(request, "Cell saved.")
            return HttpResponseRedirect(f"{back}#cell-{cell.pk}")
    if is_partial(request):
        return _render_cell(request, cell, editing=True, form=form, status=200)
    messages.error(
        request,
        "The cell was not saved: "
        + "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
        ),
    )
    return HttpResponseRedirect(f"{back}#cell-{cell.pk}")


@login_required
def whitespace_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The penetration figures alone, refreshed by htmx after a cell changed."""
    relationship = account_for(request, pk)
    figures: dict[str, Any]
    try:
        figures = {"penetration": selectors.penetration(relationship=relationship)}
    except DomainError as error:
        figures = {"figures_problem": error.message}
    return render(
        request,
        "accounts/_figures.html",
        {"account": relationship, "currency": selectors.account_currency(relationship), **figures},
    )
