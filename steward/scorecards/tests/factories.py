"""Factories for the scorecard engine, shared by its tests (and the issues and reviews tests).

Rows are written directly (no history, no services): a test that is about a service calls the
service. The helpers at the end build the usual shapes in one call:

- ``template_with_criteria(criteria=None, **template)`` -> ``(template, version)``: a template with
  version 1 and its criteria (``DEFAULT_CRITERIA`` when none are given: delivery 40, quality 30,
  relationship 30 surveyed).
- ``scored_card(period=..., relationship=..., scores={code: Decimal | None})``: a card with one
  CriterionScore per criterion of the period's version, its overall score and standing computed
  through ``scoring.score_card`` and the template's standings (the defaults when it has none).

Rule JSON as the templates service stores it (the direction comes from the measure): linear
``{"floor": "80", "target": "100"}``; bands ``{"bands": [{"threshold": "90", "score": "50"}]}``;
formula ``{"expression": "...", "variables": {"name": "measure_key"}}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import factory
from django.utils import timezone

from steward.parties.tests.factories import RelationshipFactory
from steward.people.tests.factories import UserFactory
from steward.scorecards import scoring
from steward.scorecards.choices import (
    AppealKind,
    CriterionCategory,
    PeriodKind,
    PeriodStatus,
    RuleKind,
    SurveyStatus,
)
from steward.scorecards.models import (
    CriterionScore,
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScoreAppeal,
    Scorecard,
    ScorecardCriterion,
    ScorecardPeriod,
    ScorecardTemplate,
    Survey,
    SurveyResponse,
    TemplateVersion,
)
from steward.scorecards.standings import Standings, default_standings

PERIOD_START = dt.date(2024, 1, 1)
PERIOD_END = dt.date(2024, 3, 31)


def standings_rows(standings: Standings | None = None) -> list[dict[str, object]]:
    """Standings as JSON-safe rows (lower bounds as strings) for ``ScorecardTemplate.standings``."""
    rows = (standings or default_standings()).to_rows()
    return [{**row, "lower": str(row["lower"])} for row in rows]


def linear_rule(floor: str, target: str) -> dict[str, str]:
    """A linear rule; which way it runs follows the criterion's measure."""
    return {"floor": floor, "target": target}


DEFAULT_CRITERIA: tuple[dict[str, Any], ...] = (
    {
        "code": "delivery",
        "name": "On-time delivery",
        "category": CriterionCategory.DELIVERY,
        "weight": 40,
        "measure": "on_time_delivery_pct",
        "rule_kind": RuleKind.LINEAR,
        "rule": linear_rule("80", "100"),
    },
    {
        "code": "quality",
        "name": "Defect rate",
        "category": CriterionCategory.QUALITY,
        "weight": 30,
        "measure": "defect_rate_pct",
        "rule_kind": RuleKind.LINEAR,
        "rule": linear_rule("5", "0"),
    },
    {
        "code": "relationship",
        "name": "Stakeholder rating",
        "category": CriterionCategory.RELATIONSHIP,
        "weight": 30,
        "measure": "survey",
        "rule_kind": RuleKind.LINEAR,
        "rule": linear_rule("1", "5"),
    },
)


class ScorecardTemplateFactory(factory.django.DjangoModelFactory):
    """A template without versions; see ``template_with_criteria`` for one with criteria."""

    class Meta:
        model = ScorecardTemplate

    name = factory.Sequence(lambda n: f"Supplier scorecard {n}")
    side = "supply"
    period_kind = PeriodKind.QUARTERLY
    standings = factory.LazyFunction(standings_rows)
    is_default = False


class TemplateVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateVersion

    template = factory.SubFactory(ScorecardTemplateFactory)
    number = 1
    effective_from = dt.date(2020, 1, 1)
    created_by = factory.SubFactory(UserFactory)


class ScorecardCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScorecardCriterion

    version = factory.SubFactory(TemplateVersionFactory)
    code = factory.Sequence(lambda n: f"criterion-{n}")
    name = factory.Sequence(lambda n: f"Criterion {n}")
    category = CriterionCategory.QUALITY
    weight = 100
    measure = "on_time_delivery_pct"
    rule_kind = RuleKind.LINEAR
    rule = factory.LazyFunction(lambda: linear_rule("80", "100"))
    position = factory.Sequence(lambda n: n)


