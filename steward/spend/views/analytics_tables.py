"""Spend pages that are tables: concentration per category, maverick spend, contract
utilization and price variance against contracted prices."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase

from steward.core.exports import Column
from steward.spend import analytics
from steward.spend.analytics.results import KeyTotal
from steward.spend.exports import rows_export
from steward.spend.money import base_currency
from steward.spend.views.analytics_choices import filter_choices
from steward.spend.views.analytics_common import (
    SpendQuery,
    lines_url,
    money,
    render_spend,
    share_percent,
    spend_page,
)
from steward.spend.views.analytics_names import merged, names_for

TABLE_PAGE = 100


def _amount_header() -> str:
    return f"Amount ({base_currency()})"


# --- concentration ---------------------------------------------------------------------------

CONCENTRATION_TEMPLATE = "spend/analytics/concentration.html"
CONCENTRATION_TITLE = "Concentration"


def concentration_columns() -> tuple[Column, ...]:
    return (
        Column("Category", lambda row: row["name"]),
        Column(_amount_header(), lambda row: row["amount"]),
        Column("Vendors", lambda row: row["vendors"]),
        Column("Top vendor", lambda row: row["top_vendor"]),
        Column("Top vendor share %", lambda row: row["top_share"]),
        Column("HHI", lambda row: row["hhi"]),
        Column("Single source", lambda row: "yes" if row["single_source"] else "no"),
        Column("Consolidation opportunity", lambda row: "yes" if row["consolidate"] else "no"),
    )


@spend_page(page="spend:concentration", title=CONCENTRATION_TITLE, template=CONCENTRATION_TEMPLATE)
def spend_concentration(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Per category: spend, vendors, the top vendor's share, HHI, single source; categories
    spread thin over many vendors are marked as consolidation opportunities."""
    rows = analytics.concentration(query.scope, query.period)
    if query.filters.categories:
        rows = [row for row in rows if row.category_id in query.filters.categories]
    spread = {row.category_id for row in analytics.consolidation(query.scope, query.period)}
    choices = filter_choices(query)
    wanted = {
        "categories": [row.category_id for row in rows],
        "suppliers": [row.top_supplier_id for row in rows],
    }
    names = names_for(request.user, query.scope, merged(wanted, choices.wanted()))
    table = [
        {
            "name": names.category(row.category_id),
            "amount": money(row.amount_cents),
            "url": lines_url(query, category=row.category_id),
            "vendors": row.vendors,
            "top_vendor": names.supplier(row.top_supplier_id),
            "top_url": lines_url(query, category=row.category_id, supplier=row.top_supplier_id),
            "top_share": row.top_share,
            "hhi": row.hhi,
            "single_source": row.single_source,
            "consolidate": row.category_id in spread,
        }
        for row in rows
    ]
    if query.file_format:
        return rows_export(
            table,
            concentration_columns(),
            filename="spend-concentration",
            file_format=query.file_format,
        )
    context = {
        "rows": table,
        "opportunities": [row for row in table if row["consolidate"]],
        "single_sources": sum(1 for row in table if row["single_source"]),
        "choices": choices.named(names),
        "ignored_filters": _ignored(query, keep=("categories", "suppliers")),
    }
    return render_spend(
        request,
        query,
        CONCENTRATION_TEMPLATE,
        context,
        page="spend:concentration",
        title=CONCENTRATION_TITLE,
    )


def _ignored(query: SpendQuery, *, keep: tuple[str, ...]) -> list[str]:
    """Filters in the query that a page's figures cannot apply, to say so rather than mislead."""
    labels = {
        "suppliers": "vendor",
        "categories": "category",
        "contracts": "contract",
        "cost_centers": "cost center",
    }
    ignored = [
        label
        for attribute, label in labels.items()
        if attribute not in keep and getattr(query.filters, attribute)
    ]
    if "maverick" not in keep and query.filters.maverick is not None:
        ignored.append("contract coverage")
    return ignored


# --- maverick spend --------------------------------------------------------------------------

MAVERICK_TEMPLATE = "spend/analytics/maverick.html"
MAVERICK_TITLE = "Maverick spend"


def maverick_columns() -> tuple[Column, ...]:
    return (
        Column("By", lambda row: row["by"]),
        Column("Name", lambda row: row["name"]),
        Column(f"Off-contract amount ({base_currency()})", lambda row: row["amount"]),
        Column("Lines", lambda row: row["lines"]),
        Column("Share of off-contract spend %", lambda row: row["share"]),
    )


def _maverick_rows(
    query: SpendQuery, rows: list[KeyTotal], total_cents: int, dim: str, names: Any
) -> list[dict[str, Any]]:
    return [
        {
            "by": "vendor" if dim == "supplier" else dim,
            "key": row.key,
            "name": names.of(dim, row.key),
            "amount": money(row.amount_cents),
            "lines": row.lines,
            "share": share_percent(row.amount_cents, total_cents),
            "url": lines_url(query, maverick="1", **{dim: row.key}),
        }
        for row in rows
    ]


