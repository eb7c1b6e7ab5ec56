"""An activity says whether we met the counterparty's people in person (the meeting cadence of
key accounts counts those): set when logged, changed later, filtered on, kept in the history."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.testing import api_client, result_ids, web_client
from steward.parties.tests.cast import Cast
from steward.reviews import services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_face_to_face_is_logged_changed_and_kept_in_the_history(cast: Cast) -> None:
    visit = services.activity_log(
        actor=cast.owner, relationship=cast.rel_a, subject="Plant visit", occurred_on=DAY,
        face_to_face=True,
    )  # fmt: skip
    call = services.activity_log(
        actor=cast.owner, relationship=cast.rel_a, subject="Call", occurred_on=DAY
    )
    assert (visit.face_to_face, call.face_to_face) == (True, False)
    changed = services.activity_update(
        actor=cast.owner, activity=call, expected_version=1, face_to_face=True
    )
    assert changed.face_to_face is True
    assert [h.face_to_face for h in changed.history.order_by("history_id")] == [False, True]


def test_the_api_and_the_list_filter_on_it(cast: Cast) -> None:
    client = api_client(cast.owner)
    made = client.post(
        "/api/v1/activities/",
        {
            "relationship": cast.rel_a.pk,
            "subject": "Site walk",
            "occurred_on": DAY.isoformat(),
            "face_to_face": True,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["face_to_face"] is True
    other = services.activity_log(
        actor=cast.owner, relationship=cast.rel_a, subject="Mail", occurred_on=DAY
    )
    met = client.get("/api/v1/activities/", {"face_to_face": "true"})
    assert result_ids(met) == [made.json()["id"]]
    assert other.pk in result_ids(client.get("/api/v1/activities/", {"face_to_face": "false"}))
    page = web_client(cast.owner).get("/activities/", {"face_to_face": "true"}).content.decode()
    assert "Site walk" in page
    assert "Mail" not in page.split("<tbody>", 1)[-1]
