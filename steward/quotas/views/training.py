"""Training objectives: the list, setting one for a report, recording a completion."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, inside_only
from steward.quotas import selectors, services
from steward.quotas.forms import CompletionForm, TrainingObjectiveForm
from steward.quotas.views.common import form_page

TRAINING_COLUMNS = (
    Column("Person", lambda t: person_name(t.person)),
    Column("Title", lambda t: t.title),
    Column("Required", lambda t: t.required),
    Column("Due", lambda t: t.due_on),
    Column("Completed", lambda t: t.completed_on),
    Column("In time", lambda t: t.completed_in_time),
    Column("Evidence", lambda t: t.evidence),
)


class TrainingListPage(ListPage):
    template_name = "quotas/training_list.html"
    filterset_selector = selectors.training_filterset
    export_columns = TRAINING_COLUMNS
    export_name = "training-objectives"
    title = "Training objectives"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "people": selectors.people(ids=selectors.visible_people_ids(user=user)),
            "may_set": selectors.report_choices(user=user).exists(),
            "completable": {t.pk for t in page.object_list if services.may_complete(user, t)},
        }


@login_required
def training_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    people = selectors.report_choices(user=request.user)
    if not people.exists():
        raise PermissionDenied("Only managers set training objectives, for their reports.")
    form = TrainingObjectiveForm(request.POST or None, people=people)
    return form_page(
        request,
        form,
        lambda: services.training_objective_set(actor=request.user, **form.cleaned_data),
        template="quotas/fact_form.html",
        context={"title": "Set a training objective", "back": reverse("quotas:training-list")},
        success_message="Training objective set.",
        success_url=reverse("quotas:training-list"),
    )


@login_required
def training_complete(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    objective = selectors.training_get(user=request.user, pk=pk)
    if not services.may_complete(request.user, objective):
        raise PermissionDenied("Only the person or their managers record a completion.")
    form = CompletionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.training_objective_complete(
            actor=request.user, objective=objective, **form.cleaned_data
        ),
        template="quotas/fact_form.html",
        context={"title": f"Complete “{objective.title}”", "back": reverse("quotas:training-list")},
        success_message="Completion recorded.",
        success_url=reverse("quotas:training-list"),
    )
