"""Filter sets of the sourcing lists, shared by the web pages, the API and the exports."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.sourcing.choices import EventKind, EventStatus, LogAction
from steward.sourcing.models import (
    BidderQuestion,
    Clarification,
    EvaluationCriterion,
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
    SourcingEventMember,
)


class SourcingEventFilterSet(StewardFilterSet):
    search_fields = ("reference", "title")
    status = django_filters.MultipleChoiceFilter(choices=EventStatus.choices)
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    category = IdFilter(field_name="category_id", label="Category")
    owner = IdFilter(field_name="owner_id", label="Owner")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("status", "status"),
            ("closes_at", "closes"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = SourcingEvent
        fields = ["status", "kind", "category", "owner"]


class EventPartFilterSet(StewardFilterSet):
    """The parts of events (lines, documents, questions, ...): filtered by event."""

    event = IdFilter(field_name="event_id", label="Event")


class EventLineFilterSet(EventPartFilterSet):
    search_fields = ("description", "specification")

    class Meta:
        model = EventLine
        fields = ["event"]


class EventAttachmentFilterSet(EventPartFilterSet):
    search_fields = ("original_name",)
    line = IdFilter(field_name="line_id", label="Line")

    class Meta:
        model = EventAttachment
        fields = ["event", "line"]


class BidderQuestionFilterSet(EventPartFilterSet):
    search_fields = ("text",)

    class Meta:
        model = BidderQuestion
        fields = ["event"]


class EvaluationCriterionFilterSet(EventPartFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = EvaluationCriterion
        fields = ["event"]


class EventInvitationFilterSet(EventPartFilterSet):
    search_fields = ("supplier__relationship__organization__display_name",)
    supplier = IdFilter(field_name="supplier_id", label="Vendor")

    class Meta:
        model = EventInvitation
        fields = ["event", "supplier", "status"]


class ClarificationFilterSet(EventPartFilterSet):
    search_fields = ("question", "answer")
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label="Published"
    )

    class Meta:
        model = Clarification
        fields = ["event", "published"]


class SourcingEventMemberFilterSet(EventPartFilterSet):
    class Meta:
        model = SourcingEventMember
        fields = ["event", "access"]


class EventLogFilterSet(django_filters.FilterSet):
    """The log has no archive (nothing leaves it) and no free text search."""

    event = IdFilter(field_name="event_id", label="Event")
    action = django_filters.MultipleChoiceFilter(choices=LogAction.choices)

    class Meta:
        model = EventLogEntry
        fields = ["event", "action"]
