"""Scorecard periods: opening them, scoring every card of a period at once, closing them, and
re-scoring past periods under another version ("what if") without saving anything.

Scoring is set-based: each measure is read for every relationship of the period in one query
(recorded measures share one), the rules are applied in Python, and the cards and their criteria
are written with bulk inserts, so a period costs the same few queries for ten relationships or
ten thousand. A closed period is frozen: it is not scored again, and its cards change only
through a recorded correction.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.parties.models import Relationship
from steward.scorecards import measures as measure_registry
from steward.scorecards.choices import PeriodStatus, RuleKind
from steward.scorecards.models import (
    CriterionScore,
    Scorecard,
    ScorecardCriterion,
    ScorecardPeriod,
    ScorecardTemplate,
    TemplateVersion,
)
from steward.scorecards.scoring import CENT, Card, CardScore, Criterion, Formula, score_card
from steward.scorecards.services.templates import (
    formula_variables,
    measures_of,
    period_bounds,
    rule_of,
    standings_of,
    templates_ensure_defaults,
    version_in_force,
)
from steward.scorecards.standings import Standings

RAW_PLACES = Decimal("0.0001")
WEIGHT_PLACES = Decimal("0.0001")
ONE_DAY = dt.timedelta(days=1)
NO_INPUTS: dict[str, str | None] = {}


# --- what a template scores ------------------------------------------------------------------


def scored_relationship_ids(template: ScorecardTemplate) -> QuerySet[Any]:
    """The ids of the relationships a template scores: every live relationship of its side when
    it is the side's default, none otherwise."""
    if not template.is_default or template.is_archived:
        return Relationship.objects.none().values("pk")
    return Relationship.objects.filter(side=template.side, archived_at__isnull=True).values("pk")


# --- opening ---------------------------------------------------------------------------------


def period_open(*, template: ScorecardTemplate, starts_on: dt.date) -> ScorecardPeriod:
    """The template's period that contains ``starts_on``, opened under the version in force then.

    Safe to call again: an existing period is returned as it is.
    """
    start, end = period_bounds(template.period_kind, starts_on)
    existing = ScorecardPeriod.objects.filter(template=template, starts_on=start).first()
    if existing is not None:
        return existing
    version = version_in_force(template, start)
    if version is None:
        raise DomainError(
            f"“{template}” has no version in force on {start:%Y-%m-%d}.",
            code="no_version",
            field="starts_on",
        )
    period, _ = ScorecardPeriod.objects.get_or_create(
        template=template,
        starts_on=start,
        defaults={"version": version, "kind": template.period_kind, "ends_on": end},
    )
    return period


# --- scoring in bulk -------------------------------------------------------------------------


class CriterionResult(NamedTuple):
    criterion: ScorecardCriterion
    raw: Decimal | None
    inputs: dict[str, str | None]
    score: Decimal | None
    applied_weight: Decimal


class ScoredCard(NamedTuple):
    relationship_id: int
    overall: Decimal | None
    standing: str
    missing: tuple[str, ...]
    criteria: tuple[CriterionResult, ...] = ()


def _read_values(
    criteria: Sequence[ScorecardCriterion],
    start: dt.date,
    end: dt.date,
    period_id: int | None,
    ids: QuerySet[Any],
) -> tuple[dict[str, dict[int, Decimal]], dict[str, dict[int, Decimal]]]:
    """Every measure the criteria read, for every relationship: a query per computed measure,
    one for all recorded ones and one for the survey."""
    keys = {key for criterion in criteria for key in measures_of(criterion)}
    known = {key: measure_registry.measure_get(key) for key in keys}
    recorded = [
        k for k, m in known.items() if m is not None and m.kind == measure_registry.RECORDED
    ]
    values = measure_registry.read_recorded(recorded, start, end, ids)
    for key, measure in known.items():
        if measure is not None and measure.kind == measure_registry.COMPUTED and measure.read:
            values[key] = measure.read(start, end, ids)
    survey: dict[str, dict[int, Decimal]] = {}
    if period_id is not None and measure_registry.SURVEY_KEY in keys:
        survey = measure_registry.read_survey_medians(period_id, ids)
    return values, survey


def _as_text(value: Decimal | None) -> str | None:
    """A formula input as read, at the stored precision (the same text on every database)."""
    return None if value is None else f"{value.quantize(RAW_PLACES):f}"


