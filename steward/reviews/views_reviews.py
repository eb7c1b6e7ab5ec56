"""Business review pages: the list, scheduling from a relationship, a review's page with its
agenda, minutes, decisions and actions, its PDF pack, and "My actions"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices
from steward.reviews import pack, selectors_reviews, services_reviews
from steward.reviews.agenda import action_owner_name
from steward.reviews.choices import ActionStatus, ReviewStatus
from steward.reviews.forms_reviews import (
    ActionItemForm,
    DecisionForm,
    NoteForm,
    OptionalNoteForm,
    ReasonForm,
    RecordForm,
    ReviewForm,
)
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision

DETAIL_TABS = ("overview", "history")


class ReviewListView(ListPage):
    template_name = "reviews/review_list.html"
    filterset_selector = selectors_reviews.review_filterset
    export_name = "business-reviews"
    title = "Business reviews"
    export_columns = (
        Column("Id", lambda r: r.pk),
        Column("Scheduled on", lambda r: r.scheduled_on),
        Column("Title", lambda r: r.title),
        Column("Kind", lambda r: r.get_kind_display()),
        Column("Status", lambda r: r.get_status_display()),
        Column("Held on", lambda r: r.held_on),
        Column("Organization", lambda r: r.relationship.organization.display_name),
        Column("Side", lambda r: r.relationship.get_side_display()),
        Column("Owner", lambda r: person_name(r.owner)),
        Column("Open actions", lambda r: r.open_actions),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "today": timezone.localdate(),
            "people": internal_user_choices(user=user),
            "relationship_filter": parties_selectors.relationship_named(
                user=user, pk=self.request.GET.get("relationship")
            ),
        }


class MyActionsView(ListPage):
    template_name = "reviews/action_list.html"
    filterset_selector = selectors_reviews.my_actions_filterset
    export_name = "my-actions"
    title = "My actions"
    export_columns = (
        Column("Id", lambda a: a.pk),
        Column("Due on", lambda a: a.due_on),
        Column("Title", lambda a: a.title),
        Column("Organization", lambda a: a.relationship.organization.display_name),
        Column("Review", lambda a: a.review.title if a.review_id else ""),
        Column("Follow-up", lambda a: a.follow_up),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"today": timezone.localdate()}


# --- a review's page -----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, review: BusinessReview, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_change = not review.is_archived and allows(user, Action.CHANGE, review)
    is_open = review.status != ReviewStatus.CANCELLED
    planned = review.status == ReviewStatus.PLANNED
    relationship = review.relationship
    actions = list(selectors_reviews.review_actions(user=user, review=review))
    context: dict[str, Any] = {
        "object": review,
        "relationship": relationship,
        "tab": "overview",
        "tabs": DETAIL_TABS,
        "today": timezone.localdate(),
        "sections": review.agenda or [],
        "decisions": selectors_reviews.review_decisions(user=user, review=review),
        "actions": [(a, action_owner_name(a)) for a in actions],
        "can_change": can_change,
        "can_prepare": can_change and planned,
        "can_record": can_change and planned,
        "can_cancel": can_change and planned,
        "can_add": can_change and is_open,
        "can_delete": allows(user, Action.DELETE, review),
        "archive_url": reverse("reviews:review-archive", args=[review.pk]),
        "restore_url": reverse("reviews:review-restore", args=[review.pk]),
    }
    if context["can_record"]:
        context["record_form"] = forms.get("record_form") or RecordForm(user=user, review=review)
        context["cancel_form"] = forms.get("cancel_form") or ReasonForm()
    if context["can_add"]:
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
        context["action_form"] = forms.get("action_form") or ActionItemForm(
            user=user, relationship=relationship, initial={"owner": user.pk}
        )
    return context


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors_reviews.review_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in DETAIL_TABS:
        tab = "overview"
    context = _detail_context(request, review)
    context["tab"] = tab
    if tab == "history":
        context.update(history_context(request, review))
    return render_page(request, "reviews/review_detail.html", context, partial="tab")


def _refused(request: HttpRequest, review: BusinessReview, **forms: Any) -> HttpResponse:
    """The review's page again, with the form that was refused and its errors."""
    context = _detail_context(request, review, **forms)
    return render(request, "reviews/review_detail.html", context, status=400)


