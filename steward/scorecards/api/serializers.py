"""Serializers of the scorecard API. Outputs render rows; inputs only parse types and hand the
values to the services, which decide (and name the field they refuse)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.core.display import person_name
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.people.selectors import internal_user_choices
from steward.scorecards.choices import (
    AppealKind,
    AppealStatus,
    CriterionCategory,
    MeasurementSource,
    PeriodKind,
    PeriodStatus,
    PlanStatus,
    RuleKind,
)
from steward.scorecards.models import ImprovementPlan, ScoreAppeal, Scorecard

User = get_user_model()
# The statuses a plan closes as (the schema names this set PlanClosingStatusEnum).
PLAN_CLOSING = [
    (PlanStatus.MET.value, PlanStatus.MET.label),
    (PlanStatus.CLOSED.value, PlanStatus.CLOSED.label),
]


def score_field(**kwargs: Any) -> serializers.DecimalField:
    """A 0-100 score with two decimals."""
    return serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), **kwargs
    )


def _relationships(user: Any) -> Any:
    return Relationship.objects.restrict(user, Action.VIEW)


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _plans(user: Any) -> Any:
    return ImprovementPlan.objects.restrict(user, Action.VIEW)


def _cards(user: Any) -> Any:
    return Scorecard.objects.restrict(user, Action.VIEW)


# --- templates -----------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=CriterionCategory.choices)
    weight = serializers.IntegerField(min_value=1, max_value=100)
    measure = serializers.CharField(
        max_length=60, allow_blank=True, required=False, help_text="A measure key of the registry."
    )
    rule_kind = serializers.ChoiceField(choices=RuleKind.choices)
    rule = serializers.JSONField(
        help_text=(
            'Linear {"floor", "target"}; bands {"bands": [[threshold, score], ...]}; formula '
            '{"expression", "variables": {name: measure key}}.'
        )
    )
    position = serializers.IntegerField(read_only=True)


class StandingRowSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    lower = score_field(help_text="The band's lowest score (included).")
    consequences = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Consequence codes."
    )


class TemplateVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField()
    effective_from = serializers.DateField()
    note = serializers.CharField()
    criteria = CriterionSerializer(many=True, source="criteria.all")


class ScorecardTemplateSerializer(RecordOutputSerializer):
    name = serializers.CharField()
    side = serializers.ChoiceField(choices=Side.choices)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    description = serializers.CharField()
    is_default = serializers.BooleanField()
    standings = StandingRowSerializer(many=True)
    versions = serializers.SerializerMethodField()

    @extend_schema_field(TemplateVersionSerializer(many=True))
    def get_versions(self, template: Any) -> Any:
        versions = template.versions.prefetch_related("criteria").order_by("-number")
        return TemplateVersionSerializer(versions, many=True).data


class TemplateCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    side = serializers.ChoiceField(choices=Side.choices)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    is_default = serializers.BooleanField(required=False, default=False)
    criteria = CriterionSerializer(many=True)
    standings_rows = StandingRowSerializer(many=True, required=False)


class TemplateUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    is_default = serializers.BooleanField(required=False)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, required=False)
    version = version_field()


class TemplateVersionCreateSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)
    note = serializers.CharField(max_length=5000)


class StandingsSetSerializer(serializers.Serializer):
    rows = StandingRowSerializer(many=True)


# --- periods and cards ---------------------------------------------------------------------------


class ScorecardPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    template = serializers.IntegerField(source="template_id")
    version = serializers.IntegerField(source="version_id")
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.ChoiceField(choices=PeriodStatus.choices)
    scored_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class CriterionScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    card = serializers.IntegerField(source="card_id")
    criterion = serializers.IntegerField(source="criterion_id")
    code = serializers.CharField(source="criterion.code")
    name = serializers.CharField(source="criterion.name")
    raw = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Null: no data."
    )
    applied_weight = serializers.DecimalField(max_digits=7, decimal_places=4)


class ScorecardSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    period = serializers.IntegerField(source="period_id")
    period_label = serializers.CharField(source="period.label")
    relationship = serializers.IntegerField(source="relationship_id")
    organization = serializers.CharField(source="relationship.organization.display_name")
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Null when no criterion had data.",
    )
    standing = serializers.CharField()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the criteria without data."
    )
    computed_at = serializers.DateTimeField()
    corrected = serializers.BooleanField()
    shared_with_portal = serializers.BooleanField()


class ScorecardDetailSerializer(ScorecardSerializer):
    criteria = CriterionScoreSerializer(many=True, source="criteria.all")


class ShareSerializer(serializers.Serializer):
    shared = serializers.BooleanField()


class CorrectSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text="A criterion id of the card's version.")
    to_score = score_field(allow_null=True, help_text="Null: no data.")
    reason = serializers.CharField(max_length=5000)
    appeal = serializers.IntegerField(required=False, allow_null=True, help_text="Appeal id.")


class ScoreCorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    card = serializers.IntegerField(source="card_id")
    criterion = serializers.IntegerField(source="criterion_id")
    appeal = serializers.IntegerField(source="appeal_id", allow_null=True)
    from_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    to_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    card_from = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    card_to = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    standing_from = serializers.CharField()
    standing_to = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id")
    at = serializers.DateTimeField()


# --- measurements --------------------------------------------------------------------------------


class MeasurementSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    measure = serializers.CharField()
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    source = serializers.ChoiceField(choices=MeasurementSource.choices)  # type: ignore[assignment]
    entered_by = serializers.IntegerField(source="entered_by_id")
    note = serializers.CharField()


class MeasurementCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_relationships, help_text="Relationship id."
    )
    measure = serializers.CharField(max_length=60, help_text="A recorded measure's key.")
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MeasurementUpdateSerializer(serializers.Serializer):
    measured_on = serializers.DateField(required=False)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = version_field()


# --- surveys -------------------------------------------------------------------------------------


class SurveyResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    survey = serializers.IntegerField(source="survey_id")
    period = serializers.IntegerField(source="survey.period_id")
    relationship = serializers.IntegerField(source="survey.relationship_id")
    organization = serializers.CharField(source="survey.relationship.organization.display_name")
    criterion = serializers.IntegerField(source="criterion_id")
    criterion_name = serializers.CharField(source="criterion.name")
    closes_on = serializers.DateField(source="survey.closes_on")
    rating = serializers.IntegerField(allow_null=True, help_text="1-5; null until answered.")
    comment = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class SurveyAnswerSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# --- improvement plans ---------------------------------------------------------------------------


class ImprovementTargetSerializer(RecordOutputSerializer):
    plan = serializers.IntegerField(source="plan_id")
    criterion_code = serializers.CharField(help_text="Empty for the overall score.")
    label = serializers.CharField()  # type: ignore[assignment]
    target_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    due_on = serializers.DateField()
    met_on = serializers.DateField(allow_null=True)


class ImprovementPlanSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    card = serializers.IntegerField(source="card_id", allow_null=True)
    title = serializers.CharField()
    summary = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id")
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    due_on = serializers.DateField()
    closed_at = serializers.DateTimeField(allow_null=True)
    targets = serializers.SerializerMethodField()

    @extend_schema_field(ImprovementTargetSerializer(many=True))
    def get_targets(self, plan: Any) -> Any:
        rows = plan.targets.filter(archived_at__isnull=True).order_by("due_on", "pk")
        return ImprovementTargetSerializer(rows, many=True).data


class ImprovementPlanCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_relationships, help_text="Relationship id."
    )
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    due_on = serializers.DateField()
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to the relationship's."
    )


class ImprovementPlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    due_on = serializers.DateField(required=False)
    owner = VisibleRelatedField(model=User, choices=_people, required=False)
    version = version_field()


class PlanCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PLAN_CLOSING)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to close unmet."
    )
    version = version_field()


class ImprovementTargetCreateSerializer(serializers.Serializer):
    plan = VisibleRelatedField(
        model=ImprovementPlan, choices=_plans, help_text="Improvement plan id."
    )
    criterion_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    label = serializers.CharField(required=False, allow_blank=True, max_length=120)  # type: ignore[assignment]
    target_score = score_field()
    due_on = serializers.DateField(required=False)


class ImprovementTargetUpdateSerializer(serializers.Serializer):
    label = serializers.CharField(required=False, max_length=120)  # type: ignore[assignment]
    target_score = score_field(required=False)
    due_on = serializers.DateField(required=False)
    version = version_field()


class TargetMetSerializer(serializers.Serializer):
    met_on = serializers.DateField(required=False, help_text="Defaults to today.")


# --- appeals -------------------------------------------------------------------------------------


class ScoreAppealSerializer(RecordOutputSerializer):
    card = serializers.IntegerField(source="card_id")
    kind = serializers.ChoiceField(choices=AppealKind.choices)
    criterion_code = serializers.CharField()
    body = serializers.CharField()
    raised_by = serializers.SerializerMethodField(help_text="Who raised it.")
    status = serializers.ChoiceField(choices=AppealStatus.choices)
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_raised_by(self, appeal: ScoreAppeal) -> str:
        return person_name(appeal.raised_by)


class ScoreAppealCreateSerializer(serializers.Serializer):
    card = VisibleRelatedField(model=Scorecard, choices=_cards, help_text="Scorecard id.")
    kind = serializers.ChoiceField(choices=AppealKind.choices)
    criterion_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    body = serializers.CharField(max_length=10_000)


class AppealAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10_000)
    uphold = serializers.BooleanField(
        required=False, default=False, help_text="True when a correction was recorded for it."
    )