class CardScorer:
    """Applies one version's rules to raw values read in bulk.

    Ten thousand cards go through here per period, so the per-card path only looks values up
    and applies the rules: everything that depends on the criteria alone is worked out once.
    """

    def __init__(self, criteria: Sequence[ScorecardCriterion], standings: Standings) -> None:
        self.criteria = list(criteria)
        self.rules = [rule_of(c) for c in self.criteria]
        self.card = Card(tuple(Criterion(c.code, Decimal(c.weight)) for c in self.criteria))
        self.standings = standings

    def score(
        self,
        relationship_id: int,
        values: Mapping[str, Mapping[int, Decimal]],
        survey: Mapping[str, Mapping[int, Decimal]],
    ) -> ScoredCard:
        return self.score_all([relationship_id], values, survey)[0]

    def score_all(
        self,
        relationship_ids: Iterable[int],
        values: Mapping[str, Mapping[int, Decimal]],
        survey: Mapping[str, Mapping[int, Decimal]],
    ) -> list[ScoredCard]:
        sources = [self._source(c, values, survey) for c in self.criteria]
        plan = list(zip(self.criteria, self.rules, sources, strict=True))
        return [self._card(pk, plan) for pk in relationship_ids]

    @staticmethod
    def _source(
        criterion: ScorecardCriterion,
        values: Mapping[str, Mapping[int, Decimal]],
        survey: Mapping[str, Mapping[int, Decimal]],
    ) -> Mapping[int, Decimal] | dict[str, Mapping[int, Decimal]]:
        """Where a criterion's raw value comes from: one map, or one per formula variable."""
        if criterion.rule_kind == RuleKind.FORMULA:
            return {name: values.get(key, {}) for name, key in formula_variables(criterion).items()}
        if criterion.measure == measure_registry.SURVEY_KEY:
            return survey.get(criterion.code, {})
        return values.get(criterion.measure, {})

    def _card(self, relationship_id: int, plan: list[tuple[Any, Any, Any]]) -> ScoredCard:
        read: list[tuple[Decimal | None, dict[str, str | None]]] = []
        scores: dict[str, Decimal | None] = {}
        for criterion, rule, source in plan:
            if isinstance(rule, Formula):
                variables = {name: found.get(relationship_id) for name, found in source.items()}
                read.append((None, {n: _as_text(v) for n, v in variables.items()}))
                scores[criterion.code] = rule.score(variables)
            else:
                raw = source.get(relationship_id)
                read.append((raw, NO_INPUTS))
                scores[criterion.code] = rule.score(raw)
        card: CardScore = score_card(self.card, scores)
        band = self.standings.classify(card.overall)
        return ScoredCard(
            relationship_id,
            card.overall,
            band.name if band is not None else "",
            card.missing,
            tuple(
                CriterionResult(
                    criterion,
                    None if raw is None else raw.quantize(RAW_PLACES),
                    inputs,
                    None if result.score is None else result.score.quantize(CENT),
                    result.applied_weight.quantize(WEIGHT_PLACES),
                )
                for criterion, (raw, inputs), result in zip(
                    self.criteria, read, card.criteria, strict=True
                )
            ),
        )


def score_relationships(
    *,
    criteria: Sequence[ScorecardCriterion],
    standings: Standings,
    starts_on: dt.date,
    ends_on: dt.date,
    period_id: int | None,
    relationship_ids: QuerySet[Any],
) -> list[ScoredCard]:
    """Score every relationship in ``relationship_ids`` under ``criteria``: a constant number of
    queries, whatever their number."""
    scorer = CardScorer(criteria, standings)
    values, survey = _read_values(criteria, starts_on, ends_on, period_id, relationship_ids)
    ids = Relationship.objects.filter(pk__in=relationship_ids).order_by("pk")
    return scorer.score_all(ids.values_list("pk", flat=True), values, survey)


def period_score(*, period: ScorecardPeriod) -> int:
    """Score every card of an open period again from the data as it stands; answers the number
    of cards. A closed period is refused: its cards are frozen."""
    with transaction.atomic():
        locked = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_closed:
            raise DomainError(
                f"The period {locked.label} is closed; its cards change only through a correction.",
                code="period_closed",
            )
        count = _score_and_store(locked)
        period.scored_at = locked.scored_at
        return count


