"""API: responses (and their import), survey requests without tokens, the standard, an
account's satisfaction."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.satisfaction.models import SatisfactionResponse, SurveyRequest
from steward.satisfaction.tests.factories import response

pytestmark = pytest.mark.django_db


def test_create_list_update_archive(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    day = timezone.localdate().isoformat()
    made = client.post(
        "/api/v1/satisfaction-responses/",
        {"relationship": world.account_a.pk, "kind": "nps", "score": 9, "answered_on": day},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    wrong = client.post(
        "/api/v1/satisfaction-responses/",
        {"relationship": world.account_a.pk, "kind": "csat", "score": 7, "answered_on": day},
        format="json",
    )
    assert wrong.status_code == 400
    assert api_errors(wrong)[0][0] == "score"
    assert result_ids(client.get("/api/v1/satisfaction-responses/", {"kind": "nps"})) == [pk]
    assert result_ids(api_client(cast.outsider).get("/api/v1/satisfaction-responses/")) == []
    changed = client.patch(
        f"/api/v1/satisfaction-responses/{pk}/", {"score": 10, "version": 1}, format="json"
    )
    assert changed.json()["score"] == 10
    assert client.delete(f"/api/v1/satisfaction-responses/{pk}/").status_code == 204
    assert SatisfactionResponse.objects.get().archived_at is not None


def test_import_endpoint(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    body = f"account,kind,score,answered_on\n{world.account_a.pk},csat,5,2026-01-02\n".encode()
    done = client.post(
        "/api/v1/satisfaction-responses/import/",
        {"file": SimpleUploadedFile("r.csv", body)},
        format="multipart",
    )
    assert done.json() == {"created": 1, "skipped": 0}
    again = client.post(
        "/api/v1/satisfaction-responses/import/",
        {"file": SimpleUploadedFile("r.csv", body)},
        format="multipart",
    )
    assert again.json() == {"created": 0, "skipped": 1}


def test_survey_request_create_never_shows_the_token(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    sent = client.post(
        "/api/v1/survey-requests/",
        {"relationship": world.account_a.pk, "contact": cast.contact_a_private.pk},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    request = SurveyRequest.objects.get()
    text = sent.content.decode()
    assert "token" not in text
    assert request.token_hash not in text
    assert sorted(sent.json()["kinds"]) == ["csat", "nps"]
    listed = client.get("/api/v1/survey-requests/").content.decode()
    assert request.token_hash not in listed


def test_standard_read_by_all_inside_changed_by_admin(cast: Cast) -> None:
    rows = api_client(cast.owner).get("/api/v1/satisfaction-standard/").json()["results"]
    assert rows[0]["nps_minimum"] == 30
    assert rows[0]["csat_minimum_pct"] == "80.00"
    pk = rows[0]["id"]
    refused = api_client(cast.owner).patch(
        f"/api/v1/satisfaction-standard/{pk}/", {"nps_minimum": 50, "version": 1}, format="json"
    )
    assert refused.status_code == 403
    done = api_client(cast.admin).patch(
        f"/api/v1/satisfaction-standard/{pk}/", {"nps_minimum": 50, "version": 1}, format="json"
    )
    assert done.json()["nps_minimum"] == 50


def test_account_satisfaction(cast: Cast, world: DemandWorld) -> None:
    for score in (10, 9, 3):
        response(world.account_a, "nps", score)
    answer = api_client(cast.manager).get(f"/api/v1/accounts/{world.account_a.pk}/satisfaction/")
    data = answer.json()
    assert data["nps"] == {"score": "33.3", "count": 3}
    assert data["csat"]["count"] == 0
    assert data["meets_standard"] is None
    assert [w["kind"] for w in data["warnings"]].count("detractor") == 1
    assert (
        api_client(cast.outsider)
        .get(f"/api/v1/accounts/{world.account_a.pk}/satisfaction/")
        .status_code
        == 404
    )
