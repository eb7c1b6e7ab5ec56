"""Reads of the scorecard engine, each starting from the access policy.

Cards follow their relationship (whoever sees the relationship sees its cards; a portal user sees
a card only when it was shared with their organization). Templates, versions, criteria and
periods are reference data every internal user reads. The heat map and the ranking are one query
each over the cards of a period; the evidence behind a number reads the rows the engine read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Rank
from django.utils import timezone

from steward.core.access import Action, get_for_user, principal_for
from steward.core.display import person_name
from steward.parties.models import Relationship
from steward.scorecards.choices import PeriodStatus, PlanStatus
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
    ScoreCorrection,
    SurveyResponse,
    TemplateVersion,
)

TREND_PERIODS = 12

# --- filters a higher layer adds (the supply side's vendor category and segment) ---------------

RelationshipFilter = Callable[[QuerySet[Any], str], QuerySet[Any]]


@dataclass(frozen=True)
class ExtraFilter:
    """A query parameter of the heat map and ranking that a side understands, e.g. ``category``.

    ``apply(cards, value)`` narrows a queryset of cards; ``choices(user)`` lists (value, label)
    pairs for the filter's select box.
    """

    name: str
    label: str
    apply: RelationshipFilter
    choices: Callable[[Any], list[tuple[str, str]]] = field(default=lambda user: [])


_extra_filters: dict[str, ExtraFilter] = {}


def register_card_filter(extra: ExtraFilter) -> None:
    """A side adds a filter (its own query parameter) to the heat map and the ranking."""
    _extra_filters[extra.name] = extra


def card_filters() -> list[ExtraFilter]:
    return list(_extra_filters.values())


def apply_extra_filters(cards: QuerySet[Any], filters: Mapping[str, Any]) -> QuerySet[Any]:
    for name, extra in _extra_filters.items():
        value = filters.get(name)
        if value not in (None, ""):
            cards = extra.apply(cards, str(value))
    return cards


# --- templates, versions, periods ----------------------------------------------------------------


def template_list(*, user: Any, archived: bool = False) -> QuerySet[ScorecardTemplate]:
    rows = ScorecardTemplate.objects.restrict(user, Action.VIEW)
    rows = rows.filter(archived_at__isnull=not archived)
    return rows.order_by("side", "name")


def template_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ScorecardTemplate:
    return get_for_user(ScorecardTemplate.objects.all(), user=user, pk=pk, action=action)


def versions_of(*, user: Any, template: ScorecardTemplate) -> QuerySet[TemplateVersion]:
    return (
        TemplateVersion.objects.restrict(user, Action.VIEW)
        .filter(template=template)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("criteria", queryset=ScorecardCriterion.objects.order_by("position", "pk"))
        )
        .order_by("-number")
    )


def version_get(*, user: Any, pk: Any) -> TemplateVersion:
    return get_for_user(
        TemplateVersion.objects.select_related("template"), user=user, pk=pk, action=Action.VIEW
    )


def criteria_of(version: TemplateVersion) -> list[ScorecardCriterion]:
    return list(version.criteria.order_by("position", "pk"))


def period_list(
    *, user: Any, template: ScorecardTemplate | None = None
) -> QuerySet[ScorecardPeriod]:
    rows = ScorecardPeriod.objects.restrict(user, Action.VIEW).select_related("template", "version")
    if template is not None:
        rows = rows.filter(template=template)
    return rows.order_by("template__name", "-starts_on")


def period_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ScorecardPeriod:
    return get_for_user(
        ScorecardPeriod.objects.select_related("template", "version", "closed_by"),
        user=user,
        pk=pk,
        action=action,
    )


def latest_period(*, user: Any, template: ScorecardTemplate) -> ScorecardPeriod | None:
    """The newest closed period of a template, or its newest open one when none closed yet."""
    periods = period_list(user=user, template=template)
    return periods.filter(status=PeriodStatus.CLOSED).first() or periods.first()


# --- cards ---------------------------------------------------------------------------------------


def _cards(user: Any) -> QuerySet[Scorecard]:
    return Scorecard.objects.restrict(user, Action.VIEW).select_related(
        "period__template", "period__version", "relationship__organization", "relationship__owner"
    )


def card_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Scorecard]:
    """The cards the user may see, filtered by the card filter set."""
    from steward.scorecards.filtersets import ScorecardFilterSet

    return ScorecardFilterSet(filters or None, queryset=_cards(user)).qs


def card_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Scorecard:
    return get_for_user(_cards(user), user=user, pk=pk, action=action)


def relationship_cards(*, user: Any, relationship: Any) -> QuerySet[Scorecard]:
    """A relationship's cards, newest period first."""
    return _cards(user).filter(relationship=relationship).order_by("-period__starts_on", "-pk")


