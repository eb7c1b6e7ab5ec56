"""Bulk writes that leave the same history the services leave, at a fraction of the cost.

The demo loader writes a few hundred thousand rows for the ``large`` size, so it inserts in bulk
instead of calling a service per record. To keep the data indistinguishable from what people
would have entered, each record still gets a "created" history entry naming who created it and
when (dates lie in the past, relative to today), many-to-many sets are snapshotted into that
entry exactly as ``steward.core.services.create_record`` does, and later edits are written as
"changed" entries with the version bumped, as ``update_record`` does.

Rows go in through one prepared INSERT per table (``executemany``) with primary keys reserved
up front. ``QuerySet.bulk_create`` compiles SQL per value and batch, which made the ``large``
load take over a minute; this path takes a fraction of that. Field values are still prepared
by the fields themselves (``get_db_prep_save``), so what lands in the database is the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import AutoFieldMixin

from steward.core.history import history_through_model
from steward.core.models import DomainModel
from steward.demo.generate.context import DemoContext

ROWS_PER_STATEMENT = 5000

_M = TypeVar("_M", bound=models.Model)


def insert(
    ctx: DemoContext,
    objs: Sequence[_M],
    *,
    by: Callable[[_M], Any],
    at: Callable[[_M], dt.datetime],
    reason: str = "Created",
    many: Mapping[str, Callable[[_M], Iterable[models.Model]]] | None = None,
) -> Sequence[_M]:
    """Insert ``objs`` with their m2m sets and one "created" history record each.

    ``by`` names the history user of a record and ``at`` when it was created.
    """
    if not objs:
        return objs
    model = type(objs[0])
    moments = [at(obj) for obj in objs]
    if issubclass(model, DomainModel):
        for obj, moment in zip(objs, moments, strict=True):
            obj.created_at = moment  # type: ignore[attr-defined]
            obj.updated_at = moment  # type: ignore[attr-defined]
    bulk_insert(objs)
    ctx.counts[model._meta.label] += len(objs)
    for name, targets_of in (many or {}).items():
        _insert_many(ctx, objs, name, targets_of)
    _history(ctx, objs, by=by, moments=moments, reasons=[reason] * len(objs), update=False)
    return objs


def bulk_insert(objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` of one model as they are, giving each its primary key.

    Unlike ``save()`` this runs no ``pre_save``: the caller sets every value, timestamps included.
    """
    if not objs:
        return
    model = type(objs[0])
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")  # type: ignore[attr-defined]
    attnames = [field.attname for field in model._meta.concrete_fields]
    rows = [{name: getattr(obj, name) for name in attnames} for obj in objs]
    ids = insert_rows(model, rows)
    alias = router.db_for_write(model)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias


# Values of these types need no preparation for these fields; everything else (dates, country
# objects, …) goes through the field's own get_db_prep_save.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
_PLAIN_VALUES = (str, int, bool, type(None))


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows given as {attname: value} (every concrete field) and return their ids.

    Primary keys are reserved here and written into the rows.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    pk_name = model._meta.pk.attname
    if isinstance(model._meta.pk, AutoFieldMixin):
        ids = list(_reserve_ids(connection, model, len(rows)))
        for row, pk in zip(rows, ids, strict=True):
            row[pk_name] = pk
    else:
        # A primary key that is also a relation (a vendor is its relationship) comes given.
        ids = [row[pk_name] for row in rows]
    fields = list(model._meta.concrete_fields)
    plain = [
        isinstance(field, _PLAIN_FIELDS) and not isinstance(field, models.JSONField)
        for field in fields
    ]
    values = []
    for row in rows:
        prepared = []
        for field, is_plain in zip(fields, plain, strict=True):
            value = row[field.attname]
            if not (is_plain and type(value) in _PLAIN_VALUES):
                value = field.get_db_prep_save(value, connection)
            prepared.append(value)
        values.append(prepared)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    if connection.vendor == "postgresql":
        # One COPY per table: row-by-row statements cost PostgreSQL a parse and plan each.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for prepared in values:
                copy.write_row(prepared)
    else:
        placeholders = ", ".join(["%s"] * len(fields))
        # Names come from the model; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        _execute_many(connection, sql, values)
    return ids


def _reserve_ids(
    connection: BaseDatabaseWrapper, model: type[models.Model], count: int
) -> Sequence[int]:
    """Primary keys nobody else will take: from the sequence, or under SQLite's write lock."""
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":  # pragma: no cover - Steward runs on these two
            raise NotImplementedError(f"The demo loader does not support {connection.vendor}.")
        # The load runs in one transaction that holds SQLite's write lock (BEGIN IMMEDIATE),
        # so no one else can insert between reading the highest id and using the next ones.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        highest = max(highest, cursor.fetchone()[0])
    return range(highest + 1, highest + 1 + count)


