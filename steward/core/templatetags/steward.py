"""Template helpers: sortable headers, filter links and badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: Any, key: str, label: str) -> str:
    """A column header that sorts by ``key``; a second click reverses; aria-sort tells which."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["ordering"], state, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        params["ordering"], state, arrow = key, "descending", "▼"
    else:
        params["ordering"], state, arrow = key, "none", ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}" class="sort-link" hx-get="?{}" '
        'hx-target="#results" hx-push-url="true">{}<span aria-hidden="true"> {}</span></a></th>',
        state,
        params.urlencode(),
        params.urlencode(),
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def page_url(context: Any, number: int) -> str:
    params: QueryDict = context["request"].GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


STATUS_STYLES = {
    "active": "success",
    "prospect": "info",
    "under_review": "warning",
    "inactive": "secondary",
    "archived": "secondary",
}


@register.simple_tag
def status_badge(value: str, label: str) -> str:
    style = STATUS_STYLES.get(value, "light")
    return format_html('<span class="badge text-bg-{}">{}</span>', style, label)
