"""The sourcing roadmap: dated initiatives across relationships on one timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone

from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.exports import export_response
from steward.core.ui import query_filters, render_page
from steward.parties.choices import Side
from steward.people.selectors import internal_user_choices
from steward.plans import selectors
from steward.plans.choices import InitiativeStatus
from steward.plans.views.initiatives import INITIATIVE_COLUMNS

# More bars than this make an unreadable chart; the page asks to narrow the filters instead.
ROADMAP_LIMIT = 200
DAY_MS = 86_400_000
LABEL_LENGTH = 48
STATUS_COLOURS = {
    InitiativeStatus.PLANNED: "#7aa6c2",
    InitiativeStatus.IN_PROGRESS: "#0b6e99",
    InitiativeStatus.ON_HOLD: "#d9822b",
    InitiativeStatus.DONE: "#2e8540",
    InitiativeStatus.CANCELLED: "#9aa0a6",
}


def roadmap_filters(params: QueryDict) -> QueryDict:
    """The page's filters; the roadmap is a sourcing one unless another side is asked for
    (an empty ``side`` asks for both)."""
    filters = query_filters(params)
    filters.pop("export", None)
    if "side" not in params:
        filters["side"] = Side.SUPPLY
    return filters


@chart_page
@login_required
def roadmap(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    filters = roadmap_filters(request.GET)
    filterset = selectors.initiative_filterset(user=user, filters=filters)
    valid = filterset.form.is_valid()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        rows = selectors.roadmap_initiatives(user=user, filters=filters)
        return export_response(
            rows if valid else rows.none(),
            INITIATIVE_COLUMNS,
            filename="roadmap",
            file_format=export,
        )
    bars = selectors.roadmap(user=user, filters=filters, limit=ROADMAP_LIMIT) if valid else []
    context = {
        "title": "Sourcing roadmap" if filters.get("side") == Side.SUPPLY else "Roadmap",
        "filter_form": filterset.form,
        "side": filters.get("side", ""),
        "owner_choices": internal_user_choices(user=user),
        "can_export": True,
        # An empty side (both) is kept, or the export would fall back to supply.
        "export_query": filters.urlencode() + ("" if "side" in filters else "&side="),
        **_timeline(user, filters, bars),
    }
    response: HttpResponse = render_page(request, "plans/roadmap.html", context, partial="results")
    return response


def _timeline(user: Any, filters: QueryDict, bars: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows, how many there are beyond the limit, and the chart of them."""
    total = len(bars)
    if total == ROADMAP_LIMIT:
        total = selectors.roadmap_initiatives(user=user, filters=filters).count()
    today = timezone.localdate()
    chart = None
    if bars:
        chart = chart_context(
            roadmap_figure(bars, today=today),
            chart_id="roadmap-chart",
            label=f"Timeline of {len(bars)} initiatives",
            description="The table below lists the same initiatives.",
        )
    return {"rows": bars, "total": total, "today": today, "chart": chart}


def roadmap_figure(rows: Sequence[Mapping[str, Any]], *, today: dt.date) -> go.Figure:
    """One bar per initiative from start to end (inclusive), coloured by status.

    Each bar's customdata starts with the initiative's URL, so a click opens it.
    """
    labels = _bar_labels(rows)
    figure = go.Figure()
    for status, status_label in InitiativeStatus.choices:
        mine = [pair for pair in zip(rows, labels, strict=True) if pair[0]["status"] == status]
        if not mine:
            continue
        figure.add_trace(
            go.Bar(
                orientation="h",
                name=status_label,
                y=[label for _, label in mine],
                base=[row["starts_on"].isoformat() for row, _ in mine],
                x=[((row["ends_on"] - row["starts_on"]).days + 1) * DAY_MS for row, _ in mine],
                marker={"color": STATUS_COLOURS[InitiativeStatus(status)]},
                customdata=[_hover_data(row) for row, _ in mine],
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}"
                    "<br>%{customdata[4]} to %{customdata[5]}<extra>" + status_label + "</extra>"
                ),
            )
        )
    # Today is marked only inside the drawn period, so it never stretches the axis.
    shown = rows and min(r["starts_on"] for r in rows) <= today <= max(r["ends_on"] for r in rows)
    figure.update_layout(
        **base_layout(
            height=max(220, 110 + 28 * len(rows)),
            barmode="overlay",
            shapes=[_today_line(today)] if shown else [],
            annotations=[_today_note(today)] if shown else [],
        )
    )
    figure.update_yaxes(
        type="category", autorange="reversed", categoryorder="array", categoryarray=labels
    )
    figure.update_xaxes(type="date", showgrid=True, gridcolor="#e3e6ea")
    return figure


def _bar_labels(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """ "Organization · initiative", shortened, and made unique so no two bars share a row."""
    labels: list[str] = []
    seen: set[str] = set()
    for row in rows:
        label = f"{row['vendor']} · {row['title']}"
        if len(label) > LABEL_LENGTH:
            label = label[: LABEL_LENGTH - 1] + "…"
        if label in seen:
            label = f"{label} (#{row['id']})"
        seen.add(label)
        labels.append(plain_text(label))
    return labels


def _hover_data(row: Mapping[str, Any]) -> list[str]:
    return [
        row["url"],
        plain_text(row["title"]),
        plain_text(row["vendor"]),
        plain_text(row["kind"]),
        row["starts_on"].isoformat(),
        row["ends_on"].isoformat(),
    ]


def _today_line(today: dt.date) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": today.isoformat(),
        "x1": today.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": "#b42318", "width": 1, "dash": "dot"},
    }


def _today_note(today: dt.date) -> dict[str, Any]:
    return {
        "x": today.isoformat(),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "top",
        "xanchor": "left",
        "xshift": 3,
        "text": "Today",
        "showarrow": False,
        "font": {"color": "#b42318", "size": 11},
    }
