"""The issue status machine: every pair of statuses tried through the service, and random walks
checked against the table."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.core.errors import DomainError, TransitionError
from steward.issues import lifecycle, services
from steward.issues.choices import IssueStatus
from steward.issues.models import IssueTransition
from steward.issues.tests.factories import IssueFactory
from steward.issues.tests.helpers import open_issue

pytestmark = pytest.mark.django_db

STATUSES = list(IssueStatus.values)
FULL = {
    "reason": "Customer reported it again",
    "root_cause": "Bad batch",
    "corrective_action": "Recalled",
}


def test_the_table_names_only_statuses_and_every_status_is_reachable_and_left() -> None:
    assert set(lifecycle.TRANSITIONS) == set(STATUSES)
    targets = set().union(*lifecycle.TRANSITIONS.values())
    assert targets == set(STATUSES) - {IssueStatus.NEW}
    assert all(lifecycle.TRANSITIONS[s] for s in STATUSES)
    assert set(STATUSES) == lifecycle.OPEN | lifecycle.DONE


@pytest.mark.parametrize(("start", "to"), list(itertools.product(STATUSES, STATUSES)))
def test_every_pair_of_statuses_moves_exactly_as_the_table_says(
    cast: Any, start: str, to: str
) -> None:
    # given an issue in ``start`` (written directly) on the owner's relationship
    issue = IssueFactory(relationship=cast.rel_a, status=start)
    allowed = to in lifecycle.TRANSITIONS[start]
    # when the owner asks for ``to``, giving every reason a move may need
    if allowed:
        moved = services.issue_transition(actor=cast.owner, issue=issue, to=to, **FULL)
        # then it moved and the move is on record with who and why
        assert moved.status == to
        row = IssueTransition.objects.get(issue=issue)
        assert (row.from_status, row.to_status, row.actor) == (start, to, cast.owner)
    else:
        with pytest.raises(TransitionError) as refused:
            services.issue_transition(actor=cast.owner, issue=issue, to=to, **FULL)
        # then it is refused naming the field, and nothing is written
        assert refused.value.field == "to"
        issue.refresh_from_db()
        assert issue.status == start
        assert not IssueTransition.objects.filter(issue=issue).exists()


@pytest.mark.parametrize("missing", ["root_cause", "corrective_action"])
@pytest.mark.parametrize("start", [IssueStatus.ACKNOWLEDGED, IssueStatus.IN_PROGRESS])
def test_resolving_needs_a_root_cause_and_a_corrective_action(
    cast: Any, start: str, missing: str
) -> None:
    issue = IssueFactory(relationship=cast.rel_a, status=start)
    given = {"root_cause": "Bad batch", "corrective_action": "Recalled", missing: "  "}
    with pytest.raises(DomainError) as refused:
        services.issue_transition(actor=cast.owner, issue=issue, to="resolved", **given)
    assert (refused.value.field, refused.value.code) == (missing, "required")
    issue.refresh_from_db()
    assert issue.status == start


@pytest.mark.parametrize("start", [IssueStatus.RESOLVED, IssueStatus.CLOSED])
def test_reopening_needs_a_reason_and_clears_the_resolution_dates(cast: Any, start: str) -> None:
    issue = IssueFactory(relationship=cast.rel_a, status=start)
    with pytest.raises(DomainError) as refused:
        services.issue_transition(actor=cast.owner, issue=issue, to="in_progress")
    assert refused.value.field == "reason"
    moved = services.issue_transition(
        actor=cast.owner, issue=issue, to="in_progress", reason="It happened again"
    )
    assert (moved.status, moved.resolved_at, moved.closed_at) == ("in_progress", None, None)
    assert moved.transitions.get().reason == "It happened again"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(walk=st.lists(st.sampled_from(STATUSES), max_size=8))
def test_a_random_walk_follows_the_table_and_keeps_the_dates_consistent(
    cast: Any, walk: list[str]
) -> None:
    # given a freshly opened issue
    issue = open_issue(cast)
    expected: str = IssueStatus.NEW
    accepted = 0
    for to in walk:
        # when each requested move is tried
        try:
            issue = services.issue_transition(actor=cast.member, issue=issue, to=to, **FULL)
        except TransitionError:
            # then a refused move is exactly one the table does not allow
            assert to not in lifecycle.TRANSITIONS[expected]
            continue
        assert to in lifecycle.TRANSITIONS[expected]
        expected, accepted = to, accepted + 1
        # and the dates follow the status
        assert issue.acknowledged_at is not None
        assert (issue.resolved_at is not None) == (to in lifecycle.DONE)
        assert (issue.closed_at is not None) == (to == IssueStatus.CLOSED)
    issue.refresh_from_db()
    assert issue.status == expected
    assert issue.transitions.count() == accepted
    assert (issue.acknowledged_at is None) == (accepted == 0)