def latest_card(*, user: Any, relationship: Any) -> Scorecard | None:
    """The card of the newest period (closed or open) of the relationship."""
    return relationship_cards(user=user, relationship=relationship).first()


def criterion_scores(*, card: Scorecard) -> list[CriterionScore]:
    """Every criterion of the card's version, in order, with its score row (or None)."""
    return list(
        CriterionScore.objects.filter(card=card)
        .select_related("criterion")
        .order_by("criterion__position", "pk")
    )


@dataclass(frozen=True)
class CriterionLine:
    criterion: ScorecardCriterion
    row: CriterionScore | None

    @property
    def has_data(self) -> bool:
        return self.row is not None and self.row.score is not None


def card_lines(*, card: Scorecard) -> list[CriterionLine]:
    """One line per criterion of the card's version; a criterion without a row has no data."""
    rows = {row.criterion_id: row for row in criterion_scores(card=card)}
    return [
        CriterionLine(criterion, rows.get(criterion.pk))
        for criterion in criteria_of(card.period.version)
    ]


def missing_names(card: Scorecard) -> list[str]:
    """The names of the card's criteria without data (``missing`` holds their codes)."""
    codes = list(card.missing or [])
    if not codes:
        return []
    names = dict(card.period.version.criteria.values_list("code", "name"))
    return [names.get(code, code) for code in codes]


@dataclass
class Trend:
    """Scores per period, oldest first: the overall and one series per criterion code."""

    labels: list[str] = field(default_factory=list)
    overall: list[Decimal | None] = field(default_factory=list)
    series: dict[str, list[Decimal | None]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def card_trend(*, user: Any, relationship: Any, limit: int = TREND_PERIODS) -> Trend:
    """The relationship's overall and per-criterion scores over its last ``limit`` periods.

    Two queries: the cards, then their criterion scores. Criteria are matched by code, so a
    criterion that kept its code across template versions is one line.
    """
    cards = list(relationship_cards(user=user, relationship=relationship)[:limit])
    cards.reverse()
    trend = Trend()
    position = {card.pk: index for index, card in enumerate(cards)}
    trend.labels = [card.period.label for card in cards]
    trend.overall = [card.score for card in cards]
    rows = (
        CriterionScore.objects.filter(card_id__in=position)
        .values_list("card_id", "criterion__code", "criterion__name", "score")
        .order_by("criterion__position", "pk")
    )
    for card_id, code, name, score in rows:
        series = trend.series.setdefault(code, [None] * len(cards))
        trend.names.setdefault(code, name)
        series[position[card_id]] = score
    return trend


# --- evidence behind a number ----------------------------------------------------------------


@dataclass
class Evidence:
    card: Scorecard
    criterion: ScorecardCriterion
    measures: list[str]
    line: CriterionScore | None
    measurements: list[Measurement] = field(default_factory=list)
    sla_results: list[Any] = field(default_factory=list)
    issues: list[Any] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    show_respondents: bool = False


SLA_MEASURES = frozenset({"sla_attainment_pct", "sla_breaches"})
ISSUE_MEASURES = frozenset({"issues_opened", "issues_overdue", "issue_resolution_hours"})


def measures_of(criterion: ScorecardCriterion) -> list[str]:
    """The measure keys a criterion reads: its own, or a formula's variables."""
    keys = []
    if criterion.measure:
        keys.append(criterion.measure)
    variables = criterion.rule.get("variables") if isinstance(criterion.rule, dict) else None
    if isinstance(variables, dict):
        keys.extend(str(key) for key in variables.values() if str(key) not in keys)
    return keys


def _period_range(period: ScorecardPeriod) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def card_evidence(*, user: Any, card: Scorecard, criterion: ScorecardCriterion) -> Evidence:
    """The rows behind one criterion's number on one card, for that card's period.

    Survey comments are shown to whoever sees the card; the respondents' names only to inside
    users (a portal user of a shared card reads the ratings and comments, not who gave them).
    """
    period = card.period
    relationship = card.relationship
    keys = measures_of(criterion)
    line = CriterionScore.objects.filter(card=card, criterion=criterion).first()
    evidence = Evidence(card=card, criterion=criterion, measures=keys, line=line)
    recorded = [key for key in keys if key not in SLA_MEASURES | ISSUE_MEASURES | {"survey"}]
    if recorded:
        evidence.measurements = list(
            Measurement.objects.filter(
                relationship=relationship,
                measure__in=recorded,
                measured_on__gte=period.starts_on,
                measured_on__lte=period.ends_on,
                archived_at__isnull=True,
            )
            .select_related("entered_by")
            .order_by("measure", "measured_on", "pk")
        )
    if SLA_MEASURES.intersection(keys):
        evidence.sla_results = _sla_results(user, relationship, period)
    if ISSUE_MEASURES.intersection(keys):
        evidence.issues = _issues(user, relationship, period)
    if "survey" in keys:
        evidence.show_respondents = principal_for(user).is_internal
        evidence.responses = _responses(card, criterion, show=evidence.show_respondents)
    return evidence


def _sla_results(user: Any, relationship: Any, period: ScorecardPeriod) -> list[Any]:
    from steward.contracts.models import SlaPeriodResult

    return list(
        SlaPeriodResult.objects.filter(
            service_level__contract__relationship=relationship,
            period_start__gte=period.starts_on,
            period_end__lte=period.ends_on,
        )
        .select_related("service_level__contract")
        .order_by("service_level__contract_id", "service_level__name", "period_start")
    )


def _issues(user: Any, relationship: Any, period: ScorecardPeriod) -> list[Any]:
    from steward.issues.models import Issue

    start, end = _period_range(period)
    in_period = Q(opened_at__gte=start, opened_at__lt=end) | Q(
        resolved_at__gte=start, resolved_at__lt=end
    )
    overdue_at_end = Q(opened_at__lt=end, resolve_by__lt=end) & (
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)
    )
    return list(
        Issue.objects.filter(relationship=relationship)
        .filter(in_period | overdue_at_end)
        .select_related("owner")
        .order_by("opened_at", "pk")
    )


