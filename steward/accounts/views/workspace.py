"""The account workspace: one page per account with its tabs (built-in and registered)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from steward.accounts import selectors
from steward.accounts.cell_actions import cell_actions
from steward.accounts.forms import WhitespaceCellForm
from steward.accounts.heatmap import heatmap_figure, matrix_table
from steward.accounts.tabs import account_tab, tab_names
from steward.core.access import Action, allows
from steward.core.charts import chart_context, chart_page
from steward.core.errors import DomainError
from steward.core.history import history_for
from steward.core.ui import history_context, inside_only, render_page
from steward.parties.models import Relationship

BUILT_IN = ("overview", "installed", "whitespace", "contacts", "history")
LABELS = {
    "overview": "Overview",
    "installed": "Installed base",
    "whitespace": "Whitespace",
    "contacts": "Locations and people",
    "history": "History",
}


def account_for(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Relationship:
    inside_only(request)
    return selectors.account_get(user=request.user, pk=pk, action=action)


def _tabs() -> list[tuple[str, str]]:
    names = tab_names(BUILT_IN)
    labels = []
    for name in names:
        registered = account_tab(name)
        labels.append((name, registered.label if registered else LABELS.get(name, name)))
    return labels


def _figures(relationship: Relationship) -> dict[str, Any]:
    try:
        return {
            "installed_totals": selectors.installed_totals(relationship=relationship),
            "penetration": selectors.penetration(relationship=relationship),
        }
    except DomainError as error:
        return {"figures_problem": error.message}


def _overview(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    return {
        "team": selectors.team_of(relationship),
        "group": selectors.group_accounts(user=request.user, relationship=relationship),
        "parent_organization": relationship.organization.parent,
        **_figures(relationship),
    }


def _installed(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    rows = list(selectors.installed_of(relationship))
    return {"installed": rows, **_figures(relationship)}


def whitespace_context(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    cells = list(selectors.cells_of(relationship))
    rows = selectors.matrix_rows(relationship, cells)
    families = list(selectors.matrix_families(relationship, cells))
    table = matrix_table(rows, families, cells)
    context: dict[str, Any] = {
        "matrix": table,
        "families": families,
        "cell_count": len(cells),
        "missing_cells": table.missing,
        "cell_actions": cell_actions(),
        "location_count": len(rows),
        **_figures(relationship),
    }
    if cells:
        context["chart"] = chart_context(
            heatmap_figure(table, families),
            chart_id="whitespace-heatmap",
            label="Whitespace heat map: who holds each product family at each location",
            description="The same cells are listed in the matrix below.",
        )
    return context


def _contacts(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    return selectors.contacts_by_location(user=request.user, relationship=relationship)


def _history(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    context = history_context(request, relationship)
    profile = selectors.profile_of(relationship)
    context["profile_history"] = history_for(profile, limit=20, offset=0) if profile else []
    return context


BUILT_IN_CONTEXT = {
    "overview": _overview,
    "installed": _installed,
    "whitespace": whitespace_context,
    "contacts": _contacts,
    "history": _history,
}


def detail_context(request: HttpRequest, relationship: Relationship, tab: str) -> dict[str, Any]:
    can_change = allows(request.user, Action.CHANGE, relationship) and not relationship.is_archived
    context: dict[str, Any] = {
        "object": relationship,
        "account": relationship,
        "profile": selectors.profile_of(relationship),
        "currency": selectors.account_currency(relationship),
        "title": str(relationship.organization),
        "tab": tab,
        "tabs": _tabs(),
        "can_change": can_change,
    }
    if tab in BUILT_IN_CONTEXT:
        context.update(BUILT_IN_CONTEXT[tab](request, relationship))
    else:
        registered = account_tab(tab)
        if registered is not None:
            extra = {**context, **registered.context(request, relationship)}
            html = render_to_string(registered.template, extra, request=request)
            context["registered_html"] = mark_safe(html)  # noqa: S308 - rendered by Django templates, escaped
    return context


@chart_page
@login_required
def account_detail(request: HttpRequest, pk: int, tab: str | None = None) -> HttpResponse:
    relationship = account_for(request, pk)
    tab = tab or request.GET.get("tab", "overview")
    if tab not in dict(_tabs()):
        tab = "overview"
    context = detail_context(request, relationship, tab)
    return render_page(request, "accounts/account_detail.html", context, partial="tab")


@chart_page
@login_required
def account_whitespace(request: HttpRequest, pk: int) -> HttpResponse:
    return account_detail(request, pk, tab="whitespace")


def cell_form(cell: Any, data: Any = None) -> WhitespaceCellForm:
    return WhitespaceCellForm(
        data, instance=cell, initial={"version": cell.version}, prefix=f"cell-{cell.pk}"
    )
