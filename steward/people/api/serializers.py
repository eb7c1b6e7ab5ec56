"""API serializers for people: the directory of users and their teams (read-only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from steward.core.api.fields import iso
from steward.people.choices import Function, UserKind
from steward.people.models import Team


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()
    kind = serializers.ChoiceField(
        choices=UserKind.choices, help_text="internal staff, or external (portal) user"
    )
    function = serializers.ChoiceField(choices=[("", "—"), *Function.choices])
    title = serializers.CharField(allow_blank=True)
    manager = serializers.IntegerField(allow_null=True, help_text="The manager's user id.")
    job_roles = serializers.ListField(child=serializers.CharField(), help_text="Job role names.")
    organization = serializers.IntegerField(
        allow_null=True, help_text="For portal users: the organization they belong to."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        profile = getattr(instance, "profile", None)
        return {
            "id": instance.pk,
            "username": instance.username,
            "full_name": instance.get_full_name(),
            "email": instance.email,
            "is_active": instance.is_active,
            "kind": profile.kind if profile else UserKind.INTERNAL.value,
            "function": profile.function if profile else "",
            "title": profile.title if profile else "",
            "manager": profile.manager_id if profile else None,
            "job_roles": sorted(group.name for group in instance.groups.all()),
            "organization": profile.organization_id if profile else None,
        }


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    lead = serializers.IntegerField(help_text="The team lead's user id.")
    members = serializers.ListField(child=serializers.IntegerField(), help_text="User ids.")
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    archived_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Team) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "name": instance.name,
            "description": instance.description,
            "lead": instance.lead_id,
            "members": sorted(member.pk for member in instance.members.all()),
            "version": instance.version,
            "created_at": instance.created_at.isoformat(),
            "updated_at": instance.updated_at.isoformat(),
            "archived_at": iso(instance.archived_at),
        }
