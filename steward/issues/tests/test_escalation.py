"""The escalation job with a fake clock: the ladder climbed in order, once per level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.models import Notification
from steward.issues import services
from steward.issues.models import IssueEscalation
from steward.issues.targets import Rung, missed_target, rungs_due
from steward.issues.tests.factories import EscalationLevelFactory
from steward.issues.tests.helpers import OPENED, open_issue

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
# A high issue opened at OPENED: respond within 8 h, resolve within 72 h.
RESPOND_BY = OPENED + 8 * H
RESOLVE_BY = OPENED + 72 * H


@pytest.fixture
def ladder(cast: Any) -> list[Any]:
    """Level 1 (the manager) at the miss, level 2 (the director) 4 hours later."""
    return [
        EscalationLevelFactory(
            relationship=cast.rel_a, level=1, internal_contact=cast.manager, after_hours=0
        ),
        EscalationLevelFactory(
            relationship=cast.rel_a, level=2, internal_contact=cast.director, after_hours=4
        ),
    ]


def escalated_levels(issue: Any) -> list[tuple[int, str]]:
    return list(IssueEscalation.objects.filter(issue=issue).values_list("level", "missed"))


def test_rungs_are_climbed_in_order_without_skipping() -> None:
    rungs = [Rung(1, 0), Rung(2, 4), Rung(3, 2)]
    at = RESPOND_BY
    assert rungs_due(rungs, current_level=0, missed_at=at, now=at) == [Rung(1, 0)]
    assert rungs_due(rungs, current_level=0, missed_at=at, now=at + 3 * H) == [Rung(1, 0)]
    # level 3 would be due after 2 h, but level 2 (4 h) comes first and holds it back
    assert rungs_due(rungs, current_level=1, missed_at=at, now=at + 4 * H) == [
        Rung(2, 4),
        Rung(3, 2),
    ]
    assert rungs_due(rungs, current_level=3, missed_at=at, now=at + 99 * H) == []


def test_the_missed_target_is_the_response_until_acknowledged_then_the_resolution() -> None:
    args = {"respond_by": RESPOND_BY, "resolve_by": RESOLVE_BY, "resolved": False}
    assert missed_target(now=RESPOND_BY, acknowledged=False, **args) is None
    late = missed_target(now=RESPOND_BY + H, acknowledged=False, **args)
    assert late is not None
    assert (late.target, late.at) == ("response", RESPOND_BY)
    assert missed_target(now=RESPOND_BY + H, acknowledged=True, **args) is None
    overdue = missed_target(now=RESOLVE_BY + H, acknowledged=True, **args)
    assert overdue is not None
    assert (overdue.target, overdue.at) == ("resolution", RESOLVE_BY)
    assert (
        missed_target(now=RESOLVE_BY + H, acknowledged=True, **{**args, "resolved": True}) is None
    )


def test_the_job_climbs_the_ladder_once_per_level_and_tells_each_contact_and_the_owner(
    cast: Any, ladder: list[Any]
) -> None:
    issue = open_issue(cast)
    # before the response target nothing happens
    assert services.issues_escalate_overdue(now=RESPOND_BY) == 0
    # an hour after the missed response: level 1
    assert services.issues_escalate_overdue(now=RESPOND_BY + H) == 1
    issue.refresh_from_db()
    assert (issue.escalation_level, issue.escalated_at) == (1, RESPOND_BY + H)
    assert escalated_levels(issue) == [(1, "response")]
    told = Notification.objects.filter(kind="issues.escalated")
    assert set(told.values_list("recipient", flat=True)) == {cast.manager.pk, cast.owner.pk}
    # run again at the same time: nothing more (idempotent)
    assert services.issues_escalate_overdue(now=RESPOND_BY + H) == 0
    assert told.count() == 2
    # four hours after the miss: level 2
    assert services.issues_escalate_overdue(now=RESPOND_BY + 4 * H) == 1
    assert escalated_levels(issue) == [(1, "response"), (2, "response")]
    assert told.filter(recipient=cast.director).count() == 1
    # the top of the ladder: nothing further, however late
    assert services.issues_escalate_overdue(now=RESPOND_BY + 400 * H) == 0
    issue.refresh_from_db()
    assert (issue.escalation_level, issue.version) == (2, 3)
    assert issue.history.count() == 3


def test_a_late_run_climbs_every_level_due_at_once(cast: Any, ladder: list[Any]) -> None:
    issue = open_issue(cast)
    assert services.issues_escalate_overdue(now=RESPOND_BY + 5 * H) == 1
    assert escalated_levels(issue) == [(1, "response"), (2, "response")]


def test_acknowledged_issues_escalate_on_the_resolution_target(
    cast: Any, ladder: list[Any]
) -> None:
    issue = open_issue(cast)
    services.issue_transition(actor=cast.owner, issue=issue, to="acknowledged")
    # acknowledged: the response clock no longer counts
    assert services.issues_escalate_overdue(now=RESPOND_BY + 10 * H) == 0
    assert services.issues_escalate_overdue(now=RESOLVE_BY + H) == 1
    assert escalated_levels(issue) == [(1, "resolution")]
    # resolved issues are left alone
    services.issue_transition(
        actor=cast.owner, issue=issue, to="resolved", root_cause="x", corrective_action="y"
    )
    assert services.issues_escalate_overdue(now=RESOLVE_BY + 100 * H) == 0


def test_without_a_ladder_nothing_escalates(cast: Any) -> None:
    issue = open_issue(cast)
    assert services.issues_escalate_overdue(now=RESOLVE_BY + 100 * H) == 0
    assert escalated_levels(issue) == []


def test_the_job_reads_its_candidates_in_a_fixed_number_of_queries(
    cast: Any, ladder: list[Any]
) -> None:
    for _ in range(3):
        open_issue(cast)
    open_issue(cast, relationship=cast.rel_b, actor=cast.outsider)
    EscalationLevelFactory(relationship=cast.rel_b, level=1, internal_contact=cast.outsider)
    with CaptureQueriesContext(connection) as few:
        assert services.issues_escalate_overdue(now=RESPOND_BY + H) == 4
    for _ in range(6):
        open_issue(cast)
    with CaptureQueriesContext(connection) as many:
        # the three climb to level 2, the six new ones to 1 and 2; rel_b has no level 2
        assert services.issues_escalate_overdue(now=RESPOND_BY + 5 * H) == 9
    assert len(many) == len(few)
