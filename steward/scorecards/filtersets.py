"""Filter sets of the scorecard engine, shared by the pages, the API and exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.choices import Side
from steward.scorecards.choices import (
    AppealKind,
    AppealStatus,
    MeasurementSource,
    PeriodKind,
    PeriodStatus,
    PlanStatus,
)
from steward.scorecards.models import (
    CriterionScore,
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScoreAppeal,
    Scorecard,
    ScorecardPeriod,
    ScorecardTemplate,
    ScoreCorrection,
    SurveyResponse,
)


def _search(queryset: QuerySet[Any], fields: tuple[str, ...], value: str) -> QuerySet[Any]:
    for word in value.split()[:8]:
        clause = Q()
        for name in fields:
            clause |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(clause)
    return queryset


class ScorecardTemplateFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    side = django_filters.ChoiceFilter(choices=Side.choices)
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    is_default = django_filters.BooleanFilter()

    class Meta:
        model = ScorecardTemplate
        fields = ["q", "side", "period_kind", "is_default", "archived"]


class ScorecardPeriodFilterSet(django_filters.FilterSet):
    template = IdFilter(field_name="template_id", label="Template id")
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = ScorecardPeriod
        fields = ["template", "status", "kind", "starts_after", "starts_before"]


class ScorecardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    period = IdFilter(field_name="period_id", label="Period id")
    template = IdFilter(field_name="period__template_id", label="Template id")
    owner = IdFilter(field_name="relationship__owner_id", label="Owner id")
    side = django_filters.ChoiceFilter(field_name="relationship__side", choices=Side.choices)
    standing = django_filters.CharFilter(help_text="The standing's name, e.g. poor.")
    period_status = django_filters.ChoiceFilter(
        field_name="period__status", choices=PeriodStatus.choices
    )
    shared_with_portal = django_filters.BooleanFilter()
    corrected = django_filters.BooleanFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("score", "score"),
            ("period__starts_on", "period"),
            ("relationship__organization__display_name", "name"),
        )
    )

    class Meta:
        model = Scorecard
        fields = [
            "q",
            "relationship",
            "period",
            "template",
            "owner",
            "side",
            "standing",
            "period_status",
            "shared_with_portal",
            "corrected",
        ]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return _search(queryset, ("relationship__organization__display_name",), value)


class CriterionScoreFilterSet(django_filters.FilterSet):
    card = IdFilter(field_name="card_id", label="Card id")
    criterion = IdFilter(field_name="criterion_id", label="Criterion id")
    code = django_filters.CharFilter(field_name="criterion__code")
    relationship = IdFilter(field_name="card__relationship_id", label="Relationship id")
    period = IdFilter(field_name="card__period_id", label="Period id")

    class Meta:
        model = CriterionScore
        fields = ["card", "criterion", "code", "relationship", "period"]


class MeasurementFilterSet(StewardFilterSet):
    search_fields = ("measure", "note")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    measure = django_filters.CharFilter()
    source = django_filters.ChoiceFilter(choices=MeasurementSource.choices)
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte")
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = [
            "q",
            "relationship",
            "measure",
            "source",
            "measured_after",
            "measured_before",
            "archived",
        ]


class SurveyResponseFilterSet(django_filters.FilterSet):
    survey = IdFilter(field_name="survey_id", label="Survey id")
    period = IdFilter(field_name="survey__period_id", label="Period id")
    relationship = IdFilter(field_name="survey__relationship_id", label="Relationship id")
    answered = django_filters.BooleanFilter(
        field_name="rating", lookup_expr="isnull", exclude=True, label="Answered"
    )

    class Meta:
        model = SurveyResponse
        fields = ["survey", "period", "relationship", "answered"]


class ImprovementPlanFilterSet(StewardFilterSet):
    search_fields = ("title", "summary")

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = ImprovementPlan
        fields = ["q", "relationship", "owner", "status", "archived"]


class ImprovementTargetFilterSet(StewardFilterSet):
    plan = IdFilter(field_name="plan_id", label="Plan id")
    met = django_filters.BooleanFilter(
        field_name="met_on", lookup_expr="isnull", exclude=True, label="Met"
    )

    class Meta:
        model = ImprovementTarget
        fields = ["plan", "met", "archived"]


class ScoreAppealFilterSet(StewardFilterSet):
    card = IdFilter(field_name="card_id", label="Card id")
    relationship = IdFilter(field_name="card__relationship_id", label="Relationship id")
    kind = django_filters.ChoiceFilter(choices=AppealKind.choices)
    status = django_filters.ChoiceFilter(choices=AppealStatus.choices)

    class Meta:
        model = ScoreAppeal
        fields = ["card", "relationship", "kind", "status", "archived"]


class ScoreCorrectionFilterSet(django_filters.FilterSet):
    card = IdFilter(field_name="card_id", label="Card id")
    relationship = IdFilter(field_name="card__relationship_id", label="Relationship id")
    appeal = IdFilter(field_name="appeal_id", label="Appeal id")

    class Meta:
        model = ScoreCorrection
        fields = ["card", "relationship", "appeal"]
