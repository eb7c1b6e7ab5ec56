"""What the handoff pages share: the handoff page's context and running a service for a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from steward.core.access import Action
from steward.core.errors import DomainError, StaleVersionError
from steward.core.ui import apply_domain_error, history_context, inside_only, render_page
from steward.handoffs import rules, selectors, services
from steward.handoffs.choices import HandoffStatus
from steward.handoffs.forms import ItemForm, NoteForm, ReasonForm
from steward.handoffs.models import Handoff

# Several small forms share the page: each gets its own element ids (the names stay plain).
ACCEPT_IDS = "accept_%s"
SEND_BACK_IDS = "back_%s"
CANCEL_IDS = "cancel_%s"


def handoff_for(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Handoff:
    inside_only(request)
    return selectors.handoff_get(user=request.user, pk=pk, action=action)


def detail_context(request: HttpRequest, handoff: Handoff, **bound: BaseForm) -> dict[str, Any]:
    user = request.user
    groups = selectors.items_by_kind(handoff)
    may_edit = rules.may_edit(user, handoff)
    forms: dict[str, BaseForm] = {
        "item_form": ItemForm(user=user, handoff=handoff),
        "accept_form": NoteForm(auto_id=ACCEPT_IDS),
        "send_back_form": ReasonForm(auto_id=SEND_BACK_IDS),
        "cancel_form": ReasonForm(auto_id=CANCEL_IDS),
    }
    forms.update(bound)
    open_count = sum(len(group["open"]) for group in groups)
    return {
        "handoff": handoff,
        "title": str(handoff),
        "groups": groups,
        "open_count": open_count,
        "item_count": open_count + sum(len(group["closed"]) for group in groups),
        "today": timezone.localdate(),
        "timeline": list(selectors.timeline_of(handoff)),
        "may_edit": may_edit,
        "may_submit": rules.may_submit(user, handoff),
        "may_answer": rules.may_answer(user, handoff),
        "may_complete": rules.may_complete(user, handoff),
        "may_cancel": rules.may_cancel(user, handoff),
        "may_work_items": rules.may_work_items(user, handoff),
        "may_remove_items": rules.may_work_items(user, handoff)
        and handoff.status == HandoffStatus.DRAFT,
        "problems": services.submit_problems(handoff) if may_edit else [],
        "history_target": "#history",
        **history_context(request, handoff),
        **forms,
    }


def render_detail(
    request: HttpRequest, handoff: Handoff, *, status: int = 200, **bound: BaseForm
) -> HttpResponse:
    return render_page(
        request,
        "handoffs/handoff_detail.html",
        detail_context(request, handoff, **bound),
        status=status,
    )


def run_on_handoff(
    request: HttpRequest,
    handoff: Handoff,
    form: BaseForm,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate ``form`` and call the service; back to the handoff page, or the page again with
    the form and the refusal next to the field it names (status 400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(f"{handoff.get_absolute_url()}#{anchor}")
    refusals = " ".join(str(error) for error in form.non_field_errors())
    messages.error(request, f"Nothing was saved: {refusals}" if refusals else "Nothing was saved.")
    fresh = selectors.handoff_get(user=request.user, pk=handoff.pk)
    return render_detail(request, fresh, status=400, **{form_name: form})


def run_action(
    request: HttpRequest, handoff: Handoff, call: Callable[[], Any], *, success: str, anchor: str
) -> HttpResponse:
    """A button without a form: the refusal becomes a message on the handoff page."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(f"{handoff.get_absolute_url()}#{anchor}")
