"""The vendor portfolio: the Kraljic matrix, counts that lead to the list, vendors needing care."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse

from steward.core.charts import PALETTE, base_layout, chart_context, chart_page
from steward.core.ui import query_filters, render_page
from steward.suppliers import selectors
from steward.suppliers.choices import Segment
from steward.suppliers.views.vendors import filter_context

SEGMENT_COLOURS: dict[str, str] = {
    Segment.STRATEGIC: PALETTE[0],
    Segment.LEVERAGE: PALETTE[2],
    Segment.BOTTLENECK: PALETTE[1],
    Segment.NON_CRITICAL: PALETTE[5],
}
# Where each quadrant's label sits: (x, y, horizontal anchor, vertical anchor).
QUADRANT_LABELS: dict[str, tuple[int, int, str, str]] = {
    Segment.LEVERAGE: (0, 100, "left", "top"),
    Segment.STRATEGIC: (100, 100, "right", "top"),
    Segment.NON_CRITICAL: (0, 0, "left", "bottom"),
    Segment.BOTTLENECK: (100, 0, "right", "bottom"),
}
LARGEST_BUBBLE_PX = 48
ATTENTION = (
    ("mismatch", "Type does not suit the segment", {"mismatch": "true"}),
    ("stalled", "Onboarding stalled", {"stalled": "true"}),
    ("lapsed", "Prequalification lapsed", {"lapsed_prequalification": "true"}),
    ("not_placed", "Not yet placed on the matrix", {"placed": "false"}),
)


def matrix_figure(
    points: Sequence[dict[str, Any]], *, profit_threshold: Decimal, risk_threshold: Decimal
) -> go.Figure:
    """Supply risk across, profit impact up, spend as bubble area, one colour per segment."""
    figure = go.Figure()
    largest = max((p["spend"] for p in points), default=0) or 1
    for segment, label in Segment.choices:
        members = [p for p in points if p["segment"] == segment]
        if not members:
            continue
        figure.add_trace(
            go.Scatter(
                name=label,
                mode="markers",
                x=[p["supply_risk"] for p in members],
                y=[p["profit_impact"] for p in members],
                text=[p["name"] for p in members],
                customdata=[
                    [
                        reverse("suppliers:vendor-detail", args=[p["id"]]),
                        p["name"],
                        f"{p['spend']:,.0f}",
                        " (placed by override)" if p["overridden"] else "",
                    ]
                    for p in members
                ],
                hovertemplate=(
                    "<b>%{customdata[1]}</b>%{customdata[3]}<br>Supply risk %{x:.1f}"
                    "<br>Profit impact %{y:.1f}<br>Annual spend %{customdata[2]}<extra></extra>"
                ),
                marker={
                    "size": [p["spend"] for p in members],
                    "sizemode": "area",
                    "sizeref": 2.0 * largest / LARGEST_BUBBLE_PX**2,
                    "sizemin": 7,
                    "color": SEGMENT_COLOURS[segment],
                    "opacity": 0.75,
                    "symbol": ["diamond" if p["overridden"] else "circle" for p in members],
                    "line": {"width": 1, "color": "#ffffff"},
                },
            )
        )
    line = {"color": "#6b7280", "width": 1, "dash": "dash"}
    figure.add_shape(
        type="line", x0=float(risk_threshold), x1=float(risk_threshold), y0=0, y1=100, line=line
    )
    figure.add_shape(
        type="line", y0=float(profit_threshold), y1=float(profit_threshold), x0=0, x1=100, line=line
    )
    for segment, (x, y, xanchor, yanchor) in QUADRANT_LABELS.items():
        figure.add_annotation(
            x=x,
            y=y,
            xanchor=xanchor,
            yanchor=yanchor,
            text=f"<b>{Segment(segment).label}</b>",
            showarrow=False,
            font={"color": SEGMENT_COLOURS[segment], "size": 14},
            opacity=0.8,
        )
    figure.update_layout(
        base_layout(
            height=540,
            showlegend=True,
            xaxis={"title": {"text": "Supply risk"}, "range": [-3, 103], "zeroline": False},
            yaxis={"title": {"text": "Profit impact"}, "range": [-3, 103], "zeroline": False},
            margin={"l": 60, "r": 10, "t": 40, "b": 50},
        )
    )
    return figure


def list_link(request: HttpRequest, **params: str) -> str:
    """The vendor list with the page's filters plus ``params``."""
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return f"{reverse('suppliers:vendor-list')}?{query.urlencode()}"


def _with_links(
    request: HttpRequest, counts: list[dict[str, Any]], key: str
) -> list[dict[str, Any]]:
    return [{**row, "url": list_link(request, **{key: row["value"]})} for row in counts]


@chart_page
@login_required
def vendor_portfolio(request: HttpRequest) -> HttpResponse:
    filters = query_filters(request.GET)
    filterset = selectors.supplier_filterset(user=request.user, filters=filters)
    data = selectors.portfolio(user=request.user, filters=filters)
    policy = data["policy"]
    figure = matrix_figure(
        data["points"],
        profit_threshold=policy.profit_threshold,
        risk_threshold=policy.risk_threshold,
    )
    context = {
        **filter_context(request),
        "title": "Vendor portfolio",
        "filter_form": filterset.form,
        "data": data,
        "chart": chart_context(
            figure,
            chart_id="portfolio",
            label="Kraljic matrix of the vendors shown: supply risk across, profit impact up, "
            "bubble size by annual spend",
            description="The tables below the matrix give the same vendors by segment.",
        ),
        "by_segment": _with_links(request, data["by_segment"], "segment"),
        "by_type": _with_links(request, data["by_type"], "relationship_type"),
        "by_stage": _with_links(request, data["by_stage"], "stage"),
        "not_placed_url": list_link(request, placed="false"),
        "attention": [
            {"key": key, "label": label, "url": list_link(request, **params), **data[key]}
            for key, label, params in ATTENTION
        ],
    }
    return render_page(request, "suppliers/portfolio.html", context, partial="results")
