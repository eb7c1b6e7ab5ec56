"""Attainment (mine, a report's, my team's), the quota list, and setting quotas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import Action, principal_for
from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, inside_only, render_page
from steward.quotas import figures, selectors, services
from steward.quotas.forms import QuotaForm
from steward.quotas.views.common import form_page, import_page

QUOTA_COLUMNS = (
    Column("Person", lambda q: person_name(q.person)),
    Column("Username", lambda q: q.person.get_username()),
    Column("Starts", lambda q: q.starts_on),
    Column("Ends", lambda q: q.ends_on),
    Column("Currency", lambda q: q.currency),
    Column("Sales target", lambda q: q.sales_target),
    Column("Gross-profit target", lambda q: q.margin_target),
    Column("Notes", lambda q: q.notes),
)


def _person_for(request: HttpRequest) -> Any:
    """Whose attainment is shown: ``?person=`` if the user may see them, else the user."""
    raw = request.GET.get("person", "")
    if not raw:
        return request.user
    visible = selectors.visible_people_ids(user=request.user)
    if not raw.isdigit() or int(raw) not in visible:
        raise Http404
    return selectors.people(ids=[int(raw)]).get()


def _pace_chart(found: figures.QuotaFigures) -> dict[str, Any]:
    points = figures.cumulative_bookings(found)
    quota = found.quota
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in points],
            y=[p[1] for p in points],
            mode="lines+markers",
            line={"shape": "hv"},
            name="Bookings to date",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[quota.starts_on, quota.ends_on],
            y=[quota.sales_target / found.period_days, quota.sales_target],
            mode="lines",
            line={"dash": "dash"},
            name="Prorated target",
        )
    )
    fig.update_layout(**base_layout(height=320, yaxis={"title": quota.currency}))
    return chart_context(
        fig,
        chart_id="pace",
        label="Cumulative bookings against the prorated target",
        description="The table above gives the same figures.",
    )


@chart_page
@login_required
def attainment(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    person = _person_for(request)
    today = timezone.localdate()
    quotas = list(
        selectors.quota_list(user=request.user)
        .filter(person=person, archived_at__isnull=True)
        .order_by("-starts_on")[:8]
    )
    found = figures.quota_figures(quotas, today)
    current = next((f for f in found if f.quota.starts_on <= today <= f.quota.ends_on), None)
    context = {
        "title": "My attainment"
        if person.pk == request.user.pk
        else f"Attainment of {person_name(person)}",
        "person": person,
        "figures": found,
        "current": current,
        "chart": _pace_chart(current) if current else None,
        "may_set": services.may_set_quota(request.user, person),
        "has_team": bool(principal_for(request.user).report_ids),
    }
    return render_page(request, "quotas/attainment.html", context)


@chart_page
@login_required
def team(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    principal = principal_for(request.user)
    today = timezone.localdate()
    raw = request.GET.get("on", "")
    try:
        on = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        on = today
    reports = selectors.people(ids=sorted(principal.report_ids))
    roll_up = figures.team_roll_up(list(reports), on)
    chart = None
    if roll_up.rows:
        names = [plain_text(person_name(row.person)) for row in roll_up.rows]
        fig = go.Figure()
        fig.add_trace(
            go.Bar(x=names, y=[row.sales_target for row in roll_up.rows], name="Sales target")
        )
        fig.add_trace(
            go.Bar(x=names, y=[row.sales_prorated for row in roll_up.rows], name="Prorated to date")
        )
        fig.add_trace(go.Bar(x=names, y=[row.bookings for row in roll_up.rows], name="Bookings"))
        fig.update_layout(
            **base_layout(height=340, barmode="group", yaxis={"title": roll_up.currency})
        )
        chart = chart_context(
            fig,
            chart_id="team-attainment",
            label="Attainment per person against target",
            description="The table gives the same figures.",
        )
    context = {"title": "My team's attainment", "roll_up": roll_up, "chart": chart, "on": on}
    context |= _team_retention(request.user, roll_up, on)
    return render_page(request, "quotas/team.html", context)


def _team_retention(user: Any, roll_up: figures.TeamRollUp, on: dt.date) -> dict[str, Any]:
    """Revenue retention of each report's accounts over the 12 full months before ``on``."""
    people: list[Any] = [row.person for row in roll_up.rows]
    if not people:
        return {}
    periods = figures.retention_periods(*figures.last_full_months(on))
    pairs = (
        selectors.account_list(user=user)
        .filter(owner_id__in=[person.pk for person in people])
        .values_list("pk", "owner_id")
    )
    by_owner, together = figures.retention_by_owner(pairs, periods)
    rows = [(person, by_owner.get(person.pk)) for person in people]
    return {"retention_periods": periods, "retention_rows": rows, "retention_total": together}


class QuotaListPage(ListPage):
    template_name = "quotas/quota_list.html"
    filterset_selector = selectors.quota_filterset
    export_columns = QUOTA_COLUMNS
    export_name = "quotas"
    title = "Quotas"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        ids = selectors.visible_people_ids(user=self.request.user)
        return {
            "people": selectors.people(ids=ids),
            "may_set": selectors.report_choices(user=self.request.user).exists(),
        }


@login_required
def quota_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    people = selectors.report_choices(user=request.user)
    if not people.exists():
        raise PermissionDenied("Only managers set quotas, for their reports.")
    form = QuotaForm(request.POST or None, people=people, initial=request.GET.dict() or None)
    return form_page(
        request,
        form,
        lambda: services.quota_set(
            actor=request.user,
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
        ),
        template="quotas/quota_form.html",
        context={"title": "Set a quota"},
        success_message="Quota set.",
        success_url=reverse("quotas:quota-list"),
    )


@login_required
def quota_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    quota = selectors.quota_get(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {
        name: getattr(quota, name)
        for name in (
            "starts_on",
            "ends_on",
            "currency",
            "sales_target",
            "margin_target",
            "notes",
            "version",
        )
    }
    form = QuotaForm(
        request.POST or None,
        people=selectors.report_choices(user=request.user),
        editing=True,
        initial=initial,
    )
    return form_page(
        request,
        form,
        lambda: services.quota_update(
            actor=request.user,
            quota=quota,
            expected_version=form.cleaned_data.get("version") or quota.version,
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
        ),
        template="quotas/quota_form.html",
        context={"title": f"Quota of {person_name(quota.person)}", "quota": quota},
        success_message="Quota saved.",
        success_url=reverse("quotas:quota-list"),
    )


@require_POST
@login_required
def quota_archive(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    quota = selectors.quota_get(user=request.user, pk=pk, action=Action.DELETE)
    services.quota_archive(actor=request.user, quota=quota)
    messages.success(request, "Quota archived.")
    return HttpResponseRedirect(reverse("quotas:quota-list"))


@login_required
def quota_import(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not selectors.report_choices(user=request.user).exists():
        raise PermissionDenied("Only managers import quotas, for their reports.")
    return import_page(
        request,
        lambda upload: services.quotas_import(actor=request.user, upload=upload),
        title="Import quotas",
        columns="username, start, end, currency, sales_target, gross_profit_target",
        back=reverse("quotas:quota-list"),
    )