class ScorecardPeriodFactory(factory.django.DjangoModelFactory):
    """An open quarter (2024 Q1) of a fresh template version unless told otherwise."""

    class Meta:
        model = ScorecardPeriod

    version = factory.SubFactory(TemplateVersionFactory)
    template = factory.LazyAttribute(lambda p: p.version.template)
    kind = PeriodKind.QUARTERLY
    starts_on = PERIOD_START
    ends_on = PERIOD_END
    status = PeriodStatus.OPEN

    class Params:
        closed = factory.Trait(
            status=PeriodStatus.CLOSED, closed_at=factory.LazyFunction(timezone.now)
        )


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    period = factory.SubFactory(ScorecardPeriodFactory)
    relationship = factory.SubFactory(RelationshipFactory)
    score = Decimal("72.50")
    standing = "good"
    missing = factory.LazyFunction(list)
    computed_at = factory.LazyFunction(timezone.now)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    """A criterion score; the criterion is made on the card's version when not given."""

    class Meta:
        model = CriterionScore

    card = factory.SubFactory(ScorecardFactory)
    criterion = factory.LazyAttribute(
        lambda cs: ScorecardCriterionFactory(version=cs.card.period.version)
    )
    raw = Decimal("95")
    score = Decimal("75")
    applied_weight = Decimal("100")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    relationship = factory.SubFactory(RelationshipFactory)
    measure = "on_time_delivery_pct"
    measured_on = dt.date(2024, 2, 15)
    value = Decimal("95")
    entered_by = factory.LazyAttribute(lambda m: m.relationship.owner)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    period = factory.SubFactory(ScorecardPeriodFactory)
    relationship = factory.SubFactory(RelationshipFactory)
    status = SurveyStatus.OPEN
    sent_at = factory.LazyFunction(timezone.now)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


def _survey_criterion(response: Any) -> ScorecardCriterion:
    version = response.survey.period.version
    existing = version.criteria.filter(measure="survey").first()
    if existing is not None:
        return existing
    return cast(
        ScorecardCriterion,
        ScorecardCriterionFactory(
            version=version, measure="survey", category=CriterionCategory.RELATIONSHIP
        ),
    )


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """An unanswered response; the criterion is the survey version's first surveyed one."""

    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    criterion = factory.LazyAttribute(_survey_criterion)
    respondent = factory.SubFactory(UserFactory)
    function = ""
    rating = None
    comment = ""


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementPlan

    relationship = factory.SubFactory(RelationshipFactory)
    title = factory.LazyAttribute(lambda p: f"Improvement plan: {p.relationship.organization}")
    owner = factory.LazyAttribute(lambda p: p.relationship.owner)
    due_on = dt.date(2024, 6, 30)


class ImprovementTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementTarget

    plan = factory.SubFactory(ImprovementPlanFactory)
    criterion_code = ""
    label = "Overall score"
    target_score = Decimal("50")
    due_on = factory.LazyAttribute(lambda t: t.plan.due_on)


class ScoreAppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreAppeal

    card = factory.SubFactory(ScorecardFactory)
    kind = AppealKind.APPEAL
    body = "The late deliveries in February were caused by your own forecast change."
    raised_by = factory.SubFactory(UserFactory)


# --- shapes built in one call ------------------------------------------------------------------


def template_with_criteria(
    criteria: Sequence[Mapping[str, Any]] | None = None, **template: Any
) -> tuple[ScorecardTemplate, TemplateVersion]:
    """A template with version 1 holding ``criteria`` (``DEFAULT_CRITERIA`` when None)."""
    made = cast(ScorecardTemplate, ScorecardTemplateFactory(**template))
    version = cast(TemplateVersion, TemplateVersionFactory(template=made, created_by=UserFactory()))
    for position, data in enumerate(DEFAULT_CRITERIA if criteria is None else criteria):
        ScorecardCriterionFactory(version=version, position=position, **dict(data))
    return made, version


def period_with_criteria(
    criteria: Sequence[Mapping[str, Any]] | None = None,
    *,
    template: Mapping[str, Any] | None = None,
    **period: Any,
) -> ScorecardPeriod:
    """A period (2024 Q1 unless told) of a fresh template with ``criteria``."""
    _, version = template_with_criteria(criteria, **dict(template or {}))
    return cast(ScorecardPeriod, ScorecardPeriodFactory(version=version, **period))


def standings_of_template(template: ScorecardTemplate) -> Standings:
    return Standings.from_rows(template.standings) if template.standings else default_standings()


def scored_card(
    *,
    period: ScorecardPeriod,
    relationship: Any = None,
    scores: Mapping[str, Decimal | None],
    **card: Any,
) -> Scorecard:
    """A card with a CriterionScore per criterion of the period's version, scored like the engine.

    ``scores`` maps criterion codes to 0-100 scores; a code left out (or None) has no data.
    """
    criteria = list(period.version.criteria.order_by("position", "pk"))
    rules = scoring.Card.of({c.code: Decimal(c.weight) for c in criteria})
    result = scoring.score_card(rules, {c.code: scores.get(c.code) for c in criteria})
    band = standings_of_template(period.template).classify(result.overall)
    made = cast(
        Scorecard,
        ScorecardFactory(
            period=period,
            relationship=relationship if relationship is not None else RelationshipFactory(),
            score=result.overall,
            standing=band.name if band is not None else "",
            missing=list(result.missing),
            **card,
        ),
    )
    by_code = {c.code: c for c in criteria}
    CriterionScore.objects.bulk_create(
        CriterionScore(
            card=made,
            criterion=by_code[item.key],
            raw=None,
            score=item.score,
            applied_weight=item.applied_weight.quantize(Decimal("0.0001")),
        )
        for item in result.criteria
    )
    return made
