"""The arithmetic of NPS and CSAT, with hand-computed examples and properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.satisfaction.reporting import CsatTally, NpsTally, Standard, meets_standard

nps_scores = st.lists(st.integers(min_value=0, max_value=10), max_size=60)


def test_nps_by_hand() -> None:
    # Given 10 answers: 4 promoters (10, 10, 9, 9), 3 passives (8, 7, 7), 3 detractors (6, 3, 0)
    tally = NpsTally.of([10, 10, 9, 9, 8, 7, 7, 6, 3, 0])
    # Then NPS = 40 % - 30 % = 10, over 10 responses
    assert (tally.promoters, tally.passives, tally.detractors) == (4, 3, 3)
    assert tally.score == Decimal("10.0")
    assert tally.display() == "NPS +10 (10 responses)"


def test_nps_is_not_an_average() -> None:
    # Mean of [10, 0] is 5 (a "detractor" mean); NPS is 50 % - 50 % = 0
    assert NpsTally.of([10, 0]).score == Decimal(0)
    # 3 answers of 8 (mean 8): no promoter, no detractor: NPS 0
    assert NpsTally.of([8, 8, 8]).score == Decimal(0)
    # 1 promoter, 2 detractors: 33.3 % - 66.7 % = -33.3
    assert NpsTally.of([9, 6, 5]).score == Decimal("-33.3")


def test_nps_without_responses_is_none() -> None:
    assert NpsTally().score is None
    assert NpsTally().display() == "no responses"


def test_csat_by_hand() -> None:
    # Given 8 answers: 5, 5, 4, 4, 4 satisfied; 3, 2, 1 not
    tally = CsatTally.of([5, 5, 4, 4, 4, 3, 2, 1])
    # Then CSAT = 5 / 8 = 62.5 %; the mean is 28 / 8 = 3.50
    assert tally.pct == Decimal("62.5")
    assert tally.mean == Decimal("3.50")
    assert tally.display() == "CSAT 62 % (8 responses)"


def test_roll_up_adds_counts_not_percentages() -> None:
    # Account A: 1 promoter of 1 (NPS 100); account B: 3 detractors of 3 (NPS -100)
    a, b = NpsTally.of([10]), NpsTally.of([0, 1, 2])
    # The mean of the two NPS would be 0; the roll-up is (1 - 3) / 4 = -50
    assert (a + b).score == Decimal(-50)
    assert (CsatTally.of([5]) + CsatTally.of([1, 1, 1])).pct == Decimal(25)


def test_standard() -> None:
    standard = Standard(nps_minimum=30, csat_minimum_pct=Decimal(80), minimum_responses=3)
    good_nps, good_csat = NpsTally.of([10, 9, 8]), CsatTally.of([5, 4, 4])  # NPS 66.7, CSAT 100
    assert meets_standard(good_nps, good_csat, standard) is True
    # Too few responses of one kind: not judged
    assert meets_standard(NpsTally.of([10, 9]), good_csat, standard) is None
    # NPS 0 < 30
    assert meets_standard(NpsTally.of([10, 8, 0]), good_csat, standard) is False
    # CSAT 66.7 % < 80 %
    assert meets_standard(good_nps, CsatTally.of([5, 4, 3]), standard) is False
    # Exactly at the minimum meets it: NPS 30 from 4 promoters, 3 detractors, 3 passives of 10
    at_minimum = NpsTally.of([10] * 4 + [0] * 1 + [8] * 5)
    assert at_minimum.score == Decimal(30)
    assert meets_standard(at_minimum, CsatTally.of([4, 4, 4, 4, 3]), standard) is True


@given(nps_scores)
def test_nps_between_minus_and_plus_hundred(scores: list[int]) -> None:
    score = NpsTally.of(scores).score
    assert score is None or Decimal(-100) <= score <= Decimal(100)


@given(nps_scores, st.sampled_from([7, 8]))
def test_a_passive_never_pushes_nps_away_from_zero(scores: list[int], passive: int) -> None:
    before = NpsTally.of(scores).score
    after = NpsTally.of([*scores, passive]).score
    assert after is not None
    if before is not None:
        assert abs(after) <= abs(before)


@given(nps_scores, nps_scores)
def test_tallies_add_like_concatenated_answers(left: list[int], right: list[int]) -> None:
    assert NpsTally.of(left) + NpsTally.of(right) == NpsTally.of(left + right)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=60))
def test_csat_between_zero_and_hundred(scores: list[int]) -> None:
    tally = CsatTally.of(scores)
    assert tally.pct is not None
    assert Decimal(0) <= tally.pct <= Decimal(100)
    assert tally.mean is not None
    assert Decimal(1) <= tally.mean <= Decimal(5)
