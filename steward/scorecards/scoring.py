"""The pure scoring rules of a scorecard: a raw measure to 0-100, survey ratings, a weighted card.

"No data" is a state of its own and is spelt ``None`` throughout: a rule given no value, a formula
that divides by zero, a survey nobody answered. A card leaves criteria without data out and
renormalises the other weights; a card with no data at all has no score, never 0 or 100.

Everything is ``Decimal``; the overall score of a card is rounded (two places, half up) only at
the very end. Rules are validated when they are declared, so a stored rule always evaluates.
Nothing here touches the database: models and services build on these rules.
"""

from __future__ import annotations

import ast
import keyword
import operator
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from simpleeval import SimpleEval

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
LOWEST_RATING = Decimal(1)
HIGHEST_RATING = Decimal(5)
MAX_EXPRESSION_LENGTH = 500


class Direction(StrEnum):
    """Which way a measure improves."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


def clamp_score(value: Decimal) -> Decimal:
    """Bound a score to the 0-100 scale."""
    return min(HUNDRED, max(ZERO, value))


def _require_finite(value: object, name: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{name} must be a finite Decimal, not {value!r}.")
    return value


def _is_data(value: Decimal | None) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


# --- linear between a floor and a target -------------------------------------------------------


@dataclass(frozen=True)
class Linear:
    """0 at or beyond the floor, 100 at or beyond the target, a straight line in between."""

    floor: Decimal
    target: Decimal
    direction: Direction = Direction.HIGHER_IS_BETTER

    def __post_init__(self) -> None:
        _require_finite(self.floor, "The floor")
        _require_finite(self.target, "The target")
        object.__setattr__(self, "direction", Direction(self.direction))
        if self.floor == self.target:
            raise ValueError("The floor and the target must differ.")
        if self.direction is Direction.HIGHER_IS_BETTER and self.floor > self.target:
            raise ValueError("When higher is better, the floor must be below the target.")
        if self.direction is Direction.LOWER_IS_BETTER and self.floor < self.target:
            raise ValueError("When lower is better, the floor must be above the target.")

    def score(self, value: Decimal | None) -> Decimal | None:
        if value is None or not _is_data(value):
            return None
        # One formula serves both directions: the span changes sign with the direction.
        return clamp_score((value - self.floor) / (self.target - self.floor) * HUNDRED)


# --- bands ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Reaching ``threshold`` earns ``score``."""

    threshold: Decimal
    score: Decimal


@dataclass(frozen=True)
class Bands:
    """The score of the best band reached; a value that reaches no band scores 0.

    Thresholds are given in increasing order for both directions. When higher is better a band is
    reached at or above its threshold and the highest one reached counts; when lower is better a
    band is reached at or below its threshold and the lowest one reached counts. Scores must not
    get worse as the measure gets better, so the rule is monotone in the measure's direction.
    """

    bands: tuple[Band, ...]
    direction: Direction = Direction.HIGHER_IS_BETTER

    def __post_init__(self) -> None:
        bands = tuple(_as_band(band) for band in self.bands)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "direction", Direction(self.direction))
        if not bands:
            raise ValueError("Bands need at least one band.")
        for lower, upper in pairwise(bands):
            if upper.threshold <= lower.threshold:
                raise ValueError(
                    f"Band thresholds must be strictly increasing: {upper.threshold} follows "
                    f"{lower.threshold}."
                )
        scores = [band.score for band in bands]
        if self.direction is Direction.LOWER_IS_BETTER:
            scores.reverse()
        if scores != sorted(scores):
            raise ValueError(
                "Band scores must not fall as the measure improves "
                f"({self.direction.value.replace('_', ' ')})."
            )

    @classmethod
    def of(
        cls,
        bands: Iterable[tuple[Decimal, Decimal]],
        direction: Direction = Direction.HIGHER_IS_BETTER,
    ) -> Bands:
        """Declare bands from ``(threshold, score)`` pairs."""
        return cls(tuple(Band(threshold, score) for threshold, score in bands), direction)

    def score(self, value: Decimal | None) -> Decimal | None:
        if value is None or not _is_data(value):
            return None
        if self.direction is Direction.HIGHER_IS_BETTER:
            reached = [band.score for band in self.bands if value >= band.threshold]
            return reached[-1] if reached else ZERO
        reached = [band.score for band in self.bands if value <= band.threshold]
        return reached[0] if reached else ZERO


