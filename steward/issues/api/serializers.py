"""API serializers for issues, their moves and escalations, the ladder and the targets.

Output serializers render rows the viewsets fetched through the access policy; input serializers
only parse and check types (the services decide the rest). Related rows are taken by id from the
rows the requesting user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from steward.contracts.models import Contract, ServiceLevel
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.issues.choices import IssueCategory, IssueSource, IssueStatus, MissedTarget, Severity
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.plans.models import Initiative

User = get_user_model()


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


# --- issues ------------------------------------------------------------------------------------


class IssueSerializer(RecordOutputSerializer):
    reference = serializers.CharField(help_text="ISS-000001, sequential.")
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    service_level = serializers.IntegerField(source="service_level_id", allow_null=True)
    initiative = serializers.IntegerField(source="initiative_id", allow_null=True)
    sla_breach = serializers.IntegerField(source="sla_breach_id", allow_null=True)
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=IssueCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    description = serializers.CharField(allow_blank=True)
    owner = serializers.IntegerField(source="owner_id")
    reported_by = serializers.IntegerField(source="reported_by_id")
    source = serializers.ChoiceField(choices=IssueSource.choices)  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=IssueStatus.choices)
    opened_at = serializers.DateTimeField()
    respond_by = serializers.DateTimeField(help_text="Acknowledge by then (the response target).")
    resolve_by = serializers.DateTimeField(help_text="Resolve by then (the resolution target).")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    root_cause = serializers.CharField(allow_blank=True)
    corrective_action = serializers.CharField(allow_blank=True)
    escalation_level = serializers.IntegerField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    shared_with_portal = serializers.BooleanField()


class IssueCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW),
        help_text="The relationship (a vendor's id is its relationship's id).",
    )
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=IssueCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = VisibleRelatedField(
        model=User,
        choices=_people,
        required=False,
        help_text="Defaults to the relationship's owner.",
    )
    contract = VisibleRelatedField(
        model=Contract,
        choices=lambda user: Contract.objects.restrict(user, Action.VIEW),
        required=False,
        allow_null=True,
        help_text="A contract of the same relationship.",
    )
    service_level = VisibleRelatedField(
        model=ServiceLevel,
        choices=lambda user: ServiceLevel.objects.restrict(user, Action.VIEW),
        required=False,
        allow_null=True,
        help_text="A service level of that contract.",
    )
    initiative = VisibleRelatedField(
        model=Initiative,
        choices=lambda user: Initiative.objects.restrict(user, Action.VIEW),
        required=False,
        allow_null=True,
    )
    shared_with_portal = serializers.BooleanField(required=False)


class IssueUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    category = serializers.ChoiceField(choices=IssueCategory.choices, required=False)
    severity = serializers.ChoiceField(
        choices=Severity.choices,
        required=False,
        help_text="A new severity sets the due dates again from the opening.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    owner = VisibleRelatedField(model=User, choices=_people, required=False)
    shared_with_portal = serializers.BooleanField(required=False)
    version = version_field()


class IssueTransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=IssueStatus.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Required to reopen."
    )
    root_cause = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Required to resolve."
    )
    corrective_action = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Required to resolve."
    )


class IssueEscalateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="Why escalate now.")


class IssueTransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    issue = serializers.IntegerField(source="issue_id")
    from_status = serializers.ChoiceField(choices=IssueStatus.choices)
    to_status = serializers.ChoiceField(choices=IssueStatus.choices)
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)


class IssueEscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    issue = serializers.IntegerField(source="issue_id")
    level = serializers.IntegerField()
    ladder_rung = serializers.IntegerField(source="ladder_rung_id", allow_null=True)
    missed = serializers.ChoiceField(choices=MissedTarget.choices)
    actor = serializers.IntegerField(
        source="actor_id", allow_null=True, help_text="Empty when the background job escalated."
    )
    at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)


# --- the ladder ------------------------------------------------------------------------------


class EscalationLevelSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    level = serializers.IntegerField()
    name = serializers.CharField()
    internal_contact = serializers.IntegerField(source="internal_contact_id")
    counterparty_contact = serializers.IntegerField(
        source="counterparty_contact_id", allow_null=True
    )
    after_hours = serializers.IntegerField()


class EscalationLevelInputSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=99)
    name = serializers.CharField(max_length=120)
    internal_contact = VisibleRelatedField(model=User, choices=_people)
    counterparty_contact = VisibleRelatedField(
        model=Contact,
        choices=lambda user: Contact.objects.restrict(user, Action.VIEW),
        required=False,
        allow_null=True,
        help_text="Someone who works for the relationship's organization.",
    )
    after_hours = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, help_text="Hours after a missed target."
    )


class EscalationLevelCreateSerializer(EscalationLevelInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=lambda user: Relationship.objects.restrict(user, Action.VIEW)
    )


class EscalationLevelUpdateSerializer(EscalationLevelInputSerializer):
    level = serializers.IntegerField(min_value=1, max_value=99, required=False)
    name = serializers.CharField(max_length=120, required=False)
    internal_contact = VisibleRelatedField(model=User, choices=_people, required=False)
    version = version_field()


# --- targets ---------------------------------------------------------------------------------


class SeverityTargetSerializer(RecordOutputSerializer):
    severity = serializers.ChoiceField(choices=Severity.choices)
    response_hours = serializers.IntegerField()
    resolution_hours = serializers.IntegerField()


class SeverityTargetUpdateSerializer(serializers.Serializer):
    response_hours = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    resolution_hours = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    version = version_field()
