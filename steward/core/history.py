"""Readable history: who changed what, when, field by field, from simple-history's records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

KIND_LABELS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any
    old_display: str
    new_display: str


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    at: dt.datetime
    user_id: int | None
    user_display: str
    kind: str
    reason: str
    version: int | None
    changes: list[FieldChange] = field(default_factory=list)


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    hidden: frozenset[str] = getattr(model, "bookkeeping_fields", frozenset())
    kept = {f.attname for f in model.history.model._meta.concrete_fields}  # type: ignore[attr-defined]
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in hidden and not f.primary_key and f.attname in kept
    ]


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    history_manager = getattr(model, "history", None)
    tracked = getattr(getattr(history_manager, "model", None), "_history_m2m_fields", [])
    names = {getattr(f, "name", f) for f in tracked}
    return [f for f in model._meta.many_to_many if f.name in names]


def history_for(obj: models.Model, *, limit: int = 20, offset: int = 0) -> list[HistoryEntry]:
    """The newest ``limit`` history entries of ``obj`` after ``offset``, each with its diff."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            offset : offset + limit + 1
        ]
    )
    fields = _tracked_fields(model)
    m2m = _m2m_fields(model)
    m2m_values = _m2m_snapshots(records, m2m)
    labels = _related_labels(records, fields)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entries.append(
            _entry(record, previous, fields=fields, m2m=m2m, m2m_values=m2m_values, labels=labels)
        )
    return entries


def history_count(obj: models.Model) -> int:
    return obj.history.count()  # type: ignore[attr-defined]


def _entry(
    record: Any,
    previous: Any,
    *,
    fields: list[models.Field[Any, Any]],
    m2m: list[models.ManyToManyField[Any, Any]],
    m2m_values: dict[tuple[int, str], list[str]],
    labels: dict[tuple[type[models.Model], Any], str],
) -> HistoryEntry:
    changes: list[FieldChange] = []
    for f in fields:
        new = getattr(record, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        changes.append(
            FieldChange(
                field=f.name,
                label=str(f.verbose_name).capitalize(),
                old=_plain(old),
                new=_plain(new),
                old_display=_display(f, old, labels) if previous is not None else "",
                new_display=_display(f, new, labels),
            )
        )
    for f in m2m:
        new_names = m2m_values.get((record.history_id, f.name), [])
        old_names = m2m_values.get((previous.history_id, f.name), []) if previous else []
        if new_names != old_names and (previous is not None or new_names):
            changes.append(
                FieldChange(
                    field=f.name,
                    label=str(f.verbose_name).capitalize(),
                    old=old_names,
                    new=new_names,
                    old_display=", ".join(old_names) or "—",
                    new_display=", ".join(new_names) or "—",
                )
            )
    user = record.history_user
    kind = KIND_LABELS.get(record.history_type, "changed")
    reason = record.history_change_reason or ""
    if reason in ("Archived", "Restored"):
        kind = reason.lower()
    return HistoryEntry(
        history_id=record.history_id,
        at=record.history_date,
        user_id=user.pk if user else None,
        user_display=(user.get_full_name() or user.get_username()) if user else "system",
        kind=kind,
        reason=reason,
        version=getattr(record, "version", None),
        changes=changes,
    )


def _m2m_snapshots(
    records: list[Any], m2m: list[models.ManyToManyField[Any, Any]]
) -> dict[tuple[int, str], list[str]]:
    """Names of the related rows each history record held, in one query per m2m field."""
    snapshots: dict[tuple[int, str], list[str]] = defaultdict(list)
    if not records:
        return snapshots
    history_model = type(records[0])
    ids = [r.history_id for r in records]
    for f in m2m:
        target = f.m2m_reverse_field_name()
        through_history = history_through_model(history_model, f)
        rows = (
            through_history._default_manager.filter(history_id__in=ids)
            .select_related(target)
            .order_by(f"{target}__{_first_ordering(f.related_model)}")
        )
        for row in rows:
            snapshots[(row.history_id, f.name)].append(str(getattr(row, target)))
    return snapshots


def _first_ordering(model: Any) -> str:
    ordering = model._meta.ordering
    return str(ordering[0]) if ordering else "pk"


def history_through_model(history_model: type[models.Model], f: Any) -> Any:
    """The table in which simple-history keeps the m2m rows of each history record."""
    expected = f"{history_model.__name__}_{f.name}"
    for relation in history_model._meta.related_objects:
        if relation.related_model.__name__ == expected:
            return relation.related_model
    raise LookupError(expected)  # pragma: no cover - every tracked m2m field has one


def _related_labels(
    records: list[Any], fields: list[models.Field[Any, Any]]
) -> dict[tuple[type[models.Model], Any], str]:
    """Names of the rows foreign keys pointed at, fetched once per related model."""
    labels: dict[tuple[type[models.Model], Any], str] = {}
    for f in fields:
        if not f.is_relation or f.related_model is None:
            continue
        related: type[models.Model] = f.related_model
        ids = {getattr(r, f.attname) for r in records} - {None}
        if not ids:
            continue
        for row in related._default_manager.filter(pk__in=ids):
            labels[(related, row.pk)] = _label_of(row)
    return labels


def _label_of(row: models.Model) -> str:
    get_full_name = getattr(row, "get_full_name", None)
    if callable(get_full_name):
        return str(get_full_name() or row)
    return str(row)


def _display(
    f: models.Field[Any, Any], value: Any, labels: dict[tuple[type[models.Model], Any], str]
) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation and f.related_model is not None:
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a stored value for the API."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
