"""The web pages of activities, through Django's test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.core.registry import due_items, navigation
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.reviews import selectors, services
from steward.reviews.models import Activity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def log(cast: Cast, relationship: Any = None, **fields: Any) -> Activity:
    relationship = relationship or cast.rel_a
    fields.setdefault("subject", "Quarterly check-in")
    fields.setdefault("occurred_on", TODAY - dt.timedelta(days=2))
    return services.activity_log(actor=relationship.owner, relationship=relationship, **fields)


def activity_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject": "Plant visit in Linz",
        "kind": "site_visit",
        "occurred_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "participants": [cast.owner.pk, cast.member.pk],
        "contacts": [cast.contact_a_shared.pk],
        "summary": "Walked the smelter line; agreed a capacity review.",
        "follow_up_on": (TODAY + dt.timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return data


def test_owner_logs_an_activity_with_people_on_both_sides(cast: Cast) -> None:
    # given the owner of A's relationship, when they log a visit
    response = web_client(cast.owner).post(
        f"/relationships/{cast.rel_a.pk}/activities/new/", activity_form(cast)
    )
    # then it is recorded with who took part, and they land on it
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert activity.logged_by == cast.owner
    assert set(activity.participants.all()) == {cast.owner, cast.member}
    assert list(activity.contacts.all()) == [cast.contact_a_shared]
    page = web_client(cast.owner).get(response["Location"]).content.decode()
    assert "Walked the smelter line" in page
    assert str(cast.contact_a_shared) in page


def test_new_form_offers_only_the_organizations_contacts(cast: Cast) -> None:
    html = web_client(cast.owner).get(f"/relationships/{cast.rel_a.pk}/activities/new/")
    text = html.content.decode()
    assert str(cast.contact_a_private) in text
    assert str(cast.contact_b) not in text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"occurred_on": "yesterday"}, "occurred_on"),
        ({"occurred_on": (TODAY + dt.timedelta(days=30)).isoformat()}, "occurred_on"),
        ({"follow_up_on": (TODAY - dt.timedelta(days=30)).isoformat()}, "follow_up_on"),
        ({"kind": "party"}, "kind"),
        ({"contacts": ["__b__"]}, "contacts"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    cast: Cast, overrides: dict[str, Any], field: str
) -> None:
    if overrides.get("contacts") == ["__b__"]:
        overrides = {"contacts": [cast.contact_b.pk]}  # works for another organization
    response = web_client(cast.owner).post(
        f"/relationships/{cast.rel_a.pk}/activities/new/", activity_form(cast, **overrides)
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("reviewer", 403), ("auditor", 403)]
)
def test_who_may_not_change_the_relationship_cannot_log_on_it(
    cast: Cast, role: str, status: int
) -> None:
    client = web_client(cast.user(role))
    url = f"/relationships/{cast.rel_a.pk}/activities/new/"
    assert client.get(url).status_code == status
    assert client.post(url, activity_form(cast)).status_code == status
    assert not Activity.objects.exists()


def test_edit_is_version_checked_and_keeps_the_first_save(cast: Cast) -> None:
    activity = log(cast)
    url = f"/activities/{activity.pk}/edit/"
    data = activity_form(cast, subject="Renamed", version=1)
    assert web_client(cast.owner).post(url, data).status_code == 302
    stale = web_client(cast.member).post(url, {**data, "subject": "Other"})
    assert "changed by someone else" in stale.content.decode()
    activity.refresh_from_db()
    assert activity.subject == "Renamed"
    assert set(activity.participants.all()) == {cast.owner, cast.member}


def test_readers_cannot_edit_and_outsiders_cannot_see(cast: Cast) -> None:
    activity = log(cast)
    assert web_client(cast.reviewer).get(f"/activities/{activity.pk}/").status_code == 200
    assert web_client(cast.reviewer).get(f"/activities/{activity.pk}/edit/").status_code == 403
    assert web_client(cast.outsider).get(f"/activities/{activity.pk}/").status_code == 404
    html = web_client(cast.reviewer).get(f"/activities/{activity.pk}/").content.decode()
    assert f"/activities/{activity.pk}/edit/" not in html


def test_history_tab_shows_the_change(cast: Cast) -> None:
    activity = log(cast)
    services.activity_update(
        actor=cast.owner, activity=activity, expected_version=1, subject="Annual review"
    )
    html = web_client(cast.owner).get(f"/activities/{activity.pk}/?tab=history").content.decode()
    assert "Quarterly check-in" in html
    assert "Annual review" in html


def test_list_filters_by_text_kind_person_relationship_and_dates(cast: Cast) -> None:
    log(cast, subject="Alpha call", kind="call", occurred_on=TODAY - dt.timedelta(days=40))
    log(cast, subject="Bravo review", kind="business_review")
    log(cast, cast.rel_b, subject="Charlie meeting")
    services.activity_log(
        actor=cast.member,
        relationship=cast.rel_a,
        subject="Delta note",
        kind="note",
        occurred_on=TODAY,
    )
    client = web_client(cast.admin)
    subjects = ("Alpha call", "Bravo review", "Charlie meeting", "Delta note")

    def shown(**params: Any) -> set[str]:
        html = client.get("/activities/", params).content.decode()
        return {s for s in subjects if f">{s}</a>" in html}

    assert shown() == set(subjects)
    assert shown(q="bravo") == {"Bravo review"}
    assert shown(kind="call") == {"Alpha call"}
    assert shown(logged_by=cast.member.pk) == {"Delta note"}
    assert shown(relationship=cast.rel_b.pk) == {"Charlie meeting"}
    assert shown(since=(TODAY - dt.timedelta(days=10)).isoformat(), relationship=cast.rel_a.pk) == {
        "Bravo review",
        "Delta note",
    }
    assert shown(until=(TODAY - dt.timedelta(days=30)).isoformat()) == {"Alpha call"}
    # what the owner may see excludes B's relationship
    owner_html = web_client(cast.owner).get("/activities/").content.decode()
    assert "Charlie meeting" not in owner_html


def test_list_refuses_a_bad_date_filter_and_names_it(cast: Cast) -> None:
    log(cast)
    html = web_client(cast.owner).get("/activities/", {"since": "last week"}).content.decode()
    assert "since" in html
    assert "Quarterly check-in" not in html


def test_empty_list_explains_itself(cast: Cast) -> None:
    assert "No activities to show." in web_client(cast.owner).get("/activities/").content.decode()


def test_export_follows_filters_and_policy(cast: Cast) -> None:
    log(cast, subject="@SUM(A1)", participants=[cast.member])
    log(cast, cast.rel_b, subject="Borealis only")
    csv = b"".join(
        web_client(cast.owner).get("/activities/", {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "'@SUM(A1)" in csv
    assert cast.member.get_full_name() in csv
    assert "Borealis only" not in csv


def test_list_issues_a_constant_number_of_queries(cast: Cast) -> None:
    client = web_client(cast.owner)
    log(cast, participants=[cast.member], contacts=[cast.contact_a_shared])
    client.get("/activities/")  # warm up

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/activities/").status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        contact = ContactFactory(organization=cast.org_a)
        log(cast, subject=f"Call {n}", participants=[cast.owner], contacts=[contact])
    assert count() == few


def test_activities_tab_renders_from_one_selector_call(cast: Cast) -> None:
    log(cast, subject="On A", follow_up_on=TODAY + dt.timedelta(days=3))
    log(cast, cast.rel_b, subject="On B")
    for role, may_log in (("owner", True), ("reviewer", False)):
        context = selectors.activities_for(user=cast.user(role), relationship=cast.rel_a)
        html = render_to_string("reviews/_activities_tab.html", context)
        assert "On A" in html
        assert "On B" not in html
        assert (f"/relationships/{cast.rel_a.pk}/activities/new/" in html) is may_log


def test_follow_ups_are_due_for_who_logged_them(cast: Cast) -> None:
    log(cast, subject="Capacity review", follow_up_on=TODAY + dt.timedelta(days=5))
    due = due_items(cast.owner, today=TODAY, until=TODAY + dt.timedelta(days=7))
    assert any("Capacity review" in item.title for item in due)
    assert not due_items(cast.member, today=TODAY, until=TODAY + dt.timedelta(days=7))


def test_activities_are_in_the_menu() -> None:
    assert "reviews:activity-list" in {entry.url_name for entry in navigation()}
