"""What the sourcing pages share: the event page's context, and running a service for a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from steward.core.access import Action, allows
from steward.core.errors import DomainError, StaleVersionError
from steward.core.ui import apply_domain_error, inside_only, render_page
from steward.sourcing import lifecycle, selectors
from steward.sourcing.choices import EvaluationMethod, EventStatus
from steward.sourcing.forms import (
    AttachmentForm,
    BidderQuestionForm,
    CancelForm,
    ClarificationPostForm,
    CriterionForm,
    LineForm,
    MemberForm,
)
from steward.sourcing.models import SourcingEvent
from steward.sourcing.sections import event_sections
from steward.sourcing.services import ensure_closed, publish_problems

LOG_PREVIEW = 10


def event_for(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> SourcingEvent:
    """The event through the policy, closed first if its closing time has passed."""
    inside_only(request)
    return ensure_closed(selectors.event_get(user=request.user, pk=pk, action=action))


def _sections(request: HttpRequest, event: SourcingEvent) -> list[dict[str, Any]]:
    """The sections the apps above add (bids, evaluation and award), rendered in order."""
    rendered = []
    for section in event_sections():
        context = section.context(request, event)
        if context is None:
            continue
        html = render_to_string(section.template, {"event": event, **context}, request=request)
        rendered.append({"name": section.name, "title": section.title, "html": mark_safe(html)})  # noqa: S308 - rendered by Django templates, escaped
    return rendered


def detail_context(request: HttpRequest, event: SourcingEvent, **bound: BaseForm) -> dict[str, Any]:
    user = request.user
    can_change = allows(user, Action.CHANGE, event)
    draft = event.status == EventStatus.DRAFT
    taking_bids = event.status in lifecycle.INVITING and not event.is_closed_at()
    lines = selectors.lines_of(event)
    log = selectors.log_of(event)
    forms: dict[str, BaseForm] = {
        "line_form": LineForm(),
        "attachment_form": AttachmentForm(lines=lines),
        "question_form": BidderQuestionForm(),
        "criterion_form": CriterionForm(),
        "member_form": MemberForm(user=user),
        "post_form": ClarificationPostForm(),
        "cancel_form": CancelForm(),
    }
    forms.update(bound)
    return {
        "event": event,
        "title": str(event),
        "can_change": can_change,
        "can_edit_event": can_change and (draft or taking_bids),
        "can_edit_parts": can_change and draft,
        "can_add_documents": can_change and taking_bids,
        "can_invite": can_change and taking_bids,
        "can_cancel": can_change and event.status in lifecycle.CANCELLABLE,
        "can_answer": can_change and event.status in (EventStatus.OPEN, EventStatus.CLOSED),
        "can_post": can_change and event.status == EventStatus.OPEN and taking_bids,
        "weighted": event.evaluation_method == EvaluationMethod.WEIGHTED,
        "problems": publish_problems(event) if draft and can_change else [],
        "lines": lines,
        "attachments": selectors.attachments_of(event),
        "bidder_questions": selectors.bidder_questions_of(event),
        "criteria": selectors.criteria_of(event),
        "members": selectors.members_of(event),
        "invitations": selectors.invitations_of(event),
        "clarifications": selectors.clarifications_of(event),
        "log_preview": list(log.order_by("-at", "-pk")[:LOG_PREVIEW]),
        "log_count": log.count(),
        "sections": _sections(request, event),
        "now": timezone.now(),
        **forms,
    }


def render_detail(
    request: HttpRequest, event: SourcingEvent, *, status: int = 200, **bound: BaseForm
) -> HttpResponse:
    return render_page(
        request,
        "sourcing/event_detail.html",
        detail_context(request, event, **bound),
        status=status,
    )


def run_on_event(
    request: HttpRequest,
    event: SourcingEvent,
    form: BaseForm,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate ``form``, call the service with its data; back to the event page, or the page
    again with the form and the refusal next to the field it names (status 400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except DomainError as error:
            apply_domain_error(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, success)
            return HttpResponseRedirect(f"{event.get_absolute_url()}#{anchor}")
    refusals = " ".join(str(error) for error in form.non_field_errors())
    messages.error(request, f"Nothing was saved: {refusals}" if refusals else "Nothing was saved.")
    fresh = selectors.event_get(user=request.user, pk=event.pk)
    return render_detail(request, fresh, status=400, **{form_name: form})


def run_action(
    request: HttpRequest,
    event: SourcingEvent,
    call: Callable[[], Any],
    *,
    success: str,
    anchor: str,
) -> HttpResponse:
    """A button without a form: the refusal becomes a message on the event page."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(f"{event.get_absolute_url()}#{anchor}")
