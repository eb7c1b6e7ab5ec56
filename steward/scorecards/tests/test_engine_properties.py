"""Properties of the engine's scoring through stored rules (no database): a card's score is always
within 0-100, or no score at all exactly when no criterion has data; and it never falls when one
measure improves in its direction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from steward.scorecards.measures import measure_get
from steward.scorecards.models import ScorecardCriterion
from steward.scorecards.scoring import Direction
from steward.scorecards.services.periods import CardScorer
from steward.scorecards.standings import default_standings

RELATIONSHIP = 1
MEASURES = ("on_time_delivery_pct", "defect_rate_pct", "price_variance_pct", "invoice_accuracy_pct")
values = st.decimals(min_value=-50, max_value=150, places=2, allow_nan=False, allow_infinity=False)
optional_values = st.none() | values


@st.composite
def linear_rules(draw: Any, direction: Direction) -> dict[str, Any]:
    low = draw(st.integers(min_value=-20, max_value=100))
    high = draw(st.integers(min_value=low + 1, max_value=130))
    if direction is Direction.HIGHER_IS_BETTER:
        return {"floor": str(low), "target": str(high)}
    return {"floor": str(high), "target": str(low)}


@st.composite
def band_rules(draw: Any, direction: Direction) -> dict[str, Any]:
    thresholds = sorted(draw(st.sets(st.integers(-20, 130), min_size=1, max_size=5)))
    scores = sorted(
        draw(st.lists(st.integers(0, 100), min_size=len(thresholds), max_size=len(thresholds)))
    )
    if direction is Direction.LOWER_IS_BETTER:
        scores.reverse()
    return {"bands": [[str(t), str(s)] for t, s in zip(thresholds, scores, strict=True)]}


@st.composite
def criteria(draw: Any) -> list[ScorecardCriterion]:
    count = draw(st.integers(min_value=1, max_value=len(MEASURES)))
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    rows = []
    for position, (key, weight) in enumerate(zip(MEASURES, weights, strict=False)):
        measure = measure_get(key)
        assert measure is not None
        kind = draw(st.sampled_from(["linear", "bands"]))
        strategy = linear_rules if kind == "linear" else band_rules
        rows.append(
            ScorecardCriterion(
                code=key,
                name=key,
                category="quality",
                weight=weight,
                measure=key,
                rule_kind=kind,
                rule=draw(strategy(measure.direction)),
                position=position,
            )
        )
    return rows


def score(rows: list[ScorecardCriterion], raw: dict[str, Decimal | None]) -> Any:
    values = {key: {RELATIONSHIP: value} for key, value in raw.items() if value is not None}
    return CardScorer(rows, default_standings()).score(RELATIONSHIP, values, {})


@settings(max_examples=200, deadline=None)
@given(rows=criteria(), raw=st.lists(optional_values, min_size=4, max_size=4))
def test_a_card_scores_within_0_and_100_or_has_no_score(
    rows: list[ScorecardCriterion], raw: list[Decimal | None]
) -> None:
    readings = dict(zip(MEASURES, raw, strict=True))
    card = score(rows, readings)
    with_data = [row.code for row in rows if readings[row.code] is not None]
    if not with_data:
        assert card.overall is None
        assert card.standing == ""
    else:
        assert Decimal(0) <= card.overall <= Decimal(100)
        assert card.standing in {"poor", "watch", "good", "excellent"}
    assert list(card.missing) == [row.code for row in rows if row.code not in with_data]
    for result in card.criteria:
        assert result.score is None or Decimal(0) <= result.score <= Decimal(100)


@settings(max_examples=200, deadline=None)
@given(
    rows=criteria(),
    raw=st.lists(values, min_size=4, max_size=4),
    which=st.integers(min_value=0, max_value=3),
    step=st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_card_never_falls_when_a_measure_improves(
    rows: list[ScorecardCriterion], raw: list[Decimal], which: int, step: Decimal
) -> None:
    assume(which < len(rows))
    readings: dict[str, Decimal | None] = dict(zip(MEASURES, raw, strict=True))
    key = rows[which].code
    direction = measure_get(key).direction
    better = dict(readings)
    current = readings[key]
    assert current is not None
    better[key] = current + step if direction is Direction.HIGHER_IS_BETTER else current - step
    assert score(rows, better).overall >= score(rows, readings).overall
