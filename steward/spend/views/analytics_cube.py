"""The spend cube (any dimensions), spend by cost center, and the drill-down to lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase

from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.spend import analytics
from steward.spend.analytics import drilldown
from steward.spend.analytics.results import CubeRow
from steward.spend.exports import paged_rows, rows_export
from steward.spend.models import SpendLine
from steward.spend.money import base_currency, from_cents
from steward.spend.views.analytics_choices import filter_choices
from steward.spend.views.analytics_common import (
    SpendQuery,
    lines_url,
    money,
    render_spend,
    share_percent,
    spend_page,
)
from steward.spend.views.analytics_names import Names, merged, names_for

CUBE_PAGE = 50
LINES_PAGE = 50
MAX_PAGE = 1_000_000
DIMENSIONS = {
    "month": "Month",
    "supplier": "Vendor",
    "category": "Category",
    "contract": "Contract",
    "cost_center": "Cost center",
}
NAME_KINDS = {
    "supplier": "suppliers",
    "category": "categories",
    "contract": "contracts",
    "cost_center": "cost_centers",
}
DEFAULT_DIMS = ("supplier", "category")


def read_dims(request: HttpRequest, query: SpendQuery) -> list[str]:
    """``?dims=supplier,month`` (or ``dims`` repeated): known, distinct, and allowed together."""
    given = [
        part.strip()
        for value in request.GET.getlist("dims")
        for part in value.split(",")
        if part.strip()
    ]
    dims = given or list(DEFAULT_DIMS)
    unknown = [dim for dim in dims if dim not in DIMENSIONS]
    if unknown:
        raise DomainError(
            f"Unknown dimension {unknown[0][:30]!r}; choose from {', '.join(DIMENSIONS)}.",
            field="dims",
        )
    if len(set(dims)) != len(dims):
        raise DomainError("Name each dimension once.", field="dims")
    if "cost_center" in dims:
        _check_cost_centers(query, dims)
    return dims


def _check_cost_centers(query: SpendQuery, dims: list[str]) -> None:
    if not query.visible.cost_centers:
        raise DomainError(
            "Spend by cost center is shown to finance, administrators and auditors only.",
            field="dims",
        )
    if {"supplier", "contract"} & set(dims) or query.filters.suppliers or query.filters.contracts:
        raise DomainError(
            "Cost centers are totalled by category and month only: "
            "they cannot be combined with vendors or contracts.",
            field="dims",
        )


def page_number(request: HttpRequest) -> int:
    text = request.GET.get("page") or "1"
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise DomainError("Give the page as a whole number from 1.", field="page")
    return int(text)


def cube_rows(
    query: SpendQuery, rows: list[CubeRow], dims: list[str], names: Names, total_cents: int
) -> list[dict[str, Any]]:
    table = []
    for row in rows:
        keys = dict(zip(dims, row.keys, strict=True))
        table.append(
            {
                "cells": [names.of(dim, keys[dim]) for dim in dims],
                "amount": money(row.amount_cents),
                "lines": row.lines,
                "share": share_percent(row.amount_cents, total_cents),
                "url": lines_url(query, **keys),
            }
        )
    return table


def _wanted(rows: list[CubeRow], dims: list[str]) -> dict[str, list[int | None]]:
    wanted: dict[str, list[int | None]] = {}
    for index, dim in enumerate(dims):
        if dim in NAME_KINDS:
            wanted[NAME_KINDS[dim]] = [row.keys[index] for row in rows]
    return wanted


CUBE_TEMPLATE = "spend/analytics/cube.html"
CUBE_TITLE = "Spend cube"


@spend_page(page="spend:cube", title=CUBE_TITLE, template=CUBE_TEMPLATE)
def spend_cube(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Spend by the chosen dimensions (vendor x category x month ...), largest first."""
    dims = read_dims(request, query)
    rows = analytics.cube(query.scope, query.period, dims, query.filters)
    total = sum(row.amount_cents for row in rows)
    if query.file_format:
        names = names_for(request.user, query.scope, _wanted(rows, dims))
        columns = [
            *(Column(DIMENSIONS[dim], _cell(index)) for index, dim in enumerate(dims)),
            Column(f"Amount ({base_currency()})", lambda row: row["amount"]),
            Column("Lines", lambda row: row["lines"]),
            Column("Share %", lambda row: row["share"]),
        ]
        return rows_export(
            cube_rows(query, rows, dims, names, total),
            columns,
            filename="spend-cube",
            file_format=query.file_format,
        )
    page = Paginator(rows, CUBE_PAGE).get_page(page_number(request))
    choices = filter_choices(query)
    names = names_for(
        request.user, query.scope, merged(_wanted(list(page.object_list), dims), choices.wanted())
    )
    context = {
        "dims": dims,
        "keep": [("dims", ",".join(dims))],
        "headers": [DIMENSIONS[dim] for dim in dims],
        "dimension_choices": [
            (dim, label)
            for dim, label in DIMENSIONS.items()
            if dim != "cost_center" or query.visible.cost_centers
        ],
        "rows": cube_rows(query, list(page.object_list), dims, names, total),
        "page": page,
        "total": money(total),
        "total_url": lines_url(query),
        "choices": choices.named(names),
    }
    return render_spend(request, query, CUBE_TEMPLATE, context, page="spend:cube", title=CUBE_TITLE)


