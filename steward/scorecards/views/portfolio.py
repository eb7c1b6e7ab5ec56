"""Portfolio views over one period's cards: the heat map (relationships by criteria) and the
ranking (best first), each filterable, paginated and exportable to CSV or Excel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_GET

from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.display import person_name
from steward.core.exports import Column, export_response
from steward.core.ui import paginate, query_filters, render_page
from steward.people.selectors import internal_user_choices
from steward.scorecards import selectors
from steward.scorecards.models import Scorecard, ScorecardPeriod, ScorecardTemplate
from steward.scorecards.standings import default_standings

HEATMAP_PAGE = 50
# Cell shades by score, lowest first: (from score, Bootstrap background class).
SHADES = (
    (Decimal(0), "bg-danger-subtle"),
    (Decimal(50), "bg-warning-subtle"),
    (Decimal(70), "bg-success-subtle"),
    (Decimal(85), "bg-success text-white"),
)
NO_DATA_SHADE = "bg-body-secondary"


def shade(score: Decimal | None) -> str:
    if score is None:
        return NO_DATA_SHADE
    chosen = SHADES[0][1]
    for lower, css in SHADES:
        if score >= lower:
            chosen = css
    return chosen


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choose_period(
    request: HttpRequest,
) -> tuple[list[ScorecardTemplate], ScorecardTemplate | None, ScorecardPeriod | None]:
    """The template and period the query names, or the default template's latest period."""
    user = request.user
    templates = list(selectors.template_list(user=user))
    template_pk = _int(request.GET.get("template"))
    period_pk = _int(request.GET.get("period"))
    if period_pk is not None:
        chosen = selectors.period_get(user=user, pk=period_pk)
        return templates, chosen.template, chosen
    if request.GET.get("period"):
        raise Http404
    template = next((t for t in templates if t.pk == template_pk), None)
    if template is None and template_pk is not None:
        raise Http404
    if template is None:
        template = selectors.default_template_for(user=user, templates=templates)
    period = selectors.latest_period(user=user, template=template) if template else None
    return templates, template, period


def filter_context(request: HttpRequest, template: ScorecardTemplate | None) -> dict[str, Any]:
    user = request.user
    standings = [band.name for band in default_standings().bands]
    if template is not None and template.standings:
        standings = [str(row.get("name", "")) for row in template.standings]
    return {
        "owners": internal_user_choices(user=user).order_by("first_name", "last_name"),
        "standings": list(reversed(standings)),
        "extra_filters": [
            (extra, extra.choices(user), request.GET.get(extra.name, ""))
            for extra in selectors.card_filters()
        ],
        "params": request.GET,
        "periods": list(selectors.period_list(user=user, template=template)[:24])
        if template
        else [],
    }


def _score_of(card: Scorecard, criterion_pk: int) -> Decimal | None:
    for row in card.criteria.all():
        if row.criterion_id == criterion_pk:
            return row.score
    return None


def _score_column(criterion_pk: int) -> Any:
    def value(card: Scorecard) -> Decimal | None:
        return _score_of(card, criterion_pk)

    return value


def heat_columns(criteria: list[Any]) -> list[Column]:
    columns = [
        Column("Relationship", lambda c: c.relationship.organization.display_name),
        Column("Side", lambda c: c.relationship.side),
        Column("Owner", lambda c: person_name(c.relationship.owner)),
        Column("Period", lambda c: c.period.label),
        Column("Score", lambda c: c.score),
        Column("Standing", lambda c: c.standing),
    ]
    columns.extend(Column(criterion.name, _score_column(criterion.pk)) for criterion in criteria)
    columns.append(Column("No data", lambda c: ", ".join(c.missing or [])))
    return columns


def heat_chart(rows: list[dict[str, Any]], criteria: list[Any]) -> dict[str, Any] | None:
    if not rows or not criteria:
        return None
    names = [plain_text(row["card"].relationship.organization.display_name) for row in rows]
    z = [
        [float(cell["score"]) if cell["score"] is not None else None for cell in row["cells"]]
        for row in rows
    ]
    urls = [[cell["url"] for cell in row["cells"]] for row in rows]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[plain_text(c.name) for c in criteria],
            y=names,
            customdata=urls,
            zmin=0,
            zmax=100,
            colorscale=[[0, "#c0392b"], [0.5, "#f1c40f"], [0.7, "#7dcea0"], [1, "#1e8449"]],
            hoverongaps=False,
            colorbar={"title": "Score"},
        )
    )
    figure.update_layout(
        **base_layout(height=max(260, 28 * len(rows) + 120), yaxis={"autorange": "reversed"})
    )
    return chart_context(
        figure,
        chart_id="heatmap",
        label="Heat map of scores, relationships by criteria",
        description="The table below gives the same scores as text.",
    )


@chart_page
@login_required
@require_GET
def heatmap(request: HttpRequest) -> HttpResponseBase:
    templates, template, period = choose_period(request)
    filters = query_filters(request.GET)
    context: dict[str, Any] = {
        "title": "Scorecard heat map",
        "templates": templates,
        "template": template,
        "period": period,
        **filter_context(request, template),
    }
    if period is not None:
        data = selectors.heat_map(user=request.user, period=period, filters=filters)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return export_response(
                data.cards,
                heat_columns(data.criteria),
                filename="scorecard-heatmap",
                file_format=export,
            )
        page = paginate(request, data.cards, per_page=HEATMAP_PAGE)
        rows = []
        for card in page.object_list:
            cells = []
            for criterion in data.criteria:
                score = _score_of(card, criterion.pk)
                cells.append(
                    {
                        "score": score,
                        "shade": shade(score),
                        "url": reverse("scorecards:card-evidence", args=[card.pk, criterion.pk]),
                    }
                )
            rows.append({"card": card, "cells": cells, "shade": shade(card.score)})
        context.update(
            criteria=data.criteria,
            page=page,
            rows=rows,
            chart=heat_chart(rows, data.criteria),
            can_export=True,
            export_query=_export_query(request),
        )
    return render_page(request, "scorecards/heatmap.html", context, partial="results")


def _export_query(request: HttpRequest) -> str:
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("export", None)
    return str(kept.urlencode())


RANKING_COLUMNS = (
    Column("Rank", lambda c: c.rank),
    Column("Relationship", lambda c: c.relationship.organization.display_name),
    Column("Side", lambda c: c.relationship.side),
    Column("Owner", lambda c: person_name(c.relationship.owner)),
    Column("Period", lambda c: c.period.label),
    Column("Score", lambda c: c.score),
    Column("Standing", lambda c: c.standing),
)


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponseBase:
    templates, template, period = choose_period(request)
    context: dict[str, Any] = {
        "title": "Scorecard ranking",
        "templates": templates,
        "template": template,
        "period": period,
        **filter_context(request, template),
    }
    if period is not None:
        cards = selectors.ranking(
            user=request.user, period=period, filters=query_filters(request.GET)
        )
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return export_response(
                cards, RANKING_COLUMNS, filename="scorecard-ranking", file_format=export
            )
        page = paginate(request, cards)
        context.update(
            page=page,
            rows=page.object_list,
            can_export=True,
            export_query=_export_query(request),
        )
    return render_page(request, "scorecards/ranking.html", context, partial="results")


def heatmap_url(**params: Any) -> str:
    from urllib.parse import urlencode

    return reverse("scorecards:heatmap") + ("?" + urlencode(params) if params else "")
