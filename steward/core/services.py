"""Write helpers every domain service shares: versioned updates, archive and restore.

Domain services validate their own rules, then call these to change state, bump the version
and leave exactly one history record per change with the actor and a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from steward.core.access import principal_for
from steward.core.display import person_name
from steward.core.errors import DomainError, StaleVersionError
from steward.core.history import history_through_model
from steward.core.models import DomainModel

_D = TypeVar("_D", bound=DomainModel)


def lock_for_update(obj: _D, *, expected_version: int | None) -> _D:
    """Re-read ``obj`` under a row lock and refuse if it moved past ``expected_version``."""
    locked: _D = type(obj)._default_manager.select_for_update().get(pk=obj.pk)  # type: ignore[assignment]
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(
            expected=expected_version, current=locked.version, label=str(obj._meta.verbose_name)
        )
    return locked


REASON_LENGTH = 100
TEXT_LIMIT = 10_000


def text(
    value: Any, *, field: str, label: str, required: bool = False, limit: int = TEXT_LIMIT
) -> str:
    """Typed text, trimmed; refused when required and empty, too long, or holding a NUL."""
    if value is not None and not isinstance(value, str):
        raise DomainError(f"Give the {label} as text.", field=field)
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(f"Give the {label}.", field=field, code="required")
    if len(cleaned) > limit:
        raise DomainError(
            f"The {label} is longer than {limit} characters.", field=field, code="too_long"
        )
    if "\x00" in cleaned:
        raise DomainError(f"Remove the NUL character from the {label}.", field=field)
    return cleaned


def check_internal_person(user: Any, *, field: str, role: str) -> None:
    """``user`` is one of our people with access (an owner, a contact, an approver): active and
    internal as the access policy sees them, never a portal user."""
    if not user.is_active:
        raise DomainError(
            f"{person_name(user)} no longer has access; choose someone active as {role}.",
            field=field,
            code="inactive",
        )
    if not principal_for(user).is_internal:
        raise DomainError(
            f"{person_name(user)} is not one of our people; the {role} must be.",
            field=field,
            code="not_internal",
        )


def validate_fields(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """The model's field rules (lengths, choices, formats) before anything is written.

    Uniqueness and constraints are left to the services, which say which field clashes, and to
    the database.
    """
    instance.full_clean(exclude=[*exclude], validate_unique=False, validate_constraints=False)


def refuse_unknown_fields(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse a change that names a field the service does not let one change."""
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")


def _fit_reason(reason: str) -> str:
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


def save_with_history(obj: _D, *, actor: Any, reason: str = "", bump: bool = True) -> _D:
    """Save ``obj`` recording ``actor`` and ``reason`` in its history."""
    if bump and obj.pk is not None:
        obj.version += 1
    obj._history_user = actor  # type: ignore[attr-defined]
    # The history column holds 100 characters; a longer reason (free text a user typed into a
    # transition, say) is cut rather than failing the save on PostgreSQL.
    obj._change_reason = _fit_reason(reason)  # type: ignore[attr-defined]
    obj.save()
    return obj


def set_many_quietly(obj: models.Model, field_name: str, targets: Iterable[models.Model]) -> bool:
    """Set a many-to-many field through its join table without m2m signals.

    The next save then writes one history record that holds the fields and the new set
    together, instead of one record per join-table change. Returns whether the set changed.
    """
    field = obj._meta.get_field(field_name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[union-attr]
    target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
    wanted = {t.pk for t in targets}
    current = set(
        through._default_manager.filter(**{source: obj.pk}).values_list(f"{target}_id", flat=True)
    )
    if wanted == current:
        return False
    through._default_manager.filter(
        **{source: obj.pk, f"{target}_id__in": current - wanted}
    ).delete()
    through._default_manager.bulk_create(
        [through(**{f"{source}_id": obj.pk, f"{target}_id": pk}) for pk in wanted - current]
    )
    return True


def create_record(
    obj: _D,
    *,
    actor: Any,
    reason: str = "Created",
    many: Mapping[str, Iterable[models.Model]] | None = None,
) -> _D:
    """Insert ``obj`` with its many-to-many sets, leaving one "created" history record."""
    with transaction.atomic():
        save_with_history(obj, actor=actor, reason=reason, bump=False)
        # Every set is written; ``any`` over a generator would stop at the first that changed.
        changed = [set_many_quietly(obj, name, targets) for name, targets in (many or {}).items()]
        if any(changed):
            snapshot_many_into_history(obj)
    return obj


def snapshot_many_into_history(obj: models.Model) -> None:
    """Copy the current m2m rows into the newest history record of ``obj``."""
    record = obj.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    for field in record._history_m2m_fields:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        history_through = history_through_model(type(record), field)
        history_through._default_manager.filter(history=record).delete()
        rows = through._default_manager.filter(**{source: obj.pk}).values_list("pk", f"{target}_id")
        history_through._default_manager.bulk_create(
            [
                history_through(
                    id=row_pk,
                    history=record,
                    **{f"{source}_id": obj.pk, f"{target}_id": target_pk},
                )
                for row_pk, target_pk in rows
            ]
        )


def update_record(
    obj: _D,
    *,
    actor: Any,
    expected_version: int | None,
    changes: Mapping[str, Any],
    many: Mapping[str, Iterable[models.Model]] | None = None,
    reason: str = "",
    validate: Callable[[_D], None] | None = None,
) -> _D:
    """Apply ``changes`` (and many-to-many sets) to ``obj`` if nobody saved it in between.

    ``validate`` sees the record with the changes applied and raises to refuse them; nothing
    is written in that case.
    """
    with transaction.atomic():
        locked = lock_for_update(obj, expected_version=expected_version)
        if locked.is_archived:
            raise DomainError(
                f"This {obj._meta.verbose_name} is archived; restore it before editing.",
                code="archived",
            )
        changed = False
        for name, value in changes.items():
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed = True
        if changed and validate is not None:
            validate(locked)
        for name, targets in (many or {}).items():
            changed = set_many_quietly(locked, name, targets) or changed
        if changed:
            save_with_history(locked, actor=actor, reason=reason)
        return locked


def archive_record(
    obj: _D, *, actor: Any, expected_version: int | None = None, reason: str = ""
) -> _D:
    """Archive instead of deleting: the record leaves lists and can be restored."""
    with transaction.atomic():
        locked = lock_for_update(obj, expected_version=expected_version)
        if locked.is_archived:
            return locked
        locked.archived_at = timezone.now()
        locked.archived_by = actor if getattr(actor, "pk", None) else None
        return save_with_history(locked, actor=actor, reason=reason or "Archived")


def restore_record(
    obj: _D, *, actor: Any, expected_version: int | None = None, reason: str = ""
) -> _D:
    with transaction.atomic():
        locked = lock_for_update(obj, expected_version=expected_version)
        if not locked.is_archived:
            return locked
        locked.archived_at = None
        locked.archived_by = None
        return save_with_history(locked, actor=actor, reason=reason or "Restored")
