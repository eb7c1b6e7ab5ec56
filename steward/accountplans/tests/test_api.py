"""The plans API: create, the one-active rule, rows, standing, errors in the one shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.accountplans.models import AccountPlan, PlanAction
from steward.accountplans.tests.factories import PlanFactory
from steward.accounts.tests.world import DemandWorld
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_create_plan_and_read_its_standing(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)

    created = client.post(
        "/api/v1/account-plans/",
        {"relationship": world.account_a.pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        format="json",
    )
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["map_visibility"] == "internal"

    standing = client.get(f"/api/v1/account-plans/{plan_id}/standing/")
    assert standing.status_code == 200
    body = standing.json()
    assert body["meets"] is False
    assert body["freshness_days"] is None
    # met: locations (no site has people or business) and complete objectives (none yet to be
    # incomplete); the other five not: 2 / 7 = 28.57… → 28.6
    assert body["score"] == "28.6"
    assert {c["key"] for c in body["checks"] if c["met"]} == {"locations", "objectives_complete"}

    again = client.post(
        "/api/v1/account-plans/",
        {"relationship": world.account_a.pk, "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
        format="json",
    )
    assert again.status_code == 400
    assert api_errors(again) == [("relationship", "duplicate")]
    assert AccountPlan.objects.count() == 1


def test_period_error_names_the_field(cast: Cast, world: DemandWorld) -> None:
    response = api_client(cast.owner).post(
        "/api/v1/account-plans/",
        {"relationship": world.account_a.pk, "starts_on": "2026-12-31", "ends_on": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert api_errors(response) == [("ends_on", "invalid")]


def test_peer_sees_no_plan_of_another_account_manager(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    theirs = PlanFactory(relationship=world.account_b)

    assert result_ids(api_client(cast.outsider).get("/api/v1/account-plans/")) == [theirs.pk]
    assert api_client(cast.outsider).get(f"/api/v1/account-plans/{plan.pk}/").status_code == 404
    assert sorted(result_ids(api_client(cast.manager).get("/api/v1/account-plans/"))) == [plan.pk]


def test_filters_meets_and_overdue(cast: Cast, world: DemandWorld) -> None:
    today = timezone.localdate()
    late = PlanFactory(relationship=world.account_a, next_review_on=today - dt.timedelta(days=1))
    client = api_client(cast.admin)

    assert result_ids(client.get("/api/v1/account-plans/", {"review_overdue": "true"})) == [late.pk]
    assert result_ids(client.get("/api/v1/account-plans/", {"meets": "false"})) == [late.pk]
    assert result_ids(client.get("/api/v1/account-plans/", {"meets": "true"})) == []


def test_new_action_through_the_api_and_its_error(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    client = api_client(cast.member)

    missing = client.post(
        "/api/v1/account-plan-actions/", {"plan": plan.pk, "side": "ours"}, format="json"
    )
    assert missing.status_code == 400
    assert api_errors(missing) == [("title", "required")]

    made = client.post(
        "/api/v1/account-plan-actions/",
        {
            "plan": plan.pk,
            "title": "Send the report",
            "due_on": "2026-06-01",
            "side": "theirs",
            "owner_contact": cast.contact_a_shared.pk,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["side"] == "theirs"
    assert PlanAction.objects.get().action_item.owner_contact == cast.contact_a_shared


def test_update_needs_the_version(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    client = api_client(cast.owner)

    assert (
        client.patch(f"/api/v1/account-plans/{plan.pk}/", {"goals": "x"}, format="json").status_code
        == 428
    )
    stale = client.patch(
        f"/api/v1/account-plans/{plan.pk}/", {"goals": "x", "version": 9}, format="json"
    )
    assert stale.status_code == 409


def test_close_then_edits_are_refused(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    client = api_client(cast.owner)

    closed = client.post(f"/api/v1/account-plans/{plan.pk}/close/", {}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"

    refused = client.post(
        "/api/v1/account-plan-objectives/", {"plan": plan.pk, "title": "Late"}, format="json"
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [(None, "closed")] or api_errors(refused)[0][1] == "closed"


def test_standard_is_read_by_inside_users_and_changed_by_admins(cast: Cast) -> None:
    rows = api_client(cast.outsider).get("/api/v1/account-plan-standard/").json()["results"]
    assert len(rows) == 1
    pk = rows[0]["id"]

    denied = api_client(cast.owner).patch(
        f"/api/v1/account-plan-standard/{pk}/", {"review_days": 30, "version": 1}, format="json"
    )
    assert denied.status_code == 403
    changed = api_client(cast.admin).patch(
        f"/api/v1/account-plan-standard/{pk}/", {"review_days": 30, "version": 1}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["review_days"] == 30
    assert api_client(cast.portal_a).get("/api/v1/account-plan-standard/").json()["results"] == []
