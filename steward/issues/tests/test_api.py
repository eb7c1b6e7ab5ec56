"""The /api/v1/ endpoints of issues: CRUD through the services, moves and escalation, the
moves and escalations read, the ladder and the targets, and who sees what."""

from __future__ import annotations

from typing import Any

import pytest

from steward.core.testing import api_client, api_errors, result_ids
from steward.issues.models import EscalationLevel, Issue, IssueEscalation, SeverityTarget
from steward.issues.tests.factories import EscalationLevelFactory
from steward.issues.tests.helpers import open_issue

pytestmark = pytest.mark.django_db

ISSUES = "/api/v1/issues/"
TRANSITIONS = "/api/v1/issue-transitions/"
ESCALATIONS = "/api/v1/issue-escalations/"
LEVELS = "/api/v1/escalation-levels/"
TARGETS = "/api/v1/severity-targets/"


def test_an_issue_is_raised_edited_moved_and_archived(cast: Any) -> None:
    api = api_client(cast.member)
    created = api.post(
        ISSUES,
        {
            "relationship": cast.rel_a.pk,
            "title": "Damaged pallets",
            "category": "quality",
            "severity": "medium",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["reference"] == "ISS-000001"
    assert (body["owner"], body["reported_by"]) == (cast.owner.pk, cast.member.pk)
    assert (body["status"], body["source"]) == ("new", "api")
    pk = body["id"]
    # a new severity moves the due dates
    edited = api.patch(f"{ISSUES}{pk}/", {"severity": "critical", "version": 1}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["resolve_by"] < body["resolve_by"]
    # moves follow the table; resolving needs its fields, named in the answer
    moved = api.post(f"{ISSUES}{pk}/transition/", {"to": "in_progress"}, format="json")
    assert moved.json()["status"] == "in_progress"
    refused = api.post(f"{ISSUES}{pk}/transition/", {"to": "resolved"}, format="json")
    assert refused.status_code == 400
    assert api_errors(refused) == [("root_cause", "required")]
    wrong = api.post(f"{ISSUES}{pk}/transition/", {"to": "new"}, format="json")
    assert api_errors(wrong) == [("to", "invalid_transition")]
    resolved = api.post(
        f"{ISSUES}{pk}/transition/",
        {"to": "resolved", "root_cause": "Forklift", "corrective_action": "Training"},
        format="json",
    )
    assert resolved.json()["status"] == "resolved"
    # the moves are readable, in order
    moves = api.get(TRANSITIONS, {"issue": pk})
    assert [m["to_status"] for m in moves.json()["results"]] == ["in_progress", "resolved"]
    # archiving takes it out of the list
    assert api.delete(f"{ISSUES}{pk}/").status_code == 204
    assert result_ids(api.get(ISSUES)) == []


def test_bad_input_answers_400_naming_the_field_and_writes_nothing(cast: Any) -> None:
    api = api_client(cast.owner)
    base = {
        "relationship": cast.rel_a.pk,
        "title": "x",
        "category": "quality",
        "severity": "high",
    }
    cases = [
        ({"severity": "urgent"}, "severity"),
        ({"relationship": cast.rel_b.pk}, "relationship"),  # not visible: like no such id
        ({"owner": cast.portal_a.pk}, "owner"),
        ({"title": ""}, "title"),
    ]
    for change, field in cases:
        answer = api.post(ISSUES, {**base, **change}, format="json")
        assert answer.status_code == 400, (change, answer.json())
        assert [attr for attr, _ in api_errors(answer)] == [field]
    # a contract of another relationship (visible to the admin) is refused by the service
    from steward.contracts import services as contract_services

    theirs = contract_services.contract_create(
        actor=cast.admin, relationship=cast.rel_b, title="Haulage", kind="master"
    )
    answer = api_client(cast.admin).post(ISSUES, {**base, "contract": theirs.pk}, format="json")
    assert api_errors(answer) == [("contract", "invalid")]
    assert not Issue.objects.exists()


def test_who_sees_and_changes_an_issue(cast: Any) -> None:
    issue = open_issue(cast)
    shared = open_issue(cast, shared_with_portal=True)
    url = f"{ISSUES}{issue.pk}/"
    # the outsider does not know it exists
    assert api_client(cast.outsider).get(url).status_code == 404
    assert result_ids(api_client(cast.outsider).get(ISSUES)) == []
    # the read-only reviewer reads but may not change, move or escalate
    reviewer = api_client(cast.reviewer)
    assert reviewer.get(url).status_code == 200
    assert reviewer.patch(url, {"title": "x", "version": 1}, format="json").status_code == 403
    assert (
        reviewer.post(f"{url}transition/", {"to": "acknowledged"}, format="json").status_code == 403
    )
    assert reviewer.post(f"{url}escalate/", {"note": "now"}, format="json").status_code == 403
    assert (
        reviewer.post(
            ISSUES,
            {"relationship": cast.rel_a.pk, "title": "x", "category": "quality", "severity": "low"},
            format="json",
        ).status_code
        == 403
    )
    # portal users see only the shared issues of their own organization
    assert result_ids(api_client(cast.portal_a).get(ISSUES)) == [shared.pk]
    assert api_client(cast.portal_a).get(url).status_code == 404
    assert result_ids(api_client(cast.portal_b).get(ISSUES)) == []
    # the manager of the owner sees it; the auditor reads everything
    assert set(result_ids(api_client(cast.manager).get(ISSUES))) == {issue.pk, shared.pk}
    assert set(result_ids(api_client(cast.auditor).get(ISSUES))) == {issue.pk, shared.pk}
    issue.refresh_from_db()
    assert (issue.version, issue.title) == (1, "Late deliveries to the Stuttgart plant")


def test_filters_of_the_list(cast: Any) -> None:
    low = open_issue(cast, severity="low", category="billing")
    critical = open_issue(cast, severity="critical")
    api = api_client(cast.owner)
    assert result_ids(api.get(ISSUES, {"severity": "critical"})) == [critical.pk]
    assert result_ids(api.get(ISSUES, {"category": "billing"})) == [low.pk]
    # both opened months ago and never acknowledged are overdue; one opened just now is not
    fresh = open_issue(cast, opened_at=None)
    assert set(result_ids(api.get(ISSUES, {"overdue": "true"}))) == {critical.pk, low.pk}
    assert result_ids(api.get(ISSUES, {"overdue": "false"})) == [fresh.pk]
    assert set(result_ids(api.get(ISSUES, {"open": "true"}))) == {critical.pk, low.pk, fresh.pk}
    assert set(result_ids(api.get(ISSUES, {"q": low.reference}))) == {low.pk}
    assert api_errors(api.get(ISSUES, {"owner": "abc"})) == [("owner", "invalid")]


def test_escalating_through_the_api_and_reading_escalations(cast: Any) -> None:
    EscalationLevelFactory(relationship=cast.rel_a, level=1, internal_contact=cast.manager)
    issue = open_issue(cast)
    api = api_client(cast.owner)
    refused = api.post(f"{ISSUES}{issue.pk}/escalate/", {"note": ""}, format="json")
    assert [attr for attr, _ in api_errors(refused)] == ["note"]
    answer = api.post(f"{ISSUES}{issue.pk}/escalate/", {"note": "Line down"}, format="json")
    assert answer.json()["escalation_level"] == 1
    top = api.post(f"{ISSUES}{issue.pk}/escalate/", {"note": "Still down"}, format="json")
    assert api_errors(top) == [("non_field_errors", "ladder_top")]
    rows = api.get(ESCALATIONS, {"issue": issue.pk}).json()["results"]
    assert [(r["level"], r["missed"], r["actor"]) for r in rows] == [(1, "manual", cast.owner.pk)]
    assert result_ids(api_client(cast.outsider).get(ESCALATIONS)) == []
    assert IssueEscalation.objects.count() == 1


def test_the_escalation_ladder_through_the_api(cast: Any) -> None:
    api = api_client(cast.owner)
    created = api.post(
        LEVELS,
        {
            "relationship": cast.rel_a.pk,
            "level": 1,
            "name": "Head of supply",
            "internal_contact": cast.manager.pk,
            "counterparty_contact": cast.contact_a_shared.pk,
            "after_hours": 4,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    again = api.post(
        LEVELS,
        {"relationship": cast.rel_a.pk, "level": 1, "name": "x", "internal_contact": cast.owner.pk},
        format="json",
    )
    assert api_errors(again) == [("level", "duplicate")]
    wrong = api.post(
        LEVELS,
        {
            "relationship": cast.rel_a.pk,
            "level": 2,
            "name": "x",
            "internal_contact": cast.owner.pk,
            "counterparty_contact": cast.contact_b.pk,
        },
        format="json",
    )
    # B's contact is readable as directory data, but does not work for A
    assert [attr for attr, _ in api_errors(wrong)] == ["counterparty_contact"]
    assert (
        api.patch(f"{LEVELS}{pk}/", {"after_hours": 8, "version": 1}, format="json").json()[
            "after_hours"
        ]
        == 8
    )
    reviewer = api_client(cast.reviewer)
    assert (
        reviewer.patch(
            f"{LEVELS}{pk}/", {"after_hours": 1, "version": 2}, format="json"
        ).status_code
        == 403
    )
    assert api_client(cast.outsider).get(f"{LEVELS}{pk}/").status_code == 404
    assert api.delete(f"{LEVELS}{pk}/").status_code == 204
    assert EscalationLevel.objects.active().count() == 0


def test_targets_are_read_by_inside_users_and_changed_by_administrators(cast: Any) -> None:
    target = SeverityTarget.objects.get(severity="low")
    assert len(result_ids(api_client(cast.member).get(TARGETS))) == 4
    url = f"{TARGETS}{target.pk}/"
    assert (
        api_client(cast.owner)
        .patch(url, {"response_hours": 10, "version": 1}, format="json")
        .status_code
        == 403
    )
    bad = api_client(cast.admin).patch(url, {"response_hours": 0, "version": 1}, format="json")
    assert api_errors(bad) == [("response_hours", "min_value")]
    short = api_client(cast.admin).patch(url, {"resolution_hours": 10, "version": 1}, format="json")
    assert api_errors(short) == [("resolution_hours", "invalid")]
    ok = api_client(cast.admin).patch(url, {"response_hours": 10, "version": 1}, format="json")
    assert (ok.status_code, ok.json()["response_hours"]) == (200, 10)
    # portal users see no reference data of ours
    assert result_ids(api_client(cast.portal_a).get(TARGETS)) == []
