"""The handoffs list, the handoff form and page, and its status buttons."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, inside_only, render_page, run_form_service
from steward.handoffs import rules, selectors, services
from steward.handoffs.forms import HandoffForm, NoteForm, ReasonForm
from steward.handoffs.views.common import (
    ACCEPT_IDS,
    CANCEL_IDS,
    SEND_BACK_IDS,
    detail_context,
    handoff_for,
    render_detail,
    run_action,
    run_on_handoff,
)

HANDOFF_COLUMNS = (
    Column("Account", lambda h: str(h.relationship.organization)),
    Column("Status", lambda h: h.get_status_display()),
    Column("Handed over by", lambda h: person_name(h.handed_over_by)),
    Column("Receiver", lambda h: person_name(h.receiver)),
    Column("Opportunity", lambda h: h.opportunity.name if h.opportunity_id else ""),
    Column("Implementation start", lambda h: h.implementation_start),
    Column("Go-live", lambda h: h.go_live),
    Column("First review", lambda h: h.first_review_on),
    Column("Open items", lambda h: h.open_count),
    Column("Overdue items", lambda h: h.overdue_count),
    Column("Handed over", lambda h: h.handed_over_at),
    Column("Accepted", lambda h: h.accepted_at),
    Column("Summary", lambda h: h.summary),
)


class HandoffListPage(ListPage):
    template_name = "handoffs/handoff_list.html"
    filterset_selector = selectors.handoff_filterset
    export_columns = HANDOFF_COLUMNS
    export_name = "handoffs"
    title = "Handoffs"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "may_create": rules.may_prepare(user),
            "people": selectors.people_choices(user=user),
        }


def _status(request: HttpRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def handoff_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not rules.may_prepare(request.user):
        raise PermissionDenied("You may not prepare handoffs.")
    initial = {"relationship": request.GET.get("account")} if request.GET.get("account") else None
    form = HandoffForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["summary"] = data.get("summary") or ""
        response = run_form_service(
            request,
            form,
            lambda: services.handoff_create(actor=request.user, **data),
            success_message="Draft handoff saved. Add what must not be lost, then hand it over.",
        )
        if response is not None:
            return response
    context = {"form": form, "title": "New handoff"}
    return render_page(
        request, "handoffs/handoff_form.html", context, status=_status(request, form)
    )


@login_required
def handoff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    if not rules.may_edit(request.user, handoff):
        raise PermissionDenied("Only who prepares the handoff changes it, while a draft.")
    form = HandoffForm(request.POST or None, user=request.user, handoff=handoff)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.handoff_update(
                actor=request.user,
                handoff=handoff,
                expected_version=form.cleaned_data.get("version") or handoff.version,
                **form.changes(handoff),
            ),
            success_message="Handoff saved.",
        )
        if response is not None:
            return response
    context = {"form": form, "handoff": handoff, "title": f"Edit {handoff}"}
    return render_page(
        request, "handoffs/handoff_form.html", context, status=_status(request, form)
    )


@login_required
def handoff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk)
    if request.GET.get("tab") == "history":
        # The history's newer/older buttons ask for the page again; htmx takes the section.
        return render_page(
            request,
            "handoffs/handoff_detail.html",
            detail_context(request, handoff),
            partial="history",
        )
    return render_detail(request, handoff)


@login_required
@require_POST
def handoff_submit(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    return run_action(
        request,
        handoff,
        lambda: services.handoff_submit(actor=request.user, handoff=handoff),
        success="Handed over: the account manager was told it waits for their acceptance.",
        anchor="summary",
    )


@login_required
@require_POST
def handoff_accept(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    return run_on_handoff(
        request,
        handoff,
        NoteForm(request.POST, auto_id=ACCEPT_IDS),
        "accept_form",
        lambda data: services.handoff_accept(
            actor=request.user, handoff=handoff, note=data.get("note") or ""
        ),
        success="Accepted: the account is yours; its open items stay on your list until closed.",
        anchor="summary",
    )


@login_required
@require_POST
def handoff_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    return run_on_handoff(
        request,
        handoff,
        ReasonForm(request.POST, auto_id=SEND_BACK_IDS),
        "send_back_form",
        lambda data: services.handoff_send_back(
            actor=request.user, handoff=handoff, reason=data["reason"]
        ),
        success="Sent back to business development with your reason.",
        anchor="summary",
    )


@login_required
@require_POST
def handoff_complete(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    return run_action(
        request,
        handoff,
        lambda: services.handoff_complete(actor=request.user, handoff=handoff),
        success="Handoff completed.",
        anchor="summary",
    )


@login_required
@require_POST
def handoff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    return run_on_handoff(
        request,
        handoff,
        ReasonForm(request.POST, auto_id=CANCEL_IDS),
        "cancel_form",
        lambda data: services.handoff_cancel(
            actor=request.user, handoff=handoff, reason=data["reason"]
        ),
        success="Handoff cancelled.",
        anchor="summary",
    )
