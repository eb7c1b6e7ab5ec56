"""What every spend analytics page shares: who may open it, the period and filters it reads from
the query string, the links from a total down to its lines, and the export switch.

A page is an adapter: it reads a ``SpendQuery`` (scope from the access policy, period, filters),
asks ``steward.spend.analytics`` for figures, names the ids it got in one query per kind
(``analytics_names``) and renders. Bad query parameters give the page back with a message that
names the parameter (status 400), never a server error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.core.access import principal_for
from steward.core.charts import chart_page
from steward.core.errors import DomainError
from steward.core.ui import render_page
from steward.people.choices import Function
from steward.spend.analytics.period import Filters, Period
from steward.spend.money import base_currency, from_cents, month_label
from steward.spend.scope import SpendScope, scope_for

EXPORT_FORMATS = ("csv", "xlsx")
# The query parameters the pages read; anything else is left alone (htmx adds its own).
QUERY_KEYS = ("year", "from", "to", "supplier", "category", "contract", "cost_center", "maverick")

# The pages of the sub-navigation: (url name, label, needs cost-center scope).
PAGES = (
    ("spend:overview", "Overview", False),
    ("spend:pareto", "Pareto", False),
    ("spend:concentration", "Concentration", False),
    ("spend:maverick", "Maverick spend", False),
    ("spend:utilization", "Contract utilization", False),
    ("spend:price-variance", "Price variance", False),
    ("spend:cost-centers", "Cost centers", True),
    ("spend:cube", "Cube", False),
    ("spend:lines", "Lines", False),
)


@dataclass(frozen=True)
class SpendQuery:
    """Whose spend (the scope), which months and which slice a page shows."""

    scope: SpendScope  # the user's scope narrowed to the vendors the filters name
    period: Period
    filters: Filters
    visible: SpendScope  # the user's whole scope (for the filter choices)
    file_format: str = ""

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this period and these filters, with ``changes`` applied.

        A change of ``None`` removes the parameter; ``month=yyyymm`` narrows the period to one
        month.
        """
        params: dict[str, str] = {
            "from": month_param(self.period.first),
            "to": month_param(self.period.last),
        }
        filters = self.filters
        for key, values in (
            ("supplier", filters.suppliers),
            ("category", filters.categories),
            ("contract", filters.contracts),
            ("cost_center", filters.cost_centers),
        ):
            if values:
                params[key] = ",".join(str(value) for value in values)
        if filters.maverick is not None:
            params["maverick"] = "1" if filters.maverick else "0"
        month = changes.pop("month", None)
        if month is not None:
            params["from"] = params["to"] = month_param(int(month))
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return params

    def query_string(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))


def period_label(period: Period) -> str:
    first, last = month_label(period.first), month_label(period.last)
    return first if first == last else f"{first} to {last}"