def _responses(card: Scorecard, criterion: ScorecardCriterion, *, show: bool) -> list[dict]:
    rows = (
        SurveyResponse.objects.filter(
            survey__period=card.period,
            survey__relationship=card.relationship,
            criterion=criterion,
            rating__isnull=False,
        )
        .select_related("respondent")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "rating": row.rating,
            "comment": row.comment,
            "function": row.get_function_display() if row.function else "",
            "respondent": person_name(row.respondent) if show else "",
            "answered_at": row.answered_at,
        }
        for row in rows
    ]


# --- corrections, appeals, plans -------------------------------------------------------------


def card_appeals(*, user: Any, card: Scorecard) -> QuerySet[ScoreAppeal]:
    return (
        ScoreAppeal.objects.restrict(user, Action.VIEW)
        .filter(card=card, archived_at__isnull=True)
        .select_related("raised_by", "answered_by")
    )


def appeal_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ScoreAppeal:
    return get_for_user(
        ScoreAppeal.objects.select_related("card__period", "card__relationship"),
        user=user,
        pk=pk,
        action=action,
    )


def card_corrections(*, user: Any, card: Scorecard) -> QuerySet[ScoreCorrection]:
    return (
        ScoreCorrection.objects.restrict(user, Action.VIEW)
        .filter(card=card)
        .select_related("criterion", "actor", "appeal")
    )


def plans_for(*, user: Any, relationship: Any) -> QuerySet[ImprovementPlan]:
    return (
        ImprovementPlan.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, archived_at__isnull=True)
        .select_related("owner", "card__period")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=ImprovementTarget.objects.filter(archived_at__isnull=True).order_by(
                    "due_on", "pk"
                ),
            )
        )
        .order_by(
            # open plans first, then the newest
            F("closed_at").desc(nulls_first=True),
            "-created_at",
        )
    )


def open_plan(*, user: Any, relationship: Any) -> ImprovementPlan | None:
    return plans_for(user=user, relationship=relationship).filter(status=PlanStatus.OPEN).first()


def plan_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ImprovementPlan:
    return get_for_user(
        ImprovementPlan.objects.select_related("relationship__organization", "owner"),
        user=user,
        pk=pk,
        action=action,
    )


def target_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ImprovementTarget:
    return get_for_user(
        ImprovementTarget.objects.select_related("plan__relationship"),
        user=user,
        pk=pk,
        action=action,
    )


# --- measurements and surveys ----------------------------------------------------------------


def measurement_list(*, user: Any, relationship: Any) -> QuerySet[Measurement]:
    return (
        Measurement.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, archived_at__isnull=True)
        .select_related("entered_by")
        .order_by("-measured_on", "measure", "pk")
    )


