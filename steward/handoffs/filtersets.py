"""Filter sets of the handoffs lists, shared by the web page, the API and the exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.handoffs.choices import HandoffStatus, ItemKind
from steward.handoffs.models import Handoff, HandoffItem


def overdue_items(today: Any = None) -> QuerySet[HandoffItem]:
    """Open items past their due date (archived ones left out)."""
    return HandoffItem.objects.filter(
        archived_at__isnull=True,
        closed_at__isnull=True,
        due_on__lt=today or timezone.localdate(),
    )


class HandoffFilterSet(StewardFilterSet):
    search_fields = ("relationship__organization__display_name", "summary")
    status = django_filters.MultipleChoiceFilter(choices=HandoffStatus.choices)
    receiver = IdFilter(field_name="receiver_id", label="Receiver")
    handed_over_by = IdFilter(field_name="handed_over_by_id", label="Handed over by")
    account = IdFilter(field_name="relationship_id", label="Account")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="With overdue items")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("relationship__organization__display_name", "account"),
            ("status", "status"),
            ("first_review_on", "first_review"),
            ("go_live", "go_live"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Handoff
        fields = ["status", "receiver", "handed_over_by", "account", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Handoff], name: str, value: Any) -> Any:
        if value is None:
            return queryset
        late = Exists(overdue_items().filter(handoff=OuterRef("pk")))
        return queryset.filter(late) if value else queryset.exclude(late)


class HandoffItemFilterSet(StewardFilterSet):
    search_fields = ("title", "details")
    handoff = IdFilter(field_name="handoff_id", label="Handoff")
    kind = django_filters.MultipleChoiceFilter(choices=ItemKind.choices)
    owner = IdFilter(field_name="owner_id", label="Owner")
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label="Open")

    class Meta:
        model = HandoffItem
        fields = ["handoff", "kind", "owner", "open"]
