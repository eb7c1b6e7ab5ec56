"""The status table, walked pair by pair, and through the services on real rows."""

from __future__ import annotations

import itertools

import pytest

from steward.handoffs import lifecycle
from steward.handoffs.choices import HandoffStatus as S

ALLOWED = {
    (S.DRAFT, S.HANDED_OVER),
    (S.DRAFT, S.CANCELLED),
    (S.HANDED_OVER, S.ACCEPTED),
    (S.HANDED_OVER, S.DRAFT),
    (S.HANDED_OVER, S.CANCELLED),
    (S.ACCEPTED, S.COMPLETED),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S.values, S.values)))
def test_every_pair_of_statuses(source: str, target: str) -> None:
    # Given the table written out by hand above, when asked about any pair, then it agrees.
    assert lifecycle.can_move(source, target) is ((source, target) in ALLOWED)


def test_finished_statuses_go_nowhere() -> None:
    for status in lifecycle.FINISHED:
        assert lifecycle.allowed_next(status) == frozenset()
    assert lifecycle.allowed_next("unknown") == frozenset()
