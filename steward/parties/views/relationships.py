"""Relationships: the Vendors and Accounts lists, a relationship's page and its team."""

from __future__ import annotations

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
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors, services
from steward.parties.choices import Side
from steward.parties.forms import MemberForm, RelationshipForm
from steward.parties.models import Relationship, RelationshipMember

DETAIL_TABS = ("overview", "team", "contacts", "history")


class RelationshipListView(ListPage):
    template_name = "parties/relationship_list.html"
    filterset_selector = selectors.relationship_filterset
    export_name = "relationships"
    export_columns = (
        Column("Id", lambda r: r.pk),
        Column("Organization", lambda r: r.organization.display_name),
        Column("Side", lambda r: r.get_side_display()),
        Column("Owner", lambda r: r.owner.get_full_name() or r.owner.get_username()),
        Column("Tier", lambda r: r.get_tier_display()),
        Column("Status", lambda r: r.get_status_display()),
        Column("Next review", lambda r: r.next_review_on),
        Column("Summary", lambda r: r.summary),
        Column("Tags", lambda r: ", ".join(t.name for t in r.tags.all())),
        Column("Archived", lambda r: r.archived_at),
    )
    side: str = ""

    def get_filters(self) -> Any:
        filters = super().get_filters()
        if self.side:
            filters["side"] = self.side
        return filters

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "side": self.side,
            "today": timezone.localdate(),
            "can_create": can_create(self.request.user, Relationship),
            "new_url": reverse("parties:relationship-create")
            + (f"?side={self.side}" if self.side else ""),
        }


class AccountListView(RelationshipListView):
    side = Side.DEMAND
    title = "Accounts"


@login_required
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in DETAIL_TABS:
        tab = "overview"
    user = request.user
    can_change = allows(user, Action.CHANGE, relationship)
    context: dict[str, Any] = {
        "object": relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "can_change": can_change,
        "can_delete": allows(user, Action.DELETE, relationship),
        "can_reassign": allows(user, Action.REASSIGN, relationship),
        "archive_url": reverse("parties:relationship-archive", args=[pk]),
        "restore_url": reverse("parties:relationship-restore", args=[pk]),
    }
    if tab in ("overview", "team"):
        context["members"] = selectors.member_list(user=user, relationship=relationship)
        if tab == "team" and can_change and not relationship.is_archived:
            context["member_form"] = MemberForm(user=user)
    elif tab == "contacts":
        context["contacts"] = selectors.contact_list(
            user=user, filters={"organization": relationship.organization_id}
        )
    elif tab == "history":
        context.update(history_context(request, relationship))
    return render_page(request, "parties/relationship_detail.html", context, partial="tab")


@login_required
def relationship_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, Relationship):
        raise PermissionDenied("You may not create relationships.")
    initial = {
        "side": request.GET.get("side") or Side.SUPPLY,
        "organization": request.GET.get("organization"),
    }
    form = RelationshipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("tier", "status", "next_review_on", "summary")}
        response = run_form_service(
            request,
            form,
            lambda: services.relationship_create(
                actor=request.user,
                organization=data["organization"],
                side=data["side"],
                owner=data["owner"],
                tags=data["tags"],
                **fields,
            ),
            success_message="Relationship created.",
        )
        if response is not None:
            return response
    return render(
        request, "parties/relationship_form.html", {"form": form, "title": "New relationship"}
    )


@login_required
def relationship_edit(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = RelationshipForm(request.POST or None, instance=relationship, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in ("tier", "status", "next_review_on", "summary")}
        response = run_form_service(
            request,
            form,
            lambda: services.relationship_update(
                actor=request.user,
                relationship=relationship,
                expected_version=data.get("version") or 0,
                tags=data["tags"],
                **changes,
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {"form": form, "object": relationship, "title": f"Edit {relationship}"}
    return render(request, "parties/relationship_form.html", context)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = selectors.relationship_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = MemberForm(request.POST, user=request.user)
    team_url = f"{relationship.get_absolute_url()}?tab=team"
    if form.is_valid():
        try:
            services.member_add(actor=request.user, relationship=relationship, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Added to the team.")
    else:
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else f}: {' '.join(str(m) for m in e)}"
            for f, e in form.errors.items()
        )
        messages.error(request, f"Not added. {errors}")
    return HttpResponseRedirect(team_url)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member: RelationshipMember = selectors.member_get(
        user=request.user, pk=pk, action=Action.DELETE
    )
    try:
        services.record_archive(actor=request.user, record=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.user.get_full_name() or member.user} left the team.")
    return HttpResponseRedirect(f"{member.relationship.get_absolute_url()}?tab=team")