@login_required
def review_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if relationship.is_archived or not can_create(user, BusinessReview, parent=relationship):
        raise PermissionDenied("You may not schedule reviews on this relationship.")
    form = ReviewForm(
        request.POST or None,
        user=user,
        relationship=relationship,
        initial={"owner": relationship.owner_id, "attendees": [user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services_reviews.review_schedule(
                actor=user, relationship=relationship, **_plan(form)
            ),
            success_message="Review scheduled.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"Schedule a review with {relationship.organization}",
    }
    return render(request, "reviews/review_form.html", context)


def _plan(form: ReviewForm) -> dict[str, Any]:
    data = form.changes()
    data["title"] = data.get("title") or ""
    return data


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = selectors_reviews.review_get(user=user, pk=pk, action=Action.CHANGE)
    form = ReviewForm(
        request.POST or None, instance=review, user=user, relationship=review.relationship
    )
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        data["owner"] = data.get("owner") or review.relationship.owner
        data["title"] = data.get("title") or review.title
        response = run_form_service(
            request,
            form,
            lambda: services_reviews.review_update(
                actor=user,
                review=review,
                expected_version=form.cleaned_data.get("version") or 0,
                **data,
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": review,
        "relationship": review.relationship,
        "title": f"Edit {review}",
    }
    return render(request, "reviews/review_form.html", context)


def _post_on_review(
    request: HttpRequest,
    pk: int,
    *,
    form_class: Callable[..., Any],
    form_name: str,
    service: Callable[[BusinessReview, Any], Any],
    success: str,
    form_kwargs: Callable[[BusinessReview], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Validate a form posted from the review's page and call one service; refusals re-render."""
    review = selectors_reviews.review_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = form_class(request.POST, **(form_kwargs(review) if form_kwargs else {}))
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: service(review, form),
            success_message=success,
            success_url=lambda _: review.get_absolute_url(),
        )
        if response is not None:
            return response
    return _refused(request, review, **{form_name: form})


@login_required
@require_POST
def review_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors_reviews.review_get(user=request.user, pk=pk, action=Action.CHANGE)
    try:
        services_reviews.review_prepare_agenda(actor=request.user, review=review)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Agenda prepared from the latest figures.")
    return HttpResponseRedirect(review.get_absolute_url())


@login_required
@require_POST
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    def record(review: BusinessReview, form: Any) -> Any:
        return services_reviews.review_record(
            actor=request.user, review=review, **form.cleaned_data
        )

    return _post_on_review(
        request,
        pk,
        form_class=RecordForm,
        form_name="record_form",
        service=record,
        success="Review recorded as held.",
        form_kwargs=lambda review: {"user": request.user, "review": review},
    )


@login_required
@require_POST
def review_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def cancel(review: BusinessReview, form: Any) -> Any:
        return services_reviews.review_cancel(
            actor=request.user, review=review, reason=form.cleaned_data["reason"]
        )

    return _post_on_review(
        request,
        pk,
        form_class=ReasonForm,
        form_name="cancel_form",
        service=cancel,
        success="Review cancelled.",
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(review: BusinessReview, form: Any) -> ReviewDecision:
        return services_reviews.review_decision_add(
            actor=request.user, review=review, text=form.cleaned_data["text"]
        )

    return _post_on_review(
        request,
        pk,
        form_class=DecisionForm,
        form_name="decision_form",
        service=add,
        success="Decision recorded.",
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(review: BusinessReview, form: Any) -> ActionItem:
        return services_reviews.action_item_add(actor=request.user, review=review, **form.changes())

    return _post_on_review(
        request,
        pk,
        form_class=ActionItemForm,
        form_name="action_form",
        service=add,
        success="Action added.",
        form_kwargs=lambda review: {"user": request.user, "relationship": review.relationship},
    )


@login_required
def review_pack(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors_reviews.review_get(user=request.user, pk=pk)
    response = HttpResponse(pack.review_pack_pdf(review), content_type="application/pdf")
    filename = pack.review_pack_filename(review)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- an action item's page -----------------------------------------------------------------------


def _action_context(request: HttpRequest, action: ActionItem, **forms: Any) -> dict[str, Any]:
    can_change = not action.is_archived and allows(request.user, Action.CHANGE, action)
    is_open = action.status == ActionStatus.OPEN
    return {
        "object": action,
        "relationship": action.relationship,
        "owner_name": action_owner_name(action),
        "today": timezone.localdate(),
        "can_change": can_change,
        "can_complete": can_change and is_open,
        "can_reopen": can_change and not is_open,
        "note_form": forms.get("note_form") or NoteForm(),
        "complete_form": forms.get("complete_form") or OptionalNoteForm(),
        "drop_form": forms.get("drop_form") or ReasonForm(),
        "can_delete": allows(request.user, Action.DELETE, action),
        "archive_url": reverse("reviews:action-archive", args=[action.pk]),
        "restore_url": reverse("reviews:action-restore", args=[action.pk]),
    }


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors_reviews.action_item_get(user=request.user, pk=pk)
    return render(request, "reviews/action_detail.html", _action_context(request, action))


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = selectors_reviews.action_item_get(user=user, pk=pk, action=Action.CHANGE)
    form = ActionItemForm(
        request.POST or None, instance=action, user=user, relationship=action.relationship
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services_reviews.action_item_update(
                actor=user,
                action_item=action,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": action,
        "relationship": action.relationship,
        "title": f"Edit {action}",
    }
    return render(request, "reviews/action_form.html", context)


def _post_on_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class: Callable[..., Any],
    form_name: str,
    service: Callable[[ActionItem, Any], Any],
    success: str,
) -> HttpResponse:
    action = selectors_reviews.action_item_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = form_class(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: service(action, form),
            success_message=success,
            success_url=lambda _: _back(request, action),
        )
        if response is not None:
            return response
    context = _action_context(request, action, **{form_name: form})
    return render(request, "reviews/action_detail.html", context, status=400)


def _back(request: HttpRequest, action: ActionItem) -> str:
    """Back where the button was pressed: the review's page, My actions, or the action's page."""
    wanted = request.POST.get("next", "")
    if action.review_id and wanted == "review":
        return reverse("reviews:review-detail", args=[action.review_id])
    if wanted == "mine":
        return reverse("reviews:action-mine")
    return action.get_absolute_url()


@login_required
@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_action(
        request,
        pk,
        form_class=OptionalNoteForm,
        form_name="complete_form",
        service=lambda a, f: services_reviews.action_item_complete(
            actor=request.user, action_item=a, note=f.cleaned_data["note"]
        ),
        success="Action done.",
    )


@login_required
@require_POST
def action_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_action(
        request,
        pk,
        form_class=ReasonForm,
        form_name="drop_form",
        service=lambda a, f: services_reviews.action_item_drop(
            actor=request.user, action_item=a, reason=f.cleaned_data["reason"]
        ),
        success="Action dropped.",
    )


@login_required
@require_POST
def action_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_action(
        request,
        pk,
        form_class=OptionalNoteForm,
        form_name="complete_form",
        service=lambda a, f: services_reviews.action_item_reopen(
            actor=request.user, action_item=a, reason=f.cleaned_data["note"]
        ),
        success="Action reopened.",
    )


@login_required
@require_POST
def action_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_on_action(
        request,
        pk,
        form_class=NoteForm,
        form_name="note_form",
        service=lambda a, f: services_reviews.action_item_follow_up(
            actor=request.user, action_item=a, note=f.cleaned_data["note"]
        ),
        success="Follow-up noted.",
    )
