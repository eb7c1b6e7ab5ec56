"""The spend overview and the Pareto page: where the money goes and how concentrated it is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase

from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.spend import analytics
from steward.spend.analytics.results import ParetoRow, TrendPoint
from steward.spend.exports import rows_export
from steward.spend.money import base_currency, month_label
from steward.spend.views.analytics_charts import (
    PARETO_BARS,
    pareto_chart,
    treemap_chart,
    trend_chart,
)
from steward.spend.views.analytics_choices import filter_choices
from steward.spend.views.analytics_common import (
    SpendQuery,
    change_percent,
    lines_url,
    money,
    render_spend,
    share_percent,
    spend_page,
)
from steward.spend.views.analytics_names import Names, merged, names_for

TOP_VENDORS = 20
PARETO_PAGE = 100
PARETO_BY = {"supplier": "Vendor", "category": "Category"}


def trend_rows(query: SpendQuery, points: Sequence[TrendPoint]) -> list[dict[str, Any]]:
    return [
        {
            "month": point.month,
            "label": month_label(point.month),
            "amount_cents": point.amount_cents,
            "amount": money(point.amount_cents),
            "lines": point.lines,
            "prior_year_cents": point.prior_year_cents,
            "prior_year": money(point.prior_year_cents),
            "change": change_percent(point.amount_cents, point.prior_year_cents),
            "url": lines_url(query, month=point.month) if point.lines else None,
        }
        for point in points
    ]


def pareto_rows(
    query: SpendQuery, rows: Sequence[ParetoRow], names: Names, by: str
) -> list[dict[str, Any]]:
    return [
        {
            "key": row.key,
            "name": names.of(by, row.key),
            "amount_cents": row.amount_cents,
            "amount": money(row.amount_cents),
            "share": row.share,
            "cumulative_percent": row.cumulative_share,
            "abc": row.abc,
            "url": lines_url(query, **{by: row.key}),
        }
        for row in rows
    ]


def headline(
    trend: Sequence[TrendPoint], vendors: Sequence[ParetoRow], maverick_share: Any
) -> dict[str, Any]:
    """Total, lines, vendors, maverick and tail shares, and the change on the prior year."""
    total = sum(point.amount_cents for point in trend)
    prior = sum(point.prior_year_cents for point in trend)
    tail = [row for row in vendors if row.abc == "C"]
    tail_cents = sum(row.amount_cents for row in tail)
    return {
        "total": money(total),
        "total_cents": total,
        "lines": sum(point.lines for point in trend),
        "vendors": sum(1 for row in vendors if row.amount_cents > 0),
        "maverick_share": maverick_share,
        "tail_vendors": len(tail),
        "tail_share": share_percent(tail_cents, total),
        "prior_year": money(prior),
        "yoy": change_percent(total, prior),
    }


OVERVIEW_TEMPLATE = "spend/analytics/overview.html"
OVERVIEW_TITLE = "Spend"


@spend_page(page="spend:overview", title=OVERVIEW_TITLE, template=OVERVIEW_TEMPLATE, chart=True)
def spend_overview(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Headline figures, the trend against the prior year, the top vendors, the categories."""
    scope, period, filters = query.scope, query.period, query.filters
    trend = analytics.trend(scope, period, filters)
    vendors = analytics.pareto(scope, period, "supplier", filters)
    categories = analytics.pareto(scope, period, "category", filters)
    maverick = analytics.maverick(scope, period, filters)
    choices = filter_choices(query)
    wanted = {
        "suppliers": [row.key for row in vendors[:TOP_VENDORS]],
        "categories": [row.key for row in categories],
    }
    names = names_for(request.user, query.scope, merged(wanted, choices.wanted()))
    months = trend_rows(query, trend)
    top = pareto_rows(query, vendors[:TOP_VENDORS], names, "supplier")
    category_rows = pareto_rows(query, categories, names, "category")
    if query.file_format:
        return rows_export(
            top,
            PARETO_COLUMNS["supplier"],
            filename="spend-top-vendors",
            file_format=query.file_format,
        )
    currency = base_currency()
    context = {
        "figures": headline(trend, vendors, maverick.share),
        "months": months,
        "top_vendors": top,
        "categories": category_rows,
        "choices": choices.named(names),
        "trend_chart": trend_chart(
            months,
            chart_id="spend-trend",
            label="Spend per month against the same month a year before",
            currency=currency,
        ),
        "treemap": treemap_chart(
            category_rows,
            chart_id="spend-categories",
            label="Spend by category",
            currency=currency,
        ),
        "maverick_url": lines_url(query, maverick="1"),
        "all_lines_url": lines_url(query),
    }
    return render_spend(
        request, query, OVERVIEW_TEMPLATE, context, page="spend:overview", title=OVERVIEW_TITLE
    )


