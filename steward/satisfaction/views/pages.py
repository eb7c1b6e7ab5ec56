"""The overview, the survey link pages, warnings, who-haven't-I-met and the standard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from steward.core.access import Action, allows, can_create
from steward.core.charts import base_layout, chart_context, chart_page
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, inside_only, run_form_service
from steward.satisfaction import selectors
from steward.satisfaction.forms import (
    CadenceForm,
    StandardForm,
    SurveyAnswerForm,
    SurveySendForm,
)
from steward.satisfaction.models import SurveyRequest
from steward.satisfaction.services.requests import (
    LinkUnusable,
    survey_answer,
    survey_request_for_token,
    survey_request_send,
)
from steward.satisfaction.services.standard import cadence_update, standard_update
from steward.satisfaction.tallies import Tally, tallies_by_quarter


def _day(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return default


def trend_chart(quarters: dict[dt.date, Tally], *, chart_id: str) -> dict[str, Any] | None:
    """NPS and CSAT % by quarter, each point labelled with its response count."""
    if not quarters:
        return None
    labels = [f"{q.year} Q{(q.month - 1) // 3 + 1}" for q in quarters]
    nps = [t.nps.score for t in quarters.values()]
    csat = [t.csat.pct for t in quarters.values()]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[float(v) if v is not None else None for v in nps],
            name="NPS",
            mode="lines+markers",
            text=[f"{t.nps.count} responses" for t in quarters.values()],
        )
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[float(v) if v is not None else None for v in csat],
            name="CSAT %",
            mode="lines+markers",
            text=[f"{t.csat.count} responses" for t in quarters.values()],
        )
    )
    figure.update_layout(**base_layout(height=320, yaxis={"range": [-100, 100]}))
    return chart_context(
        figure,
        chart_id=chart_id,
        label="NPS and CSAT by quarter",
        description="The table below gives the same figures.",
    )


@chart_page
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    today = timezone.localdate()
    end = _day(request.GET.get("until"), today)
    start = _day(request.GET.get("since"), end - relativedelta(years=1) + dt.timedelta(days=1))
    by = "owner" if request.GET.get("by") == "owner" else "account"
    rows, overall = selectors.summary(user=request.user, start=start, end=end, by=by)
    owner = request.GET.get("owner")
    if by == "account" and owner and owner.isdigit():
        rows = [r for r in rows if r.key.owner_id == int(owner)]
    account_ids = selectors.account_list(user=request.user).values("pk")
    quarters = tallies_by_quarter(account_ids, start, end)
    judged = selectors.standard_judgement(
        [r.key.pk for r in rows] if by == "account" else [], today
    )
    for row in rows:
        row.meets = judged.get(row.key.pk) if by == "account" else None
    context = {
        "rows": rows,
        "overall": overall,
        "by": by,
        "since": start,
        "until": end,
        "quarters": quarters,
        "chart": trend_chart(quarters, chart_id="satisfaction-trend"),
        "standard": selectors.standard_for(user=request.user),
    }
    return render(request, "satisfaction/overview.html", context)


@login_required
def survey_send(request: HttpRequest, account_pk: int) -> HttpResponse:
    user = request.user
    account = selectors.account_get(user=user, pk=account_pk, action=Action.CHANGE)
    if not can_create(user, SurveyRequest, parent=account):
        raise PermissionDenied("You may not send surveys on this account.")
    form = SurveySendForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_request_send(
                actor=user,
                relationship=account,
                contact=data["contact"],
                kinds=data["kinds"],
                expires_in_days=data["expires_in_days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Survey sent to {data['contact'].email}.")
            return HttpResponseRedirect(
                reverse("accounts:account-detail", args=[account.pk]) + "?tab=health"
            )
    context = {
        "form": form,
        "account": account,
        "title": f"Send a survey to {account.organization}",
    }
    return render(request, "satisfaction/form.html", context)


@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page: no sign-in, reached by the link's token only."""
    try:
        survey = survey_request_for_token(token)
    except LinkUnusable as error:
        status = 410 if error.gone else 404
        return render(
            request, "satisfaction/survey_unusable.html", {"message": error.message}, status=status
        )
    organization = survey.relationship.organization.display_name
    form = SurveyAnswerForm(request.POST or None, kinds=survey.kinds, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_answer(
                token=token,
                scores={kind: data.get(kind) for kind in survey.kinds},
                comment=data.get("comment", ""),
            )
        except LinkUnusable as error:
            status = 410 if error.gone else 404
            return render(
                request,
                "satisfaction/survey_unusable.html",
                {"message": error.message},
                status=status,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return render(
                request, "satisfaction/survey_thanks.html", {"organization": organization}
            )
    context = {"form": form, "organization": organization}
    return render(request, "satisfaction/survey_public.html", context)


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    ids = list(selectors.account_list(user=request.user).values_list("pk", flat=True))
    found = selectors.warnings_for(ids)
    kind = request.GET.get("kind", "")
    if kind in selectors.WARNING_KINDS:
        found = [w for w in found if w.kind == kind]
    context = {"warnings": found, "kinds": selectors.WARNING_KINDS, "kind": kind}
    return render(request, "satisfaction/warnings.html", context)


@login_required
def not_met(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    rows = selectors.not_met(user=request.user)
    context = {"rows": rows, "cadence": selectors.cadence_list(user=request.user)}
    return render(request, "satisfaction/not_met.html", context)


@login_required
def standard(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    record = selectors.standard_for(user=request.user)
    can_change = allows(request.user, Action.CHANGE, record)
    form = StandardForm(request.POST or None, instance=record)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only administrators change the standard.")
        if form.is_valid():
            done = run_form_service(
                request,
                form,
                lambda: standard_update(
                    actor=request.user,
                    standard=record,
                    expected_version=form.cleaned_data.get("version") or 0,
                    **form.changes(),
                ),
                success_message="Standard saved.",
                success_url=lambda _: reverse("satisfaction:standard"),
            )
            if done is not None:
                return done
    return _standard_page(request, form=form, record=record)


def _standard_page(
    request: HttpRequest,
    *,
    form: StandardForm | None = None,
    record: Any = None,
    failed: tuple[int, CadenceForm] | None = None,
) -> HttpResponse:
    """The standard and the cadence table, each tier's row with its own small form for those
    who may change it (``failed``: a tier's refused form, shown with its errors)."""
    record = record or selectors.standard_for(user=request.user)
    rows = []
    for cadence in selectors.cadence_list(user=request.user).order_by("tier"):
        cadence_form = None
        if allows(request.user, Action.CHANGE, cadence):
            if failed and failed[0] == cadence.pk:
                cadence_form = failed[1]
            else:
                initial = {"days": cadence.days, "version": cadence.version}
                cadence_form = CadenceForm(initial=initial, prefix=f"cadence-{cadence.pk}")
        rows.append((cadence, cadence_form))
    context = {
        "form": form or StandardForm(instance=record),
        "object": record,
        "can_change": allows(request.user, Action.CHANGE, record),
        "cadence_rows": rows,
    }
    return render(request, "satisfaction/standard.html", context)


@require_http_methods(["POST"])
@login_required
def cadence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    cadence = selectors.cadence_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = CadenceForm(request.POST, prefix=f"cadence-{cadence.pk}")
    if form.is_valid():
        done = run_form_service(
            request,
            form,
            lambda: cadence_update(
                actor=request.user,
                cadence=cadence,
                expected_version=form.cleaned_data.get("version") or 0,
                days=form.cleaned_data["days"],
            ),
            success_message=f"{cadence.get_tier_display()}: meet every "
            f"{form.cleaned_data['days']} days.",
            success_url=lambda _: reverse("satisfaction:standard"),
        )
        if done is not None:
            return done
    return _standard_page(request, failed=(cadence.pk, form))
