"""Questions and answers on the event page: answering, publishing, the buyer's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.ui import inside_only
from steward.sourcing import selectors, services
from steward.sourcing.forms import ClarificationAnswerForm, ClarificationPostForm
from steward.sourcing.models import Clarification
from steward.sourcing.views.common import event_for, run_action, run_on_event


def _clarification(request: HttpRequest, pk: int) -> Clarification:
    inside_only(request)
    return selectors.part_get(user=request.user, model=Clarification, pk=pk, action=Action.CHANGE)


@login_required
@require_POST
def clarification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    clarification = _clarification(request, pk)
    form = ClarificationAnswerForm(request.POST)
    # Which row of the page the refusal belongs to.
    form.clarification_id = clarification.pk  # type: ignore[attr-defined]
    return run_on_event(
        request,
        clarification.event,
        form,
        "answer_form",
        lambda data: services.clarification_answer(
            actor=request.user,
            clarification=clarification,
            answer=data["answer"],
            publish=data["publish"],
        ),
        success="Answer saved.",
        anchor=f"clarification-{clarification.pk}",
    )


@login_required
@require_POST
def clarification_publish(request: HttpRequest, pk: int) -> HttpResponse:
    clarification = _clarification(request, pk)
    return run_action(
        request,
        clarification.event,
        lambda: services.clarification_publish(actor=request.user, clarification=clarification),
        success="Published to every invitee.",
        anchor=f"clarification-{clarification.pk}",
    )


@login_required
@require_POST
def clarification_post(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    return run_on_event(
        request,
        event,
        ClarificationPostForm(request.POST),
        "post_form",
        lambda data: services.clarification_post(
            actor=request.user, event=event, question=data["question"], answer=data["answer"]
        ),
        success="Clarification published to every invitee.",
        anchor="clarifications",
    )
