"""The /api/v1/activities/ endpoints: meetings, calls and visits logged on a relationship."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.reviews import services
from steward.reviews.models import Activity

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/activities/"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def meeting(cast: Cast) -> Activity:
    return services.activity_log(
        actor=cast.owner,
        relationship=cast.rel_a,
        subject="Quarterly review",
        occurred_on=days_ago(3),
        kind="business_review",
    )


def test_an_activity_is_logged_changed_archived_and_restored(cast: Cast) -> None:
    api = api_client(cast.owner)

    # given a meeting logged with our people and the vendor's contact
    created = api.post(
        ACTIVITIES,
        {
            "relationship": cast.rel_a.pk,
            "subject": "Plant visit",
            "kind": "site_visit",
            "occurred_on": days_ago(1).isoformat(),
            "summary": "Walked the new line.",
            "participants": [cast.owner.pk, cast.member.pk],
            "contacts": [cast.contact_a_shared.pk],
            "follow_up_on": (days_ago(1) + dt.timedelta(days=30)).isoformat(),
        },
        format="json",
    )

    # then it is logged by whoever sent it, with its people
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["logged_by"] == cast.owner.pk
    assert sorted(body["participants"]) == sorted([cast.owner.pk, cast.member.pk])
    assert body["contacts"] == [cast.contact_a_shared.pk]
    url = f"{ACTIVITIES}{body['id']}/"

    # when it is changed with the version read
    patched = api.patch(url, {"summary": "Line ready in May.", "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["summary"] == "Line ready in May."

    # deleting archives it; it can be restored and its history kept
    assert api.delete(url).status_code == 204
    assert body["id"] not in result_ids(api.get(ACTIVITIES))
    assert api.post(f"{url}restore/", {}, format="json").status_code == 200
    assert api.get(f"{url}history/").json()["count"] == 4


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"occurred_on": "2999-01-01"}, ("occurred_on", "invalid")),
        ({"follow_up_on": "2000-01-01"}, ("follow_up_on", "invalid")),
        ({"contacts": ["B"]}, ("contacts", "invalid")),  # works for another organization
        ({"kind": "seance"}, ("kind", "invalid_choice")),
        ({"subject": ""}, ("subject", "blank")),
        ({"participants": [10**9]}, ("participants", "does_not_exist")),
    ],
)
def test_a_bad_activity_is_refused_on_the_field_and_nothing_is_written(
    cast: Cast, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    if body.get("contacts") == ["B"]:
        body = {"contacts": [cast.contact_b.pk]}
    data = {
        "relationship": cast.rel_a.pk,
        "subject": "Call",
        "occurred_on": days_ago(2).isoformat(),
        **body,
    }

    response = api_client(cast.admin).post(ACTIVITIES, data, format="json")

    assert response.status_code == 400
    assert api_errors(response) == [expected]
    assert not Activity.objects.exists()


def test_an_activity_update_names_the_version_it_read(cast: Cast, meeting: Activity) -> None:
    api = api_client(cast.owner)
    url = f"{ACTIVITIES}{meeting.pk}/"

    assert api.patch(url, {"subject": "x"}, format="json").status_code == 428
    assert api.patch(url, {"subject": "x", "version": 3}, format="json").status_code == 409
    future = api.patch(url, {"occurred_on": "2999-01-01", "version": 1}, format="json")
    assert api_errors(future) == [("occurred_on", "invalid")]
    meeting.refresh_from_db()
    assert (meeting.subject, meeting.version) == ("Quarterly review", 1)


def test_the_activity_list_filters_by_relationship_kind_and_dates(
    cast: Cast, meeting: Activity
) -> None:
    call = services.activity_log(
        actor=cast.outsider,
        relationship=cast.rel_b,
        subject="Rate call",
        occurred_on=days_ago(40),
        kind="call",
    )
    admin = api_client(cast.admin)

    assert result_ids(admin.get(ACTIVITIES, {"relationship": cast.rel_a.pk})) == [meeting.pk]
    assert result_ids(admin.get(ACTIVITIES, {"kind": "call"})) == [call.pk]
    assert result_ids(admin.get(ACTIVITIES, {"since": days_ago(10).isoformat()})) == [meeting.pk]
    assert result_ids(admin.get(ACTIVITIES, {"logged_by": cast.outsider.pk})) == [call.pk]
    assert admin.get(ACTIVITIES, {"since": "someday"}).status_code == 400


def test_people_without_access_to_the_relationship_neither_see_nor_log_on_it(
    cast: Cast, meeting: Activity
) -> None:
    outsider = api_client(cast.outsider)

    assert outsider.get(f"{ACTIVITIES}{meeting.pk}/").status_code == 404
    assert meeting.pk not in result_ids(outsider.get(ACTIVITIES))
    hidden = outsider.post(
        ACTIVITIES,
        {"relationship": cast.rel_a.pk, "subject": "x", "occurred_on": days_ago(1).isoformat()},
        format="json",
    )
    assert api_errors(hidden) == [("relationship", "does_not_exist")]

    # the reviewer and the manager read it; neither may change it
    for reader in (cast.reviewer, cast.manager):
        api = api_client(reader)
        assert api.get(f"{ACTIVITIES}{meeting.pk}/").status_code == 200
        refused = api.patch(
            f"{ACTIVITIES}{meeting.pk}/", {"subject": "x", "version": 1}, format="json"
        )
        assert refused.status_code == 403
    assert api_client(cast.portal_a).get(f"{ACTIVITIES}{meeting.pk}/").status_code == 404
    assert Activity.objects.get().subject == "Quarterly review"
