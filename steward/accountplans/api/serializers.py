"""API serializers of account plans.

Output serializers render rows the viewsets fetched through the access policy; input serializers
only parse and check types (the services decide the rest). Related rows are taken by id from the
rows the requesting user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from steward.accountplans.choices import (
    DecisionRole,
    ObjectiveStatus,
    PlanStatus,
    Sentiment,
    Visibility,
)
from steward.accountplans.models import AccountPlan
from steward.core.access import Action
from steward.core.api.fields import FlatListField, VisibleRelatedField, amount_field, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.choices import Level
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.plans.models import Initiative
from steward.reviews.choices import ActionSide, ActionStatus
from steward.reviews.models import ActionItem

User = get_user_model()
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _visibility(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Visibility.choices, **kwargs)


def _plan_field() -> VisibleRelatedField:
    return VisibleRelatedField(
        model=AccountPlan,
        choices=lambda user: AccountPlan.objects.restrict(user, Action.VIEW),
        help_text="Plan id.",
    )


def _contact_field(**kwargs: Any) -> VisibleRelatedField:
    return VisibleRelatedField(
        model=Contact,
        choices=lambda user: Contact.objects.restrict(user, Action.VIEW),
        **kwargs,
    )


# --- plans -------------------------------------------------------------------------------------


class AccountPlanSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id", help_text="The account.")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    account_owner = serializers.IntegerField(source="relationship.owner_id")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    goals = serializers.CharField(allow_blank=True)
    goals_visibility = _visibility()
    needs = serializers.CharField(allow_blank=True)
    needs_visibility = _visibility()
    map_visibility = _visibility()
    initiatives_visibility = _visibility()
    objectives_visibility = _visibility()
    actions_visibility = _visibility()
    shared_live_sections = serializers.ListField(child=serializers.CharField())
    last_reviewed_on = serializers.DateField(allow_null=True)
    next_review_on = serializers.DateField(allow_null=True)


class AccountPlanInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="Not before the start.")
    goals = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    needs = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    goals_visibility = _visibility(required=False)
    needs_visibility = _visibility(required=False)
    map_visibility = _visibility(required=False)
    initiatives_visibility = _visibility(required=False)
    objectives_visibility = _visibility(required=False)
    actions_visibility = _visibility(required=False)
    shared_live_sections = FlatListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text="Keys of the computed sections the customer may see (pipeline, whitespace, "
        "problems, installed).",
    )


class AccountPlanCreateSerializer(AccountPlanInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW),
        help_text="The account (a demand-side relationship).",
    )


class AccountPlanUpdateSerializer(AccountPlanInputSerializer):
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    version = version_field()


class CheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    rule = serializers.CharField(source="label", help_text="The rule, in words.")
    met = serializers.BooleanField()
    fix = serializers.CharField(help_text="What to do when the rule is not met.")


class StandingSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="Rules met ÷ rules switched on, in per cent."
    )
    meets = serializers.BooleanField(help_text="Every rule switched on is met.")
    freshness_days = serializers.IntegerField(
        allow_null=True, help_text="Days since the last review."
    )
    checks = CheckSerializer(many=True)


class AccountPlanCloseSerializer(serializers.Serializer):
    version = version_field()


# --- stakeholders ------------------------------------------------------------------------------


class PlanStakeholderSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    contact = serializers.IntegerField(source="contact_id")
    contact_name = serializers.CharField(source="contact.__str__")
    decision_role = serializers.ChoiceField(choices=DecisionRole.choices)
    influence = serializers.IntegerField(allow_null=True)
    sentiment = serializers.ChoiceField(choices=Sentiment.choices)
    covered_by = serializers.IntegerField(source="covered_by_id", allow_null=True)
    last_met_on = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    visibility = _visibility()


class PlanStakeholderInputSerializer(serializers.Serializer):
    decision_role = serializers.ChoiceField(choices=DecisionRole.choices, required=False)
    influence = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True)
    sentiment = serializers.ChoiceField(choices=Sentiment.choices, required=False)
    covered_by = VisibleRelatedField(model=User, choices=_people, required=False, allow_null=True)
    last_met_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    visibility = _visibility(required=False)


class PlanStakeholderCreateSerializer(PlanStakeholderInputSerializer):
    plan = _plan_field()
    contact = _contact_field(help_text="A contact of the account's organization or group.")
    decision_role = serializers.ChoiceField(choices=DecisionRole.choices)


class PlanStakeholderUpdateSerializer(PlanStakeholderInputSerializer):
    version = version_field()


# --- objectives --------------------------------------------------------------------------------


class PlanObjectiveSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    title = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    stakeholder = serializers.IntegerField(source="stakeholder_id", allow_null=True)
    measure = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ObjectiveStatus.choices)
    visibility = _visibility()


class PlanObjectiveInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False, allow_null=True)
    stakeholder = _contact_field(required=False, allow_null=True)
    measure = serializers.CharField(max_length=200, required=False, allow_blank=True)
    target = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ObjectiveStatus.choices, required=False)
    visibility = _visibility(required=False)


class PlanObjectiveCreateSerializer(PlanObjectiveInputSerializer):
    plan = _plan_field()
    title = serializers.CharField(max_length=200)


class PlanObjectiveUpdateSerializer(PlanObjectiveInputSerializer):
    version = version_field()


# --- initiative links --------------------------------------------------------------------------


class PlanInitiativeSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    initiative = serializers.IntegerField(source="initiative_id")
    initiative_title = serializers.CharField(source="initiative.title")
    priority = serializers.IntegerField()
    investment_amount = amount_field(output=True)
    investment_currency = serializers.CharField(help_text=CURRENCY_HELP)
    investment_note = serializers.CharField(allow_blank=True)
    visibility = _visibility()


class PlanInitiativeInputSerializer(serializers.Serializer):
    priority = serializers.IntegerField(min_value=1, max_value=99, required=False)
    investment_amount = amount_field("What we invest.")
    investment_currency = serializers.RegexField(
        r"^[A-Z]{3}$", max_length=3, required=False, help_text=CURRENCY_HELP
    )
    investment_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    visibility = _visibility(required=False)


class PlanInitiativeCreateSerializer(PlanInitiativeInputSerializer):
    plan = _plan_field()
    initiative = VisibleRelatedField(
        model=Initiative,
        choices=lambda user: Initiative.objects.restrict(user, Action.VIEW),
        help_text="An initiative on the same account.",
    )


class PlanInitiativeUpdateSerializer(PlanInitiativeInputSerializer):
    version = version_field()


# --- action links ------------------------------------------------------------------------------


class PlanActionSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    action_item = serializers.IntegerField(source="action_item_id")
    title = serializers.CharField(source="action_item.title")
    side = serializers.ChoiceField(source="action_item.side", choices=ActionSide.choices)
    owner = serializers.IntegerField(source="action_item.owner_id", allow_null=True)
    owner_contact = serializers.IntegerField(source="action_item.owner_contact_id", allow_null=True)
    due_on = serializers.DateField(source="action_item.due_on")
    status = serializers.ChoiceField(source="action_item.status", choices=ActionStatus.choices)
    visibility = _visibility()


class PlanActionCreateSerializer(serializers.Serializer):
    plan = _plan_field()
    action_item = VisibleRelatedField(
        model=ActionItem,
        choices=lambda user: ActionItem.objects.restrict(user, Action.VIEW),
        required=False,
        help_text="An existing action on the account; or give title, due_on and owners.",
    )
    title = serializers.CharField(max_length=200, required=False)
    due_on = serializers.DateField(required=False)
    side = serializers.ChoiceField(choices=ActionSide.choices, required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False, allow_null=True)
    owner_contact = _contact_field(required=False, allow_null=True)
    visibility = _visibility(required=False)


class PlanActionUpdateSerializer(serializers.Serializer):
    visibility = _visibility(required=False)
    version = version_field()


# --- reviews and the standard ------------------------------------------------------------------


class PlanReviewSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    held_on = serializers.DateField()
    notes = serializers.CharField(allow_blank=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id")


class PlanReviewCreateSerializer(serializers.Serializer):
    plan = _plan_field()
    held_on = serializers.DateField(help_text="Not in the future.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    next_review_on = serializers.DateField(
        required=False, allow_null=True, help_text="After the day held."
    )


class PlanStandardSerializer(RecordOutputSerializer):
    executive_sponsor_rule = serializers.BooleanField()
    locations_rule = serializers.BooleanField()
    objectives_complete_rule = serializers.BooleanField()
    min_objectives_rule = serializers.BooleanField()
    min_objectives = serializers.IntegerField()
    reviewed_recently_rule = serializers.BooleanField()
    review_days = serializers.IntegerField()
    next_review_rule = serializers.BooleanField()
    actions_both_sides_rule = serializers.BooleanField()


class PlanStandardUpdateSerializer(serializers.Serializer):
    executive_sponsor_rule = serializers.BooleanField(required=False)
    locations_rule = serializers.BooleanField(required=False)
    objectives_complete_rule = serializers.BooleanField(required=False)
    min_objectives_rule = serializers.BooleanField(required=False)
    min_objectives = serializers.IntegerField(min_value=1, max_value=50, required=False)
    reviewed_recently_rule = serializers.BooleanField(required=False)
    review_days = serializers.IntegerField(min_value=1, max_value=730, required=False)
    next_review_rule = serializers.BooleanField(required=False)
    actions_both_sides_rule = serializers.BooleanField(required=False)
    version = version_field()
