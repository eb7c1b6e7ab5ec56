"""Kernel views: health check, error pages, search and your notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steward.core import notifications, registry
from steward.core.models import Notification
from steward.core.ui import paginate


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


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Your alerts, newest first; ``?unread=1`` shows the unread ones only."""
    unread_only = request.GET.get("unread") == "1"
    rows = notifications.notification_list(user=request.user, unread_only=unread_only)
    context = {
        "title": "Notifications",
        "page": paginate(request, rows),
        "unread_only": unread_only,
        "unread": notifications.unread_count(user=request.user),
    }
    return render(request, "core/notifications.html", context)


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark the chosen notifications read (all of them when none is chosen)."""
    try:
        ids = [int(value) for value in request.POST.getlist("id")] or None
    except ValueError:
        return bad_request(request)
    marked = notifications.notifications_mark_read(user=request.user, ids=ids)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return HttpResponseRedirect(reverse("notifications-page"))


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    try:
        notification = notifications.notification_get(user=request.user, pk=pk)
    except Notification.DoesNotExist as missing:
        raise Http404 from missing
    notifications.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return HttpResponseRedirect(target if target and safe else reverse("notifications-page"))
