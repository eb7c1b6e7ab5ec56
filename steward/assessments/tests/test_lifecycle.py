"""The assessment status machine, walked pair by pair against a table written by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.assessments import assessments_lifecycle as lifecycle
from steward.assessments.choices import AssessmentStatus as S

EXPECTED = {
    (S.DRAFT, S.SENT),
    (S.DRAFT, S.CANCELLED),
    (S.SENT, S.IN_PROGRESS),
    (S.SENT, S.CANCELLED),
    (S.IN_PROGRESS, S.SUBMITTED),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.SUBMITTED, S.IN_REVIEW),
    (S.SUBMITTED, S.CANCELLED),
    (S.IN_REVIEW, S.CLARIFICATION),
    (S.IN_REVIEW, S.COMPLETED),
    (S.IN_REVIEW, S.CANCELLED),
    (S.CLARIFICATION, S.SUBMITTED),
    (S.CLARIFICATION, S.CANCELLED),
}


@pytest.mark.parametrize(("start", "end"), list(itertools.product(S.values, S.values)))
def test_every_pair(start: str, end: str) -> None:
    assert lifecycle.can_move(start, end) == ((start, end) in EXPECTED)


def test_groups() -> None:
    assert {S.SENT, S.IN_PROGRESS, S.CLARIFICATION} == lifecycle.OPEN_TO_VENDOR
    assert {S.COMPLETED, S.CANCELLED} == lifecycle.DONE
    assert set(S.values) == lifecycle.OPEN | lifecycle.DONE


@given(st.lists(st.sampled_from(S.values), max_size=30))
def test_walks_end_only_in_final_states_once_there(steps: list[str]) -> None:
    status: str = S.DRAFT
    for step in steps:
        if lifecycle.can_move(status, step):
            assert status not in lifecycle.DONE  # nothing leaves completed or cancelled
            status = step
    # every state can still be cancelled unless it is final
    assert (S.CANCELLED in lifecycle.allowed_next(status)) == (status not in lifecycle.DONE)
