from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import plotly.graph_objects as go
from csp.middleware import CSPMiddleware
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from steward.core.charts import (
    PLOTLY_STATIC_PATH,
    PlotlyFinder,
    base_layout,
    chart_context,
    chart_page,
    figure_data,
    plain_text,
)


def timeline() -> go.Figure:
    return go.Figure(
        go.Bar(
            orientation="h",
            y=["Aurora Metals"],
            base=[dt.date(2025, 1, 1)],
            x=[86_400_000 * 30],
            customdata=[["/initiatives/1/"]],
        ),
        layout=base_layout(height=200),
    )


def test_figure_data_is_plain_json_with_dates_as_text() -> None:
    # given a figure with a date and a click-through URL
    # when it is turned into data for the page
    data = figure_data(timeline())
    # then it survives a JSON round trip and plotly.js reads the date as ISO text
    assert json.loads(json.dumps(data)) == data
    assert data["data"][0]["base"] == ["2025-01-01"]
    assert data["data"][0]["customdata"] == [["/initiatives/1/"]]
    assert data["layout"]["height"] == 200


def test_chart_context_merges_config_over_the_defaults() -> None:
    chart = chart_context(
        timeline(), chart_id="roadmap", label="Roadmap", config={"scrollZoom": True}
    )
    assert chart["id"] == "roadmap"
    assert chart["data_id"] == "roadmap-data"
    assert chart["payload"]["config"] == {
        "responsive": True,
        "displaylogo": False,
        "scrollZoom": True,
    }


def test_base_layout_overrides_win() -> None:
    layout = base_layout(height=320, margin={"l": 0})
    assert layout["height"] == 320
    assert layout["margin"] == {"l": 0}
    assert layout["paper_bgcolor"] == "rgba(0,0,0,0)"


def test_chart_template_puts_the_figure_in_json_script_and_no_inline_code() -> None:
    # given a chart context
    chart = chart_context(timeline(), chart_id="roadmap", label="Roadmap", description="See table")
    # when the include renders
    html = render_to_string("includes/chart.html", {"chart": chart})
    # then the figure travels as JSON data, scripts only by src, and plotly.js is local
    assert '<script id="roadmap-data" type="application/json">' in html
    assert 'data-chart="roadmap-data"' in html
    assert 'aria-label="Roadmap"' in html
    assert f"/static/{PLOTLY_STATIC_PATH}" in html
    assert html.count("<script") == 2
    assert '<script src="/static/steward/charts.js" defer></script>' in html


def test_a_figure_cannot_break_out_of_its_json_script() -> None:
    figure = go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))
    html = render_to_string(
        "includes/chart.html", {"chart": chart_context(figure, chart_id="c", label="c")}
    )
    assert "<script>alert" not in html


def test_the_finder_serves_plotly_min_js_and_nothing_else_of_the_package() -> None:
    # given the project's static files finders
    # when plotly's files are asked for
    found = finders.find(PLOTLY_STATIC_PATH)
    # then only plotly.min.js is found, from the installed package
    assert found is not None
    assert Path(found).name == "plotly.min.js"
    assert Path(found).parent.name == "package_data"
    assert finders.find("vendor/plotly/widgetbundle.js") is None
    assert finders.find("vendor/plotly/datasets/iris.csv.gz") is None
    listed = list(PlotlyFinder().list(None))
    assert [(path, storage.prefix) for path, storage in listed] == [
        ("plotly.min.js", "vendor/plotly")
    ]
    assert PlotlyFinder().find(PLOTLY_STATIC_PATH, find_all=True) == [found]
    assert PlotlyFinder().check() == []


def test_chart_page_allows_inline_styles_only_on_the_decorated_page() -> None:
    # given a plain page and a chart page behind the CSP middleware
    def plain(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def header(view: object) -> str:
        middleware = CSPMiddleware(view)
        request = RequestFactory().get("/")
        middleware.process_request(request)
        response = view(request)  # type: ignore[operator]
        return str(middleware.process_response(request, response)["Content-Security-Policy"])

    # when each answers
    plain_policy = header(plain)
    chart_policy = header(chart_page(plain))
    # then only the chart page may use inline styles, and scripts stay strict on both
    assert "'unsafe-inline'" not in plain_policy
    style = next(part for part in chart_policy.split(";") if "style-src" in part)
    assert "'unsafe-inline'" in style
    script = next(part for part in chart_policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script


def test_plain_text_keeps_typed_markup_from_plotly() -> None:
    assert plain_text('<a href="javascript:x">Acme</a> & Co') == (
        '&lt;a href="javascript:x"&gt;Acme&lt;/a&gt; &amp; Co'
    )
