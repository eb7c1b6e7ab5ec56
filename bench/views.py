"""Two deliberately naive views: the floor the organization page and API are measured against.

They read the same 50 organizations (the first page in display-name order) with a plain
queryset: model instances through a minimal template, or ``values()`` through JsonResponse. No
access policy, no login, no context processors, no caching; the middleware is Steward's own.
That is what a bare Django view costs on this machine, in the same run, for the same rows.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from steward.parties.models import Organization

ROWS = 50


def _first_page() -> QuerySet[Organization]:
    return Organization.objects.filter(archived_at__isnull=True).order_by("display_name", "pk")[
        :ROWS
    ]


def baseline_page(request: HttpRequest) -> HttpResponse:
    html = render_to_string("bench/organizations.html", {"organizations": _first_page()})
    return HttpResponse(html)


def baseline_json(request: HttpRequest) -> JsonResponse:
    columns = ("id", "display_name", "legal_name", "tax_id", "country", "industry")
    rows = list(_first_page().values(*columns, "parent_id", "owner_id", "updated_at"))
    return JsonResponse({"count": len(rows), "results": rows})