def month_param(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def require_internal(request: HttpRequest) -> None:
    """Spend is for people inside the organization; portal users are refused."""
    if not principal_for(request.user).is_internal:
        raise PermissionDenied("Spend analysis is for internal users.")


def read_query(request: HttpRequest) -> SpendQuery:
    """The scope, period, filters and export format the request asks for.

    Raises ``DomainError`` naming the bad parameter. A vendor filter narrows the scope itself,
    so a vendor outside the user's scope yields nothing rather than everything.
    """
    scope = scope_for(request.user)
    params = request.GET
    period = Period.from_params(params, timezone.localdate())
    filters = Filters.from_params(params)
    if filters.cost_centers and not scope.cost_centers:
        raise DomainError(
            "Spend by cost center is shown to finance, administrators and auditors only.",
            field="cost_center",
        )
    file_format = params.get("format") or params.get("export") or ""
    if file_format and file_format not in EXPORT_FORMATS:
        raise DomainError("Export as format=csv or format=xlsx.", field="format")
    return SpendQuery(
        scope=narrowed(scope, filters),
        period=period,
        filters=filters,
        visible=scope,
        file_format=file_format,
    )


def narrowed(scope: SpendScope, filters: Filters) -> SpendScope:
    if not filters.suppliers:
        return scope
    wanted = frozenset(filters.suppliers)
    visible = wanted if scope.supplier_ids is None else scope.supplier_ids & wanted
    return replace(scope, supplier_ids=visible)


def lines_url(query: SpendQuery, **dims: Any) -> str | None:
    """The drill-down to the lines behind a total: the page's period and filters plus ``dims``
    (``supplier``, ``category``, ``contract``, ``cost_center``, ``month``, ``maverick``).

    A total of lines without a contract drills with ``maverick=1``; a total of lines without a
    category or cost center has no filter that selects exactly its lines, so it has no link.
    """
    changes: dict[str, Any] = {}
    for key, value in dims.items():
        if value is None:
            if key == "contract":
                changes["maverick"] = "1"
                changes["contract"] = None
                continue
            if key in ("category", "cost_center"):
                return None
        changes[key] = value
    return reverse("spend:lines") + "?" + query.query_string(**changes)


def money(cents: int | None) -> Decimal:
    """Cents of the base currency as an amount (two decimals)."""
    return from_cents(cents)


def change_percent(now_cents: int, before_cents: int) -> Decimal | None:
    """The change from ``before`` to ``now`` in percent (one decimal); None without a base."""
    if before_cents <= 0:
        return None
    change = Decimal(now_cents - before_cents) * 100 / Decimal(before_cents)
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share_percent(part_cents: int, total_cents: int) -> Decimal:
    """``part`` of ``total`` in percent, two decimals, as the analytics give shares."""
    if total_cents <= 0:
        return Decimal("0.00")
    share = Decimal(part_cents) * 100 / Decimal(total_cents)
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _optional_link(name: str) -> str:
    """The URL of a page another part of spend provides, or "" while it does not exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def subnav_context(
    request: HttpRequest, *, page: str = "", scope: SpendScope | None = None, nav_query: str = ""
) -> dict[str, Any]:
    """What ``spend/_subnav.html`` needs; other spend pages (imports, reference data) may merge
    it into their context to show the same navigation, with ``page`` the current url name."""
    scope = scope if scope is not None else scope_for(request.user)
    principal = principal_for(request.user)
    may_import = principal.is_admin or principal.function == Function.FINANCE
    return {
        "spend_page": page,
        "spend_pages": [
            (name, label) for name, label, needs_cc in PAGES if scope.cost_centers or not needs_cc
        ],
        "nav_query": nav_query,
        "imports_url": _optional_link("spend:import-list") if may_import else "",
        "reference_url": _optional_link("spend:source-list"),
    }


def base_context(request: HttpRequest, query: SpendQuery | None, *, page: str) -> dict[str, Any]:
    """What the page frame needs: the sub-navigation, the period, the export links."""
    kept = request.GET.copy()
    for name in ("page", "format", "export"):
        kept.pop(name, None)
    filters = query.filters if query else Filters()
    return {
        **subnav_context(
            request,
            page=page,
            scope=query.visible if query else None,
            nav_query=query.query_string() if query else "",
        ),
        "query": query,
        "period_label": query.period_label if query else "",
        "period_from": _given(request, "from"),
        "period_to": _given(request, "to"),
        "period_year": _given(request, "year"),
        "period_placeholder": (
            (month_param(query.period.first), month_param(query.period.last)) if query else ("", "")
        ),
        "years": _years(),
        "selected": {
            "suppliers": [str(pk) for pk in filters.suppliers],
            "categories": [str(pk) for pk in filters.categories],
            "contracts": [str(pk) for pk in filters.contracts],
            "maverick": "" if filters.maverick is None else ("1" if filters.maverick else "0"),
        },
        "currency": base_currency(),
        "params": request.GET,
        "export_query": kept.urlencode(),
        "can_export": query is not None,
    }


def _given(request: HttpRequest, name: str) -> str:
    return str(request.GET.get(name, ""))[:20]


def _years(count: int = 6) -> list[str]:
    this_year = timezone.localdate().year
    return [str(this_year - index) for index in range(count)]


PageView = Callable[[HttpRequest, SpendQuery], HttpResponseBase]


def spend_page(
    *, page: str, title: str, template: str, chart: bool = False
) -> Callable[[PageView], Callable[..., HttpResponseBase]]:
    """Make ``view(request, query)`` a spend page: signed in, internal only, GET only; a
    ``DomainError`` from the query (or the figures) renders ``template``'s frame with the
    message and status 400."""

    def decorate(view: PageView) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponseBase:
            require_internal(request)
            try:
                query = read_query(request)
                return view(request, query)
            except DomainError as error:
                return invalid_page(request, error, page=page, title=title, template=template)

        guarded = login_required(require_GET(wrapped))
        return chart_page(guarded) if chart else guarded

    return decorate


def invalid_page(
    request: HttpRequest, error: DomainError, *, page: str, title: str, template: str
) -> HttpResponse:
    context = {
        **base_context(request, None, page=page),
        "title": title,
        "error": error.message,
        "error_field": error.field or "",
    }
    return render_page(request, template, context, status=400)


def render_spend(
    request: HttpRequest,
    query: SpendQuery,
    template: str,
    context: Mapping[str, Any],
    *,
    page: str,
    title: str,
) -> HttpResponse:
    full = {**base_context(request, query, page=page), "title": title, **context}
    return render_page(request, template, full, partial="results")