def _as_band(band: Band | tuple[Decimal, Decimal]) -> Band:
    if not isinstance(band, Band):
        band = Band(*band)
    _require_finite(band.threshold, "A band threshold")
    _require_finite(band.score, "A band score")
    if not ZERO <= band.score <= HUNDRED:
        raise ValueError(f"A band score must be within 0-100, not {band.score}.")
    return band


# --- a formula over named variables --------------------------------------------------------------


def _formula_round(value: Decimal, places: Decimal = ZERO) -> Decimal:
    """``round`` in a formula: half up like the card, to a whole number of places."""
    if places != places.to_integral_value():
        raise ValueError("round takes a whole number of places.")
    return value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


FORMULA_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": _formula_round,
}
_FORMULA_OPERATORS: Mapping[type[ast.AST], Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
# Failures of a well-formed formula on particular values: these mean "no data", not a crash.
_EVALUATION_FAILURES = (ArithmeticError, TypeError, ValueError)


@dataclass(frozen=True)
class Formula:
    """An arithmetic expression over declared variables, clamped to 0-100.

    Only ``+ - * /``, numbers, the declared variables and ``min``, ``max``, ``abs`` and ``round``
    are allowed, which is checked when the formula is declared. At evaluation a missing variable,
    a division by zero or any other arithmetic failure is no data.
    """

    expression: str
    variables: tuple[str, ...]
    _tree: ast.expr = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        variables = tuple(self.variables)
        object.__setattr__(self, "variables", variables)
        _check_variable_names(variables)
        object.__setattr__(self, "_tree", _parse_formula(self.expression, frozenset(variables)))

    def score(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        names: dict[str, Decimal] = {}
        for name in self.variables:
            value = values.get(name)
            if value is None or not _is_data(value):
                return None
            names[name] = value
        evaluator = SimpleEval(
            operators=dict(_FORMULA_OPERATORS), functions=dict(FORMULA_FUNCTIONS), names=names
        )
        try:
            result = evaluator.eval(self.expression, previously_parsed=self._tree)
        except _EVALUATION_FAILURES:
            return None
        if isinstance(result, bool) or not isinstance(result, Decimal | int):
            return None
        result = Decimal(result)
        return clamp_score(result) if result.is_finite() else None


def _check_variable_names(variables: tuple[str, ...]) -> None:
    if len(set(variables)) != len(variables):
        raise ValueError("A formula's variables must be declared once each.")
    for name in variables:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"{name!r} is not a valid variable name.")
        if name in FORMULA_FUNCTIONS:
            raise ValueError(f"{name!r} is the name of a function and cannot be a variable.")


def _parse_formula(expression: str, variables: frozenset[str]) -> ast.expr:
    """Parse and check a formula; numbers in it become exact Decimals."""
    if not isinstance(expression, str) or not expression.strip():
        raise ValueError("The formula is empty.")
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ValueError(f"The formula is longer than {MAX_EXPRESSION_LENGTH} characters.")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"The formula is not valid: {error.msg}.") from error
    callees = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            _check_formula_name(node, variables, called=id(node) in callees)
        else:
            _check_formula_node(node, expression.strip())
    return tree.body


def _check_formula_name(node: ast.Name, variables: frozenset[str], *, called: bool) -> None:
    if called:
        if node.id not in FORMULA_FUNCTIONS:
            raise ValueError(f"Unknown function {node.id!r} in the formula.")
    elif node.id in FORMULA_FUNCTIONS:
        raise ValueError(f"The function {node.id!r} must be called, not used as a value.")
    elif node.id not in variables:
        raise ValueError(f"Unknown name {node.id!r} in the formula.")


def _check_formula_node(node: ast.AST, source: str) -> None:
    if isinstance(node, ast.Expression | ast.Load | ast.BinOp | ast.UnaryOp):
        return
    if isinstance(node, ast.operator | ast.unaryop):
        if type(node) not in _FORMULA_OPERATORS:
            raise ValueError(f"The operator {type(node).__name__} is not allowed in a formula.")
        return
    if isinstance(node, ast.Call):
        _check_formula_call(node)
        return
    if isinstance(node, ast.Constant):
        _make_constant_exact(node, source)
        return
    raise ValueError(f"{type(node).__name__} is not allowed in a formula.")


def _check_formula_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name):
        raise ValueError("Only min, max, abs and round can be called in a formula.")
    if node.keywords:
        raise ValueError("Functions in a formula take no keyword arguments.")
    if not node.args:
        raise ValueError(f"{node.func.id} needs at least one argument.")


