"""The "Evaluation and award" section of an event's page, the same as a page of its own, and the
posts it makes: criterion scores, the award proposal, approval and sending back, and the export.

Before the closing time the section only says when the seal lifts. Views parse, call one
selector or service and render; a refusal re-renders the evaluation page with the form and the
field at fault (status 400); a success goes back to where the form was (the event's page).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from steward.awards import evaluation as ev
from steward.awards import exports, selectors, services
from steward.awards.forms import AwardForm, ReasonForm, ScoreForm
from steward.awards.matrix import Comparison
from steward.core.access import Action, allows, principal_for
from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, render_page
from steward.sourcing.choices import EventStatus
from steward.sourcing.models import SourcingEvent
from steward.sourcing.services.status import ensure_closed

SECTION_ANCHOR = "section-evaluation"


def _event(request: HttpRequest, pk: int) -> SourcingEvent:
    if not principal_for(request.user).is_internal:
        raise Http404
    return ensure_closed(selectors.event_get(user=request.user, pk=pk))


def totals_chart(comparison: Comparison) -> dict[str, Any] | None:
    """Each vendor's total price and cost of ownership over the lines it bid."""
    totals = comparison.totals
    if not totals:
        return None
    names = [plain_text(t.invitation.supplier) for t in totals]
    currency = comparison.event.currency
    figure = go.Figure(
        [
            go.Bar(name="Price", x=names, y=[ev.money(t.price) for t in totals]),
            go.Bar(name="Cost of ownership", x=names, y=[ev.money(t.tco) for t in totals]),
        ]
    )
    figure.update_layout(
        **base_layout(height=320, barmode="group", yaxis={"title": {"text": currency}})
    )
    return chart_context(
        figure,
        chart_id=f"award-totals-{comparison.event.pk}",
        label=f"Total price and cost of ownership per vendor, in {currency}",
        description="The totals table beside the chart gives the same figures.",
    )


def _score_forms(
    comparison: Comparison, bound: dict[int, ScoreForm] | None = None
) -> list[tuple[Any, ScoreForm]]:
    sheet = comparison.sheet
    forms = []
    for invitation_id, invitation in sheet.invitations.items():
        if bound and invitation_id in bound:
            forms.append((invitation, bound[invitation_id]))
            continue
        current = {
            criterion_id: score.value
            for (inv, criterion_id), score in sheet.scores.items()
            if inv == invitation_id
        }
        form = ScoreForm(criteria=sheet.criteria, current=current, prefix=f"s{invitation_id}")
        forms.append((invitation, form))
    return forms


def section_context(
    request: HttpRequest, event: SourcingEvent, **bound: Any
) -> dict[str, Any] | None:
    """What the section shows; None leaves it out (portal users, drafts, cancelled events)."""
    user = request.user
    if not principal_for(user).is_internal or event.status == EventStatus.DRAFT:
        return None
    if not event.is_closed_at():
        if event.status == EventStatus.CANCELLED:
            return None
        return {"sealed": True, "event": event}
    context: dict[str, Any] = {
        "event": event,
        "awards": list(selectors.event_awards(user=user, event=event)),
        "next": request.get_full_path(),
        "anchor": SECTION_ANCHOR,
    }
    try:
        comparison = selectors.comparison(user=user, event=event)
    except DomainError as error:
        context["comparison_error"] = error.message
        return context
    may_change = allows(user, Action.CHANGE, event)
    closed = event.status == EventStatus.CLOSED
    may_score = closed and bool(comparison.criteria) and may_change
    context.update(
        comparison=comparison,
        chart=totals_chart(comparison),
        may_propose=closed and may_change and bool(comparison.totals),
        may_decide=event.status == EventStatus.AWARD_PROPOSED and services.may_approve(user, event),
        score_forms=_score_forms(comparison, bound.get("score_forms")) if may_score else [],
        award_form=bound.get("award_form") or AwardForm(comparison=comparison),
        send_back_form=bound.get("send_back_form") or ReasonForm(),
    )
    return context


