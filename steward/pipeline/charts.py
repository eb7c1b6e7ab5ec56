"""The pipeline's charts: the pipeline by stage and the forecast by month and category."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from steward.core.charts import base_layout, chart_context
from steward.pipeline.forecast import ForecastResult
from steward.pipeline.selectors import StageRow


def stage_chart(rows: list[StageRow]) -> dict[str, Any]:
    labels = [row.label for row in rows]
    figure = go.Figure(
        [
            go.Bar(name="Amount", x=labels, y=[float(row.amount) for row in rows]),
            go.Bar(name="Weighted", x=labels, y=[float(row.weighted) for row in rows]),
        ]
    )
    figure.update_layout(**base_layout(height=300, barmode="group"))
    return chart_context(
        figure,
        chart_id="pipeline-by-stage",
        label="Open pipeline by stage, amount and weighted",
        description="The same figures are in the table beside the chart.",
    )


def forecast_chart(result: ForecastResult) -> dict[str, Any]:
    months = [month.strftime("%Y-%m") for month in result.by_month]
    totals = list(result.by_month.values())

    def bar(name: str, values: list[Any]) -> go.Bar:
        return go.Bar(name=name, x=months, y=[float(v) for v in values])

    figure = go.Figure(
        [
            bar("Closed", [t.closed for t in totals]),
            bar("Commit (open)", [t.commit - t.closed for t in totals]),
            bar("Best case (open)", [t.best_case - t.commit for t in totals]),
            bar("Pipeline (open)", [t.pipeline - t.best_case for t in totals]),
        ]
    )
    figure.update_layout(**base_layout(height=320, barmode="stack"))
    return chart_context(
        figure,
        chart_id="forecast-by-month",
        label=f"Forecast by month and category, in {result.currency}",
        description="The same figures are in the table below the chart.",
    )
