"""The charts of the spend pages: trend with the prior year, Pareto, the category treemap.

Each takes rows the page already computed (and shows as a table too) and returns what
``includes/chart.html`` draws. A point's ``customdata`` is its drill-down URL, so a click opens
the lines behind it. Amounts are plotted in units of the base currency; names go through
``plain_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from steward.core.charts import PALETTE, base_layout, chart_context, plain_text

PRIOR_COLOUR = "#9aa5b1"
GUIDE_COLOUR = "#c0392b"
PARETO_BARS = 40  # beyond this a bar chart is a smear; the table lists every row


def _units(cents: int | None) -> float:
    return (cents or 0) / 100


def trend_chart(
    points: Sequence[dict[str, Any]], *, chart_id: str, label: str, currency: str
) -> dict[str, Any] | None:
    """Bars for each month of the period, a line for the same month a year before.

    ``points``: dicts with ``label``, ``amount_cents``, ``prior_year_cents`` and ``url``.
    """
    if not points:
        return None
    x = [point["label"] for point in points]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            name="This period",
            x=x,
            y=[_units(point["amount_cents"]) for point in points],
            marker={"color": PALETTE[0]},
            customdata=[point["url"] or "" for point in points],
            hovertemplate="%{x}: %{y:,.2f} " + currency + "<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="Prior year",
            x=x,
            y=[_units(point["prior_year_cents"]) for point in points],
            mode="lines+markers",
            line={"color": PRIOR_COLOUR, "dash": "dot"},
            hovertemplate="%{x} a year before: %{y:,.2f} " + currency + "<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(height=320, yaxis={"title": currency, "rangemode": "tozero"})
    )
    return chart_context(
        figure,
        chart_id=chart_id,
        label=label,
        description="The table below lists the same months with the prior year.",
    )


def pareto_chart(
    rows: Sequence[dict[str, Any]], *, chart_id: str, label: str, currency: str
) -> dict[str, Any] | None:
    """Bars of spend, largest first, and the cumulative share on a second axis with the 80 %
    and 95 % guides that separate classes A, B and C.

    ``rows``: dicts with ``name``, ``amount_cents``, ``cumulative_percent``, ``abc``, ``url``.
    """
    if not rows:
        return None
    shown = rows[:PARETO_BARS]
    names = [plain_text(row["name"]) for row in shown]
    colours = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[5]}
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            name="Spend",
            x=names,
            y=[_units(row["amount_cents"]) for row in shown],
            marker={"color": [colours.get(row["abc"], PALETTE[0]) for row in shown]},
            customdata=[row["url"] or "" for row in shown],
            hovertemplate="%{x}: %{y:,.2f} " + currency + "<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            name="Cumulative share",
            x=names,
            y=[float(row["cumulative_percent"] or 0) for row in shown],
            yaxis="y2",
            mode="lines+markers",
            line={"color": PALETTE[3]},
            hovertemplate="%{x}: %{y:.1f} % cumulative<extra></extra>",
        )
    )
    guides = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y2",
            "y0": level,
            "y1": level,
            "line": {"color": GUIDE_COLOUR, "dash": "dash", "width": 1},
        }
        for level in (80, 95)
    ]
    figure.update_layout(
        **base_layout(
            height=380,
            margin={"l": 10, "r": 40, "t": 30, "b": 10},
            yaxis={"title": currency, "rangemode": "tozero"},
            yaxis2={
                "title": "Cumulative %",
                "overlaying": "y",
                "side": "right",
                "range": [0, 101],
                "tickvals": [0, 25, 50, 80, 95],
                "ticksuffix": " %",
            },
            xaxis={"tickangle": -45, "automargin": True},
            shapes=guides,
        )
    )
    more = f" (the largest {PARETO_BARS} drawn)" if len(rows) > PARETO_BARS else ""
    return chart_context(
        figure,
        chart_id=chart_id,
        label=label + more,
        description="The table below lists every row with its share and class.",
    )


def treemap_chart(
    rows: Sequence[dict[str, Any]], *, chart_id: str, label: str, currency: str
) -> dict[str, Any] | None:
    """One tile per category, sized by its spend. ``rows``: ``name``, ``amount_cents``, ``url``."""
    tiles = [row for row in rows if (row["amount_cents"] or 0) > 0]
    if not tiles:
        return None
    figure = go.Figure(
        go.Treemap(
            ids=[f"tile-{index}" for index in range(len(tiles))],
            labels=[plain_text(row["name"]) for row in tiles],
            parents=[""] * len(tiles),
            values=[_units(row["amount_cents"]) for row in tiles],
            customdata=[row["url"] or "" for row in tiles],
            textinfo="label+percent root",
            hovertemplate="%{label}: %{value:,.2f} " + currency + "<extra></extra>",
            marker={"colors": [PALETTE[index % len(PALETTE)] for index in range(len(tiles))]},
        )
    )
    figure.update_layout(**base_layout(height=360, margin={"l": 0, "r": 0, "t": 10, "b": 0}))
    return chart_context(
        figure,
        chart_id=chart_id,
        label=label,
        description="The category table lists the same spend as text.",
    )