def _execute_many(connection: BaseDatabaseWrapper, sql: str, rows: list[list[Any]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            cursor.executemany(sql, rows[start : start + ROWS_PER_STATEMENT])


def add_many(
    ctx: DemoContext,
    objs: Sequence[models.Model],
    name: str,
    targets_of: Callable[[Any], Iterable[models.Model]],
) -> None:
    """Give inserted ``objs`` an m2m set later; the next ``revise`` snapshots it into history."""
    if objs:
        _insert_many(ctx, objs, name, targets_of)


def _insert_many(
    ctx: DemoContext,
    objs: Sequence[models.Model],
    name: str,
    targets_of: Callable[[Any], Iterable[models.Model]],
) -> None:
    model = type(objs[0])
    field = model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[union-attr]
    target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
    rows = [
        {"id": None, f"{source}_id": obj.pk, f"{target}_id": related.pk}
        for obj in objs
        for related in targets_of(obj)
    ]
    insert_rows(through, rows)
    kept = ctx.many_rows.setdefault((model._meta.label, name), {})
    for row in rows:
        kept.setdefault(row[f"{source}_id"], []).append((row["id"], row[f"{target}_id"]))
    ctx.counts[through._meta.label] += len(rows)


def _history(
    ctx: DemoContext,
    objs: Sequence[models.Model],
    *,
    by: Callable[[Any], Any],
    moments: list[dt.datetime],
    reasons: list[str],
    update: bool,
) -> None:
    """One history record per object, built the way simple-history's bulk_history_create does."""
    model = type(objs[0])
    history_model = model.history.model  # type: ignore[attr-defined]
    tracked = history_model.tracked_fields
    longest = history_model._meta.get_field("history_change_reason").max_length
    if any(len(reason) > longest for reason in reasons):
        raise ValueError(f"A history reason is longer than {longest} characters")
    records = [
        {
            **{field.attname: getattr(obj, field.attname) for field in tracked},
            "history_id": None,
            "history_date": moment,
            "history_user_id": user.pk if (user := by(obj)) is not None else None,
            "history_change_reason": reason,
            "history_type": "~" if update else "+",
        }
        for obj, moment, reason in zip(objs, moments, reasons, strict=True)
    ]
    insert_rows(history_model, records)
    ctx.counts[history_model._meta.label] += len(records)
    for field in getattr(history_model, "_history_m2m_fields", []):
        _snapshot_many(ctx, model, history_model, records, field)


def _snapshot_many(
    ctx: DemoContext,
    model: type[models.Model],
    history_model: type[models.Model],
    records: list[dict[str, Any]],
    field: Any,
) -> None:
    """Each history record holds the whole m2m set as it was, like simple-history's own."""
    through_history = history_through_model(history_model, field)
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    pk_name = model._meta.pk.attname
    kept = ctx.many_rows.get((model._meta.label, field.name), {})
    rows = [
        {
            "m2m_history_id": None,
            "id": row_pk,
            "history_id": record["history_id"],
            f"{source}_id": record[pk_name],
            f"{target}_id": target_pk,
        }
        for record in records
        for row_pk, target_pk in kept.get(record[pk_name], [])
    ]
    insert_rows(through_history, rows)
    ctx.counts[through_history._meta.label] += len(rows)


@dataclass
class Revision:
    """A later edit of a record that was inserted: what changed, when, by whom and why."""

    obj: DomainModel
    changes: dict[str, Any]
    at: dt.datetime
    by: Any
    reason: str = ""


def revise(ctx: DemoContext, revisions: Sequence[Revision]) -> None:
    """Apply edits, bump versions and leave one "changed" history record per edit.

    Each record gets at most one revision per call.
    """
    if not revisions:
        return
    objs = [revision.obj for revision in revisions]
    if len({id(obj) for obj in objs}) != len(objs):
        raise ValueError("revise() takes at most one revision per record per call")
    names: set[str] = {"version", "updated_at"}
    for revision in revisions:
        for name, value in revision.changes.items():
            setattr(revision.obj, name, value)
            names.add(revision.obj._meta.get_field(name).name)
        revision.obj.version += 1
        revision.obj.updated_at = revision.at
    _update_rows(objs, names)
    by_obj = {id(revision.obj): revision.by for revision in revisions}
    _history(
        ctx,
        objs,
        by=lambda obj: by_obj[id(obj)],
        moments=[revision.at for revision in revisions],
        reasons=[revision.reason for revision in revisions],
        update=True,
    )


def _update_rows(objs: Sequence[models.Model], names: set[str]) -> None:
    """Write the fields ``names`` of each object back to its row in one prepared statement."""
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if field.name in names]
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table = quote(model._meta.db_table)
    pk_column = quote(str(model._meta.pk.column))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objs
    ]
    _execute_many(connection, sql, rows)
