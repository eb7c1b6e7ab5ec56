"""The accountability dashboard page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from steward.core.ui import inside_only, render_page
from steward.quotas.accountability import accountability


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    board = accountability(user=request.user, today=timezone.localdate())
    return render_page(
        request, "quotas/accountability.html", {"title": "Accountability", "board": board}
    )
