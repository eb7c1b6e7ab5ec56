"""A record's history through the API: the entries of ``steward.core.history``, paginated."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from steward.core.history import HistoryEntry, history_count, history_for

# What happened to a record in one history entry (``steward.core.history`` names them).
HISTORY_KINDS = [(kind, kind) for kind in ("created", "changed", "deleted", "archived", "restored")]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name in the API and the model.")
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The field's label, for people."
    )
    old = serializers.JSONField(allow_null=True, help_text="The value before the change.")
    new = serializers.JSONField(allow_null=True, help_text="The value after the change.")
    old_display = serializers.CharField(help_text="The value before, as the UI shows it.")
    new_display = serializers.CharField(help_text="The value after, as the UI shows it.")


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.IntegerField(
        allow_null=True, source="user_id", help_text="Who made the change (null: the system)."
    )
    user_display = serializers.CharField(help_text="The name of who made the change.")
    kind = serializers.ChoiceField(
        choices=HISTORY_KINDS,
        help_text="What happened to the record.",
    )
    reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(allow_null=True, help_text="The version this change made.")
    changes = FieldChangeSerializer(many=True)

    def to_representation(self, instance: HistoryEntry) -> dict[str, Any]:
        return {
            "at": instance.at.isoformat(),
            "user": instance.user_id,
            "user_display": instance.user_display,
            "kind": instance.kind,
            "reason": instance.reason,
            "version": instance.version,
            "changes": [
                {
                    "field": change.field,
                    "label": change.label,
                    "old": change.old,
                    "new": change.new,
                    "old_display": change.old_display,
                    "new_display": change.new_display,
                }
                for change in instance.changes
            ],
        }


class HistorySequence:
    """The history of one record as a sliceable sequence, so the API's paginator can page it.

    Only the requested page (and the record just before it, to diff against) is read.
    """

    def __init__(self, record: models.Model) -> None:
        self.record = record

    def count(self) -> int:
        return history_count(self.record)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[HistoryEntry]:
        start = window.start or 0
        stop = window.stop if window.stop is not None else start + self.count()
        return history_for(self.record, limit=max(stop - start, 0), offset=start)