def measurement_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Measurement:
    return get_for_user(
        Measurement.objects.select_related("relationship"), user=user, pk=pk, action=action
    )


def my_open_responses(*, user: Any) -> QuerySet[SurveyResponse]:
    """The user's unanswered ratings in surveys still open, soonest closing first."""
    from steward.scorecards.choices import SurveyStatus

    return (
        SurveyResponse.objects.filter(
            respondent_id=getattr(user, "pk", None),
            rating__isnull=True,
            survey__status=SurveyStatus.OPEN,
        )
        .select_related(
            "criterion", "survey__period__template", "survey__relationship__organization"
        )
        .order_by("survey__closes_on", "survey_id", "criterion__position", "pk")
    )


def response_get(*, user: Any, pk: Any) -> SurveyResponse:
    """One of the user's own responses (404 for anyone else's)."""
    return get_for_user(
        SurveyResponse.objects.filter(respondent_id=getattr(user, "pk", None)).select_related(
            "survey__period", "survey__relationship__organization", "criterion"
        ),
        user=user,
        pk=pk,
        action=Action.VIEW,
    )


# --- the heat map and the ranking -------------------------------------------------------------


@dataclass
class HeatMap:
    period: ScorecardPeriod | None
    criteria: list[ScorecardCriterion]
    cards: QuerySet[Scorecard]


def period_cards(
    *, user: Any, period: ScorecardPeriod, filters: Mapping[str, Any] | None = None
) -> QuerySet[Scorecard]:
    """The cards of a period the user may see, narrowed by owner, standing and side filters."""
    filters = filters or {}
    cards = _cards(user).filter(period=period)
    owner = filters.get("owner")
    if owner not in (None, ""):
        cards = cards.filter(relationship__owner_id=owner)
    standing = filters.get("standing")
    if standing not in (None, ""):
        cards = cards.filter(standing=standing)
    query = filters.get("q")
    if query:
        cards = cards.filter(relationship__organization__display_name__icontains=str(query))
    return apply_extra_filters(cards, filters)


def heat_map(
    *, user: Any, period: ScorecardPeriod, filters: Mapping[str, Any] | None = None
) -> HeatMap:
    """Relationships (rows) by the criteria of the period's version (columns).

    The criterion scores come with the cards in one prefetch per page, so a page of the map is
    a fixed number of queries however many rows it has.
    """
    cards = (
        period_cards(user=user, period=period, filters=filters)
        .prefetch_related(
            Prefetch("criteria", queryset=CriterionScore.objects.select_related("criterion"))
        )
        .order_by("relationship__organization__display_name", "pk")
    )
    return HeatMap(period=period, criteria=criteria_of(period.version), cards=cards)


def ranking(
    *, user: Any, period: ScorecardPeriod, filters: Mapping[str, Any] | None = None
) -> QuerySet[Scorecard]:
    """Cards with a score, best first, ties by name, each with its ``rank`` (ties share one).

    The rank is a window over the filtered cards, so filtering by category ranks within it.
    """
    cards = period_cards(user=user, period=period, filters=filters).filter(score__isnull=False)
    return cards.annotate(rank=Window(Rank(), order_by=F("score").desc())).order_by(
        "-score", "relationship__organization__display_name", "pk"
    )


def rank_of(
    *, user: Any, period: ScorecardPeriod, relationship: Any, filters: Mapping[str, Any]
) -> tuple[int | None, int]:
    """The relationship's rank among the filtered, scored cards of the period, and their count.

    One more than the number of cards scoring strictly higher (so ties share a rank), in two
    counts rather than reading the whole ranking.
    """
    scored = period_cards(user=user, period=period, filters=filters).filter(score__isnull=False)
    total = scored.count()
    own = scored.filter(relationship=relationship).values_list("score", flat=True).first()
    if own is None:
        return None, total
    return scored.filter(score__gt=own).count() + 1, total


def default_template_for(
    *, user: Any, templates: list[ScorecardTemplate]
) -> ScorecardTemplate | None:
    """The template a page opens on: the default of the side where the user owns the most
    relationships (a vendor manager lands on vendors, an account manager on accounts), else
    any default, else the first."""
    sides = (
        Relationship.objects.filter(owner=user, archived_at__isnull=True)
        .values("side")
        .annotate(n=Count("pk"))
        .order_by("-n", "side")
    )
    defaults = [t for t in templates if t.is_default]
    for row in sides:
        found = next((t for t in defaults if t.side == row["side"]), None)
        if found is not None:
            return found
    return defaults[0] if defaults else (templates[0] if templates else None)