@chart_page
@login_required
@require_GET
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The section as a page of its own (also where a refused form is shown again)."""
    event = _event(request, pk)
    return _render(request, event, status=200)


def _render(
    request: HttpRequest, event: SourcingEvent, *, status: int, **bound: Any
) -> HttpResponse:
    context = section_context(request, event, **bound) or {"event": event, "nothing": True}
    context["title"] = f"Evaluation and award · {event.reference}"
    return render_page(request, "awards/evaluation.html", context, status=status)


def _back(request: HttpRequest, event: SourcingEvent) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = event.get_absolute_url()
    return HttpResponseRedirect(f"{target.split('#')[0]}#{SECTION_ANCHOR}")


def _comparison(request: HttpRequest, event: SourcingEvent) -> Comparison | None:
    """The comparison, or None with the reason as a message (sealed, a missing rate)."""
    try:
        return selectors.comparison(user=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.message)
        return None


def _refused(
    request: HttpRequest, event: SourcingEvent, form: BaseForm, error: DomainError, **bound: Any
) -> HttpResponse:
    apply_domain_error(form, error)
    messages.error(request, "Nothing was saved; see the form below.")
    return _render(request, event, status=400, **bound)


@chart_page
@login_required
@require_POST
def score_set(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponseBase:
    """One invitee's values on the criteria, all or none."""
    event = _event(request, pk)
    comparison = _comparison(request, event)
    if comparison is None:
        return _back(request, event)
    invitation = comparison.sheet.invitations.get(invitation_pk)
    if invitation is None:
        raise Http404
    form = ScoreForm(
        request.POST, criteria=comparison.sheet.criteria, current={}, prefix=f"s{invitation_pk}"
    )
    bound = {"score_forms": {invitation_pk: form}}
    if not form.is_valid():
        return _render(request, event, status=400, **bound)
    try:
        with transaction.atomic():
            for criterion, value in form.values():
                services.criterion_score_set(
                    actor=request.user,
                    invitation=invitation,
                    criterion=criterion,
                    value=value,
                    note=form.cleaned_data["note"],
                )
    except DomainError as error:
        return _refused(request, event, form, error, **bound)
    messages.success(request, f"Scores of {invitation.supplier} saved.")
    return _back(request, event)


@chart_page
@login_required
@require_POST
def award_propose(request: HttpRequest, pk: int) -> HttpResponseBase:
    event = _event(request, pk)
    comparison = _comparison(request, event)
    if comparison is None:
        return _back(request, event)
    form = AwardForm(request.POST, comparison=comparison)
    if not form.is_valid():
        return _render(request, event, status=400, award_form=form)
    try:
        services.award_propose(
            actor=request.user,
            event=event,
            allocations=form.allocations(),
            rationale=form.cleaned_data["rationale"],
            low_bid_justification=form.cleaned_data["low_bid_justification"],
        )
    except DomainError as error:
        return _refused(request, event, form, error, award_form=form)
    messages.success(request, "Award proposed; it waits for approval by someone else.")
    return _back(request, event)


@login_required
@require_POST
def award_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    event = _event(request, pk)
    try:
        services.award_approve(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Award approved; the vendors were asked to confirm.")
    return _back(request, event)


@chart_page
@login_required
@require_POST
def award_send_back(request: HttpRequest, pk: int) -> HttpResponseBase:
    event = _event(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _render(request, event, status=400, send_back_form=form)
    try:
        services.award_send_back(
            actor=request.user, event=event, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _refused(request, event, form, error, send_back_form=form)
    messages.success(request, "Award sent back; the event is closed again.")
    return _back(request, event)


@login_required
@require_GET
def comparison_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The comparison as CSV or Excel (``?format=csv`` or ``xlsx``), one row per offer."""
    event = _event(request, pk)
    file_format = request.GET.get("format", "csv")
    if file_format not in ("csv", "xlsx"):
        raise Http404
    comparison = _comparison(request, event)
    if comparison is None:
        return HttpResponseRedirect(reverse("awards:evaluation", args=[event.pk]))
    return exports.comparison_response(comparison, file_format=file_format)
