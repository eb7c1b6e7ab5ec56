"""Reads about people, always scoped by the access policy."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from steward.core.access import Principal, principal_for
from steward.people.choices import JobRole, UserKind
from steward.people.models import ApiToken, Profile, Team

User = get_user_model()


def report_ids_for(user_id: int) -> frozenset[int]:
    """Direct and indirect reports of ``user_id``, one query per level of the hierarchy."""
    found: set[int] = set()
    frontier = {user_id}
    while frontier:
        level = set(
            Profile.objects.filter(manager_id__in=frontier, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        frontier = level - found - {user_id}
        found |= frontier
    return frozenset(found)


def principal_load(user: AbstractBaseUser | AnonymousUser) -> Principal:
    """What the access policy needs to know about ``user``: roles, reports, portal membership."""
    if not user.is_authenticated or not user.is_active:
        return Principal(user_id=getattr(user, "pk", None))
    try:
        # Usually joined already by the authentication backend or the token lookup.
        profile: Profile | None = user.profile  # type: ignore[attr-defined]
    except Profile.DoesNotExist:
        profile = None
    groups = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    is_external = bool(profile and profile.kind == UserKind.EXTERNAL)
    is_admin = not is_external and (
        bool(getattr(user, "is_superuser", False)) or JobRole.ADMINISTRATOR in groups
    )
    return Principal(
        user_id=user.pk,
        is_active=True,
        is_admin=is_admin,
        is_auditor=not is_external and JobRole.AUDITOR in groups,
        is_external=is_external,
        function=profile.function if profile and not is_external else "",
        portal_organization_id=profile.organization_id if is_external and profile else None,
        reports_loader=None if is_external else partial(report_ids_for, user.pk),
    )


def user_list(*, user: Any, include_inactive: bool = False) -> QuerySet[Any]:
    """People a user may see: internal users see the directory; portal users see themselves."""
    principal = principal_for(user)
    users = User.objects.select_related("profile").order_by("first_name", "last_name", "username")
    if not include_inactive:
        users = users.filter(is_active=True)
    if not principal.is_active:
        return users.none()
    if principal.is_external:
        return users.filter(pk=principal.user_id or 0)
    return users


def user_search(*, user: Any, query: str) -> QuerySet[Any]:
    """People the user may see whose names match every word of ``query``."""
    matches = Q()
    for word in query.split()[:5]:
        matches &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return user_list(user=user).filter(matches)


def user_get_for_user(*, user: Any, pk: Any) -> Any:
    from django.http import Http404

    try:
        return user_list(user=user, include_inactive=True).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def internal_user_choices(*, user: Any) -> QuerySet[Any]:
    """Internal, active people: who may own records or join a team."""
    return user_list(user=user).exclude(profile__kind=UserKind.EXTERNAL)


def roles_of(user: Any) -> set[str]:
    """The user's job roles, read once per request."""
    cached = getattr(user, "_steward_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._steward_roles = cached
    return cached


def team_list(*, user: Any) -> QuerySet[Team]:
    return Team.objects.restrict(user, "view").active().select_related("lead")


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens (administrators and auditors see everyone's)."""
    return ApiToken.objects.restrict(user, "view").select_related("user")