def _pareto_columns(label: str) -> tuple[Column, ...]:
    return (
        Column(label, lambda row: row["name"]),
        Column(f"Amount ({base_currency()})", lambda row: row["amount"]),
        Column("Share %", lambda row: row["share"]),
        Column("Cumulative %", lambda row: row["cumulative_percent"]),
        Column("Class", lambda row: row["abc"]),
    )


PARETO_COLUMNS = {by: _pareto_columns(label) for by, label in PARETO_BY.items()}
PARETO_TEMPLATE = "spend/analytics/pareto.html"
PARETO_TITLE = "Pareto"


@spend_page(page="spend:pareto", title=PARETO_TITLE, template=PARETO_TEMPLATE, chart=True)
def spend_pareto(request: HttpRequest, query: SpendQuery) -> HttpResponseBase:
    """Spend by vendor or category, largest first, with ABC classes and the tail."""
    by = request.GET.get("by") or "supplier"
    if by not in PARETO_BY:
        raise DomainError("Show the Pareto by=supplier or by=category.", field="by")
    rows = analytics.pareto(query.scope, query.period, by, query.filters)
    choices = filter_choices(query)
    if query.file_format:
        names = names_for(request.user, query.scope, {_kind(by): [row.key for row in rows]})
        return rows_export(
            pareto_rows(query, rows, names, by),
            PARETO_COLUMNS[by],
            filename=f"spend-pareto-{by}",
            file_format=query.file_format,
        )
    paginator = Paginator(rows, PARETO_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # The chart draws the largest rows; name those and the rows of this page in one query.
    shown = [row.key for row in [*rows[:PARETO_BARS], *page.object_list]]
    names = names_for(request.user, query.scope, merged({_kind(by): shown}, choices.wanted()))
    chart_rows = pareto_rows(query, rows[:PARETO_BARS], names, by)
    total = sum(row.amount_cents for row in rows)
    counts = {grade: sum(1 for row in rows if row.abc == grade) for grade in "ABC"}
    tail = [row for row in rows if row.abc == "C"]
    tail_cents = sum(row.amount_cents for row in tail)
    context = {
        "by": by,
        "by_label": PARETO_BY[by],
        "keep": [("by", by)],
        "page": page,
        "rows": pareto_rows(query, list(page.object_list), names, by),
        "total": money(total),
        "total_url": lines_url(query),
        "counts": counts,
        "tail": {
            "count": len(tail),
            "amount": money(tail_cents),
            "share": share_percent(tail_cents, total),
        },
        "choices": choices.named(names),
        "chart": pareto_chart(
            chart_rows,
            chart_id="spend-pareto",
            label=f"Pareto of spend by {PARETO_BY[by].lower()} with the cumulative share",
            currency=base_currency(),
        ),
    }
    return render_spend(
        request, query, PARETO_TEMPLATE, context, page="spend:pareto", title=PARETO_TITLE
    )


def _kind(by: str) -> str:
    return "suppliers" if by == "supplier" else "categories"
