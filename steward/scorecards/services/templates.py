"""Writes on scorecard templates: their criteria, versions and standings.

A template's criteria live in versions. Version 1 applies from the start; a later version applies
from the next period start after the day it is made, so a period in progress keeps the criteria
it began with, and a version some period was scored under is never changed. Every rule is parsed
with the pure rules of :mod:`steward.scorecards.scoring` when it is declared, so a stored rule
always evaluates; a refused input names the row and field (``criteria[2].rule``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, refuse_unknown_fields, update_record
from steward.parties.choices import Side
from steward.scorecards import measures as measure_registry
from steward.scorecards.choices import CriterionCategory, PeriodKind, RuleKind
from steward.scorecards.models import ScorecardCriterion, ScorecardTemplate, TemplateVersion
from steward.scorecards.scoring import HUNDRED, Bands, Direction, Formula, Linear
from steward.scorecards.standings import Standings, StandingsError, default_standings

Rule = Linear | Bands | Formula

# Version 1 of a template scores every period, however far back its data goes.
FIRST_EFFECTIVE = dt.date(2000, 1, 1)
CRITERION_KEYS = frozenset({"code", "name", "category", "weight", "measure", "rule_kind", "rule"})
TEMPLATE_FIELDS = frozenset({"name", "description", "is_default", "period_kind"})
SURVEY_RULE = {"floor": "1", "target": "5"}


# --- periods of a template ---------------------------------------------------------------------


def period_bounds(kind: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the monthly or quarterly period that contains ``on``."""
    months = 3 if kind == PeriodKind.QUARTERLY else 1
    start = on.replace(day=1, month=on.month - (on.month - 1) % months)
    return start, start + relativedelta(months=months) - dt.timedelta(days=1)


def next_period_start(kind: str, on: dt.date) -> dt.date:
    return period_bounds(kind, on)[1] + dt.timedelta(days=1)


# --- reading templates -----------------------------------------------------------------------


