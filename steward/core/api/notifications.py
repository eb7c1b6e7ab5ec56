"""Your own notifications through the API: read them, mark them read."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core import notifications
from steward.core.access import Action
from steward.core.api.viewsets import StewardViewSet
from steward.core.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=True,
        max_length=1000,
        help_text="The notifications to mark read; leave it out to mark all of yours read.",
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notifications were marked.")


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.CharFilter()

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(StewardViewSet):
    """The signed-in user's alerts, newest first. Nobody else's are visible, not even to
    administrators: an alert is addressed to one person."""

    queryset = Notification.objects.none()
    filterset_class = NotificationFilterSet
    output_serializer_class = NotificationSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "mark_read": MarkReadSerializer,
    }

    def select_list(self) -> QuerySet[Notification]:
        return notifications.notification_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> Notification:
        try:
            return notifications.notification_get(user=self.request.user, pk=self.kwargs["pk"])
        except Notification.DoesNotExist as missing:
            raise Http404 from missing

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the given notifications read, or all of yours when no ids are given."""
        data = self.parse()
        ids = data.get("ids")
        marked = notifications.notifications_mark_read(user=request.user, ids=ids)
        return Response({"marked": marked})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark this notification read."""
        record = self.select_one()
        notifications.notifications_mark_read(user=request.user, ids=[record.pk])
        record.refresh_from_db()
        return self.answer(record)
