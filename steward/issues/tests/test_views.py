"""The web pages of issues: the list and its export, an issue's page and its moves, raising and
editing, the escalation ladder and the targets, through Django's test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steward.core.registry import due_items, navigation, search
from steward.core.testing import web_client
from steward.issues.models import EscalationLevel, Issue, IssueTransition, SeverityTarget
from steward.issues.tests.factories import EscalationLevelFactory
from steward.issues.tests.helpers import open_issue

pytestmark = pytest.mark.django_db
LIST = "/issues/"


def test_the_menu_has_issues() -> None:
    assert "issues:issue-list" in [entry.url_name for entry in navigation()]


def test_the_list_filters_pages_and_exports_what_the_user_may_see(cast: Any) -> None:
    mine = open_issue(cast, severity="critical")
    theirs = open_issue(cast, actor=cast.outsider, relationship=cast.rel_b)
    page = web_client(cast.owner).get(LIST)
    assert page.status_code == 200
    assert mine.reference in page.content.decode()
    assert theirs.reference not in page.content.decode()
    filtered = web_client(cast.owner).get(LIST, {"severity": "low"})
    assert mine.reference not in filtered.content.decode()
    export = web_client(cast.owner).get(LIST, {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert mine.reference in body
    assert theirs.reference not in body
    assert "Root cause" in body.splitlines()[0]


def test_the_list_reads_a_fixed_number_of_queries(cast: Any) -> None:
    open_issue(cast)
    client = web_client(cast.owner)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(5):
        open_issue(cast)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_raising_an_issue_from_a_relationship(cast: Any) -> None:
    url = reverse("issues:issue-create", args=[cast.rel_a.pk])
    client = web_client(cast.member)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "", "category": "quality", "severity": "high"})
    assert bad.status_code == 400
    assert "title" in bad.context["form"].errors
    assert not Issue.objects.exists()
    made = client.post(
        url, {"title": "Wrong labels", "category": "quality", "severity": "high"}, follow=False
    )
    issue = Issue.objects.get()
    assert made.status_code == 302
    assert made["Location"] == issue.get_absolute_url()
    assert (issue.owner, issue.reported_by) == (cast.owner, cast.member)
    # the read-only reviewer and the outsider may not
    assert web_client(cast.reviewer).get(url).status_code == 403
    assert web_client(cast.outsider).get(url).status_code == 404


def test_the_issue_page_shows_the_timeline_and_offers_the_moves(cast: Any) -> None:
    issue = open_issue(cast)
    url = issue.get_absolute_url()
    client = web_client(cast.owner)
    page = client.get(url)
    assert page.status_code == 200
    assert [m["to"] for m in page.context["moves"]] == ["acknowledged", "in_progress"]
    # resolving without a root cause is answered on the page, naming the field
    client.post(reverse("issues:issue-transition", args=[issue.pk]), {"to": "in_progress"})
    refused = client.post(reverse("issues:issue-transition", args=[issue.pk]), {"to": "resolved"})
    assert refused.status_code == 400
    assert "root_cause" in refused.context["transition_form"].errors
    done = client.post(
        reverse("issues:issue-transition", args=[issue.pk]),
        {"to": "resolved", "root_cause": "Mislabelled batch", "corrective_action": "Relabelled"},
    )
    assert done.status_code == 302
    page = client.get(url)
    kinds = [entry["kind"] for entry in page.context["timeline"]]
    assert kinds == ["opened", "transition", "transition"]
    assert "Mislabelled batch" in page.content.decode()
    assert IssueTransition.objects.filter(issue=issue).count() == 2
    # the history tab
    assert client.get(url, {"tab": "history"}).status_code == 200


def test_who_sees_an_issue_page_and_who_may_move_it(cast: Any) -> None:
    issue = open_issue(cast)
    shared = open_issue(cast, shared_with_portal=True)
    url = issue.get_absolute_url()
    move = reverse("issues:issue-transition", args=[issue.pk])
    assert web_client(cast.outsider).get(url).status_code == 404
    assert web_client(cast.portal_a).get(url).status_code == 404
    reviewer = web_client(cast.reviewer)
    page = reviewer.get(url)
    assert (page.status_code, page.context["moves"]) == (200, [])
    assert reviewer.post(move, {"to": "acknowledged"}).status_code == 403
    assert reviewer.get(reverse("issues:issue-edit", args=[issue.pk])).status_code == 403
    assert web_client(cast.outsider).post(move, {"to": "acknowledged"}).status_code == 404
    issue.refresh_from_db()
    assert issue.status == "new"
    portal = web_client(cast.portal_a).get(shared.get_absolute_url(), {"tab": "history"})
    assert (portal.status_code, portal.context["tab"], portal.context["tabs"]) == (
        200,
        "overview",
        ("overview",),
    )


def test_editing_an_issue(cast: Any) -> None:
    issue = open_issue(cast, severity="low")
    url = reverse("issues:issue-edit", args=[issue.pk])
    client = web_client(cast.member)
    assert client.get(url).status_code == 200
    saved = client.post(
        url,
        {
            "title": "Wrong labels everywhere",
            "category": "quality",
            "severity": "critical",
            "owner": cast.member.pk,
            "description": "",
            "version": 1,
        },
    )
    assert saved.status_code == 302
    issue.refresh_from_db()
    assert (issue.severity, issue.owner, issue.resolve_by - issue.opened_at) == (
        "critical",
        cast.member,
        dt.timedelta(hours=24),
    )


def test_escalating_from_the_page(cast: Any) -> None:
    EscalationLevelFactory(relationship=cast.rel_a, level=1, internal_contact=cast.manager)
    issue = open_issue(cast)
    url = reverse("issues:issue-escalate", args=[issue.pk])
    client = web_client(cast.owner)
    assert client.post(url, {"note": ""}).status_code == 400
    assert client.post(url, {"note": "Line down"}).status_code == 302
    top = client.post(url, {"note": "Still down"})
    assert top.status_code == 400
    assert "level 2" in top.context["escalate_form"].non_field_errors()[0]
    issue.refresh_from_db()
    assert issue.escalation_level == 1


def test_the_escalation_ladder_page(cast: Any) -> None:
    url = reverse("issues:escalation-ladder", args=[cast.rel_a.pk])
    client = web_client(cast.owner)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "level": 1,
            "name": "Director",
            "internal_contact": cast.director.pk,
            "counterparty_contact": cast.contact_b.pk,
            "after_hours": 0,
        },
    )
    assert bad.status_code == 400
    assert "counterparty_contact" in bad.context["form"].errors
    added = client.post(
        url,
        {
            "level": 1,
            "name": "Director",
            "internal_contact": cast.director.pk,
            "counterparty_contact": cast.contact_a_shared.pk,
            "after_hours": 2,
        },
    )
    assert added.status_code == 302
    rung = EscalationLevel.objects.get()
    edit = reverse("issues:escalation-level-edit", args=[rung.pk])
    assert (
        client.post(
            edit,
            {
                "level": 1,
                "name": "VP",
                "internal_contact": cast.director.pk,
                "after_hours": 6,
                "version": 1,
            },
        ).status_code
        == 302
    )
    rung.refresh_from_db()
    assert (rung.name, rung.after_hours) == ("VP", 6)
    # the reviewer reads the ladder but may not change it; the outsider does not see it
    reviewer = web_client(cast.reviewer)
    assert reviewer.get(url).context["form"] is None
    assert reviewer.post(url, {"level": 2}).status_code == 403
    assert reviewer.get(edit).status_code == 403
    assert web_client(cast.outsider).get(url).status_code == 404
    archive = reverse("issues:escalation-level-archive", args=[rung.pk])
    assert reviewer.post(archive).status_code == 403
    assert client.post(archive).status_code == 302
    assert EscalationLevel.objects.active().count() == 0


def test_the_targets_page_is_read_by_all_and_changed_by_administrators(cast: Any) -> None:
    target = SeverityTarget.objects.get(severity="high")
    page = web_client(cast.member).get(reverse("issues:severity-targets"))
    assert (page.status_code, page.context["can_change"]) == (200, False)
    edit = reverse("issues:severity-target-edit", args=[target.pk])
    assert web_client(cast.owner).get(edit).status_code == 403
    admin = web_client(cast.admin)
    bad = admin.post(edit, {"response_hours": 80, "resolution_hours": 72, "version": 1})
    assert bad.status_code == 400
    assert "resolution_hours" in bad.context["form"].errors
    assert (
        admin.post(edit, {"response_hours": 6, "resolution_hours": 72, "version": 1}).status_code
        == 302
    )
    target.refresh_from_db()
    assert target.response_hours == 6


def test_due_items_and_search(cast: Any) -> None:
    soon = open_issue(cast, opened_at=timezone.now(), severity="critical")
    later = open_issue(cast, opened_at=timezone.now(), severity="low")
    today = timezone.localdate()
    due = due_items(cast.owner, today=today, until=today + dt.timedelta(days=2))
    titles = [item.title for item in due if item.kind == "issue"]
    assert any(soon.reference in t for t in titles)
    assert not any(later.reference in t for t in titles)
    # the member owns none of them
    member_due = due_items(cast.member, today=today, until=today + dt.timedelta(days=30))
    assert [item for item in member_due if item.kind == "issue"] == []
    hits = search(cast.owner, soon.reference)
    assert [hit.url for hit in hits["issues"]] == [soon.get_absolute_url()]
    assert "issues" not in search(cast.outsider, soon.reference)


def test_the_relationship_tab_lists_open_issues_and_offers_raising_one(cast: Any) -> None:
    from django.template.loader import render_to_string

    from steward.issues import selectors, services

    open_one = open_issue(cast)
    done = open_issue(cast)
    services.issue_transition(actor=cast.owner, issue=done, to="in_progress")
    services.issue_transition(
        actor=cast.owner, issue=done, to="resolved", root_cause="a", corrective_action="b"
    )
    context = selectors.issues_for(user=cast.owner, relationship=cast.rel_a)
    assert (context["issues"], context["can_raise_issue"]) == ([open_one], True)
    html = render_to_string("issues/_issues_tab.html", context)
    assert open_one.reference in html
    assert done.reference not in html
    assert reverse("issues:issue-create", args=[cast.rel_a.pk]) in html
    assert (
        selectors.issues_for(user=cast.reviewer, relationship=cast.rel_a)["can_raise_issue"]
        is False
    )
