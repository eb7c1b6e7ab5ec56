"""Kernel views: health check and the error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from steward.core import registry


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and its database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You may not do this."
    return _error(request, 403, "Not allowed", message)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "Not found", "There is nothing here, or it is not shared with you.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "Something went wrong", "The error was logged. Please try again.")


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One box that finds organizations, people, contacts and relationships the user may see."""
    query = request.GET.get("q", "").strip()[:100]
    results = registry.search(request.user, query, limit=10) if len(query) >= 2 else {}
    context = {"query": query, "results": results, "title": "Search"}
    return render(request, "core/search.html", context)