def _make_constant_exact(node: ast.Constant, source: str) -> None:
    # A literal such as 0.1 would be a binary float (and 1/2 a float division); read every number
    # back from the text as an exact Decimal.
    if isinstance(node.value, bool) or not isinstance(node.value, int | float):
        raise ValueError(f"Only numbers are allowed in a formula, not {node.value!r}.")
    text = ast.get_source_segment(source, node)
    # ast types a constant's value as a Python literal; the evaluator returns it as it is.
    node.value = Decimal(text) if text is not None else Decimal(str(node.value))  # type: ignore[assignment]


# --- surveys -------------------------------------------------------------------------------------

SURVEY_RULE = Linear(floor=LOWEST_RATING, target=HIGHEST_RATING)


def survey_median(ratings: Iterable[Decimal | int]) -> Decimal | None:
    """The median of 1-5 ratings from several reviewers (damps one outlier); none is no data."""
    values = [Decimal(rating) for rating in ratings]
    for value in values:
        if not LOWEST_RATING <= value <= HIGHEST_RATING:
            raise ValueError(f"A rating must be within 1-5, not {value}.")
    if not values:
        return None
    return Decimal(statistics.median(values))


def survey_score(ratings: Iterable[Decimal | int]) -> Decimal | None:
    """The 0-100 score of survey ratings: the median mapped linearly, 1 -> 0 and 5 -> 100."""
    return SURVEY_RULE.score(survey_median(ratings))


# --- a card of weighted criteria -----------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Decimal


@dataclass(frozen=True)
class Card:
    """Weighted criteria; the weights are positive and sum to 100."""

    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        criteria = tuple(self.criteria)
        object.__setattr__(self, "criteria", criteria)
        if not criteria:
            raise ValueError("A card needs at least one criterion.")
        keys = [criterion.key for criterion in criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("Each criterion of a card must appear once.")
        for criterion in criteria:
            _require_finite(criterion.weight, f"The weight of {criterion.key!r}")
            if criterion.weight <= ZERO:
                raise ValueError(f"The weight of {criterion.key!r} must be positive.")
        total = sum((criterion.weight for criterion in criteria), ZERO)
        if total != HUNDRED:
            raise ValueError(f"The weights of a card must sum to 100, not {total}.")

    @classmethod
    def of(cls, weights: Mapping[str, Decimal]) -> Card:
        return cls(tuple(Criterion(key, weight) for key, weight in weights.items()))


@dataclass(frozen=True)
class CriterionScore:
    """One criterion on a scored card; ``applied_weight`` is its renormalised weight (0 if none)."""

    key: str
    weight: Decimal
    score: Decimal | None
    applied_weight: Decimal


@dataclass(frozen=True)
class CardScore:
    """The overall score (None when no criterion has data), each criterion, and what is missing."""

    overall: Decimal | None
    criteria: tuple[CriterionScore, ...]
    missing: tuple[str, ...]

    @property
    def scores(self) -> dict[str, Decimal | None]:
        return {criterion.key: criterion.score for criterion in self.criteria}


def score_card(card: Card, scores: Mapping[str, Decimal | None]) -> CardScore:
    """Score a card: the weighted mean of the criteria with data, weights renormalised.

    A criterion absent from ``scores`` or scored None has no data and is listed as missing.
    """
    known = _scores_with_data(card, scores)
    weight_with_data = sum((c.weight for c in card.criteria if c.key in known), ZERO)
    results = tuple(
        CriterionScore(
            key=c.key,
            weight=c.weight,
            score=known.get(c.key),
            applied_weight=c.weight / weight_with_data * HUNDRED if c.key in known else ZERO,
        )
        for c in card.criteria
    )
    missing = tuple(c.key for c in card.criteria if c.key not in known)
    if not known:
        return CardScore(overall=None, criteria=results, missing=missing)
    weighted = sum((c.weight * known[c.key] for c in card.criteria if c.key in known), ZERO)
    overall = (weighted / weight_with_data).quantize(CENT, rounding=ROUND_HALF_UP)
    return CardScore(overall=overall, criteria=results, missing=missing)


def _scores_with_data(card: Card, scores: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """The criteria that have a score, each checked to be on the card and within 0-100."""
    unknown = sorted(set(scores) - {criterion.key for criterion in card.criteria})
    if unknown:
        raise ValueError(f"Scores for criteria not on the card: {', '.join(unknown)}.")
    known: dict[str, Decimal] = {}
    for key, score in scores.items():
        if score is None:
            continue
        _require_finite(score, f"The score of {key!r}")
        if not ZERO <= score <= HUNDRED:
            raise ValueError(f"The score of {key!r} must be within 0-100, not {score}.")
        known[key] = score
    return known
