"""An SLA breach opens its issue once, through the contracts' breach listeners, on commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from steward.contracts import hooks
from steward.contracts import services as contract_services
from steward.contracts.models import SlaBreach
from steward.contracts.selectors_renewals import renewal_pack
from steward.issues.models import Issue
from steward.issues.services import issue_open_for_breach

pytestmark = pytest.mark.django_db


@pytest.fixture
def level(cast: Any) -> Any:
    """Availability of at least 99.9 % a month on a contract the member owns."""
    contract = contract_services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Hosting",
        kind="master",
        owner=cast.member,
        start_date=dt.date(2026, 1, 1),
        term_months=12,
    )
    return contract_services.service_level_add(
        actor=cast.owner,
        contract=contract,
        name="Availability",
        metric="availability",
        target=Decimal("99.9"),
        direction="at_least",
        unit="%",
    )


def breach_february(cast: Any, level: Any) -> None:
    contract_services.measurement_record(
        actor=cast.owner, service_level=level, measured_on=dt.date(2026, 2, 10), value="98.5"
    )


def test_the_issues_app_listens_for_breaches() -> None:
    assert issue_open_for_breach in hooks.breach_listeners()


def test_a_breach_opens_one_high_service_issue_owned_by_the_contracts_owner(
    cast: Any, level: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # when February is measured short of its target (the period is over, so it is breached)
    with django_capture_on_commit_callbacks(execute=True):
        breach_february(cast, level)
    # then one issue is open for the breach, linked to it, its contract and its service level
    breach = SlaBreach.objects.get()
    issue = Issue.objects.get()
    assert issue.sla_breach == breach
    assert (issue.source, issue.severity, issue.category) == ("sla_breach", "high", "service")
    assert issue.title == "SLA breach: Availability Feb 2026"
    assert (issue.contract, issue.service_level) == (level.contract, level)
    assert (issue.owner, issue.reported_by, issue.relationship) == (
        cast.member,
        cast.member,
        cast.rel_a,
    )
    assert issue.opened_at == breach.opened_at
    assert issue.resolve_by - issue.opened_at == dt.timedelta(hours=72)
    # and the breach names its issue
    assert breach.issue_reference == issue.reference
    # and hearing of it again (a re-run, or a listener called twice) opens nothing new
    assert issue_open_for_breach(breach) == issue
    assert Issue.objects.count() == 1


def test_a_breach_cleared_and_breached_again_keeps_its_one_issue(
    cast: Any, level: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        breach_february(cast, level)
    measurement = level.measurements.get()
    with django_capture_on_commit_callbacks(execute=True):
        measurement = contract_services.measurement_update(
            actor=cast.owner, measurement=measurement, expected_version=1, value="99.95"
        )
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.measurement_update(
            actor=cast.owner, measurement=measurement, expected_version=2, value="97"
        )
    assert Issue.objects.count() == 1
    assert SlaBreach.objects.get().issue_reference == Issue.objects.get().reference


def test_the_renewal_pack_lists_the_contracts_issues(
    cast: Any, level: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        breach_february(cast, level)
    section = renewal_pack(user=cast.owner, contract=level.contract)["issues"]
    issue = Issue.objects.get()
    assert [row.cells[0] for row in section.rows] == [f"{issue.reference} {issue.title}"]
    assert section.note == "1 open."
    # the reviewer, who reads the relationship, sees the same section
    assert renewal_pack(user=cast.reviewer, contract=level.contract)["issues"].rows == section.rows