def _score_and_store(period: ScorecardPeriod) -> int:
    template = period.template
    ids = scored_relationship_ids(template)
    criteria = list(period.version.criteria.all())
    cards = score_relationships(
        criteria=criteria,
        standings=standings_of(template),
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        period_id=period.pk,
        relationship_ids=ids,
    )
    now = timezone.now()
    _store_cards(period, cards, ids, now)
    period.scored_at = now
    period.save(update_fields=["scored_at"])
    return len(cards)


def _store_cards(
    period: ScorecardPeriod,
    cards: list[ScoredCard],
    relationship_ids: QuerySet[Any],
    now: dt.datetime,
) -> None:
    """Upsert the cards (appeals and plans may point at them) and their criteria.

    Written straight through the cursor in a fixed number of statements per row batch: at ten
    thousand cards the ORM's per-object work would cost more than the scoring itself.
    """
    stale = Scorecard.objects.filter(period=period).exclude(relationship_id__in=relationship_ids)
    if stale.exists():
        CriterionScore.objects.filter(card__in=stale).delete()
        stale.delete()
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    _insert_rows(
        Scorecard._meta.db_table,
        ("period_id", "relationship_id", "score", "standing", "missing", "computed_at",
         "corrected", "shared_with_portal"),
        [
            (period.pk, card.relationship_id, card.overall, card.standing,
             _json_text(card.missing), at, False, False)
            for card in cards
        ],
        upsert=("(period_id, relationship_id)", ("score", "standing", "missing", "computed_at")),
    )  # fmt: skip
    card_ids = dict(Scorecard.objects.filter(period=period).values_list("relationship_id", "pk"))
    no_inputs = _json_text({})
    # PostgreSQL rewrites a row on every update, so replacing the rows costs less than
    # upserting them; SQLite updates in place, where the upsert is the cheaper.
    replace = connection.vendor == "postgresql"
    if replace:
        CriterionScore.objects.filter(card__period=period).delete()
    _insert_rows(
        CriterionScore._meta.db_table,
        ("card_id", "criterion_id", "raw", "inputs", "score", "applied_weight"),
        [
            (card_ids[card.relationship_id], result.criterion.pk, result.raw,
             json.dumps(result.inputs) if result.inputs else no_inputs,
             result.score, result.applied_weight)
            for card in cards
            for result in card.criteria
        ],
        upsert=None
        if replace
        else ("(card_id, criterion_id)", ("raw", "inputs", "score", "applied_weight")),
    )  # fmt: skip


@functools.lru_cache(maxsize=256)
def _json_text_cached(value: tuple[str, ...] | None) -> str:
    return json.dumps({} if value is None else list(value))


def _json_text(value: tuple[str, ...] | dict[str, Any]) -> str:
    """JSON columns go in as text, which every database parses (and COPY takes as it is);
    the few distinct lists of missing criteria are encoded once each."""
    return _json_text_cached(None if isinstance(value, dict) else tuple(value))