def version_in_force(template: ScorecardTemplate, on: dt.date) -> TemplateVersion | None:
    """The version that scores the period starting ``on`` (the latest effective by then)."""
    return (
        TemplateVersion.objects.filter(template=template, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def standings_of(template: ScorecardTemplate) -> Standings:
    """The template's standings, or the defaults when it declares none."""
    if not template.standings:
        return default_standings()
    return Standings.from_rows(template.standings)


def rule_of(criterion: ScorecardCriterion) -> Rule:
    """The scoring rule a stored criterion declares (checked when it was stored)."""
    return _build_rule(criterion.rule_kind, criterion.rule, _direction_of(criterion.measure))


def formula_variables(criterion: ScorecardCriterion) -> dict[str, str]:
    """``{variable: measure key}`` of a formula criterion; empty for other rules."""
    if criterion.rule_kind != RuleKind.FORMULA:
        return {}
    return dict(criterion.rule.get("variables", {}))


def measures_of(criterion: ScorecardCriterion) -> list[str]:
    """The measure keys a criterion reads."""
    if criterion.rule_kind == RuleKind.FORMULA:
        return sorted(set(formula_variables(criterion).values()))
    return [criterion.measure]


def _direction_of(measure_key: str) -> Direction:
    measure = measure_registry.measure_get(measure_key)
    return measure.direction if measure is not None else Direction.HIGHER_IS_BETTER


def _build_rule(kind: str, rule: Mapping[str, Any], direction: Direction) -> Rule:
    """The rule a stored mapping declares; its ``direction`` when it names one, else the
    measure's."""
    if kind == RuleKind.FORMULA:
        variables = rule.get("variables")
        if not isinstance(variables, Mapping):
            raise ValueError("A formula declares its variables as {name: measure}.")
        return Formula(expression=str(rule.get("expression", "")), variables=tuple(variables))
    direction = Direction(rule.get("direction") or direction)
    if kind == RuleKind.LINEAR:
        return Linear(
            floor=_number(rule.get("floor"), "floor"),
            target=_number(rule.get("target"), "target"),
            direction=direction,
        )
    if kind == RuleKind.BANDS:
        return Bands.of((_band_pair(band) for band in rule.get("bands", [])), direction)
    raise ValueError(f"Unknown rule kind {kind!r}.")


def _band_pair(band: object) -> tuple[Decimal, Decimal]:
    """A band as ``{"threshold": …, "score": …}`` or ``[threshold, score]``."""
    pair = (band.get("threshold"), band.get("score")) if isinstance(band, Mapping) else band
    if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
        raise ValueError(f"A band is a threshold and a score, not {band!r}.")
    return _number(pair[0], "threshold"), _number(pair[1], "score")


def _number(value: object, name: str) -> Decimal:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"The {name} is required.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"The {name} {value!r} is not a number.") from None
    if not number.is_finite():
        raise ValueError(f"The {name} must be a finite number.")
    return number


# --- validating criteria -----------------------------------------------------------------------


def _criterion_error(index: int, field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(
        f"Criterion {index + 1}: {message}", code=code, field=f"criteria[{index}].{field}"
    )


def _parse_criteria(criteria: Sequence[Mapping[str, Any]], side: str) -> list[ScorecardCriterion]:
    """Check every criterion and build unsaved rows; the first fault is refused, named."""
    if not isinstance(criteria, Sequence) or isinstance(criteria, str) or not criteria:
        raise DomainError("A template needs at least one criterion.", field="criteria")
    rows = [_parse_criterion(index, data, side) for index, data in enumerate(criteria)]
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.code in seen:
            raise _criterion_error(
                index, "code", f"the code “{row.code}” is used twice.", "duplicate"
            )
        seen.add(row.code)
    total = sum(row.weight for row in rows)
    if total != HUNDRED:
        raise DomainError(
            f"The weights of the criteria sum to {total}; they must sum to 100.",
            code="weights_total",
            field="criteria",
        )
    return rows


def _parse_criterion(index: int, data: Mapping[str, Any], side: str) -> ScorecardCriterion:
    if not isinstance(data, Mapping):
        raise DomainError(f"Criterion {index + 1} must be a mapping.", field=f"criteria[{index}]")
    unknown = sorted(str(key) for key in set(data) - CRITERION_KEYS)
    if unknown:
        raise _criterion_error(index, unknown[0], f"unknown field(s) {', '.join(unknown)}.")
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 120:
        raise _criterion_error(index, "name", "give it a name of at most 120 characters.")
    code = str(data.get("code") or "").strip()
    if not code or slugify(code) != code or len(code) > 40:
        raise _criterion_error(
            index, "code", f"the code {code!r} must be a short slug (a-z, 0-9, - and _)."
        )
    category = data.get("category")
    if category not in CriterionCategory.values:
        raise _criterion_error(index, "category", f"unknown category {category!r}.")
    weight = data.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | str | Decimal):
        raise _criterion_error(index, "weight", "the weight must be a whole number 1-100.")
    try:
        weight_value = int(str(weight).strip())
    except ValueError:
        raise _criterion_error(
            index, "weight", "the weight must be a whole number 1-100."
        ) from None
    if not 1 <= weight_value <= 100:
        raise _criterion_error(index, "weight", "the weight must be a whole number 1-100.")
    kind = data.get("rule_kind")
    if kind not in RuleKind.values:
        raise _criterion_error(index, "rule_kind", f"unknown rule kind {kind!r}.")
    measure, rule = _parse_measure_and_rule(index, data, str(kind), side)
    return ScorecardCriterion(
        code=code,
        name=name,
        category=category,
        weight=weight_value,
        measure=measure,
        rule_kind=kind,
        rule=rule,
        position=index,
    )


def _check_measure(index: int, key: object, side: str, field: str) -> measure_registry.Measure:
    measure = measure_registry.measure_get(str(key or ""))
    if measure is None:
        raise _criterion_error(index, field, f"unknown measure {key!r}.", "measure_unknown")
    if not measure.fits(side):
        raise _criterion_error(
            index,
            field,
            f"the measure “{measure.label}” is not kept on the {side} side.",
            "measure_side",
        )
    return measure


def _parse_measure_and_rule(
    index: int, data: Mapping[str, Any], kind: str, side: str
) -> tuple[str, dict[str, Any]]:
    rule = data.get("rule")
    if rule is None:
        rule = {}
    if not isinstance(rule, Mapping):
        raise _criterion_error(index, "rule", "the rule must be a mapping.")
    if kind == RuleKind.FORMULA:
        variables = rule.get("variables")
        if not isinstance(variables, Mapping) or not variables:
            raise _criterion_error(index, "rule", "a formula maps each variable to a measure.")
        for key in variables.values():
            measure = _check_measure(index, key, side, "rule")
            if measure.kind == measure_registry.SURVEY:
                raise _criterion_error(index, "rule", "a formula cannot read the survey.")
        normalised: dict[str, Any] = {
            "expression": str(rule.get("expression", "")).strip(),
            "variables": {str(name): str(key) for name, key in variables.items()},
        }
        _try_rule(index, kind, normalised, Direction.HIGHER_IS_BETTER)
        return "", normalised
    measure = _check_measure(index, data.get("measure"), side, "measure")
    if measure.kind == measure_registry.SURVEY and not rule:
        rule = SURVEY_RULE
    normalised = _normalise_rule(index, kind, rule, measure)
    _try_rule(index, kind, normalised, measure.direction)
    return measure.key, normalised


def _normalise_rule(
    index: int, kind: str, rule: Mapping[str, Any], measure: measure_registry.Measure
) -> dict[str, Any]:
    """Numbers stored as text, so no float ever stands in for a threshold; the direction is the
    measure's, written out for readers of the rule."""
    direction = rule.get("direction") or measure.direction.value
    if direction != measure.direction.value:
        raise _criterion_error(
            index,
            "rule",
            f"“{measure.label}” is {measure.direction.value.replace('_', ' ')}; the rule cannot "
            "turn it round.",
            "rule_invalid",
        )
    try:
        if kind == RuleKind.LINEAR:
            return {
                "floor": str(_number(rule.get("floor"), "floor")),
                "target": str(_number(rule.get("target"), "target")),
                "direction": direction,
            }
        bands = rule.get("bands")
        if not isinstance(bands, Sequence) or isinstance(bands, str) or not bands:
            raise ValueError("Bands need at least one band.")
        pairs = [_band_pair(band) for band in bands]
        return {
            "bands": [{"threshold": str(t), "score": str(s)} for t, s in pairs],
            "direction": direction,
        }
    except ValueError as error:
        raise _criterion_error(index, "rule", str(error), "rule_invalid") from None


def _try_rule(index: int, kind: str, rule: Mapping[str, Any], direction: Direction) -> None:
    try:
        _build_rule(kind, rule, direction)
    except (ValueError, SyntaxError) as error:
        raise _criterion_error(index, "rule", str(error), "rule_invalid") from None


# --- standings -------------------------------------------------------------------------------


def _parse_standings(rows: Iterable[Mapping[str, object]] | None) -> list[dict[str, object]]:
    if rows is None:
        standings = default_standings()
    else:
        try:
            standings = Standings.from_rows(rows)
        except StandingsError as error:
            field = "standings"
            if error.row is not None:
                field = f"standings[{error.row - 1}]" + (f".{error.field}" if error.field else "")
            raise DomainError(error.message, code=error.code, field=field) from None
    return [{**row, "lower": str(row["lower"])} for row in standings.to_rows()]


# --- writes ----------------------------------------------------------------------------------


def _check_template(template: ScorecardTemplate) -> None:
    template.name = (template.name or "").strip()
    if not template.name or len(template.name) > 120:
        raise DomainError("Name the template (at most 120 characters).", field="name")
    if template.side not in Side.values:
        raise DomainError(f"Unknown side {template.side!r}.", field="side")
    if template.period_kind not in PeriodKind.values:
        raise DomainError(f"Unknown period kind {template.period_kind!r}.", field="period_kind")
    if ScorecardTemplate.objects.filter(name=template.name).exclude(pk=template.pk).exists():
        raise DuplicateError(f"A template is named “{template.name}” already.", field="name")
    if template.is_default:
        other = ScorecardTemplate.objects.filter(
            side=template.side, is_default=True, archived_at__isnull=True
        ).exclude(pk=template.pk)
        if other.exists():
            raise DuplicateError(
                f"“{other.first()}” is the default for this side already; make it not the "
                "default first.",
                field="is_default",
            )


def _version_insert(
    *,
    template: ScorecardTemplate,
    criteria: list[ScorecardCriterion],
    effective_from: dt.date,
    note: str,
    actor: Any,
) -> TemplateVersion:
    number = (template.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = TemplateVersion.objects.create(
        template=template,
        number=number,
        effective_from=effective_from,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for row in criteria:
        row.version = version
    ScorecardCriterion.objects.bulk_create(criteria)
    return version


def _template_insert(
    *,
    actor: Any,
    name: str,
    side: str,
    period_kind: str,
    description: str,
    standings_rows: Iterable[Mapping[str, object]] | None,
    criteria: Sequence[Mapping[str, Any]],
    is_default: bool,
) -> ScorecardTemplate:
    template = ScorecardTemplate(
        name=name,
        side=side,
        period_kind=period_kind,
        description=description,
        is_default=is_default,
    )
    _check_template(template)
    template.standings = _parse_standings(standings_rows)
    rows = _parse_criteria(criteria, side)
    with transaction.atomic():
        create_record(template, actor=actor if getattr(actor, "pk", None) else None)
        _version_insert(
            template=template,
            criteria=rows,
            effective_from=FIRST_EFFECTIVE,
            note="First version.",
            actor=actor,
        )
    return template


def template_create(
    *,
    actor: Any,
    name: str,
    side: str,
    period_kind: str,
    criteria: Sequence[Mapping[str, Any]],
    description: str = "",
    standings_rows: Iterable[Mapping[str, object]] | None = None,
    is_default: bool = False,
) -> ScorecardTemplate:
    """A template with its version 1 (scoring every period) and standings (default bands)."""
    require_create(actor, ScorecardTemplate)
    return _template_insert(
        actor=actor,
        name=name,
        side=side,
        period_kind=period_kind,
        description=description,
        standings_rows=standings_rows,
        criteria=criteria,
        is_default=is_default,
    )


def template_version_create(
    *,
    actor: Any,
    template: ScorecardTemplate,
    criteria: Sequence[Mapping[str, Any]],
    note: str,
    today: dt.date | None = None,
) -> TemplateVersion:
    """New criteria from the next period start on; the periods before keep their version.

    A second change before that period starts replaces the pending version, as long as no
    period was opened under it.
    """
    require(actor, Action.CHANGE, template)
    if template.is_archived:
        raise DomainError("This template is archived; restore it first.", code="archived")
    rows = _parse_criteria(criteria, template.side)
    effective = next_period_start(template.period_kind, today or timezone.localdate())
    with transaction.atomic():
        ScorecardTemplate.objects.select_for_update().get(pk=template.pk)
        pending = TemplateVersion.objects.filter(
            template=template, effective_from=effective
        ).first()
        if pending is None:
            return _version_insert(
                template=template, criteria=rows, effective_from=effective, note=note, actor=actor
            )
        if pending.periods.exists():
            raise DomainError(
                f"Version {pending.number} scores a period already and cannot change.",
                code="version_in_use",
                field="criteria",
            )
        pending.criteria.all().delete()
        pending.note = note
        pending.created_by = actor if getattr(actor, "pk", None) else None
        pending.save(update_fields=["note", "created_by"])
        for row in rows:
            row.version = pending
        ScorecardCriterion.objects.bulk_create(rows)
        return pending


def template_update(
    *, actor: Any, template: ScorecardTemplate, expected_version: int, **changes: Any
) -> ScorecardTemplate:
    """Rename, describe, make default; the period kind only before any period exists."""
    require(actor, Action.CHANGE, template)
    refuse_unknown_fields(changes, TEMPLATE_FIELDS)
    if (
        "period_kind" in changes
        and changes["period_kind"] != template.period_kind
        and template.periods.exists()
    ):
        raise DomainError(
            "Periods were scored by this kind already; make a new template instead.",
            code="periods_exist",
            field="period_kind",
        )
    return update_record(
        template,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_template,
    )


def template_standings_set(
    *, actor: Any, template: ScorecardTemplate, rows: Iterable[Mapping[str, object]]
) -> ScorecardTemplate:
    """New standings; cards scored from now on are classified by them, closed ones keep theirs."""
    require(actor, Action.CHANGE, template)
    standings = _parse_standings(rows)
    return update_record(
        template,
        actor=actor,
        expected_version=None,
        changes={"standings": standings},
        reason="Standings changed",
    )


# --- the templates Steward ships with ---------------------------------------------------------


def _linear(floor: str, target: str) -> dict[str, Any]:
    return {"floor": floor, "target": target}


def _bands(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"bands": [{"threshold": t, "score": s} for t, s in pairs]}


VENDOR_PERFORMANCE: dict[str, Any] = {
    "name": "Vendor performance",
    "side": Side.SUPPLY,
    "period_kind": PeriodKind.QUARTERLY,
    "description": "Quality, delivery, cost, responsiveness, innovation, compliance and the "
    "relationship, from recorded measures, SLAs, issues and a stakeholder survey.",
    "criteria": [
        {"code": "quality", "name": "Defect rate", "category": "quality", "weight": 15,
         "measure": "defect_rate_pct", "rule_kind": "linear", "rule": _linear("5", "0.5")},
        {"code": "delivery", "name": "On-time delivery", "category": "delivery", "weight": 20,
         "measure": "on_time_delivery_pct", "rule_kind": "linear", "rule": _linear("80", "98")},
        {"code": "cost", "name": "Price variance against contract", "category": "cost",
         "weight": 10, "measure": "price_variance_pct", "rule_kind": "linear",
         "rule": _linear("10", "0")},
        {"code": "invoicing", "name": "Invoice accuracy", "category": "cost", "weight": 10,
         "measure": "invoice_accuracy_pct", "rule_kind": "linear", "rule": _linear("90", "100")},
        {"code": "responsiveness", "name": "Time to resolve issues",
         "category": "responsiveness", "weight": 10, "measure": "issue_resolution_hours",
         "rule_kind": "bands",
         "rule": _bands(("24", "100"), ("72", "75"), ("168", "50"), ("336", "25"))},
        {"code": "innovation", "name": "Innovation (stakeholder survey)",
         "category": "innovation", "weight": 10, "measure": "survey", "rule_kind": "linear",
         "rule": _linear("1", "5")},
        {"code": "compliance", "name": "SLA attainment", "category": "compliance_risk",
         "weight": 15, "measure": "sla_attainment_pct", "rule_kind": "linear",
         "rule": _linear("90", "100")},
        {"code": "relationship", "name": "Overdue issues", "category": "relationship",
         "weight": 10, "measure": "issues_overdue", "rule_kind": "bands",
         "rule": _bands(("0", "100"), ("1", "70"), ("3", "40"), ("5", "10"))},
    ],
}  # fmt: skip

# The templates Steward ships, by name, in registration order. The engine ships the supply
# side's; the app that owns the demand side's measures registers "Customer health".
SHIPPED_TEMPLATES: dict[str, dict[str, Any]] = {VENDOR_PERFORMANCE["name"]: VENDOR_PERFORMANCE}


def register_shipped_template(spec: dict[str, Any]) -> None:
    """Ship ``spec`` (name, side, period_kind, description, criteria) as a default template.

    Its criteria are checked when ``templates_ensure_defaults`` makes it, like any template's.
    """
    SHIPPED_TEMPLATES[spec["name"]] = spec


def templates_ensure_defaults(actor: Any = None) -> list[ScorecardTemplate]:
    """Create the templates Steward ships with when they are missing; safe to run again.

    Each becomes its side's default unless the side has one already. Run by the demo and by the
    period job, so an installation scores from its first quarter without set-up.
    """
    created = []
    with transaction.atomic():
        for spec in SHIPPED_TEMPLATES.values():
            if ScorecardTemplate.objects.filter(name=spec["name"]).exists():
                continue
            has_default = ScorecardTemplate.objects.filter(
                side=spec["side"], is_default=True, archived_at__isnull=True
            ).exists()
            created.append(
                _template_insert(
                    actor=actor,
                    name=spec["name"],
                    side=spec["side"],
                    period_kind=spec["period_kind"],
                    description=spec["description"],
                    standings_rows=None,
                    criteria=spec["criteria"],
                    is_default=not has_default,
                )
            )
    return created
