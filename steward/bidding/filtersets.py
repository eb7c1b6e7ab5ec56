"""Filter sets of the bid lists, shared by the web list, its exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from steward.bidding.models import Bid, BidAttachment, BidLine
from steward.core.filtersets import IdFilter, StewardFilterSet


def latest_only(bids: QuerySet[Bid]) -> QuerySet[Bid]:
    """Each invitee's last version (a later version replaces the earlier ones)."""
    newer = Bid.objects.filter(
        invitation_id=OuterRef("invitation_id"), number__gt=OuterRef("number")
    )
    return bids.filter(~Exists(newer))


class BidFilterSet(StewardFilterSet):
    search_fields = (
        "invitation__event__reference",
        "invitation__event__title",
        "invitation__supplier__relationship__organization__display_name",
    )
    event = IdFilter(field_name="invitation__event_id", label="Event id")
    invitation = IdFilter(field_name="invitation_id", label="Invitation id")
    supplier = IdFilter(field_name="invitation__supplier_id", label="Vendor id")
    latest = django_filters.BooleanFilter(method="filter_latest", label="Latest versions only")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("submitted_at", "submitted"),
            ("number", "number"),
            ("invitation__supplier__relationship__organization__display_name", "vendor"),
        )
    )

    class Meta:
        model = Bid
        fields = ["event", "invitation", "supplier", "latest"]

    def filter_latest(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        latest = latest_only(queryset)
        return latest if value else queryset.exclude(pk__in=latest.values("pk"))


class BidLineFilterSet(StewardFilterSet):
    bid = IdFilter(field_name="bid_id", label="Bid id")
    event = IdFilter(field_name="bid__invitation__event_id", label="Event id")

    class Meta:
        model = BidLine
        fields = ["bid", "event"]


class BidAttachmentFilterSet(StewardFilterSet):
    search_fields = ("original_name",)
    bid = IdFilter(field_name="bid_id", label="Bid id")

    class Meta:
        model = BidAttachment
        fields = ["bid"]