@spend_page(page="spend:maverick", title=MAVERICK_TITLE, template=MAVERICK_TEMPLATE)
def spend_maverick(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Spend on lines without a contract: its total and share, by vendor and by category."""
    summary = analytics.maverick(query.scope, query.period, query.filters)
    choices = filter_choices(query)
    wanted = {
        "suppliers": [row.key for row in summary.by_supplier[:TABLE_PAGE]],
        "categories": [row.key for row in summary.by_category],
    }
    if query.file_format:
        wanted["suppliers"] = [row.key for row in summary.by_supplier]
    names = names_for(request.user, query.scope, merged(wanted, choices.wanted()))
    total = summary.amount_cents
    if query.file_format:
        rows = _maverick_rows(query, summary.by_supplier, total, "supplier", names)
        rows += _maverick_rows(query, summary.by_category, total, "category", names)
        return rows_export(
            rows, maverick_columns(), filename="spend-maverick", file_format=query.file_format
        )
    context = {
        "summary": {
            "amount": money(summary.amount_cents),
            "total": money(summary.total_cents),
            "share": summary.share,
            "url": lines_url(query, maverick="1"),
            "total_url": lines_url(query),
        },
        "by_supplier": _maverick_rows(
            query, summary.by_supplier[:TABLE_PAGE], total, "supplier", names
        ),
        "more_suppliers": max(0, len(summary.by_supplier) - TABLE_PAGE),
        "by_category": _maverick_rows(query, summary.by_category, total, "category", names),
        "choices": choices.named(names),
    }
    return render_spend(
        request, query, MAVERICK_TEMPLATE, context, page="spend:maverick", title=MAVERICK_TITLE
    )


# --- contract utilization --------------------------------------------------------------------

UTILIZATION_TEMPLATE = "spend/analytics/utilization.html"
UTILIZATION_TITLE = "Contract utilization"


def utilization_columns() -> tuple[Column, ...]:
    currency = base_currency()
    return (
        Column("Contract", lambda row: row["contract"]),
        Column("Vendor", lambda row: row["vendor"]),
        Column(f"Committed ({currency})", lambda row: row["committed"]),
        Column(f"Actual ({currency})", lambda row: row["actual"]),
        Column("Utilization %", lambda row: row["utilization"]),
    )


@spend_page(page="spend:utilization", title=UTILIZATION_TITLE, template=UTILIZATION_TEMPLATE)
def spend_utilization(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Each contract's commitment for the period against what was spent on it."""
    rows = analytics.utilization(query.scope, query.period)
    if query.filters.contracts:
        rows = [row for row in rows if row.contract_id in query.filters.contracts]
    choices = filter_choices(query)
    paginator = Paginator(rows, TABLE_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    listed = rows if query.file_format else list(page.object_list)
    wanted: dict[str, list[int | None]] = {
        "contracts": [row.contract_id for row in listed],
        "suppliers": [row.supplier_id for row in listed],
    }
    names = names_for(request.user, query.scope, merged(wanted, choices.wanted()))
    table = [
        {
            "contract": names.contract(row.contract_id),
            "vendor": names.supplier(row.supplier_id),
            "committed": None if row.committed_cents is None else money(row.committed_cents),
            "actual": money(row.actual_cents),
            "utilization": row.utilization,
            "url": lines_url(query, contract=row.contract_id),
            "under": row.utilization is not None and row.utilization < 80,
            "over": row.utilization is not None and row.utilization > 100,
        }
        for row in listed
    ]
    if query.file_format:
        return rows_export(
            table,
            utilization_columns(),
            filename="spend-contract-utilization",
            file_format=query.file_format,
        )
    context = {
        "rows": table,
        "page": page,
        "choices": choices.named(names),
        "ignored_filters": _ignored(query, keep=("suppliers", "contracts")),
    }
    return render_spend(
        request,
        query,
        UTILIZATION_TEMPLATE,
        context,
        page="spend:utilization",
        title=UTILIZATION_TITLE,
    )


# --- price variance --------------------------------------------------------------------------

VARIANCE_TEMPLATE = "spend/analytics/price_variance.html"
VARIANCE_TITLE = "Price variance"


def variance_columns() -> tuple[Column, ...]:
    return (
        Column("Vendor", lambda row: row["vendor"]),
        Column("Contract", lambda row: row["contract"]),
        Column(f"Variance ({base_currency()})", lambda row: row["variance"]),
        Column("Priced lines", lambda row: row["priced_lines"]),
    )


@spend_page(page="spend:price-variance", title=VARIANCE_TITLE, template=VARIANCE_TEMPLATE)
def spend_price_variance(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """What was paid above (or below) the contracted unit prices, per vendor and contract."""
    rows = analytics.price_variance(query.scope, query.period)
    if query.filters.contracts:
        rows = [row for row in rows if row.contract_id in query.filters.contracts]
    choices = filter_choices(query)
    paginator = Paginator(rows, TABLE_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    listed = rows if query.file_format else list(page.object_list)
    wanted: dict[str, list[int | None]] = {
        "contracts": [row.contract_id for row in listed],
        "suppliers": [row.supplier_id for row in listed],
    }
    names = names_for(request.user, query.scope, merged(wanted, choices.wanted()))
    table = [
        {
            "vendor": names.supplier(row.supplier_id),
            "contract": names.contract(row.contract_id),
            "variance": money(row.variance_cents),
            "overpaid": row.variance_cents > 0,
            "priced_lines": row.priced_lines,
            "url": lines_url(query, supplier=row.supplier_id, contract=row.contract_id),
        }
        for row in listed
    ]
    if query.file_format:
        return rows_export(
            table,
            variance_columns(),
            filename="spend-price-variance",
            file_format=query.file_format,
        )
    context = {
        "rows": table,
        "page": page,
        "overpaid": money(sum(row.variance_cents for row in rows if row.variance_cents > 0)),
        "choices": choices.named(names),
        "ignored_filters": _ignored(query, keep=("suppliers", "contracts")),
    }
    return render_spend(
        request,
        query,
        VARIANCE_TEMPLATE,
        context,
        page="spend:price-variance",
        title=VARIANCE_TITLE,
    )
