"""The quotas API: records, the complete action, imports and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.quotas.models import Quota
from steward.quotas.tests.factories import QuotaFactory, RevenueFactory, TrainingFactory, won

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def _quota_body(person: Any, **more: Any) -> dict[str, Any]:
    return {
        "person": person.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-31",
        "currency": "EUR",
        "sales_target": "90000.00",
        "margin_target": "30000.00",
        **more,
    }


def test_a_manager_sets_and_changes_a_quota(cast: Cast) -> None:
    client = api_client(cast.manager)
    created = client.post(f"{API}quotas/", _quota_body(cast.owner), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    overlap = client.post(
        f"{API}quotas/", _quota_body(cast.owner, starts_on="2026-02-01"), format="json"
    )
    assert overlap.status_code == 400
    assert ("starts_on", "overlap") in api_errors(overlap)
    changed = client.patch(
        f"{API}quotas/{pk}/", {"sales_target": "1.00", "version": 1}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    stale = client.patch(f"{API}quotas/{pk}/", {"notes": "x", "version": 1}, format="json")
    assert stale.status_code == 409


def test_the_person_reads_but_does_not_set_a_peer_sees_nothing(cast: Cast) -> None:
    quota = QuotaFactory(person=cast.owner)
    own = api_client(cast.owner)
    assert result_ids(own.get(f"{API}quotas/")) == [quota.pk]
    assert (
        own.post(
            f"{API}quotas/",
            _quota_body(cast.owner, starts_on="2027-01-01", ends_on="2027-03-31"),
            format="json",
        ).status_code
        == 403
    )
    assert (
        own.patch(
            f"{API}quotas/{quota.pk}/", {"notes": "x", "version": 1}, format="json"
        ).status_code
        == 403
    )
    peer = api_client(cast.outsider)
    assert result_ids(peer.get(f"{API}quotas/")) == []
    assert peer.get(f"{API}quotas/{quota.pk}/").status_code == 404
    assert api_client(cast.portal_a).get(f"{API}quotas/").status_code == 403


def test_quota_import(cast: Cast) -> None:
    text = (
        "username,start,end,currency,sales_target,gross_profit_target\n"
        "owner,2026-01-01,2026-03-31,EUR,9,3\n"
    )
    upload = SimpleUploadedFile("q.csv", text.encode(), content_type="text/csv")
    response = api_client(cast.manager).post(
        f"{API}quotas/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 1}
    bad = SimpleUploadedFile("q.csv", text.replace(",9,", ",x,").encode(), content_type="text/csv")
    refused = api_client(cast.director).post(
        f"{API}quotas/import/", {"file": bad}, format="multipart"
    )
    assert refused.status_code == 400
    assert ("file", "import_refused") in api_errors(refused)
    assert Quota.objects.count() == 1


def test_training_complete_action(cast: Cast) -> None:
    objective = TrainingFactory(person=cast.owner, due_on=timezone.localdate())
    response = api_client(cast.owner).post(
        f"{API}training-objectives/{objective.pk}/complete/", {"evidence": "CERT"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["completed_in_time"] is True
    peer = api_client(cast.outsider).post(
        f"{API}training-objectives/{objective.pk}/complete/", {}, format="json"
    )
    assert peer.status_code == 404


def test_attainment_for_a_person_and_a_team(cast: Cast, world: DemandWorld) -> None:
    today = timezone.localdate()
    QuotaFactory(
        person=cast.owner,
        starts_on=today.replace(day=1),
        ends_on=today.replace(day=1) + dt.timedelta(days=89),
    )
    won(relationship=world.account_a, owner=cast.owner, amount="1000", cost="400", closed_on=today)
    mine = api_client(cast.owner).get(f"{API}attainment/")
    assert mine.status_code == 200, mine.content
    assert Decimal(mine.json()["rows"][0]["bookings"]["achieved"]) == Decimal(1000)
    team = api_client(cast.manager).get(f"{API}attainment/", {"team": "true"})
    assert Decimal(team.json()["total"]["gross_profit"]["achieved"]) == Decimal(600)
    assert (
        api_client(cast.outsider).get(f"{API}attainment/", {"person": cast.owner.pk}).status_code
        == 404
    )
    assert (
        api_client(cast.manager).get(f"{API}attainment/", {"person": cast.owner.pk}).status_code
        == 200
    )


def test_profitability_and_retention(cast: Cast, world: DemandWorld) -> None:
    month = timezone.localdate().replace(day=1)
    last_month = (month - dt.timedelta(days=1)).replace(day=1)
    RevenueFactory(
        relationship=world.account_a, month=last_month, revenue=Decimal(1000), cost=Decimal(700)
    )
    response = api_client(cast.manager).get(f"{API}accounts/{world.account_a.pk}/profitability/")
    assert response.status_code == 200, response.content
    assert response.json()["gross_margin"] == "300.00"
    assert (
        api_client(cast.outsider)
        .get(f"{API}accounts/{world.account_a.pk}/profitability/")
        .status_code
        == 404
    )
    bad = api_client(cast.owner).get(
        f"{API}accounts/{world.account_a.pk}/profitability/",
        {"first": "2026-05-01", "last": "2026-01-01"},
    )
    assert bad.status_code == 400
    ancient = api_client(cast.owner).get(f"{API}retention/", {"first": "0155-09-04"})
    assert ancient.status_code == 400
    assert ("first", "out_of_range") in api_errors(ancient)
    retention = api_client(cast.owner).get(f"{API}retention/")
    assert retention.status_code == 200
    assert retention.json()["accounts"] == 0


def test_accountability(cast: Cast) -> None:
    response = api_client(cast.manager).get(f"{API}accountability/")
    assert response.status_code == 200, response.content
    people = {row["person"] for row in response.json()["rows"]}
    assert people == {cast.manager.pk, cast.owner.pk}
    assert {m["key"] for m in response.json()["measures"]} >= {"quota_bookings", "training"}
