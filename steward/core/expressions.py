"""Query expressions that let a list endpoint fetch a page, many-to-many names included, at once."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Func, OuterRef, Subquery


class RelatedNames(Subquery):
    """A JSON array of ``attribute`` of the rows a many-to-many field points at, per row.

    ``Organization.objects.values("id", tags=RelatedNames(Organization, "tags", "name"))`` reads
    each page with its tag names in the same query instead of a second one. Names come back in no
    particular order; callers sort them. SQLite and PostgreSQL are supported.
    """

    output_field = models.JSONField()
    # Fixed SQL around the ORM-built subquery; nothing from a request is formatted into it.
    _SQLITE = '(SELECT json_group_array("related_name") FROM (%(subquery)s) AS "related_names")'
    _POSTGRESQL = (
        "(SELECT COALESCE(jsonb_agg(\"related_name\"), '[]'::jsonb) "
        'FROM (%(subquery)s) AS "related_names")'
    )

    def __init__(self, model: type[models.Model], field_name: str, attribute: str) -> None:
        field = model._meta.get_field(field_name)
        through = field.remote_field.through  # type: ignore[union-attr]
        source = field.m2m_field_name()  # type: ignore[union-attr]
        target = field.m2m_reverse_field_name()  # type: ignore[union-attr]
        names = through._default_manager.filter(**{source: OuterRef("pk")}).values(
            related_name=F(f"{target}__{attribute}")
        )
        super().__init__(names)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=self._SQLITE, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template=self._POSTGRESQL, **extra)


class RoundHundredths(Func):
    """Round a number to two decimals, as a decimal (PostgreSQL only rounds numerics)."""

    function = "ROUND"
    template = "%(function)s(%(expressions)s, 2)"
    output_field = models.DecimalField(max_digits=16, decimal_places=2)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="ROUND(CAST(%(expressions)s AS numeric), 2)", **extra
        )
