"""The visits API: the brief as JSON, a note recorded in one request, refusals naming the field
and writing nothing, and what each person may see."""

from __future__ import annotations

from typing import Any

import pytest

from steward.accountplans.choices import Sentiment
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.reviews.choices import ActionStatus
from steward.reviews.models import ActionItem
from steward.visits.models import Visit
from steward.visits.tests.factories import VisitWorld, days, note

pytestmark = pytest.mark.django_db


def _body(vw: VisitWorld, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "relationship": vw.account.pk,
        "visited_on": days(-1).isoformat(),
        "summary": "Walked the smelter",
        "location": vw.cell_smelter.site_id,
        "attendees": [{"contact": vw.sponsor.pk, "sentiment": Sentiment.CHAMPION}],
        "new_actions": [{"title": "Quote the trial", "due_on": days(10).isoformat()}],
        "done_actions": [vw.ours.pk],
    }
    body.update(extra)
    return body


def test_recording_a_note(cast: Cast, vw: VisitWorld) -> None:
    response = api_client(cast.owner).post("/api/v1/visits/", _body(vw), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["attendees"] == [vw.sponsor.pk]
    assert (data["kind"], data["face_to_face"], data["plan"]) == ("site_visit", True, vw.plan.pk)
    assert [c["kind"] for c in data["changes"]] == [
        "last_met",
        "sentiment",
        "action_added",
        "action_done",
    ]
    vw.sponsor_stakeholder.refresh_from_db()
    assert vw.sponsor_stakeholder.sentiment == Sentiment.CHAMPION
    assert ActionItem.objects.get(pk=vw.ours.pk).status == ActionStatus.DONE


@pytest.mark.parametrize(
    ("extra", "attr", "code"),
    [
        ({"visited_on": days(3).isoformat()}, "visited_on", "future"),
        (
            {"new_actions": [{"title": "Early", "due_on": days(-9).isoformat()}]},
            "new_actions",
            "before_visit",
        ),
        ({"attendees": [{"contact": 0}]}, "attendees", "does_not_exist"),
        ({"attendees": [{"contact": 1, "sentiment": "ecstatic"}]}, "attendees", "invalid_choice"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    cast: Cast, vw: VisitWorld, extra: dict[str, Any], attr: str, code: str
) -> None:
    response = api_client(cast.owner).post("/api/v1/visits/", _body(vw, **extra), format="json")
    assert response.status_code == 400, response.content
    assert (attr, code) in api_errors(response)
    assert not Visit.objects.exists()
    assert ActionItem.objects.get(pk=vw.ours.pk).status == ActionStatus.OPEN


def test_an_attendee_of_another_account(cast: Cast, vw: VisitWorld) -> None:
    body = _body(vw, attendees=[{"contact": cast.contact_b.pk}])
    response = api_client(cast.owner).post("/api/v1/visits/", body, format="json")
    assert response.status_code == 400
    assert ("attendees", "not_in_account") in api_errors(response)


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("reviewer", 403)])
def test_readers_may_not_record(cast: Cast, vw: VisitWorld, role: str, status: int) -> None:
    response = api_client(cast.user(role)).post("/api/v1/visits/", _body(vw), format="json")
    assert response.status_code == status
    assert not Visit.objects.exists()


def test_a_peer_cannot_record_on_anothers_account(cast: Cast, vw: VisitWorld) -> None:
    response = api_client(cast.outsider).post("/api/v1/visits/", _body(vw), format="json")
    assert response.status_code == 400  # the account is not one they may name
    assert ("relationship", "does_not_exist") in api_errors(response)
    assert not Visit.objects.exists()


def test_list_and_retrieve_follow_the_account(cast: Cast, vw: VisitWorld) -> None:
    visit = note(cast.owner, vw)
    for role in ("owner", "member", "reviewer", "manager", "director", "auditor"):
        api = api_client(cast.user(role))
        assert result_ids(api.get("/api/v1/visits/")) == [visit.pk], role
        assert api.get(f"/api/v1/visits/{visit.pk}/").status_code == 200
    peer = api_client(cast.outsider)
    assert result_ids(peer.get("/api/v1/visits/")) == []
    assert peer.get(f"/api/v1/visits/{visit.pk}/").status_code == 404


def test_the_brief_as_json(cast: Cast, vw: VisitWorld) -> None:
    response = api_client(cast.manager).get(f"/api/v1/accounts/{vw.account.pk}/brief/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["plan"] == vw.plan.pk
    assert data["location"] is None
    assert [o["title"] for o in data["objectives"]] == ["Cut stoppages"]
    assert [s["contact_id"] for s in data["stakeholders"]] == [vw.smelter_person.pk, vw.sponsor.pk]
    assert data["stakeholders"][0]["days_since_met"] is None
    site = vw.cell_smelter.site_id
    narrowed = api_client(cast.owner).get(
        f"/api/v1/accounts/{vw.account.pk}/brief/?location={site}"
    )
    assert narrowed.json()["location"] == site
    assert [c["id"] for c in narrowed.json()["whitespace"]] == [vw.cell_smelter.pk]


@pytest.mark.parametrize("role", ["outsider", "portal_a"])
def test_the_brief_is_hidden_from_a_peer_and_the_portal(
    cast: Cast, vw: VisitWorld, role: str
) -> None:
    response = api_client(cast.user(role)).get(f"/api/v1/accounts/{vw.account.pk}/brief/")
    assert response.status_code in (403, 404)
    if role == "outsider":
        assert response.status_code == 404
