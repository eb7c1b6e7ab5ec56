"""The one access policy.

Every read in Steward starts here: selectors call ``Model.objects.restrict(user, action)`` and
object checks ask the same question for one row, so a list, a detail page, an API endpoint, an
export, a search and a background task can never disagree about what a user may see.

Who may do what:

- administrators see and change everything;
- auditors read everything and change nothing;
- owners and editing team members of a record read and change it;
- managers read what their direct and indirect reports own, and may reassign it;
- reviewers (legal, finance, IT security, procurement) read what they are assigned to;
- counterparty master data (organizations, their sites and contacts) is readable by every
  internal user, like a company directory, and changeable only through the rules above;
- reference data (categories, segmentation policy) is read by every internal user and changed
  by administrators;
- a business function can be given a whole model: finance reads all spend and keeps the spend
  reference data (sources, rules, rates), whoever owns the vendors;
- external portal users belong to one organization and see only that organization's records
  that were shared with them, nothing else, not even other organizations' names.

Models describe how they connect to owners, teams and organizations with an ``AccessSpec``;
the rules themselves live only in this module.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    REASSIGN = "reassign"


class Access(models.TextChoices):
    """What a team membership grants on the record it belongs to."""

    EDIT = "edit", "Read and change"
    REVIEW = "review", "Read (reviewer)"


@dataclass
class Principal:
    """Everything the policy needs to know about a user, resolved once per request.

    The reporting tree is read only when a rule needs it (most pages of most people never do).
    """

    user_id: int | None
    is_active: bool = False
    is_admin: bool = False
    is_auditor: bool = False
    is_external: bool = False
    function: str = ""
    portal_organization_id: int | None = None
    reports_loader: Callable[[], frozenset[int]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def report_ids(self) -> frozenset[int]:
        """Direct and indirect reports."""
        return self.reports_loader() if self.reports_loader else frozenset()

    @property
    def is_internal(self) -> bool:
        return self.is_active and not self.is_external

    @property
    def may_write(self) -> bool:
        """Internal users who are not read-only auditors may create records at all."""
        return self.is_active and not self.is_external and (self.is_admin or not self.is_auditor)


ANONYMOUS = Principal(user_id=None)


@dataclass(frozen=True)
class AccessSpec:
    """How a model connects to the people and organizations the policy reasons about.

    owner:               FK to the user who owns the record.
    members:             reverse accessor of membership rows that carry ``user`` and ``access``.
    parent:              FK to a restricted record this one belongs to; view and change follow it.
    grants:              reverse accessors of restricted records whose visibility extends here
                         (an organization is changeable by whoever may change a relationship on it).
    internal_directory:  every internal user may read it.
    portal_organization: lookup path to the organization a portal user must belong to.
    portal_flag:         boolean field that must be true for a portal user to see the row.
    administered:        reference data (categories, policies): internal users read it, only
                         administrators create and change it.
    functions:           internal people of these business functions (``finance``) read, create
                         and change every row, as administrators do.
    functions_create:    only administrators and those functions create rows (owners still read
                         and change their own).
    functions_read:      internal people of these business functions read every row (and what
                         belongs to it), without changing anything the rules above do not let
                         them change: procurement and IT security read every vendor.
    sealed_until:        lookup path to a moment before which no internal user, administrators
                         and auditors included, sees the row at all (a sealed bid before the
                         event's closing time); portal users are limited by their own rules.
    subject:             FK to the person a record is about (a sales quota, a training
                         objective): that person and their managers read it, only their
                         managers (and administrators) change it; nobody sets their own target.
    """

    owner: str | None = None
    members: str | None = None
    parent: str | None = None
    grants: tuple[str, ...] = ()
    internal_directory: bool = False
    portal_organization: str | None = None
    portal_flag: str | None = None
    create_requires_parent: bool = True
    administered: bool = False
    functions: tuple[str, ...] = ()
    functions_create: bool = False
    functions_read: tuple[str, ...] = ()
    sealed_until: str | None = None
    subject: str | None = None


class RestrictedModel(Protocol):
    access_spec: ClassVar[AccessSpec]


PrincipalLoader = Callable[["AbstractBaseUser | AnonymousUser"], Principal]
_principal_loader: PrincipalLoader | None = None


def register_principal_loader(loader: PrincipalLoader) -> None:
    """The people app tells the policy how to resolve roles, reports and portal membership."""
    global _principal_loader  # noqa: PLW0603 - a registry set once at start-up
    _principal_loader = loader


def principal_for(user: Any) -> Principal:
    """Resolve (and cache on the user object) what the policy needs to know about a user."""
    if isinstance(user, Principal):
        return user
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_steward_principal", None)
    if cached is not None:
        return cached
    if _principal_loader is None:  # pragma: no cover - wired in PeopleConfig.ready
        raise RuntimeError("No principal loader registered")
    principal = _principal_loader(user)
    user._steward_principal = principal
    return principal


def forget_principal(user: Any) -> None:
    """Drop the cached principal after roles, reports or memberships change."""
    if hasattr(user, "_steward_principal"):
        del user._steward_principal


# --- the rules -----------------------------------------------------------------------------------

EVERYTHING = Q()
# A related lookup must follow: parent and grants ask for change when the row is changed or
# archived, and confer nothing for reassignment, which stays with owners and their managers.
_RELATED_ACTION = {
    Action.VIEW: Action.VIEW,
    Action.CHANGE: Action.CHANGE,
    Action.DELETE: Action.CHANGE,
    Action.REASSIGN: None,
}


def spec_of(model: type[models.Model]) -> AccessSpec:
    spec = getattr(model, "access_spec", None)
    if not isinstance(spec, AccessSpec):
        raise TypeError(f"{model.__name__} has no access_spec")
    return spec


def scope(model: type[models.Model], principal: Principal, action: Action) -> Q | None:
    """The filter that limits ``model`` to rows ``principal`` may ``action``; None means none."""
    spec = spec_of(model)
    clause = _unsealed_scope(model, spec, principal, action)
    if clause is None or not spec.sealed_until or principal.is_external:
        return clause
    # The seal holds for every inside user, whatever else the rules grant; the database's clock
    # decides, so a page, an export and a background job all agree on the moment it lifts.
    return clause & Q(**{f"{spec.sealed_until}__lte": Now()})


def _unsealed_scope(
    model: type[models.Model], spec: AccessSpec, principal: Principal, action: Action
) -> Q | None:
    if not principal.is_active:
        return None
    if principal.is_admin:
        return EVERYTHING
    if principal.is_external:
        return _portal_scope(spec, principal, action)
    if principal.is_auditor:
        return EVERYTHING if action is Action.VIEW else None
    if principal.function and principal.function in spec.functions:
        return EVERYTHING
    if action is Action.VIEW and (
        spec.internal_directory
        or (principal.function and principal.function in spec.functions_read)
    ):
        return EVERYTHING
    if spec.administered:
        return EVERYTHING if action is Action.VIEW else None
    clauses = [
        *_owner_clauses(spec, principal, action),
        *_subject_clauses(spec, principal, action),
        *_member_clauses(model, spec, principal, action),
        *_related_clauses(model, spec, principal, action),
    ]
    if not clauses:
        return None
    # An empty Q means "no condition"; OR-ing it with another Q would silently drop it.
    if any(clause is EVERYTHING for clause in clauses):
        return EVERYTHING
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


def _portal_scope(spec: AccessSpec, principal: Principal, action: Action) -> Q | None:
    if action is not Action.VIEW or not spec.portal_organization:
        return None
    if principal.portal_organization_id is None:
        return None
    clause = Q(**{spec.portal_organization: principal.portal_organization_id})
    if spec.portal_flag:
        clause &= Q(**{spec.portal_flag: True})
    return clause


def _owner_clauses(spec: AccessSpec, principal: Principal, action: Action) -> list[Q]:
    if not spec.owner:
        return []
    clauses = [Q(**{spec.owner: principal.user_id})]
    if action in (Action.VIEW, Action.REASSIGN) and principal.report_ids:
        clauses.append(Q(**{f"{spec.owner}__in": sorted(principal.report_ids)}))
    return clauses


def _subject_clauses(spec: AccessSpec, principal: Principal, action: Action) -> list[Q]:
    if not spec.subject or action is Action.REASSIGN:
        return []
    clauses = []
    if principal.report_ids:
        clauses.append(Q(**{f"{spec.subject}__in": sorted(principal.report_ids)}))
    if action is Action.VIEW:
        clauses.append(Q(**{spec.subject: principal.user_id}))
    return clauses


def manages(user: Any, person: Any) -> bool:
    """Is ``person`` (a user or a user id) among ``user``'s direct or indirect reports, or is
    ``user`` an administrator? Who may set someone's targets and objectives."""
    principal = principal_for(user)
    if not principal.may_write:
        return False
    person_id = getattr(person, "pk", person)
    return principal.is_admin or person_id in principal.report_ids


def _member_clauses(
    model: type[models.Model], spec: AccessSpec, principal: Principal, action: Action
) -> list[Q]:
    if not spec.members or action is Action.REASSIGN:
        return []
    relation = model._meta.get_field(spec.members)
    member_model = relation.related_model
    back = relation.field.name  # type: ignore[union-attr]
    memberships = member_model._default_manager.filter(  # type: ignore[union-attr]
        **{back: OuterRef("pk"), "user_id": principal.user_id}
    )
    if any(f.name == "archived_at" for f in member_model._meta.get_fields()):  # type: ignore[union-attr]
        # Someone removed from a team (an archived membership) keeps no access through it.
        memberships = memberships.filter(archived_at__isnull=True)
    if action is not Action.VIEW:
        memberships = memberships.filter(access=Access.EDIT)
    return [Q(Exists(memberships))]


def _related_clauses(
    model: type[models.Model], spec: AccessSpec, principal: Principal, action: Action
) -> list[Q]:
    related_action = _RELATED_ACTION[action]
    if related_action is None:
        return []
    clauses: list[Q] = []
    if spec.parent:
        parent_model = model._meta.get_field(spec.parent).related_model
        parent_scope = scope(parent_model, principal, related_action)  # type: ignore[arg-type]
        if parent_scope is EVERYTHING:
            clauses.append(EVERYTHING)
        elif parent_scope is not None:
            visible_parents = parent_model._default_manager.filter(parent_scope)  # type: ignore[union-attr]
            clauses.append(Q(**{f"{spec.parent}__in": visible_parents.values("pk")}))
    for accessor in spec.grants:
        relation = model._meta.get_field(accessor)
        granting_model = relation.related_model
        granting_scope = scope(granting_model, principal, related_action)  # type: ignore[arg-type]
        if granting_scope is None:
            continue
        back = relation.field.name  # type: ignore[union-attr]
        granting = granting_model._default_manager.filter(granting_scope, **{back: OuterRef("pk")})  # type: ignore[union-attr]
        clauses.append(Q(Exists(granting)))
    return clauses


# --- querysets and object checks -----------------------------------------------------------------

_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M]):
    """A queryset that can limit itself to what a user may do."""

    def restrict(self, user: Any, action: Action | str = Action.VIEW) -> RestrictedQuerySet[_M]:
        clause = scope(self.model, principal_for(user), Action(action))
        if clause is None:
            return self.none()
        if clause is EVERYTHING:
            return self.all()
        return self.filter(clause)

    def active(self) -> RestrictedQuerySet[_M]:
        """Rows that are not archived."""
        return self.filter(archived_at__isnull=True)


