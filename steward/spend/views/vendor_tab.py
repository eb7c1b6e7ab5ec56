"""The "spend" tab of a vendor's page: its monthly spend against the year before, its
categories, its contracts with their utilization, and its latest lines without a contract.

Figures come from the user's spend scope like every spend page: someone who may open the vendor
but not see its spend (a portal user, a colleague outside its team) sees an empty state.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from steward.core.errors import DomainError
from steward.spend import analytics
from steward.spend.analytics import drilldown
from steward.spend.analytics.period import Filters, Period
from steward.spend.money import base_currency, month_label
from steward.spend.scope import scope_for
from steward.spend.views.analytics_charts import trend_chart
from steward.spend.views.analytics_common import (
    SpendQuery,
    lines_url,
    money,
    period_label,
    share_percent,
)
from steward.spend.views.analytics_names import names_for
from steward.suppliers.models import Supplier

MAVERICK_LINES = 10


def spend_tab_context(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    scope = scope_for(request.user)
    try:
        period = Period.from_params(request.GET, timezone.localdate())
    except DomainError as error:
        return {"spend": {"error": error.message}}
    if scope.supplier_ids is not None and supplier.pk not in scope.supplier_ids:
        return {"spend": {"visible": False, "period_label": period_label(period)}}
    filters = Filters(suppliers=(supplier.pk,))
    query = SpendQuery(scope=scope, period=period, filters=filters, visible=scope)
    return {"spend": _figures(request, query, supplier)}


def _figures(request: HttpRequest, query: SpendQuery, supplier: Supplier) -> dict[str, Any]:
    scope, period, filters = query.scope, query.period, query.filters
    monthly = analytics.supplier_monthly(scope, period, supplier.pk)
    categories = analytics.cube(scope, period, ["category"], filters)
    contracts = [
        row for row in analytics.utilization(scope, period) if row.supplier_id == supplier.pk
    ]
    maverick = drilldown.lines(
        scope, period, Filters(suppliers=(supplier.pk,), maverick=True), per_page=MAVERICK_LINES
    )
    names = names_for(
        request.user,
        scope,
        {
            "categories": [row.keys[0] for row in categories],
            "contracts": [row.contract_id for row in contracts],
        },
    )
    total = sum(point.amount_cents for point in monthly)
    months = [
        {
            "label": month_label(point.month),
            "amount_cents": point.amount_cents,
            "prior_year_cents": point.prior_year_cents,
            "url": lines_url(query, month=point.month) if point.lines else None,
        }
        for point in monthly
    ]
    return {
        "visible": True,
        "period_label": query.period_label,
        "currency": base_currency(),
        "total": money(total),
        "prior_year": money(sum(point.prior_year_cents for point in monthly)),
        "lines": sum(point.lines for point in monthly),
        "lines_url": lines_url(query),
        "chart": trend_chart(
            months,
            chart_id="vendor-spend",
            label=f"Monthly spend with {supplier} against the year before",
            currency=base_currency(),
        )
        if total or any(point.prior_year_cents for point in monthly)
        else None,
        "categories": [
            {
                "name": names.category(row.keys[0]),
                "amount": money(row.amount_cents),
                "share": share_percent(row.amount_cents, total),
                "url": lines_url(query, category=row.keys[0]),
            }
            for row in categories
        ],
        "contracts": [
            {
                "name": names.contract(row.contract_id),
                "committed": None if row.committed_cents is None else money(row.committed_cents),
                "actual": money(row.actual_cents),
                "utilization": row.utilization,
                "url": lines_url(query, contract=row.contract_id),
            }
            for row in contracts
        ],
        "maverick_lines": maverick.lines,
        "maverick_total": maverick.total,
        "maverick_url": lines_url(query, maverick="1"),
        "overview_url": reverse("spend:overview") + "?" + query.query_string(),
    }
