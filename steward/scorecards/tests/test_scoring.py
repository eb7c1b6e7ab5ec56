"""The pure scoring rules against hand-computed tables, and their properties under hypothesis."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.scorecards.scoring import (
    CENT,
    Band,
    Bands,
    Card,
    Direction,
    Formula,
    Linear,
    score_card,
    survey_median,
    survey_score,
)

D = Decimal
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER

measures = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=3)
scores_0_100 = st.decimals(min_value=0, max_value=100, allow_nan=False, places=4)


# --- Linear --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("70", "0"),  # beyond the floor
        ("80", "0"),  # at the floor
        ("85", "25"),
        ("90", "50"),
        ("99", "95"),
        ("100", "100"),  # at the target
        ("120", "100"),  # beyond the target
    ],
)
def test_linear_higher_is_better_table(value: str, expected: str) -> None:
    # given on-time delivery scored 0 at 80 % and 100 at 100 %
    rule = Linear(floor=D(80), target=D(100), direction=HIGHER)
    # when a value is scored
    score = rule.score(D(value))
    # then it matches the hand-computed score
    assert score == D(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "100"),  # beyond the target
        ("1", "100"),  # at the target
        ("2", "75"),
        ("3", "50"),
        ("5", "0"),  # at the floor
        ("9", "0"),  # beyond the floor
    ],
)
def test_linear_lower_is_better_table(value: str, expected: str) -> None:
    # given a defect rate scored 100 at 1 % and 0 at 5 %
    rule = Linear(floor=D(5), target=D(1), direction=LOWER)
    # when a value is scored
    score = rule.score(D(value))
    # then it matches the hand-computed score
    assert score == D(expected)


def test_linear_without_a_value_is_no_data() -> None:
    # given a linear rule
    rule = Linear(floor=D(0), target=D(10))
    # when it is given no value, or a value that is not a number
    # then the score is no data, not 0
    assert rule.score(None) is None
    assert rule.score(D("NaN")) is None


@pytest.mark.parametrize(
    ("floor", "target", "direction", "message"),
    [
        ("10", "10", HIGHER, "must differ"),
        ("100", "80", HIGHER, "floor must be below"),
        ("1", "5", LOWER, "floor must be above"),
    ],
)
def test_linear_is_validated_when_declared(
    floor: str, target: str, direction: Direction, message: str
) -> None:
    # given a floor and a target that contradict the direction
    # when the rule is declared
    # then it is refused with a message naming the problem
    with pytest.raises(ValueError, match=message):
        Linear(floor=D(floor), target=D(target), direction=direction)


# --- Bands ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-1", "0"),  # below every band
        ("0", "0"),  # exactly on the first threshold
        ("79.99", "0"),
        ("80", "50"),  # exactly on a threshold: the band is reached
        ("94.999", "50"),
        ("95", "100"),
        ("250", "100"),
    ],
)
def test_bands_higher_is_better_table(value: str, expected: str) -> None:
    # given SLA attainment bands: 0 from 0 %, 50 from 80 %, 100 from 95 %
    rule = Bands.of([(D(0), D(0)), (D(80), D(50)), (D(95), D(100))], HIGHER)
    # when a value is scored
    # then the highest band reached gives the score
    assert rule.score(D(value)) == D(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "100"),
        ("1", "100"),  # exactly on the lowest threshold
        ("1.01", "70"),
        ("3", "70"),
        ("5", "40"),
        ("5.5", "0"),  # beyond every band
    ],
)
def test_bands_lower_is_better_table(value: str, expected: str) -> None:
    # given return-rate bands: 100 up to 1 %, 70 up to 3 %, 40 up to 5 %
    rule = Bands.of([(D(1), D(100)), (D(3), D(70)), (D(5), D(40))], LOWER)
    # when a value is scored
    # then the best band reached (the lowest threshold at or above it) gives the score
    assert rule.score(D(value)) == D(expected)


def test_bands_without_a_value_is_no_data() -> None:
    # given bands
    rule = Bands((Band(D(0), D(100)),))
    # when there is no value
    # then there is no score
    assert rule.score(None) is None


@pytest.mark.parametrize(
    ("bands", "direction", "message"),
    [
        ([], HIGHER, "at least one band"),
        ([("10", "0"), ("10", "50")], HIGHER, "strictly increasing"),
        ([("20", "0"), ("10", "50")], HIGHER, "strictly increasing"),
        ([("0", "0"), ("10", "101")], HIGHER, "within 0-100"),
        ([("0", "-1")], HIGHER, "within 0-100"),
        ([("0", "80"), ("10", "50")], HIGHER, "must not fall"),
        ([("0", "50"), ("10", "80")], LOWER, "must not fall"),
    ],
)
def test_bands_are_validated_when_declared(
    bands: list[tuple[str, str]], direction: Direction, message: str
) -> None:
    # given bands that are out of order, out of range or reward a worse measure
    # when they are declared
    # then they are refused with a message naming the problem
    with pytest.raises(ValueError, match=message):
        Bands.of([(D(threshold), D(score)) for threshold, score in bands], direction)


# --- Formula -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("100 * on_time / (on_time + late)", {"on_time": "9", "late": "1"}, "90"),
        ("100 - 12.5 * issues", {"issues": "2"}, "75"),
        ("100 - 12.5 * issues", {"issues": "10"}, "0"),  # clamped below
        ("on_time * 2", {"on_time": "80"}, "100"),  # clamped above
        ("round(x / 3, 2)", {"x": "100"}, "33.33"),
        ("round(x * 0.1)", {"x": "125"}, "13"),  # half up, exact decimals
        ("max(min(x, 50), abs(-10))", {"x": "7"}, "10"),
        ("0.1 + 0.2 + x", {"x": "0"}, "0.3"),  # literals are exact decimals, not floats
    ],
)
def test_formula_table(expression: str, values: dict[str, str], expected: str) -> None:
    # given a formula over declared variables
    rule = Formula(expression, tuple(values))
    # when it is evaluated
    score = rule.score({name: D(value) for name, value in values.items()})
    # then it matches the hand-computed, clamped score
    assert score == D(expected)


@pytest.mark.parametrize(
    "values",
    [
        {"on_time": D(0), "late": D(0)},  # 0 / 0
        {"on_time": D(5), "late": D(-5)},  # 5 / 0
        {"on_time": D(5)},  # a missing variable
        {"on_time": D(5), "late": None},  # a variable without data
        {"on_time": D(5), "late": "five"},  # not a number
    ],
)
def test_formula_failures_are_no_data(values: dict[str, object]) -> None:
    # given on-time share as a formula
    rule = Formula("100 * on_time / (on_time + late)", ("on_time", "late"))
    # when a division by zero, a missing variable or a non-number meets it
    score = rule.score(values)
    # then the score is no data, not a crash
    assert score is None


def test_formula_round_with_fractional_places_is_no_data() -> None:
    # given a formula that rounds to a variable number of places
    rule = Formula("round(x, places)", ("x", "places"))
    # when the places are not a whole number
    # then the score is no data
    assert rule.score({"x": D("12.345"), "places": D("1.5")}) is None
    assert rule.score({"x": D("12.345"), "places": D(2)}) == D("12.35")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("x +", "not valid"),
        ("", "empty"),
        ("y * 2", "Unknown name 'y'"),
        ("x ** 2", "Pow is not allowed"),
        ("x % 2", "Mod is not allowed"),
        ("open(x)", "Unknown function 'open'"),
        ("__import__('os')", "Unknown function '__import__'"),
        ("x.real", "Attribute is not allowed"),
        ("x if x else 1", "IfExp is not allowed"),
        ("x < 1", "Compare is not allowed"),
        ("'text'", "Only numbers"),
        ("min", "must be called"),
        ("round(x, ndigits=1)", "no keyword arguments"),
        ("x" + " + x" * 200, "longer than"),
    ],
)
def test_bad_formula_is_refused_when_declared(expression: str, message: str) -> None:
    # given a formula with a syntax error, an unknown name or something not arithmetic
    # when it is declared
    # then it is refused with a ValueError naming the problem
    with pytest.raises(ValueError, match=message):
        Formula(expression, ("x",))


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (("x", "x"), "once each"),
        (("not valid",), "not a valid variable name"),
        (("lambda",), "not a valid variable name"),
        (("max",), "name of a function"),
    ],
)
def test_formula_variables_are_validated(variables: tuple[str, ...], message: str) -> None:
    # given badly declared variables
    # when the formula is declared
    # then it is refused
    with pytest.raises(ValueError, match=message):
        Formula("1", variables)


# --- surveys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "median", "score"),
    [
        ([3], "3", "50"),
        ([1], "1", "0"),
        ([5], "5", "100"),
        ([4, 4, 1], "4", "75"),  # one outlier does not drag the median
        ([1, 5, 4, 4], "4", "75"),
        ([2, 3], "2.5", "37.5"),  # a tie between two reviewers: the middle of the two
        ([1, 2, 4, 5], "3", "50"),
    ],
)
def test_survey_median_and_score(ratings: list[int], median: str, score: str) -> None:
    # given ratings from several reviewers
    # when they are combined
    # then the median is taken and mapped linearly, 1 -> 0 and 5 -> 100
    assert survey_median(ratings) == D(median)
    assert survey_score(ratings) == D(score)


def test_survey_without_ratings_is_no_data() -> None:
    # given no ratings
    # when the survey is scored
    # then there is no data
    assert survey_median([]) is None
    assert survey_score([]) is None


@pytest.mark.parametrize("rating", [0, 6, D("5.5")])
def test_survey_rating_out_of_range_is_refused(rating: int | Decimal) -> None:
    # given a rating outside 1-5
    # when it is combined
    # then it is refused
    with pytest.raises(ValueError, match="within 1-5"):
        survey_median([3, rating])


# --- cards ---------------------------------------------------------------------------------------

SUPPLIER_CARD = Card.of(
    {"quality": D(40), "delivery": D(30), "cost": D(20), "responsiveness": D(10)}
)


def test_card_with_every_criterion() -> None:
    # given a card with every criterion scored
    scores = {"quality": D(90), "delivery": D(80), "cost": D(70), "responsiveness": D(50)}
    # when it is scored
    result = score_card(SUPPLIER_CARD, scores)
    # then the overall score is the weighted mean: (3600 + 2400 + 1400 + 500) / 100 = 79
    assert result.overall == D("79.00")
    assert result.missing == ()
    assert result.scores == scores


def test_card_with_a_missing_criterion_renormalises_the_weights() -> None:
    # given a card whose delivery criterion has no data this period
    scores = {"quality": D(90), "delivery": None, "cost": D(70), "responsiveness": D(55)}
    # when it is scored
    result = score_card(SUPPLIER_CARD, scores)
    # then delivery is left out and the other weights count out of 70:
    # (40 * 90 + 20 * 70 + 10 * 55) / 70 = 5550 / 70 = 79.2857... -> 79.29
    assert result.overall == D("79.29")
    # and the card says which criterion was missing
    assert result.missing == ("delivery",)
    applied = {criterion.key: criterion.applied_weight for criterion in result.criteria}
    assert applied["delivery"] == 0
    assert applied["quality"].quantize(CENT) == D("57.14")  # 40 / 70
    assert sum(applied.values()).quantize(CENT) == D("100.00")


def test_card_criterion_absent_from_scores_is_missing() -> None:
    # given scores that do not mention two criteria
    # when the card is scored
    result = score_card(SUPPLIER_CARD, {"quality": D(60), "cost": D(90)})
    # then they are missing and the others renormalised: (2400 + 1800) / 60 = 70
    assert result.missing == ("delivery", "responsiveness")
    assert result.overall == D("70.00")


def test_card_rounds_half_up_only_at_the_end() -> None:
    # given two equal weights and scores that average to exactly x.xx5
    card = Card.of({"a": D(50), "b": D(50)})
    # when the card is scored
    result = score_card(card, {"a": D("70.004"), "b": D("70.006")})
    # then the mean 70.005 rounds half up, and per-criterion scores keep their precision
    assert result.overall == D("70.01")
    assert result.scores["a"] == D("70.004")


def test_card_ties() -> None:
    # given two vendors whose criteria differ but whose weighted means are equal
    card = Card.of({"quality": D(50), "cost": D(50)})
    # when both are scored
    first = score_card(card, {"quality": D(80), "cost": D(60)})
    second = score_card(card, {"quality": D(60), "cost": D(80)})
    # then they tie exactly
    assert first.overall == second.overall == D("70.00")
    # and criteria that tie with the overall leave it unchanged whatever is missing
    assert score_card(card, {"quality": D(70), "cost": None}).overall == D("70.00")


def test_card_with_no_data_has_no_score() -> None:
    # given a period in which no criterion has data
    scores = dict.fromkeys(["quality", "delivery", "cost", "responsiveness"])
    # when the card is scored
    result = score_card(SUPPLIER_CARD, scores)
    # then it has no score at all, neither 0 nor 100, and every criterion is missing
    assert result.overall is None
    assert result.missing == ("quality", "delivery", "cost", "responsiveness")


def test_card_with_only_zero_and_hundred_scores_is_not_confused_with_no_data() -> None:
    # given a card with a genuine 0 on the only criterion with data
    result = score_card(SUPPLIER_CARD, {"quality": D(0)})
    # when it is scored
    # then the score is 0, a real score
    assert result.overall == D("0.00")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"a": D(60), "b": D(30)}, "sum to 100"),
        ({"a": D(100), "b": D(0)}, "must be positive"),
        ({"a": D(110), "b": D(-10)}, "must be positive"),
        ({}, "at least one criterion"),
    ],
)
def test_card_weights_are_validated(weights: dict[str, Decimal], message: str) -> None:
    # given weights that do not sum to 100 or are not positive
    # when the card is declared
    # then it is refused
    with pytest.raises(ValueError, match=message):
        Card.of(weights)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"quality": D(101)}, "within 0-100"),
        ({"quality": D(-1)}, "within 0-100"),
        ({"price": D(50)}, "not on the card: price"),
    ],
)
def test_card_scores_are_validated(scores: dict[str, Decimal], message: str) -> None:
    # given a score out of range or for a criterion the card does not have
    # when the card is scored
    # then it is refused
    with pytest.raises(ValueError, match=message):
        score_card(SUPPLIER_CARD, scores)


# --- properties ----------------------------------------------------------------------------------


@st.composite
def linear_rules(draw: st.DrawFn) -> Linear:
    low, high = sorted(draw(st.lists(measures, min_size=2, max_size=2, unique=True)))
    direction = draw(st.sampled_from(Direction))
    if direction is HIGHER:
        return Linear(floor=low, target=high, direction=direction)
    return Linear(floor=high, target=low, direction=direction)


@st.composite
def band_rules(draw: st.DrawFn) -> Bands:
    thresholds = sorted(draw(st.lists(measures, min_size=1, max_size=6, unique=True)))
    scores = sorted(
        draw(st.lists(scores_0_100, min_size=len(thresholds), max_size=len(thresholds)))
    )
    direction = draw(st.sampled_from(Direction))
    if direction is LOWER:
        scores.reverse()
    return Bands.of(zip(thresholds, scores, strict=True), direction)


def _in_range(score: Decimal | None) -> bool:
    return score is None or D(0) <= score <= D(100)


@given(rule=st.one_of(linear_rules(), band_rules()), value=st.one_of(st.none(), measures))
def test_property_linear_and_bands_score_within_0_100_or_no_data(
    rule: Linear | Bands, value: Decimal | None
) -> None:
    # given any valid rule and any value or none
    # when it is scored
    score = rule.score(value)
    # then the score is within 0-100, or no data exactly when there is no value
    assert _in_range(score)
    assert (score is None) == (value is None)


@given(rule=st.one_of(linear_rules(), band_rules()), a=measures, b=measures)
def test_property_linear_and_bands_are_monotone_in_the_direction(
    rule: Linear | Bands, a: Decimal, b: Decimal
) -> None:
    # given two values, the second no worse than the first in the rule's direction
    worse, better = sorted([a, b])
    if rule.direction is LOWER:
        worse, better = better, worse
    # when both are scored
    worse_score, better_score = rule.score(worse), rule.score(better)
    # then the better value never scores lower
    assert worse_score is not None
    assert better_score is not None
    assert worse_score <= better_score


@given(
    x=st.one_of(st.none(), measures),
    y=st.one_of(st.none(), measures),
    expression=st.sampled_from(
        ["x / y", "100 * x / (x + y)", "round(x, 1) - y", "max(x, y) / min(x, y)", "abs(x) * y"]
    ),
)
def test_property_formula_score_within_0_100_or_no_data(
    x: Decimal | None, y: Decimal | None, expression: str
) -> None:
    # given a formula and any values, zeros and missing ones included
    rule = Formula(expression, ("x", "y"))
    # when it is evaluated
    score = rule.score({"x": x, "y": y})
    # then it never crashes and the score is within 0-100 or no data
    assert _in_range(score)


@given(ratings=st.lists(st.integers(min_value=1, max_value=5), max_size=12))
def test_property_survey_score_within_0_100_or_no_data(ratings: list[int]) -> None:
    # given any ratings from 1 to 5, possibly none
    # when they are scored
    score = survey_score(ratings)
    # then the score is within 0-100, and no data exactly when nobody answered
    assert _in_range(score)
    assert (score is None) == (not ratings)


@st.composite
def cards_with_scores(draw: st.DrawFn) -> tuple[Card, dict[str, Decimal | None]]:
    count = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    weights = [D(upper - lower) for lower, upper in pairwise(bounds)]
    weights = [weight for weight in weights if weight > 0]
    card = Card.of({f"c{index}": weight for index, weight in enumerate(weights)})
    scores = {
        criterion.key: draw(st.one_of(st.none(), scores_0_100)) for criterion in card.criteria
    }
    return card, scores


@given(card_and_scores=cards_with_scores())
def test_property_card_score_between_min_and_max_criterion_scores(
    card_and_scores: tuple[Card, dict[str, Decimal | None]],
) -> None:
    # given any valid card and scores, some criteria possibly without data
    card, scores = card_and_scores
    with_data = [score for score in scores.values() if score is not None]
    # when the card is scored
    result = score_card(card, scores)
    # then an all-missing card has no score; otherwise the overall lies between the lowest and
    # the highest criterion score (each rounded as the overall is), and the missing are listed
    assert result.missing == tuple(key for key, score in scores.items() if score is None)
    if not with_data:
        assert result.overall is None
        return
    assert result.overall is not None
    lowest = min(with_data).quantize(CENT, rounding="ROUND_HALF_UP")
    highest = max(with_data).quantize(CENT, rounding="ROUND_HALF_UP")
    assert lowest <= result.overall <= highest
