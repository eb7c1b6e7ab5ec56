"""The /api/v1/ endpoints of plans: initiatives on a relationship and their milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.plans import services
from steward.plans.models import Initiative, Milestone

pytestmark = pytest.mark.django_db

INITIATIVES = "/api/v1/initiatives/"
MILESTONES = "/api/v1/milestones/"


@pytest.fixture
def initiative(cast: Cast) -> Initiative:
    return services.initiative_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Consolidate alloy suppliers",
        kind="cost_down",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
    )


def test_an_initiative_is_started_changed_archived_and_restored(cast: Cast) -> None:
    api = api_client(cast.member)

    # given an initiative started on A's relationship by a member of its team
    created = api.post(
        INITIATIVES,
        {
            "relationship": cast.rel_a.pk,
            "title": "Joint cost-down",
            "kind": "cost_down",
            "owner": cast.owner.pk,
            "starts_on": "2026-02-01",
            "ends_on": "2026-12-31",
            "budget": "25000.00",
            "expected_value": "120000",
            "currency": "EUR",
        },
        format="json",
    )

    # then it is planned, led by the owner named, and carries its version as ETag
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "planned"
    assert body["owner"] == cast.owner.pk
    assert body["organization_name"] == cast.org_a.display_name
    assert body["expected_value"] == "120000.00"
    assert created.headers["ETag"] == '"1"'
    url = f"{INITIATIVES}{body['id']}/"

    # when its status and delivered value change with the version read
    patched = api.patch(
        url, {"status": "in_progress", "delivered_value": "5000", "version": 1}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["status"] == "in_progress"

    # deleting archives it: out of the list, restorable, every change in the history
    assert api.delete(url).status_code == 204
    assert body["id"] not in result_ids(api.get(INITIATIVES))
    assert api.post(f"{url}restore/", {}, format="json").status_code == 200
    kinds = [entry["kind"] for entry in api.get(f"{url}history/").json()["results"]]
    assert kinds == ["restored", "archived", "changed", "created"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, ("ends_on", "invalid")),
        ({"budget": "-1"}, ("budget", "min_value")),
        ({"kind": "world_domination"}, ("kind", "invalid_choice")),
        ({"currency": "eu1"}, ("currency", "invalid")),
        ({"title": ""}, ("title", "blank")),
    ],
)
def test_a_bad_initiative_is_refused_on_the_field_and_nothing_is_written(
    cast: Cast, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    data = {"relationship": cast.rel_a.pk, "title": "Plan", "kind": "other", **body}

    response = api_client(cast.owner).post(INITIATIVES, data, format="json")

    assert response.status_code == 400
    assert api_errors(response) == [expected]
    assert not Initiative.objects.exists()


def test_an_initiative_update_names_the_version_it_read(cast: Cast, initiative: Initiative) -> None:
    api = api_client(cast.owner)
    url = f"{INITIATIVES}{initiative.pk}/"

    assert api.patch(url, {"title": "Renamed"}, format="json").status_code == 428
    stale = api.patch(url, {"title": "Renamed", "version": 7}, format="json")
    assert stale.status_code == 409
    backwards = api.patch(url, {"ends_on": "2025-01-01", "version": 1}, format="json")
    assert api_errors(backwards) == [("ends_on", "invalid")]
    initiative.refresh_from_db()
    assert (initiative.title, initiative.ends_on, initiative.version) == (
        "Consolidate alloy suppliers",
        dt.date(2026, 6, 30),
        1,
    )


def test_the_initiative_list_filters_by_relationship_status_and_dates(
    cast: Cast, initiative: Initiative
) -> None:
    other = services.initiative_create(
        actor=cast.outsider, relationship=cast.rel_b, title="Tender", kind="sourcing"
    )
    admin = api_client(cast.admin)

    assert result_ids(admin.get(INITIATIVES, {"relationship": cast.rel_a.pk})) == [initiative.pk]
    assert result_ids(admin.get(INITIATIVES, {"kind": "sourcing"})) == [other.pk]
    assert result_ids(admin.get(INITIATIVES, {"starts_after": "2026-03-01"})) == [initiative.pk]
    assert result_ids(admin.get(INITIATIVES, {"q": "alloy"})) == [initiative.pk]
    assert admin.get(INITIATIVES, {"status": "dreaming"}).status_code == 400


def test_milestones_are_planned_and_done(cast: Cast, initiative: Initiative) -> None:
    api = api_client(cast.owner)

    created = api.post(
        MILESTONES,
        {
            "initiative": initiative.pk,
            "title": "Shortlist",
            "due_on": "2026-03-01",
            "owner": cast.member.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "open"
    url = f"{MILESTONES}{created.json()['id']}/"

    # marking it done dates its completion today
    done = api.patch(url, {"status": "done", "version": 1}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["completed_on"] == timezone.localdate().isoformat()
    assert result_ids(api.get(MILESTONES, {"initiative": initiative.pk, "status": "done"})) == [
        created.json()["id"]
    ]

    # a finished initiative takes no new milestones
    services.initiative_update(
        actor=cast.owner, initiative=initiative, expected_version=1, status="done"
    )
    refused = api.post(
        MILESTONES,
        {"initiative": initiative.pk, "title": "Late idea", "due_on": "2026-04-01"},
        format="json",
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("initiative", "invalid")]
    assert Milestone.objects.count() == 1


def test_people_without_access_to_the_relationship_neither_see_nor_change_its_plans(
    cast: Cast, initiative: Initiative
) -> None:
    milestone = services.milestone_add(
        actor=cast.owner, initiative=initiative, title="Kick-off", due_on=dt.date(2026, 1, 15)
    )
    outsider = api_client(cast.outsider)

    assert outsider.get(f"{INITIATIVES}{initiative.pk}/").status_code == 404
    assert outsider.get(f"{MILESTONES}{milestone.pk}/").status_code == 404
    assert initiative.pk not in result_ids(outsider.get(INITIATIVES))
    assert milestone.pk not in result_ids(outsider.get(MILESTONES))
    hidden = outsider.post(
        INITIATIVES,
        {"relationship": cast.rel_a.pk, "title": "Sneaky", "kind": "other"},
        format="json",
    )
    assert api_errors(hidden) == [("relationship", "does_not_exist")]
    assert (
        outsider.patch(
            f"{INITIATIVES}{initiative.pk}/", {"title": "x", "version": 1}, format="json"
        ).status_code
        == 404
    )

    # the reviewer reads them but may not change or add to them
    reviewer = api_client(cast.reviewer)
    assert reviewer.get(f"{MILESTONES}{milestone.pk}/").status_code == 200
    assert (
        reviewer.patch(
            f"{MILESTONES}{milestone.pk}/", {"title": "x", "version": 1}, format="json"
        ).status_code
        == 403
    )
    assert (
        reviewer.post(
            MILESTONES,
            {"initiative": initiative.pk, "title": "x", "due_on": "2026-02-01"},
            format="json",
        ).status_code
        == 403
    )
    assert Initiative.objects.count() == 1
    assert Milestone.objects.get().title == "Kick-off"
