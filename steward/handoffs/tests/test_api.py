"""The handoffs API: a handoff prepared, handed over, accepted by its receiver only, its items
closed and the handoff completed; refusals name the field and write nothing."""

from __future__ import annotations

from typing import Any

import pytest

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.core.testing import api_client, api_errors, result_ids
from steward.handoffs.choices import HandoffStatus
from steward.handoffs.models import Handoff, HandoffItem
from steward.handoffs.tests.factories import bd_user, days, draft, handed_over
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    return demand_accounts(cast)


@pytest.fixture
def bd(cast: Cast) -> Any:
    return bd_user()


def test_the_whole_flow_through_the_api(cast: Cast, world: DemandWorld, bd: Any) -> None:
    api = api_client(bd)
    made = api.post(
        "/api/v1/handoffs/",
        {"relationship": world.account_a.pk, "first_review_on": days(30).isoformat()},
        format="json",
    )
    assert made.status_code == 201, made.content
    handoff = made.json()
    assert (handoff["status"], handoff["receiver"]) == ("draft", cast.owner.pk)
    item = api.post(
        "/api/v1/handoff-items/",
        {
            "handoff": handoff["id"],
            "kind": "commitment",
            "title": "Free training for ten users",
            "owner": cast.owner.pk,
            "contact": cast.contact_a_private.pk,
            "due_on": days(14).isoformat(),
        },
        format="json",
    )
    assert item.status_code == 201, item.content
    submitted = api.post(f"/api/v1/handoffs/{handoff['id']}/submit/")
    assert submitted.json()["status"] == "handed_over"
    # An administrator cannot accept on the receiver's behalf.
    refused = api_client(cast.admin).post(f"/api/v1/handoffs/{handoff['id']}/accept/", {})
    assert refused.status_code == 403
    accepted = api_client(cast.owner).post(
        f"/api/v1/handoffs/{handoff['id']}/accept/", {"note": "Thanks"}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["acceptance_note"] == "Thanks"
    owner_api = api_client(cast.owner)
    early = owner_api.post(f"/api/v1/handoffs/{handoff['id']}/complete/")
    assert early.status_code == 400
    assert api_errors(early) == [("non_field_errors", "open_items")]
    assert "Free training for ten users" in early.json()["errors"][0]["detail"]
    closed = owner_api.post(
        f"/api/v1/handoff-items/{item.json()['id']}/close/", {"note": "Booked"}, format="json"
    )
    assert closed.json()["is_open"] is False
    done = owner_api.post(f"/api/v1/handoffs/{handoff['id']}/complete/")
    assert done.json()["status"] == "completed"
    assert [step["to_status"] for step in done.json()["timeline"]] == [
        "draft",
        "handed_over",
        "accepted",
        "completed",
    ]


def test_send_back_and_cancel_need_a_reason(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = handed_over(cast, world, bd)
    answer = api_client(cast.owner).post(
        f"/api/v1/handoffs/{handoff.pk}/send-back/", {}, format="json"
    )
    assert api_errors(answer) == [("reason", "required")]
    answer = api_client(cast.owner).post(
        f"/api/v1/handoffs/{handoff.pk}/send-back/", {"reason": "Risks missing"}, format="json"
    )
    assert answer.json()["status"] == "draft"
    cancelled = api_client(bd).post(
        f"/api/v1/handoffs/{handoff.pk}/cancel/", {"reason": "Lost"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    again = api_client(bd).post(
        f"/api/v1/handoffs/{handoff.pk}/cancel/", {"reason": "Lost"}, format="json"
    )
    assert api_errors(again) == [("status", "invalid_transition")]


def test_refusals_name_the_field_and_write_nothing(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = draft(cast, world, bd)
    api = api_client(bd)
    bad = api.patch(
        f"/api/v1/handoffs/{handoff.pk}/",
        {"version": 1, "receiver": cast.reviewer.pk},
        format="json",
    )
    assert api_errors(bad) == [("receiver", "not_on_account")]
    stale = api.patch(
        f"/api/v1/handoffs/{handoff.pk}/", {"version": 7, "summary": "x"}, format="json"
    )
    assert stale.status_code == 409
    risk = api.post(
        "/api/v1/handoff-items/",
        {"handoff": handoff.pk, "kind": "risk", "title": "Slip", "owner": bd.pk, "severity": 4},
        format="json",
    )
    assert api_errors(risk) == [("mitigation", "required")]
    assert not HandoffItem.objects.exists()
    handoff.refresh_from_db()
    assert (handoff.version, handoff.receiver) == (1, cast.owner)


def test_lists_filter_and_hide_what_the_user_may_not_see(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    late = handed_over(cast, world, bd)
    other = Handoff.objects.create(
        relationship=world.account_b, handed_over_by=cast.outsider, receiver=cast.outsider
    )
    assert result_ids(api_client(cast.manager).get("/api/v1/handoffs/")) == [late.pk]
    assert result_ids(api_client(cast.outsider).get("/api/v1/handoffs/")) == [other.pk]
    admin = api_client(cast.admin)
    assert result_ids(admin.get("/api/v1/handoffs/?overdue=true")) == [late.pk]
    assert result_ids(admin.get("/api/v1/handoffs/?overdue=false")) == [other.pk]
    assert result_ids(admin.get(f"/api/v1/handoffs/?receiver={cast.owner.pk}")) == [late.pk]
    assert result_ids(admin.get(f"/api/v1/handoffs/?account={world.account_b.pk}")) == [other.pk]
    assert result_ids(admin.get("/api/v1/handoffs/?status=handed_over")) == [late.pk]
    rows = api_client(cast.member).get(f"/api/v1/handoff-items/?handoff={late.pk}&open=true")
    assert len(result_ids(rows)) == 2
    assert api_client(cast.outsider).get(f"/api/v1/handoffs/{late.pk}/").status_code == 404
    assert api_client(cast.portal_a).get("/api/v1/handoffs/").json()["count"] == 0
    assert late.status == HandoffStatus.HANDED_OVER


def test_the_schema_lets_the_first_step_have_no_status_before(cast: Cast) -> None:
    schema = api_client(cast.admin).get("/api/schema/", {"format": "json"}).json()
    step = schema["components"]["schemas"]["HandoffTransition"]["properties"]["from_status"]
    assert step["type"] == "string"
    assert "enum" not in step
    assert "$ref" not in step
    assert "allOf" not in step
