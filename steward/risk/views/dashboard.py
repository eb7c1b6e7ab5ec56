"""The risk dashboard: tiers, the heat map of open risks, overdue reassessments and findings,
concentration, then the panels other apps add. Everything through the user's access."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from steward.core.access import principal_for
from steward.core.charts import base_layout, chart_context, chart_page
from steward.risk import panels, scoring, selectors

DASHBOARD_ROWS = 10
LEVELS = (1, 2, 3, 4, 5)
BAND_COLORS = {"low": "#1e8449", "medium": "#f1c40f", "high": "#e67e22", "critical": "#c0392b"}


def heat_chart(grid: list[list[int]]) -> dict[str, Any] | None:
    if not any(any(row) for row in grid):
        return None
    # Cells coloured by their rating band, labelled with the number of risks in them.
    band_index = {"low": 0, "medium": 1, "high": 2, "critical": 3}
    z = [[band_index[scoring.rating(l * i)] for i in LEVELS] for l in LEVELS]  # noqa: E741
    text = [[str(count) if count else "" for count in row] for row in grid]
    colors = list(BAND_COLORS.values())
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"Impact {i}" for i in LEVELS],
            y=[f"Likelihood {level}" for level in LEVELS],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: %{text} open risk(s)<extra></extra>",
            zmin=0,
            zmax=3,
            colorscale=[[index / 3, color] for index, color in enumerate(colors)],
            showscale=False,
        )
    )
    figure.update_layout(**base_layout(height=360))
    return chart_context(
        figure,
        chart_id="risk-heat-map",
        label="Heat map of open risks by residual likelihood and impact",
        description="The table beside the chart gives the same counts.",
    )


@chart_page
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    if not principal_for(user).is_internal:
        raise PermissionDenied("The risk dashboard is for inside users.")
    grid = selectors.heat_map(user=user)
    overdue_profiles = selectors.overdue_reassessments(user=user, today=today)
    overdue_findings = selectors.overdue_findings(user=user, today=today)
    extra = [
        {
            "title": panel.title,
            "name": panel.name,
            "html": mark_safe(  # noqa: S308 - rendered by Django templates, escaped
                render_to_string(panel.template, panel.context(user, today), request=request)
            ),
        }
        for panel in panels.dashboard_panels()
    ]
    context = {
        "today": today,
        "tiers": selectors.tier_counts(user=user),
        "grid_rows": [
            {"likelihood": level, "cells": grid[level - 1]} for level in reversed(LEVELS)
        ],
        "open_risks": sum(sum(row) for row in grid),
        "chart": heat_chart(grid),
        "overdue_profiles": overdue_profiles[:DASHBOARD_ROWS],
        "overdue_profiles_count": overdue_profiles.count(),
        "overdue_findings": overdue_findings[:DASHBOARD_ROWS],
        "overdue_findings_count": overdue_findings.count(),
        "concentration": selectors.concentration(user=user, today=today),
        "panels": extra,
    }
    return render(request, "risk/dashboard.html", context)
