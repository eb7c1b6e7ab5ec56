"""Filter set pieces every list shares: free-text search, the archive switch, ordering."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict


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
    _form_classes: ClassVar[dict[type, type]] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter deep-copies every filter per request; the filters carry no request
        # state beyond ``model`` and ``parent``, so a shallow copy each is enough and cheaper.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method:
                filter_.method = filter_.method  # rebinds the method proxy to this copy

    def get_form_class(self) -> type:
        """One form class per filter set class, built once (the filters are fixed)."""
        cls = type(self)
        if cls not in self._form_classes:
            self._form_classes[cls] = super().get_form_class()
        return self._form_classes[cls]

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