def _insert_rows(
    table: str,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    upsert: tuple[str, Sequence[str]] | None = None,
) -> None:
    """Insert (or upsert) ``rows`` the fast way each database offers.

    SQLite runs one statement many times (its driver loops in C); PostgreSQL copies the rows in
    (through a temporary table and one insert when they upsert); any other database gets
    multi-row statements within its parameter limit.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    conflict = ""
    if upsert is not None:
        target, updated = upsert
        sets = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
        conflict = f" ON CONFLICT {target} DO UPDATE SET {sets}"
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {quote(table)} ({names}) "
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(head + "VALUES " + row + conflict, rows)
        elif connection.vendor == "postgresql" and not conflict:
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
        elif connection.vendor == "postgresql":
            _copy_then_insert(cursor, table, names, head + conflict, rows)
        else:
            per_batch = max(1, (connection.features.max_query_params or 30000) // len(columns))
            for first in range(0, len(rows), per_batch):
                batch = rows[first : first + per_batch]
                cursor.execute(
                    head + "VALUES " + ", ".join([row] * len(batch)) + conflict,
                    [value for values in batch for value in values],
                )


def _copy_then_insert(
    cursor: Any, table: str, names: str, insert: str, rows: list[tuple[Any, ...]]
) -> None:
    quote = connection.ops.quote_name
    staging = quote(f"staging_{table}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608 - names are ours
        f"SELECT {names} FROM {quote(table)} WITH NO DATA"
    )
    with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)
    # The insert's ``ON CONFLICT`` clause follows the SELECT it reads from.
    head, _, conflict = insert.partition(" ON CONFLICT")
    tail = f" ON CONFLICT{conflict}" if conflict else ""
    cursor.execute(f"{head}SELECT {names} FROM {staging}{tail}")  # noqa: S608 - names are ours
    cursor.execute(f"DROP TABLE {staging}")


# --- closing ---------------------------------------------------------------------------------


def period_close(*, actor: Any = None, period: ScorecardPeriod) -> ScorecardPeriod:
    """Score the period a last time, freeze it, then apply the standings' consequences.

    ``actor`` is None when the background job closes it. Closing a closed period changes nothing.
    """
    from steward.scorecards.services.consequences import standings_apply

    if actor is not None:
        require(actor, Action.CHANGE, period)
    with transaction.atomic():
        locked = ScorecardPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_closed:
            return locked
        _score_and_store(locked)
        locked.status = PeriodStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        standings_apply(period=locked)
    return locked


def periods_close_ended(*, today: dt.date) -> list[ScorecardPeriod]:
    """The daily job: close every open period that ended before ``today`` and open the current
    one, for every live template. The period just ended is opened first if it never was (a new
    installation scores its last period too). Safe to run again."""
    templates_ensure_defaults()
    closed = []
    for template in ScorecardTemplate.objects.filter(archived_at__isnull=True).order_by("pk"):
        current, _ = period_bounds(template.period_kind, today)
        previous, _ = period_bounds(template.period_kind, current - ONE_DAY)
        if template.is_default and version_in_force(template, previous) is not None:
            period_open(template=template, starts_on=previous)
        ended = ScorecardPeriod.objects.filter(
            template=template, status=PeriodStatus.OPEN, ends_on__lt=today
        ).order_by("starts_on")
        closed += [period_close(period=period) for period in ended]
        if version_in_force(template, current) is not None:
            period_open(template=template, starts_on=current)
    return closed


# --- what if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfCard:
    """A recorded card beside its score under another version; nothing of it is saved."""

    relationship: Relationship
    period: ScorecardPeriod
    recorded_score: Decimal | None
    recorded_standing: str
    score: Decimal | None
    standing: str
    missing: tuple[str, ...]

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.recorded_score is None:
            return None
        return self.score - self.recorded_score


def what_if(
    *,
    actor: Any,
    version: TemplateVersion,
    periods: Iterable[ScorecardPeriod],
    relationship: Relationship | None = None,
) -> list[WhatIfCard]:
    """Re-score the cards ``actor`` may see in ``periods`` under ``version`` (its criteria, the
    template's standings). Reads only; the record is unchanged."""
    chosen = sorted(periods, key=lambda p: p.starts_on)
    for period in chosen:
        if period.template_id != version.template_id:
            raise DomainError(
                f"The period {period.label} belongs to another template than version "
                f"{version.number}.",
                code="template_mismatch",
                field="periods",
            )
    criteria = list(version.criteria.all())
    if not criteria:
        raise DomainError("This version has no criteria.", field="version")
    standings = standings_of(version.template)
    visible = Scorecard.objects.restrict(actor, Action.VIEW)
    if relationship is not None:
        visible = visible.filter(relationship=relationship)
    results = []
    for period in chosen:
        cards = {
            card.relationship_id: card
            for card in visible.filter(period=period).select_related("relationship__organization")
        }
        if not cards:
            continue
        scored = score_relationships(
            criteria=criteria,
            standings=standings,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            period_id=period.pk,
            relationship_ids=visible.filter(period=period).values("relationship_id"),
        )
        results += [
            WhatIfCard(
                relationship=cards[s.relationship_id].relationship,
                period=period,
                recorded_score=cards[s.relationship_id].score,
                recorded_standing=cards[s.relationship_id].standing,
                score=s.overall,
                standing=s.standing,
                missing=s.missing,
            )
            for s in scored
        ]
    return results


__all__ = [
    "ScoredCard",
    "WhatIfCard",
    "period_bounds",
    "period_close",
    "period_open",
    "period_score",
    "periods_close_ended",
    "score_relationships",
    "scored_relationship_ids",
    "what_if",
]
