"""Filters of the obligation lists: one FilterSet for the obligations page, its export and the
API, and the read that feeds it (every row through the access policy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from steward.contracts.filtersets import SIDE_OF_RELATIONSHIP, SIDES
from steward.contracts.models import Obligation
from steward.contracts.models.obligations import ObligationKind, ObligationStatus, OwedBy
from steward.core.access import Action
from steward.core.filtersets import IdFilter, StewardFilterSet

OVERDUE = "overdue"
STATUS_CHOICES = [*ObligationStatus.choices, (OVERDUE, "Overdue")]
MAX_DAYS_AHEAD = 3660


class DaysFilter(django_filters.NumberFilter):
    """A whole number of days ahead."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DAYS_AHEAD)
        super().__init__(*args, **kwargs)


class ObligationFilterSet(StewardFilterSet):
    """``mine`` and ``overdue`` need to know who asks and what day it is: the user is taken
    from the request (API) or set by the selector (pages)."""

    search_fields = ("title", "notes", "contract__title", "contract__reference")

    contract = IdFilter(field_name="contract_id", label="Contract id")
    owner = IdFilter(field_name="owner_id", label="Responsible person's id")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine to do or chase")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label="Status (overdue: open and past its due date)",
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Open and overdue")
    due_within = DaysFilter(method="filter_due_within", label="Open and due in the next N days")
    kind = django_filters.MultipleChoiceFilter(choices=ObligationKind.choices)
    owed_by = django_filters.ChoiceFilter(choices=OwedBy.choices, label="Who owes it")
    side = django_filters.ChoiceFilter(
        choices=SIDES, method="filter_side", label="Side of the contract"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("due_on", "due"),
            ("title", "title"),
            ("status", "status"),
            ("contract__title", "contract"),
        )
    )

    class Meta:
        model = Obligation
        fields = [
            "q",
            "contract",
            "owner",
            "mine",
            "status",
            "overdue",
            "due_within",
            "kind",
            "owed_by",
            "side",
            "archived",
        ]

    def __init__(self, data: Any = None, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        self.user = getattr(self.request, "user", None)

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value or self.user is None:
            return queryset
        return queryset.filter(owner_id=self.user.pk)

    def filter_status(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        if value == OVERDUE:
            return self.filter_overdue(queryset, name, value=True)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = {"status": ObligationStatus.OPEN, "due_on__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)

    def filter_due_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status=ObligationStatus.OPEN,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=int(value)),
        )

    def filter_side(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(contract__relationship__side=SIDE_OF_RELATIONSHIP[value])


def obligation_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> ObligationFilterSet:
    """The obligations the user may see (on any contract), filtered as asked."""
    obligations = (
        Obligation.objects.restrict(user, Action.VIEW)
        .select_related("owner", "contract__relationship__organization")
        .order_by("due_on", "title", "pk")
    )
    filterset = ObligationFilterSet(filters or {}, queryset=obligations)
    filterset.user = user
    return filterset