def allows(user: Any, action: Action | str, obj: models.Model) -> bool:
    """May ``user`` do ``action`` to ``obj``? Asked of the database with the same rules as lists."""
    principal = principal_for(user)
    clause = scope(type(obj), principal, Action(action))
    if clause is None:
        return False
    if clause is EVERYTHING:
        return True
    return type(obj)._default_manager.filter(clause, pk=obj.pk).exists()


def can_create(user: Any, model: type[models.Model], *, parent: models.Model | None = None) -> bool:
    """May ``user`` create a ``model`` (under ``parent`` when the model belongs to one)?"""
    principal = principal_for(user)
    if principal.is_admin and principal.is_active:
        return True
    if not principal.may_write:
        return False
    spec = spec_of(model)
    if principal.function and principal.function in spec.functions:
        return True
    if spec.administered or spec.functions_create:
        return False
    if spec.parent and spec.create_requires_parent:
        return parent is not None and allows(principal, Action.CHANGE, parent)
    return True


def get_for_user(
    queryset: models.QuerySet[_M], *, user: Any, pk: Any, action: Action | str = Action.VIEW
) -> _M:
    """Fetch one row and authorize ``action`` on it.

    Rows the user may not see answer 404, so their existence is not revealed; rows the user
    may see but not ``action`` answer 403.
    """
    restricted = queryset.restrict(user, Action.VIEW)  # type: ignore[attr-defined]
    try:
        obj: _M = restricted.get(pk=pk)
    # An id past the database's integers (a guessed one) finds nothing, like any unknown id;
    # Django guards its own auto ids so, but not a primary key that is a one-to-one link.
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404 from error
    if Action(action) is not Action.VIEW and not allows(user, action, obj):
        raise PermissionDenied(f"You may not {action} this {obj._meta.verbose_name}.")
    return obj


def require(user: Any, action: Action | str, obj: models.Model) -> None:
    """Raise PermissionDenied unless ``user`` may ``action`` ``obj``."""
    if not allows(user, action, obj):
        raise PermissionDenied(f"You may not {action} this {obj._meta.verbose_name}.")


def require_create(
    user: Any, model: type[models.Model], *, parent: models.Model | None = None
) -> None:
    if not can_create(user, model, parent=parent):
        raise PermissionDenied(f"You may not create a {model._meta.verbose_name}.")


def restricted_models() -> Iterable[type[models.Model]]:
    """Every model that carries an access spec: the permission matrix walks these."""
    from django.apps import apps

    return [m for m in apps.get_models() if isinstance(getattr(m, "access_spec", None), AccessSpec)]
