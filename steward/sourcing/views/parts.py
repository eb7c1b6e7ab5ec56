"""The parts of an event on its page: lines, documents, questions to bidders, criteria, team.

Adding posts to the event; editing a part has a small page of its own; removing archives. The
services refuse what the event's state does not allow, and the refusal shows on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.ui import inside_only, render_page, run_form_service
from steward.core.uploads import stored_file_response
from steward.sourcing import selectors, services
from steward.sourcing.forms import (
    AttachmentForm,
    BidderQuestionForm,
    CriterionForm,
    LineForm,
    MemberForm,
)
from steward.sourcing.models import (
    BidderQuestion,
    EvaluationCriterion,
    EventAttachment,
    EventLine,
    SourcingEventMember,
)
from steward.sourcing.views.common import event_for, run_action, run_on_event

# --- adding ------------------------------------------------------------------------------------


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        LineForm(request.POST),
        "line_form",
        lambda data: services.line_add(
            actor=request.user, event=event, **{k: v for k, v in data.items() if k != "version"}
        ),
        success="Line added.",
        anchor="lines",
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    form = AttachmentForm(request.POST, request.FILES, lines=selectors.lines_of(event))
    return run_on_event(
        request,
        event,
        form,
        "attachment_form",
        lambda data: services.attachment_add(
            actor=request.user, event=event, upload=data["file"], line=data["line"]
        ),
        success="Document added.",
        anchor="attachments",
    )


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        BidderQuestionForm(request.POST),
        "question_form",
        lambda data: services.bidder_question_add(
            actor=request.user, event=event, text=data["text"], required=data["required"]
        ),
        success="Question to bidders added.",
        anchor="questions",
    )


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        CriterionForm(request.POST),
        "criterion_form",
        lambda data: services.criterion_add(
            actor=request.user,
            event=event,
            name=data["name"],
            description=data["description"],
            max_value=data["max_value"],
        ),
        success="Criterion added.",
        anchor="criteria",
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        MemberForm(request.POST, user=request.user),
        "member_form",
        lambda data: services.member_add(
            actor=request.user, event=event, user=data["user"], access=data["access"]
        ),
        success="Colleague added to the team.",
        anchor="team",
    )


# --- editing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Editable:
    model: type[Any]
    form: type[forms.Form]
    update: Callable[..., Any]
    keyword: str
    anchor: str
    title: Callable[[Any], str]


EDITS: dict[str, Editable] = {
    "line": Editable(
        EventLine, LineForm, services.line_update, "line", "lines", lambda r: f"Line {r.number}"
    ),
    "question": Editable(
        BidderQuestion,
        BidderQuestionForm,
        services.bidder_question_update,
        "question",
        "questions",
        lambda r: f"Question {r.number}",
    ),
    "criterion": Editable(
        EvaluationCriterion,
        CriterionForm,
        services.criterion_update,
        "criterion",
        "criteria",
        lambda r: f"Criterion “{r.name}”",
    ),
}


@login_required
def part_edit(request: HttpRequest, part: str, pk: int) -> HttpResponse:
    """A line, a question to bidders or a criterion of a draft, on a page of its own."""
    inside_only(request)
    if part not in EDITS:
        raise Http404
    edit = EDITS[part]
    record = selectors.part_get(user=request.user, model=edit.model, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(record, name) for name in edit.form.base_fields}
    form = edit.form(request.POST or None, initial=initial)
    event, title = record.event, edit.title(record)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or record.version
        response = run_form_service(
            request,
            form,
            lambda: edit.update(
                actor=request.user, expected_version=version, **{edit.keyword: record}, **data
            ),
            success_message=f"{title} saved.",
            success_url=lambda _: f"{event.get_absolute_url()}#{edit.anchor}",
        )
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "event": event, "title": title, "anchor": edit.anchor}
    return render_page(request, "sourcing/part_form.html", context, status=status)


# --- removing ----------------------------------------------------------------------------------

REMOVALS: dict[str, tuple[type[Any], Callable[..., Any], str, str]] = {
    "line": (EventLine, services.line_remove, "line", "lines"),
    "attachment": (EventAttachment, services.attachment_remove, "attachment", "attachments"),
    "question": (BidderQuestion, services.bidder_question_remove, "question", "questions"),
    "criterion": (EvaluationCriterion, services.criterion_remove, "criterion", "criteria"),
    "member": (SourcingEventMember, services.member_remove, "member", "team"),
}


@login_required
@require_POST
def part_remove(request: HttpRequest, part: str, pk: int) -> HttpResponse:
    inside_only(request)
    if part not in REMOVALS:
        raise Http404
    model, remove, keyword, anchor = REMOVALS[part]
    record = selectors.part_get(user=request.user, model=model, pk=pk, action=Action.DELETE)
    return run_action(
        request,
        record.event,
        lambda: remove(actor=request.user, **{keyword: record}),
        success="Removed.",
        anchor=anchor,
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The buyer's side: any document of an event the user may see (404 otherwise)."""
    inside_only(request)
    return stored_file_response(selectors.part_get(user=request.user, model=EventAttachment, pk=pk))
