"""Filter set pieces every list shares: free-text search, the archive switch, ordering."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number in the database's integer range.

    ``NumberFilter`` reads decimals, and an id such as ``1e130`` overflowed the database
    driver (a server error) instead of being refused as a bad value.
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StewardFilterSet(django_filters.FilterSet):
    """One filter set serves the web list, the API list and exports.

    Subclasses name ``search_fields``; ``q`` matches any of them (every word must match).
    Archived rows are left out unless ``archived=true`` asks for them (``all`` shows both).
    """

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_search", label="Search")
    archived = django_filters.ChoiceFilter(
        method="filter_archived",
        label="Archived",
        choices=[("false", "Current"), ("true", "Archived"), ("all", "All")],
        empty_label=None,
    )

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:8]:
            clause = Q()
            for field in self.search_fields:
                clause |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(clause)
        return queryset

    def filter_archived(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset  # applied in filter_queryset so that the default applies too

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        archived = self.form.cleaned_data.get("archived") or "false"
        if archived == "false":
            queryset = queryset.filter(archived_at__isnull=True)
        elif archived == "true":
            queryset = queryset.filter(archived_at__isnull=False)
        return queryset
