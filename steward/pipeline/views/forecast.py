"""The forecast page (per owner, team or everything visible, over any period) and the
calibration table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from steward.core.charts import chart_page
from steward.core.errors import DomainError
from steward.core.ui import inside_only, render_page
from steward.pipeline import charts, selectors
from steward.pipeline.calibration import MINIMUM_SAMPLE, WINDOW_MONTHS, calibration_table
from steward.pipeline.forecast import MAX_PERIOD_DAYS, period_around
from steward.pipeline.forms import ForecastForm
from steward.spend.money import base_currency
from steward.spend.services.reference_checks import currency_code


@chart_page
@login_required
def forecast_page(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    user = request.user
    form = ForecastForm(request.GET or None, owners=selectors.owner_choices(user=user))
    data = form.cleaned_data if form.is_valid() else {}
    error = ""
    result = None
    start, end = period_around(
        data.get("on") or timezone.localdate(), data.get("period") or "quarter"
    )
    if data.get("start") and data.get("end"):
        start, end = data["start"], data["end"]
    who = data.get("who") or "mine"
    owner_ids: list[int] | None
    if data.get("owner") is not None:
        owner_ids = [data["owner"].pk]
    elif who == "team":
        owner_ids = selectors.team_owner_ids(user)
    elif who == "all":
        owner_ids = None
    else:
        owner_ids = [int(user.pk or 0)]
    try:
        if end < start or (end - start).days > MAX_PERIOD_DAYS:
            raise DomainError("Choose a period whose end follows its start, at most ten years.")
        currency = currency_code(data.get("currency") or base_currency(), field="currency")
        result = selectors.forecast(
            user=user, owner_ids=owner_ids, start=start, end=end, currency=currency
        )
    except DomainError as refusal:
        error = refusal.message
    context = {
        "title": "Forecast",
        "form": form,
        "result": result,
        "error": error,
        "start": start,
        "end": end,
        "chart": charts.forecast_chart(result) if result and result.by_month else None,
    }
    return render_page(request, "pipeline/forecast.html", context)


@login_required
def calibration_page(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    context = {
        "title": "Stage probabilities",
        "rows": calibration_table(),
        "minimum": MINIMUM_SAMPLE,
        "months": WINDOW_MONTHS,
    }
    return render_page(request, "pipeline/calibration.html", context)
