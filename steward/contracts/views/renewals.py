"""Renewals: the radar, a renewal decision from the contract page, the renewal pack, the
reminder policy and the calendar feed page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from steward.contracts import selectors, services
from steward.contracts import selectors_renewals as renewals
from steward.contracts.forms.renewals import (
    RadarFilterForm,
    ReminderPolicyForm,
    RenewalDecisionForm,
)
from steward.contracts.models import Contract
from steward.contracts.selectors_renewals import RadarEntry
from steward.contracts.views.contracts import detail_context
from steward.contracts.views_feed import feed_token
from steward.core.access import Action, allows, principal_for
from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.display import person_name
from steward.core.exports import Column, export_response
from steward.core.ui import PAGE_SIZE, history_context, paginate, render_page, run_form_service
from steward.people.selectors import internal_user_choices

DETAIL_TEMPLATE = "contracts/contract_detail.html"
LABEL_LENGTH = 48
DAY_MS = 86_400_000
NOTICE_COLOUR = "#c0392b"
END_COLOUR = "#0b6e99"
SPAN_COLOUR = "#b9d3e3"


# --- the radar -------------------------------------------------------------------------------


def radar_columns(today: dt.date, until: dt.date) -> tuple[Column, ...]:
    """The export's columns; the next date and days left are those the page shows."""

    def entry(contract: Contract) -> RadarEntry:
        return renewals.radar_entry(contract, today, until)

    return (
        Column("Id", lambda c: c.pk),
        Column("Contract", lambda c: c.title),
        Column("Counterparty", lambda c: c.relationship.organization.display_name),
        Column("Side", lambda c: c.side),
        Column("Owner", lambda c: person_name(c.owner)),
        Column("Status", lambda c: c.get_status_display()),
        Column("Notice deadline", lambda c: c.notice_deadline),
        Column("End date", lambda c: c.end_date),
        Column("Next date", lambda c: entry(c).trigger_label),
        Column("Days left", lambda c: entry(c).days_left),
        Column("Decision", lambda c: entry(c).decision_label or "no decision"),
    )


def _radar_options(form: RadarFilterForm, user: Any) -> dict[str, Any]:
    """The selector's arguments from the valid filter form."""
    data = form.cleaned_data
    scope = data["scope"]
    return {
        "days": data["days"],
        "owner": user if scope == renewals.SCOPE_MINE else data.get("owner"),
        "team": scope == renewals.SCOPE_TEAM,
        "side": data.get("side") or "",
    }


RADAR_PAGE_SIZE = PAGE_SIZE


@chart_page
@login_required
@require_GET
def renewal_radar(request: HttpRequest) -> HttpResponseBase:
    """Contracts whose notice deadline or end of term is near, as a timeline and a table."""
    user = request.user
    form = RadarFilterForm(request.GET, user=user)
    valid = form.is_valid()
    today = timezone.localdate()
    options = _radar_options(form, user) if valid else {}
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        contracts = renewals.radar_contracts(user=user, on=today, **options)
        until = today + dt.timedelta(days=options.get("days", renewals.RADAR_WINDOWS[0]))
        return export_response(
            contracts if valid else contracts.none(),
            radar_columns(today, until),
            filename="renewal-radar",
            file_format=export,
        )
    days = options.get("days", renewals.RADAR_WINDOWS[0])
    contracts = renewals.radar_contracts(user=user, on=today, **options)
    # A page at a time, the chart showing the page: a team's radar can hold thousands.
    page = paginate(request, contracts if valid else contracts.none(), per_page=RADAR_PAGE_SIZE)
    until = today + dt.timedelta(days=days)
    entries = renewals.radar_entries(page.object_list, today=today, until=until)
    chart = None
    if entries:
        chart = chart_context(
            radar_figure(entries, today=today),
            chart_id="radar-chart",
            label=f"Timeline of the notice deadlines and term ends of {len(entries)} contracts "
            f"(page {page.number} of {page.paginator.num_pages})",
            description="The table below lists the same contracts.",
        )
    params = request.GET.copy()
    params.pop("export", None)
    context = {
        "title": "Renewal radar",
        "filter_form": form,
        "entries": entries,
        "page": page,
        "chart": chart,
        "today": today,
        "days": days,
        "windows": renewals.RADAR_WINDOWS,
        "scopes": renewals.RADAR_SCOPES,
        "scope": form.cleaned_data.get("scope", renewals.SCOPE_MINE) if valid else "",
        "owner_choices": internal_user_choices(user=user),
        "can_export": True,
        "export_query": params.urlencode(),
        "is_admin": principal_for(user).is_admin,
    }
    return render_page(request, "contracts/renewal_radar.html", context, partial="results")


