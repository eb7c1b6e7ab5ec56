"""Standings against hand-computed edges, every refusal, and their properties under hypothesis."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.scorecards.standings import (
    Band,
    Consequence,
    Standings,
    StandingsError,
    default_standings,
)

D = Decimal
ALL = frozenset(Consequence)
HUNDRED = D(100)

scores_0_100 = st.decimals(min_value=0, max_value=100, allow_nan=False, places=4)


@st.composite
def valid_standings(draw: st.DrawFn) -> Standings:
    """Any valid standings: 0 plus distinct lowers within 0-100, random consequences."""
    lowers = draw(
        st.lists(
            st.decimals(min_value=0, max_value=100, allow_nan=False, places=2),
            max_size=8,
            unique=True,
        )
    )
    ordered = sorted({D(0), *lowers})
    consequences = st.frozensets(st.sampled_from(list(Consequence)))
    return Standings(
        tuple(Band(f"band {i}", lower, draw(consequences)) for i, lower in enumerate(ordered))
    )


def three_bands() -> list[dict[str, object]]:
    return [
        {"name": "low", "lower": "0", "consequences": ["block_sourcing"]},
        {"name": "middle", "lower": 40},
        {"name": "high", "lower": 80.5, "consequences": []},
    ]


# --- the default standings: hand-computed edges ---------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", "poor"),  # the bottom end is included
        ("49.99", "poor"),
        ("50", "watch"),  # a lower bound belongs to its band
        ("69.99", "watch"),
        ("70", "good"),
        ("84.99", "good"),
        ("85", "excellent"),
        ("85.00", "excellent"),
        ("100", "excellent"),  # the top end is included
    ],
)
def test_default_standings_classify_the_edges(score: str, expected: str) -> None:
    # given the default standings
    standings = default_standings()
    # when a score is classified
    band = standings.classify(D(score))
    # then it lands in the hand-computed band
    assert band is not None
    assert band.name == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", ALL),
        ("49.99", ALL),
        ("50", {Consequence.WARN_NEW_COMMITMENTS}),
        ("69.99", {Consequence.WARN_NEW_COMMITMENTS}),
        ("70", set()),
        ("100", set()),
    ],
)
def test_default_standings_consequences(score: str, expected: set[Consequence]) -> None:
    # given the default standings
    standings = default_standings()
    # when the consequences of a score are asked
    consequences = standings.consequences(D(score))
    # then poor carries all four, watch only the warning, good and excellent none
    assert consequences == expected


def test_default_standings_consequences_only_grow_as_the_score_falls() -> None:
    # given the default standings, lowest first
    bands = default_standings().bands
    # when each band is compared with the one above it
    pairs = list(pairwise(bands))
    # then the lower band carries every consequence of the higher one
    assert [band.name for band in bands] == ["poor", "watch", "good", "excellent"]
    assert all(below.consequences >= above.consequences for below, above in pairs)


def test_no_data_is_not_a_standing() -> None:
    # given the default standings
    standings = default_standings()
    # when a card without a score is classified
    band = standings.classify(None)
    # then it has no band and no consequence
    assert band is None
    assert standings.consequences(None) == frozenset()


@pytest.mark.parametrize("score", [D("-0.01"), D("100.01"), D(-1), 101, D("NaN"), D("Infinity")])
def test_a_score_outside_0_100_is_refused(score: Decimal | int) -> None:
    # given the default standings
    standings = default_standings()
    # when a score outside the scale is classified, then it is refused
    with pytest.raises(ValueError, match="within 0-100"):
        standings.classify(score)


@pytest.mark.parametrize("score", [85.0, True, "85"])
def test_a_score_that_is_not_a_decimal_is_refused(score: object) -> None:
    # given the default standings
    standings = default_standings()
    # when a float, a bool or a string is classified, then it is refused
    with pytest.raises(ValueError, match="must be a Decimal"):
        standings.classify(score)


def test_an_int_score_is_accepted() -> None:
    # given the default standings, when a whole-number score is classified
    band = default_standings().classify(85)
    # then it is read exactly
    assert band is not None
    assert band.name == "excellent"


def test_upper_bounds() -> None:
    # given the default standings
    standings = default_standings()
    # when each band's upper bound is asked
    uppers = [standings.upper(band) for band in standings.bands]
    # then each ends where the next begins, and the top band at 100
    assert uppers == [D(50), D(70), D(85), D(100)]


def test_a_single_band_covers_everything() -> None:
    # given one band from 0
    standings = Standings((Band("all", D(0)),))
    # when the ends are classified, then both land in it
    assert standings.classify(D(0)) == standings.classify(D(100)) == standings.bands[0]


def test_a_band_may_start_at_100() -> None:
    # given a top band that holds exactly 100
    standings = Standings((Band("below", D(0)), Band("perfect", D(100))))
    # when the edges are classified
    almost = standings.classify(D("99.9999"))
    perfect = standings.classify(D(100))
    # then only 100 is perfect
    assert almost is not None
    assert perfect is not None
    assert (almost.name, perfect.name) == ("below", "perfect")


def test_band_normalises_its_fields() -> None:
    # given a band declared with a padded name, an int bound and consequence values as text
    band = Band("  poor ", 0, ["block_sourcing", "block_sourcing"])
    # then it holds the stripped name, a Decimal and the consequences once each
    assert band.name == "poor"
    assert band.lower == D(0)
    assert isinstance(band.lower, Decimal)
    assert band.consequences == {Consequence.BLOCK_SOURCING}


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lower", "consequences", "code", "message"),
    [
        ("", D(0), (), "name_required", "needs a name"),
        ("   ", D(0), (), "name_required", "needs a name"),
        (None, D(0), (), "name_required", "needs a name"),
        ("poor", D("-0.01"), (), "lower_out_of_range", 'Band "poor": .* within 0-100'),
        ("top", D("100.01"), (), "lower_out_of_range", 'Band "top": .* within 0-100'),
        ("odd", D("NaN"), (), "lower_out_of_range", 'Band "odd": .* within 0-100'),
        ("float", 50.0, (), "lower_invalid", 'Band "float": .* must be a Decimal'),
        ("text", "50", (), "lower_invalid", 'Band "text": .* must be a Decimal'),
        ("bad", D(0), ["cancel_everything"], "consequence_unknown", 'Band "bad": unknown'),
        ("flat", D(0), "block_sourcing", "consequences_invalid", 'Band "flat": .* a list'),
    ],
)
def test_band_refusals(
    name: object, lower: object, consequences: object, code: str, message: str
) -> None:
    # when a band is declared with a bad field, then it is refused with a code naming the band
    with pytest.raises(StandingsError, match=message) as refused:
        Band(name, lower, consequences)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("bands", "code", "row", "message"),
    [
        ((), "bands_required", None, "at least one band"),
        ((Band("low", D(10)),), "lowest_not_zero", 1, 'Band "low": the lowest band must start'),
        (
            (Band("low", D(0)), Band("high", D(50)), Band("mid", D(40))),
            "lower_not_increasing",
            3,
            'Band "mid": its lower bound 40 must be above .* "high"',
        ),
        (
            (Band("low", D(0)), Band("twin", D(50)), Band("other twin", D("50.00"))),
            "lower_not_increasing",
            3,
            'Band "other twin"',
        ),
        (
            (Band("low", D(0)), Band("Good", D(50)), Band("good", D(70))),
            "name_duplicate",
            3,
            'Band "good": another band already has this name',
        ),
        ((Band("low", D(0)), "high"), "band_invalid", None, "'high' is not a band"),
    ],
)
def test_standings_refusals(
    bands: tuple[Band, ...], code: str, row: int | None, message: str
) -> None:
    # when standings are declared with a gap, an overlap, a duplicate name or no bands
    with pytest.raises(StandingsError, match=message) as refused:
        Standings(bands)
    # then the refusal has a stable code and points at the offending band
    assert refused.value.code == code
    assert refused.value.row == row


# --- rows from the admin form and the API --------------------------------------------------------


def test_from_rows_parses_decimals_ints_floats_and_text() -> None:
    # given rows as a form or JSON would give them
    rows = three_bands()
    # when they are parsed
    standings = Standings.from_rows(rows)
    # then each band is exact and consequences are optional
    assert standings.to_rows() == [
        {"name": "low", "lower": D(0), "consequences": ["block_sourcing"]},
        {"name": "middle", "lower": D(40), "consequences": []},
        {"name": "high", "lower": D("80.5"), "consequences": []},
    ]
    high = standings.classify(D("80.5"))
    assert high is not None
    assert high.name == "high"


def test_to_rows_lists_consequences_in_declared_order() -> None:
    # given the default standings, when they are turned into rows
    rows = default_standings().to_rows()
    # then the poor band lists all four consequences in the enum's order
    assert rows[0]["consequences"] == [
        "block_sourcing",
        "warn_new_commitments",
        "require_improvement_plan",
        "notify_owner_manager",
    ]


@pytest.mark.parametrize(
    ("row", "change", "code", "message"),
    [
        (2, {"name": ""}, "name_required", "row 2: a band needs a name"),
        (2, {"name": None}, "name_required", "row 2: a band needs a name"),
        (3, {"name": 7}, "name_required", "row 3: a band needs a name, not 7"),
        (2, {"lower": None}, "lower_required", 'row 2: Band "middle": the lower bound is required'),
        (2, {"lower": " "}, "lower_required", 'row 2: Band "middle": the lower bound is required'),
        (3, {"lower": "abc"}, "lower_invalid", "row 3: Band \"high\": .* 'abc' is not a number"),
        (3, {"lower": True}, "lower_invalid", 'row 3: Band "high": .* must be a Decimal'),
        (3, {"lower": "100.5"}, "lower_out_of_range", 'row 3: Band "high": .* within 0-100'),
        (3, {"lower": "nan"}, "lower_out_of_range", 'row 3: Band "high": .* within 0-100'),
        (1, {"lower": "5"}, "lowest_not_zero", 'row 1: Band "low": the lowest band must start'),
        (3, {"lower": 40}, "lower_not_increasing", 'row 3: Band "high": its lower bound 40'),
        (3, {"lower": "30"}, "lower_not_increasing", 'row 3: Band "high"'),
        (3, {"name": " LOW "}, "name_duplicate", 'row 3: Band "LOW": another band'),
        (
            2,
            {"consequences": ["notify_everyone"]},
            "consequence_unknown",
            "row 2: Band \"middle\": unknown consequence 'notify_everyone'",
        ),
        (2, {"consequences": "block_sourcing"}, "consequences_invalid", "row 2: .* a list"),
        (1, {"colour": "red"}, "field_unknown", "row 1: unknown field.*colour"),
    ],
)
def test_from_rows_errors_name_the_row(
    row: int, change: dict[str, object], code: str, message: str
) -> None:
    # given three valid rows with one field of one row made bad
    rows = three_bands()
    rows[row - 1] = {**rows[row - 1], **change}
    # when they are parsed
    with pytest.raises(StandingsError, match=message) as refused:
        Standings.from_rows(rows)
    # then the error names the row, the field's code and the band
    assert refused.value.code == code
    assert refused.value.row == row


def test_from_rows_refuses_a_row_that_is_not_a_mapping() -> None:
    # given a second row that is a list
    rows: list[object] = [{"name": "low", "lower": 0}, ["middle", 40]]
    # when parsed, then the error names the row
    with pytest.raises(StandingsError, match=r"row 2: a band must be a mapping") as refused:
        Standings.from_rows(rows)
    assert refused.value.code == "row_invalid"


def test_from_rows_refuses_no_rows() -> None:
    # when no rows are given, then the whole set is refused (no row to name)
    with pytest.raises(StandingsError, match=r"^Standings need at least one band") as refused:
        Standings.from_rows([])
    assert refused.value.row is None


def test_standings_error_is_a_value_error() -> None:
    # callers that only know ValueError still catch every refusal
    with pytest.raises(ValueError, match="row 1"):
        Standings.from_rows([{"name": "x", "lower": 1}])


# --- properties -----------------------------------------------------------------------------------


@given(valid_standings(), scores_0_100)
def test_every_score_falls_in_exactly_one_band(standings: Standings, score: Decimal) -> None:
    # given any valid standings and any score in 0-100
    holding = [
        band
        for band in standings.bands
        if band.lower <= score
        and (score < standings.upper(band) or (score == HUNDRED and band is standings.bands[-1]))
    ]
    # when it is classified, then exactly one band holds it and it is that band
    assert len(holding) == 1
    assert standings.classify(score) == holding[0]


@given(valid_standings(), scores_0_100, scores_0_100)
def test_classification_is_monotone(standings: Standings, first: Decimal, second: Decimal) -> None:
    # given any valid standings and two scores, the lower one first
    low, high = sorted((first, second))
    # when both are classified
    low_band = standings.classify(low)
    high_band = standings.classify(high)
    # then the higher score never lands in a lower band
    assert low_band is not None
    assert high_band is not None
    assert standings.bands.index(low_band) <= standings.bands.index(high_band)


@given(valid_standings())
def test_rows_round_trip(standings: Standings) -> None:
    # given any valid standings, when written as rows and parsed back, then nothing changes
    assert Standings.from_rows(standings.to_rows()) == standings


@given(valid_standings())
def test_each_band_holds_its_own_lower_bound(standings: Standings) -> None:
    # given any valid standings, when each band's lower bound is classified, then it is that band
    assert [standings.classify(band.lower) for band in standings.bands] == list(standings.bands)
