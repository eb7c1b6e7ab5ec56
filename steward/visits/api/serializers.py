"""Serializers of the visits API: outputs render rows and the brief, inputs only parse types
(the service decides what the note may change). Names start with ``Visit`` so they stay unique
across the apps' schemas."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework import serializers

from steward.accountplans.choices import Sentiment
from steward.core.access import Action
from steward.core.api.fields import FlatListField, VisibleRelatedField
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship, Site
from steward.people.selectors import internal_user_choices
from steward.reviews.choices import ActionSide
from steward.reviews.models import ActionItem
from steward.visits.choices import VISIT_KIND_CHOICES, ChangeKind
from steward.visits.models import Visit

User = get_user_model()
TEXT_MAX = 10_000


def _accounts(user: Any) -> QuerySet[Relationship]:
    if user is None:
        return Relationship.objects.none()
    return Relationship.objects.restrict(user, Action.VIEW).filter(side=Side.DEMAND)


def _sites(user: Any) -> QuerySet[Site]:
    return Site.objects.restrict(user, Action.VIEW) if user is not None else Site.objects.none()


def _contacts(user: Any) -> QuerySet[Contact]:
    if user is None:
        return Contact.objects.none()
    return Contact.objects.restrict(user, Action.VIEW)


def _people(user: Any) -> QuerySet[Any]:
    return internal_user_choices(user=user) if user is not None else User.objects.none()


def _actions(user: Any) -> QuerySet[ActionItem]:
    if user is None:
        return ActionItem.objects.none()
    return ActionItem.objects.restrict(user, Action.VIEW)


class VisitRowsField(FlatListField):
    """A list of rows whose errors are reported on the list itself, each naming its row and the
    part at fault (``Row 1, contact: …``): FlatListField flattens a row's plain errors, these
    rows are small serializers whose errors come by field."""

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        try:
            return list(serializers.ListField.run_child_validation(self, data))
        except serializers.ValidationError as error:
            by_row = error.detail if isinstance(error.detail, dict) else {0: error.detail}
            flat = [
                serializers.ErrorDetail(f"Row {int(row) + 1}{where}: {detail}", code=detail.code)
                for row, details in by_row.items()
                for where, detail in _details(details)
            ]
            raise serializers.ValidationError(flat) from error


def _details(details: Any, where: str = "") -> list[tuple[str, Any]]:
    if isinstance(details, dict):
        return [
            pair for name, inner in details.items() for pair in _details(inner, f"{where}, {name}")
        ]
    if isinstance(details, list):
        return [pair for inner in details for pair in _details(inner, where)]
    return [(where, details)] if isinstance(details, serializers.ErrorDetail) else []


# --- visits --------------------------------------------------------------------------------------


class VisitChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    target = serializers.IntegerField(help_text="The contact (map changes) or action changed.")
    name = serializers.CharField(help_text="The person's name or the action's title.")
    before = serializers.CharField(allow_null=True, help_text="The value before; null if none.")
    after = serializers.CharField(allow_null=True, help_text="The value after.")


class VisitSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(
        source="relationship.organization.display_name", read_only=True
    )
    kind = serializers.CharField(source="activity.kind", read_only=True)
    subject = serializers.CharField(source="activity.subject", read_only=True)
    summary = serializers.CharField(source="activity.summary", read_only=True)
    face_to_face = serializers.BooleanField(source="activity.face_to_face", read_only=True)
    attendees = serializers.SerializerMethodField()
    changes = VisitChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "relationship",
            "account_name",
            "activity",
            "kind",
            "subject",
            "summary",
            "face_to_face",
            "location",
            "visited_on",
            "recorded_by",
            "plan",
            "attendees",
            "changes",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_attendees(self, obj: Visit) -> list[int]:
        """The customer's people who were there (contact ids)."""
        return sorted(contact.pk for contact in obj.activity.contacts.all())


class VisitAttendeeInputSerializer(serializers.Serializer):
    contact = VisibleRelatedField(model=Contact, choices=_contacts, help_text="Who was there.")
    sentiment = serializers.ChoiceField(
        choices=Sentiment.choices,
        required=False,
        allow_blank=True,
        help_text="Their new sentiment, when it changed (they must be on the plan's map).",
    )


class VisitNewActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField(help_text="Not before the visit.")
    side = serializers.ChoiceField(choices=ActionSide.choices, required=False)
    owner = VisibleRelatedField(
        model=User,
        choices=_people,
        required=False,
        allow_null=True,
        help_text="Ours: one of our people (the recorder when empty).",
    )
    owner_contact = VisibleRelatedField(
        model=Contact,
        choices=_contacts,
        required=False,
        allow_null=True,
        help_text="Theirs: one of the customer's people.",
    )


class VisitInputSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_accounts, help_text="The customer account visited."
    )
    visited_on = serializers.DateField(help_text="The visit date (not in the future).")
    kind = serializers.ChoiceField(choices=VISIT_KIND_CHOICES, required=False)
    face_to_face = serializers.BooleanField(required=False, default=True)
    location = VisibleRelatedField(
        model=Site,
        choices=_sites,
        required=False,
        allow_null=True,
        help_text="The account's site visited.",
    )
    subject = serializers.CharField(max_length=200, allow_blank=True, required=False)
    summary = serializers.CharField(max_length=TEXT_MAX)
    attendees = VisitRowsField(child=VisitAttendeeInputSerializer(), required=False)
    new_actions = VisitRowsField(child=VisitNewActionInputSerializer(), required=False)
    done_actions = FlatListField(
        child=VisibleRelatedField(model=ActionItem, choices=_actions),
        required=False,
        help_text="Open actions of the account to close as done.",
    )


# --- the brief -----------------------------------------------------------------------------------


class VisitBriefObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = serializers.CharField()
    measure = serializers.CharField()
    target = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    overdue = serializers.BooleanField()


class VisitBriefProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()
    status_label = serializers.CharField()
    opened_on = serializers.DateField()
    age_days = serializers.IntegerField()
    overdue = serializers.BooleanField()


class VisitBriefWhitespaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = serializers.CharField()
    site = serializers.CharField()
    holder_label = serializers.CharField()
    competitor = serializers.CharField()
    currency = serializers.CharField()
    potential = serializers.DecimalField(max_digits=16, decimal_places=2)


class VisitBriefOpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    stage_label = serializers.CharField()
    close_date = serializers.DateField()
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    probability = serializers.IntegerField()
    site = serializers.CharField()
    overdue = serializers.BooleanField()


class VisitBriefActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    kind_label = serializers.CharField()
    subject = serializers.CharField()
    summary = serializers.CharField()
    face_to_face = serializers.BooleanField()
    logged_by = serializers.CharField()


class VisitBriefStakeholderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contact_id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    site = serializers.CharField()
    decision_role_label = serializers.CharField()
    sentiment = serializers.CharField()
    last_met_on = serializers.DateField(allow_null=True)
    days_since_met = serializers.IntegerField(allow_null=True, help_text="Null: never met.")
    not_met = serializers.BooleanField(help_text="Never met, or not met in 90 days.")


class VisitBriefActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    side = serializers.CharField()
    owner = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class VisitBriefSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    account_name = serializers.CharField(source="account.organization.display_name")
    location = serializers.IntegerField(source="location.pk", allow_null=True)
    plan = serializers.IntegerField(source="plan.pk", allow_null=True)
    today = serializers.DateField()
    objectives = VisitBriefObjectiveSerializer(many=True)
    problems = VisitBriefProblemSerializer(many=True)
    whitespace = VisitBriefWhitespaceSerializer(many=True)
    opportunities = VisitBriefOpportunitySerializer(many=True)
    activities = VisitBriefActivitySerializer(many=True)
    stakeholders = VisitBriefStakeholderSerializer(many=True)
    actions_ours = VisitBriefActionSerializer(many=True)
    actions_theirs = VisitBriefActionSerializer(many=True)


class VisitBriefQuerySerializer(serializers.Serializer):
    location = serializers.IntegerField(
        required=False, min_value=1, help_text="One of the account's sites, to narrow the brief."
    )
