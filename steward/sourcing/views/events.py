"""The events list, the event form, the event page, publishing, cancelling and the log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.charts import chart_page
from steward.core.display import person_name
from steward.core.exports import Column, export_response
from steward.core.ui import ListPage, inside_only, paginate, render_page, run_form_service
from steward.sourcing import selectors, services
from steward.sourcing.choices import LogAction
from steward.sourcing.forms import CancelForm, EventForm
from steward.sourcing.views.common import (
    event_for,
    render_detail,
    run_action,
    run_on_event,
)

EVENT_COLUMNS = (
    Column("Reference", lambda e: e.reference),
    Column("Title", lambda e: e.title),
    Column("Kind", lambda e: e.get_kind_display()),
    Column("Status", lambda e: e.get_status_display()),
    Column("Category", lambda e: e.category.name),
    Column("Currency", lambda e: e.currency),
    Column("Evaluation", lambda e: e.get_evaluation_method_display()),
    Column("Award", lambda e: e.get_award_rule_display()),
    Column("Owner", lambda e: person_name(e.owner)),
    Column("Opens", lambda e: e.opens_at),
    Column("Closes", lambda e: e.closes_at),
    Column("Created", lambda e: e.created_at),
)
LOG_COLUMNS = (
    Column("At", lambda entry: entry.at),
    Column("Action", lambda entry: entry.get_action_display()),
    Column("By", lambda entry: person_name(entry.actor) if entry.actor else "System"),
    Column(
        "Vendor",
        lambda entry: entry.invitation.supplier if entry.invitation_id else "",
    ),
    Column("Summary", lambda entry: entry.summary),
)


class EventListPage(ListPage):
    template_name = "sourcing/event_list.html"
    filterset_selector = selectors.event_filterset
    export_columns = EVENT_COLUMNS
    export_name = "sourcing-events"
    title = "Sourcing events"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "may_create": services.events.may_run(user),
            "categories": selectors.category_choices(),
            "owners": selectors.owner_choices(user=user),
        }


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not services.events.may_run(request.user):
        raise PermissionDenied("You may not start sourcing events.")
    form = EventForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        response = run_form_service(
            request,
            form,
            lambda: services.event_create(actor=request.user, **data),
            success_message="Draft event saved. Add its lines and invite vendors.",
        )
        if response is not None:
            return response
    context = {"form": form, "title": "New sourcing event"}
    return render_page(request, "sourcing/event_form.html", context, status=_status(request, form))


def _status(request: HttpRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.event_update(
                actor=request.user,
                event=event,
                expected_version=form.cleaned_data.get("version") or event.version,
                **form.changes(event),
            ),
            success_message="Event saved.",
        )
        if response is not None:
            return response
    context = {"form": form, "event": event, "title": f"Edit {event.reference}"}
    return render_page(request, "sourcing/event_form.html", context, status=_status(request, form))


@chart_page  # the evaluation section draws a Plotly chart once the bids are unsealed
@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, event_for(request, pk))


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_action(
        request,
        event,
        lambda: services.event_publish(actor=request.user, event=event),
        success="Published: the invited vendors see the event and were told.",
        anchor="summary",
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        CancelForm(request.POST),
        "cancel_form",
        lambda data: services.event_cancel(actor=request.user, event=event, reason=data["reason"]),
        success="Event cancelled; the invitees were told.",
        anchor="summary",
    )


@login_required
def event_log(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Everything that happened to the event, oldest first; ``?export=csv`` downloads it."""
    event = event_for(request, pk)
    chosen = [action for action in request.GET.getlist("action") if action in LogAction.values]
    entries = selectors.log_of(event, actions=chosen)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return export_response(
            entries, LOG_COLUMNS, filename=f"{event.reference}-log", file_format=export
        )
    context = {
        "event": event,
        "title": f"Log of {event.reference}",
        "page": paginate(request, entries),
        "actions": LogAction.choices,
        "chosen": chosen,
        "export_query": request.GET.urlencode(),
    }
    return render_page(request, "sourcing/event_log.html", context, partial="results")
