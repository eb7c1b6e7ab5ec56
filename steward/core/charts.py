"""Charts: figures built with the ``plotly`` package, drawn in the page by plotly.js.

A page builds a figure, hands it to the template and includes the chart template::

    @chart_page
    @login_required
    def roadmap(request):
        fig = go.Figure(go.Bar(..., customdata=[[row["url"]] for row in rows]))  # click-through
        fig.update_layout(**base_layout(height=400))
        context = {"chart": chart_context(fig, chart_id="roadmap", label="Sourcing roadmap")}
        return render(request, "plans/roadmap.html", context)

    {% include "includes/chart.html" with chart=chart %}

Build figures with ``plotly.graph_objects``: ``plotly.express`` needs numpy, which Steward
does not install. The CSP is the one of the page first loaded, so a page whose tabs or
results htmx may swap a chart into must be a ``chart_page`` as a whole.

The figure travels as JSON in a ``json_script`` element (no inline script, so the CSP holds);
``steward/charts.js`` finds ``[data-chart]`` containers, loads plotly.js once when a page has
one and draws it, also in content htmx swaps in. A point whose ``customdata`` is a local URL
(or a list starting with one) opens that URL when clicked. Text people typed goes through
``plain_text`` before it becomes a label. plotly.js is served from the installed plotly
package by ``PlotlyFinder`` below, never from a CDN.

A chart is not readable by everyone: pages show the same data as a table or list too.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly/plotly.min.js"

# The palette the charts share, readable on white and distinct for the common colour-blindnesses.
PALETTE = ("#0b6e99", "#d9822b", "#2e8540", "#8e44ad", "#c0392b", "#7f8c8d", "#b7950b")
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
DEFAULT_CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False}

_View = TypeVar("_View", bound=Callable[..., Any])


def chart_page(view: _View) -> _View:
    """Let a page that draws a chart use inline styles.

    plotly.js styles its drawing through a generated ``<style>`` element and ``style``
    attributes, which ``style-src 'self'`` refuses; only chart pages relax it, scripts stay strict.
    """
    return cast("_View", csp_update({"style-src": [SELF, UNSAFE_INLINE]})(view))


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Layout settings every Steward chart shares; ``overrides`` win."""
    layout: dict[str, Any] = {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#212529"},
        "colorway": list(PALETTE),
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }
    layout.update(overrides)
    return layout


def plain_text(value: Any) -> str:
    """``value`` as text plotly.js shows literally.

    plotly.js reads a few HTML tags (``<b>``, ``<br>``, ``<a href>``) in labels, hover text
    and tick labels; names people typed go through this first so they cannot add markup.
    """
    return html.escape(str(value), quote=False)


def figure_data(figure: Any) -> dict[str, Any]:
    """The figure as plain JSON data (``data`` and ``layout``), ready for ``json_script``.

    Plotly's own encoder turns dates, decimals and numpy arrays into what plotly.js reads.
    """
    data: dict[str, Any] = json.loads(figure.to_json())
    return {"data": data.get("data", []), "layout": data.get("layout", {})}


def chart_context(
    figure: Any,
    *,
    chart_id: str,
    label: str,
    description: str = "",
    config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What ``includes/chart.html`` needs to draw ``figure``.

    ``chart_id`` must be unique on the page (it names the container and its JSON element);
    ``label`` is what assistive technology announces for the drawing and ``description``
    says where the same data can be read as text (usually the table beside the chart);
    ``config`` adds plotly.js options to the defaults (responsive, no logo).
    """
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "label": label,
        "description": description,
        "payload": {**figure_data(figure), "config": {**DEFAULT_CONFIG, **(config or {})}},
    }


def _plotly_js() -> Path:
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


class PlotlyFinder(BaseFinder):
    """Serves the one file of the plotly package pages need, plotly.min.js, at
    ``vendor/plotly/plotly.min.js``; the rest of the package (data sets, widget bundle) stays out.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = _plotly_js()
        prefix, _, self.name = PLOTLY_STATIC_PATH.rpartition("/")
        self.storage = FileSystemStorage(location=self.source.parent)
        self.storage.prefix = prefix  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[Any]:
        from django.core.checks import Error

        if self.source.is_file():
            return []
        return [Error(f"plotly.min.js is missing from the plotly package ({self.source}).")]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != PLOTLY_STATIC_PATH or not self.source.is_file():
            return []  # Django's finders answer "nothing" with an empty list either way
        found = str(self.source)
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        if self.source.is_file():
            yield self.name, self.storage