def _cell(index: int) -> Any:
    return lambda row: row["cells"][index]


# --- cost centers ----------------------------------------------------------------------------

COST_CENTER_TEMPLATE = "spend/analytics/cost_centers.html"
COST_CENTER_TITLE = "Spend by cost center"


@spend_page(page="spend:cost-centers", title=COST_CENTER_TITLE, template=COST_CENTER_TEMPLATE)
def spend_cost_centers(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Spend per cost center (and category), for those who see all spend."""
    if not query.visible.cost_centers:
        raise PermissionDenied("Spend by cost center is for finance, administrators and auditors.")
    dims = ["cost_center", "category"] if request.GET.get("by") == "category" else ["cost_center"]
    _check_cost_centers(query, dims)
    rows = analytics.cube(query.scope, query.period, dims, query.filters)
    total = sum(row.amount_cents for row in rows)
    if query.file_format:
        names = names_for(request.user, query.scope, _wanted(rows, dims))
        columns = [
            *(Column(DIMENSIONS[dim], _cell(index)) for index, dim in enumerate(dims)),
            Column(f"Amount ({base_currency()})", lambda row: row["amount"]),
            Column("Lines", lambda row: row["lines"]),
            Column("Share %", lambda row: row["share"]),
        ]
        return rows_export(
            cube_rows(query, rows, dims, names, total),
            columns,
            filename="spend-cost-centers",
            file_format=query.file_format,
        )
    page = Paginator(rows, CUBE_PAGE).get_page(page_number(request))
    choices = filter_choices(query)
    names = names_for(
        request.user, query.scope, merged(_wanted(list(page.object_list), dims), choices.wanted())
    )
    context = {
        "headers": [DIMENSIONS[dim] for dim in dims],
        "by_category": len(dims) == 2,
        "keep": [("by", "category")] if len(dims) == 2 else [],
        "hide_vendor_filters": True,
        "rows": cube_rows(query, list(page.object_list), dims, names, total),
        "page": page,
        "total": money(total),
        "choices": choices.named(names),
    }
    return render_spend(
        request,
        query,
        COST_CENTER_TEMPLATE,
        context,
        page="spend:cost-centers",
        title=COST_CENTER_TITLE,
    )


# --- the lines -------------------------------------------------------------------------------

LINES_TEMPLATE = "spend/analytics/lines.html"
LINES_TITLE = "Spend lines"
EXPORT_NAMING_BATCH = 1000


@dataclass(frozen=True)
class NamedLine:
    """A line with the names of the ids it carries."""

    line: SpendLine
    names: Names

    @property
    def vendor(self) -> str:
        return self.names.supplier(self.line.supplier_id)

    @property
    def category(self) -> str:
        return self.names.category(self.line.category_id)

    @property
    def contract(self) -> str:
        return self.names.contract(self.line.contract_id) if self.line.contract_id else ""

    @property
    def cost_center(self) -> str:
        return self.names.cost_center(self.line.cost_center_id)

    @property
    def amount_base(self) -> Decimal:
        return from_cents(self.line.amount_base_cents)


def line_columns(*, cost_centers: bool) -> list[Column]:
    columns = [
        Column("Date", lambda row: row.line.date),
        Column("Vendor", lambda row: row.vendor),
        Column("Category", lambda row: row.category),
        Column("Contract", lambda row: row.contract),
    ]
    if cost_centers:
        columns.append(Column("Cost center", lambda row: row.cost_center))
    columns += [
        Column("Document", lambda row: row.line.document),
        Column("Description", lambda row: row.line.description),
        Column("Item", lambda row: row.line.item),
        Column("GL account", lambda row: row.line.gl_account),
        Column("Quantity", lambda row: row.line.quantity),
        Column("Amount", lambda row: row.line.amount),
        Column("Currency", lambda row: row.line.currency),
        Column(f"Amount ({base_currency()})", lambda row: row.amount_base),
    ]
    return columns


def _line_names(user: Any, query: SpendQuery, lines: Sequence[SpendLine], extra: Any) -> Names:
    wanted = {
        "suppliers": [line.supplier_id for line in lines],
        "categories": [line.category_id for line in lines],
        "contracts": [line.contract_id for line in lines],
        "cost_centers": [line.cost_center_id for line in lines],
    }
    return names_for(user, query.scope, merged(wanted, extra))


def _named_lines(user: Any, query: SpendQuery, lines: Iterable[SpendLine]) -> Iterator[NamedLine]:
    """Lines as they stream, named a batch at a time (one query per kind per batch)."""
    batch: list[SpendLine] = []
    for line in lines:
        batch.append(line)
        if len(batch) == EXPORT_NAMING_BATCH:
            names = _line_names(user, query, batch, {})
            yield from (NamedLine(item, names) for item in batch)
            batch = []
    if batch:
        names = _line_names(user, query, batch, {})
        yield from (NamedLine(item, names) for item in batch)


def _line_export(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    def fetch(number: int, per_page: int) -> list[SpendLine]:
        found = drilldown.lines(
            query.scope, query.period, query.filters, page=number, per_page=per_page
        )
        return list(found.lines)

    return rows_export(
        _named_lines(request.user, query, paged_rows(fetch, per_page=drilldown.MAX_PER_PAGE)),
        line_columns(cost_centers=query.scope.cost_centers),
        filename="spend-lines",
        file_format=query.file_format,
    )


@spend_page(page="spend:lines", title=LINES_TITLE, template=LINES_TEMPLATE)
def spend_lines(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """The lines behind a total, newest first, with the filters that select them."""
    number = page_number(request)
    if query.file_format:
        return _line_export(request, query)
    found = drilldown.lines(
        query.scope, query.period, query.filters, page=number, per_page=LINES_PAGE
    )
    choices = filter_choices(query)
    extra = merged(choices.wanted(), {"cost_centers": list(query.filters.cost_centers)})
    names = _line_names(request.user, query, found.lines, extra)
    pages = max(1, -(-found.total // found.per_page))
    context = {
        "lines": [NamedLine(line, names) for line in found.lines],
        "show_cost_centers": query.scope.cost_centers,
        "total_lines": found.total,
        "pager": {
            "number": found.page,
            "pages": pages,
            "previous": found.page - 1 if found.page > 1 else None,
            "next": found.page + 1 if found.page < pages else None,
        },
        "applied": applied_filters(query, names),
        "choices": choices.named(names),
    }
    return render_spend(
        request, query, LINES_TEMPLATE, context, page="spend:lines", title=LINES_TITLE
    )


def applied_filters(query: SpendQuery, names: Names) -> list[tuple[str, str]]:
    """The filters in force, named, so the drill-down says what it shows."""
    filters = query.filters
    shown: list[tuple[str, str]] = [("Period", query.period_label)]
    shown += [("Vendor", names.supplier(pk)) for pk in filters.suppliers]
    shown += [("Category", names.category(pk)) for pk in filters.categories]
    shown += [("Contract", names.contract(pk)) for pk in filters.contracts]
    shown += [("Cost center", names.cost_center(pk)) for pk in filters.cost_centers]
    if filters.maverick is not None:
        shown.append(("Contract", "none (maverick)" if filters.maverick else "any contract"))
    return shown
