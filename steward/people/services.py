"""Writes about people: accounts, profiles, roles, reporting lines, teams and API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, forget_principal, principal_for, require
from steward.core.errors import DomainError
from steward.core.services import create_record, save_with_history, update_record
from steward.people.choices import Function, JobRole, UserKind
from steward.people.models import ApiToken, Profile, Team

User = get_user_model()


def _require_admin(actor: Any) -> None:
    principal = principal_for(actor)
    if not (principal.is_admin and principal.is_active):
        raise PermissionDenied("Only administrators manage user accounts.")


def _check_manager(user: Any, manager: Any | None) -> None:
    """A reporting line may not loop back on itself."""
    if manager is None:
        return
    if manager.pk == user.pk:
        raise DomainError("A person cannot be their own manager.", field="manager", code="cycle")
    from steward.people.selectors import report_ids_for

    if manager.pk in report_ids_for(user.pk):
        raise DomainError(
            f"{manager.get_full_name() or manager} reports to {user.get_full_name() or user}; "
            "choosing them as manager would make a loop.",
            field="manager",
            code="cycle",
        )


def user_create(
    *,
    actor: Any | None,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    roles: Iterable[str] = (),
    function: str = "",
    title: str = "",
    manager: Any | None = None,
    organization: Any | None = None,
    is_superuser: bool = False,
) -> Any:
    """Create a person with a profile; ``actor`` None means the command line (trusted)."""
    if actor is not None:
        _require_admin(actor)
    roles = list(roles)
    unknown = set(roles) - set(JobRole.values)
    if unknown:
        raise DomainError(f"Unknown job role(s): {', '.join(sorted(unknown))}.", field="roles")
    if function and function not in Function.values:
        raise DomainError(f"Unknown function {function!r}.", field="function")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            f"The user name {username!r} is taken.", field="username", code="duplicate"
        )
    kind = UserKind.EXTERNAL if organization is not None else UserKind.INTERNAL
    if kind == UserKind.EXTERNAL and (roles or is_superuser):
        raise DomainError("Portal users cannot hold internal job roles.", field="roles")
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise DomainError(
                " ".join(error.messages), field="password", code="weak_password"
            ) from error
    with transaction.atomic():
        candidate.is_superuser = is_superuser
        candidate.is_staff = is_superuser
        if password:
            candidate.set_password(password)
        else:
            candidate.set_unusable_password()
        candidate.save()
        candidate.groups.set(Group.objects.filter(name__in=roles))
        profile = Profile(
            user=candidate,
            kind=kind,
            function=function,
            title=title,
            manager=manager,
            organization=organization,
        )
        save_with_history(profile, actor=actor, reason="Account created")
    return candidate


def ensure_role_groups() -> None:
    """Job roles are auth groups; make sure each exists."""
    for role in JobRole:
        Group.objects.get_or_create(name=role.value)


def user_set_roles(*, actor: Any, user: Any, roles: Iterable[str]) -> Any:
    _require_admin(actor)
    roles = list(roles)
    unknown = set(roles) - set(JobRole.values)
    if unknown:
        raise DomainError(f"Unknown job role(s): {', '.join(sorted(unknown))}.", field="roles")
    before = set(user.groups.values_list("name", flat=True))
    if before != set(roles):
        user.groups.set(Group.objects.filter(name__in=roles))
        # Roles live on auth groups; the profile's history records each change of them.
        profile = Profile.objects.get(user=user)
        listed = ", ".join(sorted(roles)) or "none"
        save_with_history(profile, actor=actor, reason=f"Job roles set to: {listed}")
    forget_principal(user)
    return user


def profile_update(
    *, actor: Any, profile: Profile, expected_version: int, **changes: Any
) -> Profile:
    """People edit their own contact details; administrators edit everything else."""
    personal = {"title", "phone", "digest_enabled"}
    if set(changes) - personal:
        _require_admin(actor)
    else:
        require(actor, Action.CHANGE, profile)
    if "manager" in changes:
        _check_manager(profile.user, changes["manager"])
    updated = update_record(
        profile, actor=actor, expected_version=expected_version, changes=changes
    )
    forget_principal(profile.user)
    return updated


def person_update(
    *,
    actor: Any,
    person: Any,
    expected_version: int,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str],
    function: str,
    title: str,
    manager: Any | None,
) -> Any:
    """An administrator changes a person's name, roles, function and reporting line."""
    _require_admin(actor)
    profile = Profile.objects.get(user=person)
    with transaction.atomic():
        profile_update(
            actor=actor,
            profile=profile,
            expected_version=expected_version,
            function=function,
            title=title,
            manager=manager,
        )
        person.first_name, person.last_name, person.email = first_name, last_name, email
        person.save(update_fields=["first_name", "last_name", "email"])
        user_set_roles(actor=actor, user=person, roles=roles)
    return person


def user_deactivate(*, actor: Any, user: Any) -> Any:
    """People are never deleted; a leaver is deactivated and keeps their history."""
    _require_admin(actor)
    if user.pk == actor.pk:
        raise DomainError("You cannot deactivate your own account.", code="self")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


def team_create(
    *, actor: Any, name: str, lead: Any, description: str = "", members: Iterable[Any] = ()
) -> Team:
    if not principal_for(actor).may_write:
        raise PermissionDenied("You may not create teams.")
    if Team.objects.filter(name__iexact=name).exists():
        raise DomainError(f"A team named {name!r} exists already.", field="name", code="duplicate")
    return create_record(
        Team(name=name, lead=lead, description=description),
        actor=actor,
        many={"members": list(members)},
    )


def team_update(
    *,
    actor: Any,
    team: Team,
    expected_version: int,
    name: str,
    lead: Any,
    description: str = "",
    members: Iterable[Any] = (),
) -> Team:
    """The team lead or an administrator renames a team, changes its lead or its members."""
    require(actor, Action.CHANGE, team)
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise DomainError(f"A team named {name!r} exists already.", field="name", code="duplicate")
    return update_record(
        team,
        actor=actor,
        expected_version=expected_version,
        changes={"name": name, "lead": lead, "description": description},
        many={"members": list(members)},
    )


def api_token_create(
    *, actor: Any, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``actor`` and return it with its secret, which is never shown again."""
    if not principal_for(actor).is_active:
        raise PermissionDenied("Inactive users cannot hold API tokens.")
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name so you can recognise it later.", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError("The expiry must lie in the future.", field="expires_at")
    secret = "stw_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name[:100],
        prefix=secret[4 : 4 + ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(secret),
        expires_at=expires_at,
    )
    token._history_user = actor  # type: ignore[attr-defined]
    token.save()
    return token, secret


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require(actor, Action.CHANGE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = actor  # type: ignore[attr-defined]
        token.save(update_fields=["revoked_at"])
    return token
