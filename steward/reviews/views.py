"""Activities: the list, logging one on a relationship, its page and its edit form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from steward.core.access import Action, allows, can_create
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices
from steward.reviews import selectors, services
from steward.reviews.forms import ActivityForm
from steward.reviews.models import Activity

DETAIL_TABS = ("overview", "history")


class ActivityListView(ListPage):
    template_name = "reviews/activity_list.html"
    filterset_selector = selectors.activity_filterset
    export_name = "activities"
    title = "Activities"
    export_columns = (
        Column("Id", lambda a: a.pk),
        Column("Date", lambda a: a.occurred_on),
        Column("Kind", lambda a: a.get_kind_display()),
        Column("Subject", lambda a: a.subject),
        Column("Organization", lambda a: a.relationship.organization.display_name),
        Column("Side", lambda a: a.relationship.get_side_display()),
        Column("Logged by", lambda a: person_name(a.logged_by)),
        Column(
            "Our participants", lambda a: ", ".join(person_name(p) for p in a.participants.all())
        ),
        Column("Their participants", lambda a: ", ".join(str(c) for c in a.contacts.all())),
        Column("Follow up on", lambda a: a.follow_up_on),
        Column("Face to face", lambda a: "yes" if a.face_to_face else "no"),
        Column("Summary", lambda a: a.summary),
        Column("Archived", lambda a: a.archived_at),
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


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in DETAIL_TABS:
        tab = "overview"
    context: dict[str, Any] = {
        "object": activity,
        "relationship": activity.relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "can_change": not activity.is_archived and allows(request.user, Action.CHANGE, activity),
        "can_delete": allows(request.user, Action.DELETE, activity),
        "archive_url": reverse("reviews:activity-archive", args=[activity.pk]),
        "restore_url": reverse("reviews:activity-restore", args=[activity.pk]),
    }
    if tab == "history":
        context.update(history_context(request, activity))
    return render_page(request, "reviews/activity_detail.html", context, partial="tab")


@login_required
def activity_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, Activity, parent=relationship):
        raise PermissionDenied("You may not log activities on this relationship.")
    form = ActivityForm(
        request.POST or None,
        user=user,
        relationship=relationship,
        initial={"occurred_on": timezone.localdate(), "participants": [user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.activity_log(actor=user, relationship=relationship, **form.changes()),
            success_message="Activity logged.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"Log an activity with {relationship.organization}",
    }
    return render(request, "reviews/activity_form.html", context)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = selectors.activity_get(user=user, pk=pk, action=Action.CHANGE)
    form = ActivityForm(
        request.POST or None, instance=activity, user=user, relationship=activity.relationship
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.activity_update(
                actor=user,
                activity=activity,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": activity,
        "relationship": activity.relationship,
        "title": f"Edit {activity}",
    }
    return render(request, "reviews/activity_form.html", context)
