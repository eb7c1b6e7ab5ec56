"""The sourcing API: an event built, published and cancelled; its parts; invitations, questions
and answers, the log; errors that name the field; what portal users reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from steward.parties.tests.cast import Cast
from steward.sourcing import services
from steward.sourcing.choices import EventStatus, InvitationStatus
from steward.sourcing.models import (
    EvaluationCriterion,
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
    SourcingEventMember,
)
from steward.sourcing.tests.factories import (
    ClarificationFactory,
    EventFactory,
    InvitationFactory,
    OpenEventFactory,
    WeightedEventFactory,
    block_sourcing,
    drawing,
    prequalified_vendor,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def error_of(response: Any) -> tuple[str, str]:
    [error] = response.json()["errors"]
    return error["attr"], error["code"]


def test_an_event_is_built_published_and_cancelled(buyer: Any) -> None:
    api = client_for(buyer)
    category = CategoryFactory()
    closes = (timezone.now() + dt.timedelta(days=5)).isoformat()
    made = api.post(
        "/api/v1/sourcing-events/",
        {
            "kind": "rfq",
            "title": "Fasteners",
            "category": category.pk,
            "currency": "eur",
            "closes_at": closes,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    event_id = made.json()["id"]
    assert made.json()["reference"].startswith("RFQ-")
    assert made.json()["status"] == "draft"

    line = api.post(
        "/api/v1/sourcing-event-lines/",
        {"event": event_id, "description": "M8 bolts", "quantity": "5000", "unit": "pc"},
        format="json",
    )
    assert line.status_code == 201, line.content
    assert line.json()["number"] == 1

    refused = api.post(f"/api/v1/sourcing-events/{event_id}/publish/")
    assert refused.status_code == 400
    assert error_of(refused) == ("non_field_errors", "not_publishable")

    vendor = prequalified_vendor(category)
    invited = api.post(
        "/api/v1/sourcing-invitations/", {"event": event_id, "supplier": vendor.pk}, format="json"
    )
    assert invited.status_code == 201, invited.content
    assert invited.json()["visible_to_vendor"] is False

    published = api.post(f"/api/v1/sourcing-events/{event_id}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "open"
    assert EventInvitation.objects.get(pk=invited.json()["id"]).visible_to_vendor

    cancelled = api.post(
        f"/api/v1/sourcing-events/{event_id}/cancel/", {"reason": "Merged"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    log = api.get("/api/v1/sourcing-event-log/", {"event": event_id}).json()["results"]
    assert [row["action"] for row in log] == [
        "created",
        "changed",
        "invited",
        "published",
        "cancelled",
    ]


def test_updates_name_the_version_and_the_field_at_fault(buyer: Any) -> None:
    event: Any = OpenEventFactory(owner=buyer)
    api = client_for(buyer)
    url = f"/api/v1/sourcing-events/{event.pk}/"
    assert api.patch(url, {"description": "x"}, format="json").status_code == 428
    stale = api.patch(url, {"description": "x", "version": 7}, format="json")
    assert stale.status_code == 409
    frozen = api.patch(url, {"title": "Other", "version": event.version}, format="json")
    assert frozen.status_code == 400
    assert error_of(frozen) == ("title", "open")
    earlier = api.patch(
        url,
        {"closes_at": (event.closes_at - dt.timedelta(hours=1)).isoformat(), "version": 1},
        format="json",
    )
    assert error_of(earlier) == ("closes_at", "shortened")
    later = api.patch(
        url,
        {"closes_at": (event.closes_at + dt.timedelta(days=1)).isoformat(), "version": 1},
        format="json",
    )
    assert later.status_code == 200, later.content
    assert later["ETag"] == '"2"'


def test_parts_are_edited_while_draft_and_removed_by_archiving(buyer: Any) -> None:
    event = WeightedEventFactory(owner=buyer)
    api = client_for(buyer)
    first = api.post(
        "/api/v1/sourcing-criteria/",
        {"event": event.pk, "name": "Quality", "max_value": "0.2"},
        format="json",
    ).json()
    too_much = api.post(
        "/api/v1/sourcing-criteria/",
        {"event": event.pk, "name": "Service", "max_value": "0.15"},
        format="json",
    )
    assert error_of(too_much) == ("max_value", "sum_too_high")
    out_of_range = api.post(
        "/api/v1/sourcing-criteria/",
        {"event": event.pk, "name": "Service", "max_value": "0.5"},
        format="json",
    )
    assert error_of(out_of_range) == ("max_value", "out_of_range")
    changed = api.patch(
        f"/api/v1/sourcing-criteria/{first['id']}/",
        {"max_value": "0.25", "version": first["version"]},
        format="json",
    )
    assert changed.json()["max_value"] == "0.2500"
    assert api.delete(f"/api/v1/sourcing-criteria/{first['id']}/").status_code == 204
    assert EvaluationCriterion.objects.get(pk=first["id"]).archived_at is not None
    assert api.post(f"/api/v1/sourcing-criteria/{first['id']}/restore/").status_code == 404

    question = api.post(
        "/api/v1/sourcing-bidder-questions/",
        {"event": event.pk, "text": "Warranty?", "required": False},
        format="json",
    )
    assert question.status_code == 201
    assert question.json()["required"] is False

    SourcingEvent.objects.filter(pk=event.pk).update(status=EventStatus.OPEN)
    line = api.post(
        "/api/v1/sourcing-event-lines/",
        {"event": event.pk, "description": "Late", "quantity": "1"},
        format="json",
    )
    assert error_of(line) == ("non_field_errors", "not_draft")
    assert not EventLine.objects.filter(event=event).exists()


def test_documents_are_uploaded_listed_downloaded_and_removed(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    api = client_for(buyer)
    uploaded = api.post(
        "/api/v1/sourcing-event-attachments/",
        {"event": event.pk, "file": drawing("layout.pdf")},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    row = uploaded.json()
    downloaded = api.get(row["download_url"])
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content).startswith(b"%PDF")
    bad = api.post(
        "/api/v1/sourcing-event-attachments/",
        {"event": event.pk, "file": drawing("layout.exe")},
        format="multipart",
    )
    assert error_of(bad) == ("file", "file_type")
    assert api.delete(f"/api/v1/sourcing-event-attachments/{row['id']}/").status_code == 204
    assert EventAttachment.objects.get().archived_at is not None


def test_an_ineligible_vendor_is_invited_through_the_api_only_with_a_reason(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    blocked = prequalified_vendor(event.category)
    block_sourcing(blocked)
    api = client_for(buyer)
    refused = api.post(
        "/api/v1/sourcing-invitations/", {"event": event.pk, "supplier": blocked.pk}, format="json"
    )
    assert error_of(refused) == ("override_reason", "ineligible")
    made = api.post(
        "/api/v1/sourcing-invitations/",
        {"event": event.pk, "supplier": blocked.pk, "override_reason": "Only source"},
        format="json",
    )
    assert made.json()["override_reason"] == "Only source"
    twice = api.post(
        "/api/v1/sourcing-invitations/",
        {"event": event.pk, "supplier": blocked.pk, "override_reason": "Again"},
        format="json",
    )
    assert error_of(twice) == ("supplier", "duplicate")


def test_portal_users_see_and_decline_only_their_own_invitations(cast: Cast) -> None:
    category = CategoryFactory()
    event = OpenEventFactory(category=category)
    mine = InvitationFactory(
        event=event,
        supplier=prequalified_vendor(category, relationship=cast.rel_a),
        override_reason="Judged by the buyer",
    )
    theirs = InvitationFactory(
        event=event, supplier=prequalified_vendor(category, relationship=cast.rel_b)
    )
    api = client_for(cast.portal_a)
    rows = api.get("/api/v1/sourcing-invitations/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["override_reason"] == ""
    assert api.get(f"/api/v1/sourcing-invitations/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/sourcing-events/{event.pk}/").status_code == 404
    declined = api.post(
        f"/api/v1/sourcing-invitations/{mine.pk}/decline/", {"reason": "No capacity"}, format="json"
    )
    assert declined.json()["status"] == InvitationStatus.DECLINED
    foreign = api.post(
        f"/api/v1/sourcing-invitations/{theirs.pk}/decline/", {"reason": "x"}, format="json"
    )
    assert foreign.status_code == 404
    made = api.post(
        "/api/v1/sourcing-invitations/",
        {"event": event.pk, "supplier": mine.supplier_id},
        format="json",
    )
    assert made.status_code == 403


def test_questions_are_answered_and_published_through_the_api(cast: Cast, buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer)
    asked = ClarificationFactory(invitation=InvitationFactory(event=event))
    api = client_for(buyer)
    rows = api.get("/api/v1/sourcing-clarifications/", {"event": event.pk}).json()["results"]
    assert rows[0]["invitation"] == asked.invitation_id  # the buyer sees who asked
    held = api.post(
        f"/api/v1/sourcing-clarifications/{asked.pk}/answer/",
        {"answer": "Yes", "publish": False},
        format="json",
    )
    assert held.json()["published_at"] is None
    published = api.post(f"/api/v1/sourcing-clarifications/{asked.pk}/publish/")
    assert published.json()["published_at"] is not None
    again = api.post(f"/api/v1/sourcing-clarifications/{asked.pk}/publish/")
    assert error_of(again) == ("non_field_errors", "published")
    own = api.post(
        "/api/v1/sourcing-clarifications/",
        {"event": event.pk, "question": "Incoterms", "answer": "DAP Stuttgart"},
        format="json",
    )
    assert own.status_code == 201
    assert own.json()["invitation"] is None
    # portal users read clarifications on their event page, never through this list
    assert client_for(cast.portal_a).get("/api/v1/sourcing-clarifications/").json()["results"] == []


def test_the_team_is_kept_through_the_api(cast: Cast, buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    api = client_for(buyer)
    added = api.post(
        "/api/v1/sourcing-event-members/",
        {"event": event.pk, "user": cast.member.pk, "access": "review"},
        format="json",
    )
    assert added.status_code == 201, added.content
    twice = api.post(
        "/api/v1/sourcing-event-members/",
        {"event": event.pk, "user": cast.member.pk},
        format="json",
    )
    assert error_of(twice) == ("user", "duplicate")
    outsider = api.post(
        "/api/v1/sourcing-event-members/",
        {"event": event.pk, "user": cast.portal_a.pk},
        format="json",
    )
    assert outsider.status_code == 400
    # the new member reads the event now
    assert client_for(cast.member).get(f"/api/v1/sourcing-events/{event.pk}/").status_code == 200
    member = added.json()
    promoted = api.patch(
        f"/api/v1/sourcing-event-members/{member['id']}/",
        {"access": "edit", "version": member["version"]},
        format="json",
    )
    assert promoted.json()["access"] == "edit"
    assert api.delete(f"/api/v1/sourcing-event-members/{member['id']}/").status_code == 204
    assert SourcingEventMember.objects.get().archived_at is not None
    assert client_for(cast.member).get(f"/api/v1/sourcing-events/{event.pk}/").status_code == 404


def test_the_log_is_read_only(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    services.event_cancel(actor=buyer, event=event, reason="Stop")
    api = client_for(buyer)
    entry = EventLogEntry.objects.get(event=event)
    assert api.get(f"/api/v1/sourcing-event-log/{entry.pk}/").json()["action"] == "cancelled"
    assert api.post("/api/v1/sourcing-event-log/", {}, format="json").status_code == 405
    assert api.delete(f"/api/v1/sourcing-event-log/{entry.pk}/").status_code == 405
    assert (
        api.patch(f"/api/v1/sourcing-event-log/{entry.pk}/", {}, format="json").status_code == 405
    )
