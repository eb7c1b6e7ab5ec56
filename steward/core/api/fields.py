"""Serializer fields shared by every app's API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from rest_framework import serializers

ChoicesFor = Callable[[Any], "models.QuerySet[Any]"]
VERSION_HELP = "The version you read (or send If-Match)."


def version_field() -> serializers.IntegerField:
    """The version a client read, checked by an update against lost changes."""
    return serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


def amount_field(help_text: str = "", *, output: bool = False) -> serializers.DecimalField:
    """An amount of money, two decimal places; input may be empty but never negative."""
    if output:
        return serializers.DecimalField(
            max_digits=16, decimal_places=2, allow_null=True, help_text=help_text
        )
    return serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row given by id, looked up only among the rows the requesting user may see.

    ``choices`` receives the user and returns a queryset from a selector or from
    ``Model.objects.restrict(user, "view")``. An id the user may not see is answered exactly
    like an id that does not exist, so the API never reveals that an invisible row is there.
    """

    def __init__(self, *, model: type[models.Model], choices: ChoicesFor, **kwargs: Any) -> None:
        self.visible_rows = choices
        # The empty queryset only tells the schema generator which model (and id type) this is.
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        # An id is a whole number (or its digits as text); ``1.5`` is not quietly read as 1.
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < int(data) < 2**63:  # beyond any id, and beyond what SQLite can bind
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self) -> models.QuerySet[Any]:
        request = self.context.get("request")
        return self.visible_rows(getattr(request, "user", None))


class FlatListField(serializers.ListField):
    """A list whose items' errors are reported on the list itself (``attr`` is the field name).

    Clients and the schema then see one stable ``attr`` instead of ``tags.0``, ``tags.1`` …
    """

    flat_child_errors = True

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        try:
            return list(super().run_child_validation(data))
        except serializers.ValidationError as error:
            by_item = error.detail if isinstance(error.detail, dict) else {0: error.detail}
            flat = [
                serializers.ErrorDetail(f"Item {index}: {detail}", code=detail.code)
                for index, details in by_item.items()
                for detail in (details if isinstance(details, list) else [details])
                if isinstance(detail, serializers.ErrorDetail)
            ]
            raise serializers.ValidationError(flat) from error


class FlatDictField(serializers.DictField):
    """A mapping whose values' errors are reported on the mapping itself, as FlatListField
    does for lists: one stable ``attr`` instead of ``mapping.<key>``."""

    def run_child_validation(self, data: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return dict(super().run_child_validation(data))
        except serializers.ValidationError as error:
            by_key = error.detail if isinstance(error.detail, dict) else {"": error.detail}
            flat = [
                serializers.ErrorDetail(f"{key}: {detail}", code=detail.code)
                for key, details in by_key.items()
                for detail in (details if isinstance(details, list) else [details])
                if isinstance(detail, serializers.ErrorDetail)
            ]
            raise serializers.ValidationError(flat) from error


def iso(value: Any) -> str | None:
    """ISO 8601 text of a date or datetime, as the list serializers render it (fast path)."""
    return value.isoformat() if value is not None else None
