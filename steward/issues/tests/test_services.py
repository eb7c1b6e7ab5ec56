"""Issues through their services: opening, due dates, edits, the ladder, escalation by hand and
the targets per severity, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.contracts import services as contract_services
from steward.core.errors import DomainError, DuplicateError, StaleVersionError
from steward.core.models import Notification
from steward.issues import services
from steward.issues.choices import Severity
from steward.issues.models import EscalationLevel, Issue, IssueEscalation, SeverityTarget
from steward.issues.targets import DEFAULT_TARGETS, due_dates
from steward.issues.tests.factories import EscalationLevelFactory
from steward.issues.tests.helpers import OPENED, open_issue, refused_fields
from steward.people.tests.factories import UserFactory
from steward.plans.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def make_contract(cast: Any, relationship: Any = None) -> Any:
    return contract_services.contract_create(
        actor=cast.admin,
        relationship=relationship or cast.rel_a,
        title="Castings supply",
        kind="master",
    )


# --- due dates (pure) --------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    response=st.integers(min_value=1, max_value=10_000),
    extra=st.integers(min_value=0, max_value=10_000),
    minutes=st.integers(min_value=0, max_value=10**7),
)
def test_due_dates_lie_the_targets_after_opening(response: int, extra: int, minutes: int) -> None:
    opened = OPENED + dt.timedelta(minutes=minutes)
    due = due_dates(opened, response_hours=response, resolution_hours=response + extra)
    assert due.respond_by - opened == dt.timedelta(hours=response)
    assert due.resolve_by - opened == dt.timedelta(hours=response + extra)
    assert opened < due.respond_by <= due.resolve_by


def test_seeded_targets_are_the_documented_defaults() -> None:
    seeded = {
        t.severity: (t.response_hours, t.resolution_hours) for t in SeverityTarget.objects.all()
    }
    assert seeded == {
        "critical": (4, 24),
        "high": (8, 72),
        "medium": (24, 168),
        "low": (72, 336),
    }
    assert seeded == {str(k): v for k, v in DEFAULT_TARGETS.items()}


# --- opening -----------------------------------------------------------------------------------


def test_opening_numbers_the_issue_derives_its_due_dates_and_defaults_the_owner(
    cast: Any,
) -> None:
    # given the member raising two issues on the owner's relationship
    first = open_issue(cast, actor=cast.member, severity="critical")
    second = open_issue(cast, actor=cast.member, severity="low")
    # then references are sequential, the owner is the relationship's, the reporter the member
    assert (first.reference, second.reference) == ("ISS-000001", "ISS-000002")
    assert (first.owner, first.reported_by, first.status) == (cast.owner, cast.member, "new")
    # and the due dates follow the targets of each severity from the moment it opened
    assert (first.respond_by, first.resolve_by) == (OPENED + 4 * HOUR, OPENED + 24 * HOUR)
    assert (second.respond_by, second.resolve_by) == (OPENED + 72 * HOUR, OPENED + 336 * HOUR)
    # and the history has one "opened" record each; the owner heard of the new issue
    assert first.history.count() == 1
    assert Notification.objects.filter(recipient=cast.owner, kind="issues.assigned").count() == 2


def test_administered_targets_are_used(cast: Any) -> None:
    SeverityTarget.objects.filter(severity="medium").update(response_hours=2, resolution_hours=5)
    issue = open_issue(cast, severity="medium")
    assert (issue.respond_by, issue.resolve_by) == (OPENED + 2 * HOUR, OPENED + 5 * HOUR)


def test_links_must_belong_to_the_issues_relationship(cast: Any) -> None:
    ours, theirs = make_contract(cast), make_contract(cast, cast.rel_b)
    level = contract_services.service_level_add(
        actor=cast.admin,
        contract=theirs,
        name="Availability",
        metric="availability",
        target=Decimal("99.9"),
        direction="at_least",
    )
    initiative = InitiativeFactory(relationship=cast.rel_b)
    for field, value in (
        ("contract", theirs),
        ("service_level", level),
        ("initiative", initiative),
    ):
        with pytest.raises(DomainError) as refused:
            open_issue(cast, **{field: value})
        assert refused.value.field == field
    with pytest.raises(DomainError) as refused:
        open_issue(cast, contract=ours, service_level=level)
    assert refused.value.field == "service_level"
    assert not Issue.objects.exists()
    # a service level alone brings its contract along
    mine = contract_services.service_level_add(
        actor=cast.admin,
        contract=ours,
        name="Availability",
        metric="availability",
        target=Decimal("99.9"),
        direction="at_least",
    )
    assert open_issue(cast, service_level=mine).contract == ours


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(cast: Any) -> None:
    portal_owner = cast.portal_a
    gone = UserFactory(is_active=False)
    cases = [
        ({"title": "  "}, "title"),
        ({"severity": "urgent"}, "severity"),
        ({"category": "weather"}, "category"),
        ({"owner": portal_owner}, "owner"),
        ({"owner": gone}, "owner"),
        ({"opened_at": timezone.now() + HOUR}, "opened_at"),
    ]
    for fields, field in cases:
        with pytest.raises((DomainError, ValidationError)) as refused:
            open_issue(cast, **fields)
        assert refused_fields(refused.value) == {field}, fields
    assert not Issue.objects.exists()


def test_who_may_raise_an_issue(cast: Any) -> None:
    for role in ("reviewer", "outsider", "auditor", "portal_a"):
        with pytest.raises(PermissionDenied):
            open_issue(cast, actor=cast.user(role))
    assert open_issue(cast, actor=cast.admin).reported_by == cast.admin
    cast.rel_a.archived_at = timezone.now()
    cast.rel_a.save()
    with pytest.raises(DomainError) as refused:
        open_issue(cast)
    assert (refused.value.field, refused.value.code) == ("relationship", "archived")


# --- edits -------------------------------------------------------------------------------------


def test_a_new_severity_derives_the_due_dates_again_from_the_opening(cast: Any) -> None:
    issue = open_issue(cast, severity="low")
    edited = services.issue_update(
        actor=cast.member, issue=issue, expected_version=issue.version, severity="critical"
    )
    assert (edited.respond_by, edited.resolve_by) == (OPENED + 4 * HOUR, OPENED + 24 * HOUR)
    assert edited.version == 2
    with pytest.raises(StaleVersionError):
        services.issue_update(actor=cast.member, issue=issue, expected_version=1, title="Other")


def test_reassigning_tells_the_new_owner_and_refuses_people_from_outside(cast: Any) -> None:
    issue = open_issue(cast)
    with pytest.raises(DomainError) as refused:
        services.issue_update(
            actor=cast.owner, issue=issue, expected_version=1, owner=cast.portal_a
        )
    assert refused.value.field == "owner"
    moved = services.issue_update(
        actor=cast.owner, issue=issue, expected_version=1, owner=cast.member
    )
    assert moved.owner == cast.member
    assert Notification.objects.filter(recipient=cast.member, kind="issues.assigned").exists()
    with pytest.raises(DomainError):
        services.issue_update(actor=cast.owner, issue=moved, expected_version=2, status="closed")


def test_only_those_who_may_change_edit_or_move_an_issue(cast: Any) -> None:
    issue = open_issue(cast)
    for role in ("reviewer", "auditor", "outsider", "portal_a"):
        with pytest.raises(PermissionDenied):
            services.issue_update(actor=cast.user(role), issue=issue, expected_version=1, title="x")
        with pytest.raises(PermissionDenied):
            services.issue_transition(actor=cast.user(role), issue=issue, to="acknowledged")
        with pytest.raises(PermissionDenied):
            services.issue_escalate(actor=cast.user(role), issue=issue, note="now")
    issue.refresh_from_db()
    assert (issue.version, issue.status, issue.escalation_level) == (1, "new", 0)


# --- the ladder --------------------------------------------------------------------------------


def test_a_ladder_rung_needs_an_inside_contact_and_a_counterparty_contact_of_the_vendor(
    cast: Any,
) -> None:
    add = services.escalation_level_add
    base = {"actor": cast.owner, "relationship": cast.rel_a, "name": "Director"}
    rung = add(
        **base, level=1, internal_contact=cast.manager, counterparty_contact=cast.contact_a_shared
    )
    assert (rung.level, rung.history.count()) == (1, 1)
    cases = [
        ({"level": 1, "internal_contact": cast.manager}, "level", DuplicateError),
        ({"level": 2, "internal_contact": cast.portal_a}, "internal_contact", DomainError),
        (
            {"level": 2, "internal_contact": UserFactory(is_active=False)},
            "internal_contact",
            DomainError,
        ),
        (
            {"level": 2, "internal_contact": cast.manager, "counterparty_contact": cast.contact_b},
            "counterparty_contact",
            DomainError,
        ),
        ({"level": 0, "internal_contact": cast.manager}, "level", ValidationError),
    ]
    for fields, field, error in cases:
        with pytest.raises(error) as refused:
            add(**base, **fields)
        assert refused_fields(refused.value) == {field}, fields
    assert EscalationLevel.objects.count() == 1
    with pytest.raises(PermissionDenied):
        add(**{**base, "actor": cast.reviewer}, level=2, internal_contact=cast.manager)
    # an archived rung frees its level
    services.escalation_level_archive(actor=cast.owner, rung=rung)
    again = add(**base, level=1, internal_contact=cast.director)
    assert again.internal_contact == cast.director
    with pytest.raises(DuplicateError):
        services.escalation_level_restore(actor=cast.owner, rung=rung)
    edited = services.escalation_level_update(
        actor=cast.member, rung=again, expected_version=1, after_hours=12, name="Head of sourcing"
    )
    assert (edited.after_hours, edited.name, edited.version) == (12, "Head of sourcing", 2)


def test_escalating_by_hand_climbs_one_rung_and_tells_its_contact_and_the_owner(
    cast: Any,
) -> None:
    EscalationLevelFactory(relationship=cast.rel_a, level=1, internal_contact=cast.manager)
    issue = open_issue(cast)
    with pytest.raises(DomainError) as refused:
        services.issue_escalate(actor=cast.member, issue=issue, note=" ")
    assert refused.value.field == "note"
    escalated = services.issue_escalate(actor=cast.member, issue=issue, note="Line stopped")
    assert (escalated.escalation_level, escalated.escalated_at is not None) == (1, True)
    row = IssueEscalation.objects.get(issue=issue)
    assert (row.level, row.missed, row.actor, row.note) == (
        1,
        "manual",
        cast.member,
        "Line stopped",
    )
    told = set(
        Notification.objects.filter(kind="issues.escalated").values_list("recipient", flat=True)
    )
    assert told == {cast.manager.pk, cast.owner.pk}
    # with no level 2 on the ladder, there is nowhere higher to go
    with pytest.raises(DomainError) as top:
        services.issue_escalate(actor=cast.member, issue=escalated, note="Still stopped")
    assert top.value.code == "ladder_top"
    assert IssueEscalation.objects.count() == 1


# --- targets ----------------------------------------------------------------------------------


def test_only_administrators_change_targets_and_resolution_is_never_before_response(
    cast: Any,
) -> None:
    target = SeverityTarget.objects.get(severity=Severity.CRITICAL)
    with pytest.raises(PermissionDenied):
        services.severity_target_update(
            actor=cast.owner, target=target, expected_version=target.version, response_hours=2
        )
    with pytest.raises(DomainError) as refused:
        services.severity_target_update(
            actor=cast.admin, target=target, expected_version=target.version, response_hours=30
        )
    assert refused.value.field == "resolution_hours"
    changed = services.severity_target_update(
        actor=cast.admin, target=target, expected_version=target.version, response_hours=2
    )
    assert (changed.response_hours, changed.resolution_hours) == (2, 24)