def radar_figure(entries: Sequence[RadarEntry], *, today: dt.date) -> go.Figure:
    """One row per contract: a bar from its notice deadline to the end of its term, a marker
    on each. A click on a row opens the contract."""
    labels = _labels(entries)
    urls = [entry.contract.get_absolute_url() for entry in entries]
    figure = go.Figure()
    spans = [
        (label, entry, url)
        for label, entry, url in zip(labels, entries, urls, strict=True)
        if entry.contract.notice_deadline and entry.contract.end_date
    ]
    if spans:
        figure.add_trace(
            go.Bar(
                orientation="h",
                name="Notice period",
                y=[label for label, _, _ in spans],
                base=[e.contract.notice_deadline.isoformat() for _, e, _ in spans],  # type: ignore[union-attr]
                x=[
                    (e.contract.end_date - e.contract.notice_deadline).days * DAY_MS  # type: ignore[operator]
                    for _, e, _ in spans
                ],
                marker={"color": SPAN_COLOUR},
                customdata=[[url] for _, _, url in spans],
                hoverinfo="skip",
            )
        )
    for name, attribute, colour, symbol in (
        ("Notice deadline", "notice_deadline", NOTICE_COLOUR, "diamond"),
        ("End of term", "end_date", END_COLOUR, "circle"),
    ):
        points = [
            (label, getattr(entry.contract, attribute), url)
            for label, entry, url in zip(labels, entries, urls, strict=True)
            if getattr(entry.contract, attribute) is not None
        ]
        if not points:
            continue
        figure.add_trace(
            go.Scatter(
                mode="markers",
                name=name,
                y=[label for label, _, _ in points],
                x=[day.isoformat() for _, day, _ in points],
                marker={"color": colour, "symbol": symbol, "size": 11},
                customdata=[[url, day.isoformat()] for _, day, url in points],
                hovertemplate="<b>%{y}</b><br>" + name + ": %{customdata[1]}<extra></extra>",
            )
        )
    figure.update_layout(
        **base_layout(
            height=max(220, 110 + 28 * len(entries)),
            barmode="overlay",
            shapes=[_today_line(today)],
        )
    )
    figure.update_yaxes(
        type="category", autorange="reversed", categoryorder="array", categoryarray=labels
    )
    figure.update_xaxes(type="date", showgrid=True, gridcolor="#e3e6ea")
    return figure


def _labels(entries: Sequence[RadarEntry]) -> list[str]:
    """ "Counterparty · contract", shortened, and unique so no two contracts share a row."""
    labels: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        contract = entry.contract
        label = f"{contract.relationship.organization} · {contract.title}"
        if len(label) > LABEL_LENGTH:
            label = label[: LABEL_LENGTH - 1] + "…"
        if label in seen:
            label = f"{label} (#{contract.pk})"
        seen.add(label)
        labels.append(plain_text(label))
    return labels


def _today_line(today: dt.date) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": today.isoformat(),
        "x1": today.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": "#b42318", "width": 1, "dash": "dot"},
    }


# --- a decision from the contract page -------------------------------------------------------


@login_required
@require_POST
def renewal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = RenewalDecisionForm(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.renewal_decide(
                actor=user,
                contract=contract,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                for_term_ending=form.cleaned_data["for_term_ending"],
            ),
            success_message="Decision recorded.",
            success_url=lambda decision: f"{contract.get_absolute_url()}?tab=renewal",
        )
        if response is not None:
            return response
    context = detail_context(request, contract, "renewal", renewal_form=form)
    return render_page(request, DETAIL_TEMPLATE, context)


# --- the renewal pack ------------------------------------------------------------------------


@login_required
@require_GET
def renewal_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """What to read before the notice deadline, on one page."""
    contract = selectors.contract_get(user=request.user, pk=pk)
    pack = renewals.renewal_pack(user=request.user, contract=contract)
    extra = [
        section
        for section in (pack[name] for name in renewals.pack_section_names())
        if isinstance(section, renewals.PackSection)
    ]
    context = {"object": contract, "pack": pack, "sections": extra}
    return render_page(request, "contracts/renewal_pack.html", context)


# --- the reminder policy ---------------------------------------------------------------------


@login_required
def reminder_policy(request: HttpRequest) -> HttpResponse:
    """The offsets owners are reminded at; administrators only."""
    policy = renewals.reminder_policy_get(user=request.user)
    if not allows(request.user, Action.CHANGE, policy):
        raise PermissionDenied("Only administrators set the renewal reminders.")
    initial = {"offsets": ", ".join(str(d) for d in policy.offsets), "version": policy.version}
    form = ReminderPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.reminder_policy_update(
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                offsets=form.cleaned_data["offsets"],
            ),
            success_message="Reminder offsets saved.",
            success_url=lambda saved: reverse("contracts:reminder-policy"),
        )
        if response is not None:
            return response
    context = {
        "title": "Renewal reminders",
        "object": policy,
        "form": form,
        **history_context(request, policy),
    }
    return render_page(request, "contracts/renewal_reminders.html", context, partial="history")


# --- the calendar feed -----------------------------------------------------------------------


@login_required
@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The user's personal feed URL of deadlines, to subscribe to from a calendar program."""
    if not principal_for(request.user).is_internal:
        raise PermissionDenied("The calendar feed is for inside users.")
    path = reverse("contracts:deadlines-feed", args=[feed_token(request.user)])
    context = {
        "title": "Calendar feed",
        "feed_url": request.build_absolute_uri(path),
        "contracts": renewals.feed_contracts(request.user).count(),
    }
    return render_page(request, "contracts/renewal_feed.html", context)
