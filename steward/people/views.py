"""Signing in and out, the people directory, profiles and personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create, get_for_user, principal_for
from steward.core.errors import DomainError
from steward.core.ui import (
    apply_domain_error,
    history_context,
    paginate,
    render_page,
    run_form_service,
)
from steward.people import selectors, services
from steward.people.forms import (
    PersonalDetailsForm,
    TeamForm,
    TokenForm,
    UserAdminForm,
    UserCreateForm,
)
from steward.people.models import ApiToken, Profile, Team

User = get_user_model()


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    people = selectors.user_list(user=request.user).select_related("profile__manager")
    query = request.GET.get("q", "").strip()
    if query:
        for word in query.split()[:5]:
            people = (
                people.filter(first_name__icontains=word)
                | people.filter(last_name__icontains=word)
                | people.filter(username__icontains=word)
            )
    page = paginate(request, people.prefetch_related("groups").distinct())
    context = {
        "page": page,
        "rows": page.object_list,
        "query": query,
        "title": "People",
        "is_admin": principal_for(request.user).is_admin,
    }
    return render_page(request, "people/people_list.html", context, partial="results")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.user_get_for_user(user=request.user, pk=pk)
    profile = Profile.objects.filter(user=person).select_related("manager", "organization").first()
    context = {
        "person": person,
        "profile": profile,
        "roles": sorted(selectors.roles_of(person)),
        "reports": User.objects.filter(profile__manager=person, is_active=True).order_by(
            "last_name"
        ),
        "is_admin": principal_for(request.user).is_admin,
        "title": person.get_full_name() or person.get_username(),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.get(user=request.user)  # type: ignore[misc]
    form = PersonalDetailsForm(
        request.POST or None,
        initial={
            "title": profile.title,
            "phone": profile.phone,
            "digest_enabled": profile.digest_enabled,
            "version": profile.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.profile_update(
                actor=request.user, profile=profile, expected_version=version, **data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Your details are saved.")
            return HttpResponseRedirect(reverse("people:me"))
    return render(
        request, "people/me.html", {"form": form, "profile": profile, "title": "My profile"}
    )


def _require_admin(request: HttpRequest) -> None:
    if not principal_for(request.user).is_admin:
        raise PermissionDenied("Only administrators manage people.")


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.user_create(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=data["roles"],
                function=data["function"],
                title=data["title"],
                manager=data["manager"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{person.get_full_name() or person} can now sign in.")
            return HttpResponseRedirect(reverse("people:person-detail", args=[person.pk]))
    return render(request, "people/person_form.html", {"form": form, "title": "New person"})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    person = selectors.user_get_for_user(user=request.user, pk=pk)
    profile = Profile.objects.get(user=person)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "roles": sorted(selectors.roles_of(person)),
        "function": profile.function,
        "title": profile.title,
        "manager": profile.manager_id,
        "version": profile.version,
    }
    form = UserAdminForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.user,
                person=person,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=data["roles"],
                function=data["function"],
                title=data["title"],
                manager=data["manager"],
                expected_version=data["version"] or 0,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Saved.")
            return HttpResponseRedirect(reverse("people:person-detail", args=[person.pk]))
    context = {"form": form, "person": person, "title": f"Edit {person.get_full_name() or person}"}
    return render(request, "people/person_form.html", context)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(dt.datetime.combine(expires_on, dt.time.max))
            if expires_on
            else None
        )
        try:
            _token, secret = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = TokenForm()
    tokens = selectors.api_token_list(user=request.user).filter(user=request.user)  # type: ignore[misc]
    context: dict[str, Any] = {
        "form": form,
        "tokens": tokens,
        "secret": secret,
        "title": "API tokens",
    }
    return render(request, "people/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_for_user(ApiToken.objects.all(), user=request.user, pk=pk, action=Action.CHANGE)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token “{token.name}” is revoked.")
    return HttpResponseRedirect(reverse("people:token-list"))


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list(user=request.user).prefetch_related("members")
    context = {
        "teams": teams,
        "can_create": can_create(request.user, Team),
        "title": "Teams",
    }
    return render(request, "people/team_list.html", context)


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_for_user(Team.objects.select_related("lead"), user=request.user, pk=pk)
    context = {
        "team": team,
        "object": team,
        "members": team.members.order_by("last_name", "first_name"),
        "can_change": allows(request.user, Action.CHANGE, team),
        "title": team.name,
        **history_context(request, team),
    }
    return render_page(request, "people/team_detail.html", context, partial="history")


def _team_values(form: TeamForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "lead": data["lead"],
        "description": data["description"],
        "members": data["members"],
    }


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, Team):
        raise PermissionDenied("You may not create teams.")
    form = TeamForm(request.POST or None, user=request.user, initial={"lead": request.user.pk})
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.team_create(actor=request.user, **_team_values(form)),
            success_message="Team created.",
            success_url=lambda team: reverse("people:team-detail", args=[team.pk]),
        )
        if response is not None:
            return response
    return render(request, "people/team_form.html", {"form": form, "title": "New team"})


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_for_user(Team.objects.all(), user=request.user, pk=pk, action=Action.CHANGE)
    initial = {
        "name": team.name,
        "description": team.description,
        "lead": team.lead_id,
        "members": list(team.members.values_list("pk", flat=True)),
        "version": team.version,
    }
    form = TeamForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.team_update(
                actor=request.user,
                team=team,
                expected_version=form.cleaned_data["version"] or 0,
                **_team_values(form),
            ),
            success_message="Team saved.",
            success_url=lambda saved: reverse("people:team-detail", args=[saved.pk]),
        )
        if response is not None:
            return response
    context = {"form": form, "team": team, "title": f"Edit {team.name}"}
    return render(request, "people/team_form.html", context)
