"""API serializers for initiatives and their milestones.

Output serializers render rows the viewsets fetched through the access policy; input serializers
only parse and check types (the services decide the rest). Related rows are taken by id from the
rows the requesting user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, amount_field, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Relationship
from steward.people.selectors import internal_user_choices
from steward.plans.choices import InitiativeKind, InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative

User = get_user_model()
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


# --- initiatives -------------------------------------------------------------------------------


class InitiativeSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=InitiativeKind.choices)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices)
    owner = serializers.IntegerField(source="owner_id", help_text="Id of the user who leads it.")
    description = serializers.CharField(allow_blank=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    budget = amount_field()
    expected_value = amount_field("Value it should deliver.")
    delivered_value = amount_field("Value delivered so far.")


class InitiativeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, required=False)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to you."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not before the start."
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", max_length=3, required=False, help_text=CURRENCY_HELP
    )
    budget = amount_field()
    expected_value = amount_field("Value it should deliver.")
    delivered_value = amount_field("Value delivered so far.")


class InitiativeCreateSerializer(InitiativeInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW),
        help_text="The relationship (a vendor's id is its relationship's id).",
    )


class InitiativeUpdateSerializer(InitiativeInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices, required=False)
    version = version_field()


# --- milestones --------------------------------------------------------------------------------


class MilestoneSerializer(RecordOutputSerializer):
    initiative = serializers.IntegerField(source="initiative_id")
    title = serializers.CharField()
    due_on = serializers.DateField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    status = serializers.ChoiceField(choices=MilestoneStatus.choices)
    completed_on = serializers.DateField(allow_null=True)


class MilestoneCreateSerializer(serializers.Serializer):
    initiative = VisibleRelatedField(
        model=Initiative,
        choices=lambda user: Initiative.objects.restrict(user, Action.VIEW),
        help_text="Initiative id.",
    )
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    owner = VisibleRelatedField(model=User, choices=_people, required=False, allow_null=True)


class MilestoneUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    due_on = serializers.DateField(required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=MilestoneStatus.choices, required=False)
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Set when done (defaults to today)."
    )
    version = version_field()
