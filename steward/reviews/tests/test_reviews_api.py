"""The /api/v1/business-reviews/, /review-decisions/ and /action-items/ endpoints."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.reviews import services_reviews
from steward.reviews.choices import ActionSide
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/business-reviews/"
DECISIONS = "/api/v1/review-decisions/"
ACTIONS = "/api/v1/action-items/"
TODAY = timezone.localdate()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def review(cast: Cast) -> BusinessReview:
    return services_reviews.review_schedule(
        actor=cast.owner, relationship=cast.rel_a, scheduled_on=TODAY + dt.timedelta(days=7)
    )


def test_a_review_is_scheduled_prepared_recorded_and_packed(cast: Cast) -> None:
    api = api_client(cast.member)

    # when a member schedules a review with the vendor's contact
    created = api.post(
        REVIEWS,
        {
            "relationship": cast.rel_a.pk,
            "scheduled_on": days(-1),
            "contacts": [cast.contact_a_shared.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == cast.owner.pk
    assert body["status"] == "planned"
    url = f"{REVIEWS}{body['id']}/"

    # its agenda is prepared, a decision and two actions recorded, then it is held
    prepared = api.post(f"{url}prepare-agenda/")
    assert prepared.status_code == 200, prepared.json()
    assert [s["key"] for s in prepared.json()["agenda"]][:2] == ["scorecard", "sla"]
    decided = api.post(DECISIONS, {"review": body["id"], "text": "Renew for two years."})
    assert decided.status_code == 201, decided.json()
    ours = api.post(
        ACTIONS,
        {"review": body["id"], "title": "Draft the renewal", "due_on": days(20)},
        format="json",
    )
    assert ours.status_code == 201, ours.json()
    assert (ours.json()["owner"], ours.json()["relationship"]) == (cast.member.pk, cast.rel_a.pk)
    theirs = api.post(
        ACTIONS,
        {
            "review": body["id"],
            "title": "Send the price list",
            "due_on": days(10),
            "side": "theirs",
            "owner_contact": cast.contact_a_shared.pk,
        },
        format="json",
    )
    assert theirs.status_code == 201, theirs.json()
    recorded = api.post(
        f"{url}record/",
        {"minutes": "Good meeting.", "held_on": days(-1), "attendees": [cast.member.pk]},
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "held"

    # the pack is a PDF naming the review and its actions
    packed = api.get(f"{url}pack/")
    assert packed.status_code == 200
    assert packed["Content-Type"] == "application/pdf"
    assert packed["Content-Disposition"].startswith('attachment; filename="review-aurora-metals-')
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(packed.content)).pages)
    assert "Aurora Metals" in text
    assert "Send the price list" in text
    assert api.get(f"{url}pack/", HTTP_ACCEPT="application/pdf").status_code == 200

    # and the action is completed
    done = api.post(f"{ACTIONS}{ours.json()['id']}/complete/", {"note": "Sent"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"scheduled_on": "soon"}, ("scheduled_on", "invalid")),
        ({"contacts": ["B"]}, ("contacts", "invalid")),
        ({"attendees": ["portal"]}, ("attendees", "does_not_exist")),
        ({"owner": "portal"}, ("owner", "does_not_exist")),
        ({"kind": "lunch"}, ("kind", "invalid_choice")),
    ],
)
def test_a_bad_review_is_refused_naming_the_field(
    cast: Cast, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    # the names stand for a contact of another organization and a portal user
    ids = {"B": cast.contact_b.pk, "portal": cast.portal_a.pk}
    sent: dict[str, Any] = {"relationship": cast.rel_a.pk, "scheduled_on": days(3)}
    for key, value in body.items():
        sent[key] = [ids[v] for v in value] if isinstance(value, list) else ids.get(value, value)
    answer = api_client(cast.owner).post(REVIEWS, sent, format="json")
    assert answer.status_code == 400
    assert expected in api_errors(answer)
    assert not BusinessReview.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"side": "theirs", "owner_contact": "B"}, ("owner_contact", "invalid")),
        ({"side": "theirs"}, ("owner_contact", "required")),
        ({"side": "ours", "owner_contact": "A"}, ("owner_contact", "invalid")),
        ({"due_on": ""}, ("due_on", "invalid")),
        ({"title": ""}, ("title", "blank")),
    ],
)
def test_a_bad_action_is_refused_naming_the_field_and_writes_nothing(
    cast: Cast, review: BusinessReview, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    contacts = {"A": cast.contact_a_shared.pk, "B": cast.contact_b.pk}
    sent: dict[str, Any] = {"review": review.pk, "title": "Do it", "due_on": days(3)}
    sent.update({k: contacts.get(v, v) for k, v in body.items()})
    answer = api_client(cast.owner).post(ACTIONS, sent, format="json")
    assert answer.status_code == 400
    assert expected in api_errors(answer)
    assert not ActionItem.objects.exists()


def test_recording_twice_and_cancelling_a_held_review_are_refused(
    cast: Cast, review: BusinessReview
) -> None:
    api = api_client(cast.owner)
    url = f"{REVIEWS}{review.pk}/"
    assert ("minutes", "blank") in api_errors(
        api.post(f"{url}record/", {"minutes": "", "held_on": days(0)}, format="json")
    )
    assert ("held_on", "invalid") in api_errors(
        api.post(f"{url}record/", {"minutes": "x", "held_on": days(5)}, format="json")
    )
    assert api.post(f"{url}record/", {"minutes": "x", "held_on": days(0)}).status_code == 200
    again = api.post(f"{url}record/", {"minutes": "x", "held_on": days(0)})
    assert ("status", "invalid_transition") in api_errors(again)
    assert ("status", "invalid_transition") in api_errors(
        api.post(f"{url}cancel/", {"reason": "late"})
    )
    assert ("status", "not_planned") in api_errors(api.post(f"{url}prepare-agenda/"))


def test_a_review_is_updated_with_its_version_archived_and_restored(
    cast: Cast, review: BusinessReview
) -> None:
    api = api_client(cast.owner)
    url = f"{REVIEWS}{review.pk}/"
    assert api.patch(url, {"title": "QBR Q3"}, format="json").status_code == 428
    patched = api.patch(url, {"title": "QBR Q3", "version": 1}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["title"] == "QBR Q3"
    assert api.delete(url).status_code == 204
    assert review.pk not in result_ids(api.get(REVIEWS))
    assert api.post(f"{url}restore/", {}, format="json").status_code == 200
    assert review.pk in result_ids(api.get(f"{REVIEWS}?status=planned&when=upcoming"))


# --- who may do what -------------------------------------------------------------------------


@pytest.fixture
def shared_and_private(cast: Cast, review: BusinessReview) -> tuple[ActionItem, ActionItem]:
    shared = services_reviews.action_item_add(
        actor=cast.owner,
        review=review,
        title="Shared",
        due_on=TODAY,
        side=ActionSide.THEIRS,
        owner_contact=cast.contact_a_shared,
        shared_with_portal=True,
    )
    private = services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Private", due_on=TODAY
    )
    return shared, private


def test_outsiders_do_not_see_reviews_decisions_or_actions(
    cast: Cast, review: BusinessReview, shared_and_private: tuple[ActionItem, ActionItem]
) -> None:
    decision = services_reviews.review_decision_add(actor=cast.owner, review=review, text="Go")
    api = api_client(cast.outsider)
    assert result_ids(api.get(REVIEWS)) == []
    assert result_ids(api.get(ACTIONS)) == []
    assert result_ids(api.get(DECISIONS)) == []
    assert api.get(f"{REVIEWS}{review.pk}/").status_code == 404
    assert api.get(f"{REVIEWS}{review.pk}/pack/").status_code == 404
    assert api.get(f"{DECISIONS}{decision.pk}/").status_code == 404
    assert api.get(f"{ACTIONS}{shared_and_private[0].pk}/").status_code == 404
    assert api.post(f"{REVIEWS}{review.pk}/prepare-agenda/").status_code == 404
    # a relationship they cannot see is refused as if it did not exist
    answer = api.post(REVIEWS, {"relationship": cast.rel_a.pk, "scheduled_on": days(1)})
    assert ("relationship", "does_not_exist") in api_errors(answer)


def test_read_only_members_read_but_may_not_change(
    cast: Cast, review: BusinessReview, shared_and_private: tuple[ActionItem, ActionItem]
) -> None:
    _, private = shared_and_private
    for role in ("reviewer", "auditor"):
        api = api_client(cast.user(role))
        assert api.get(f"{REVIEWS}{review.pk}/").status_code == 200
        assert api.get(f"{REVIEWS}{review.pk}/pack/").status_code == 200
        assert api.post(f"{REVIEWS}{review.pk}/prepare-agenda/").status_code == 403
        assert api.post(f"{REVIEWS}{review.pk}/cancel/", {"reason": "x"}).status_code == 403
        assert api.patch(f"{REVIEWS}{review.pk}/", {"title": "x", "version": 1}).status_code == 403
        assert api.post(f"{ACTIONS}{private.pk}/complete/").status_code == 403
        assert api.post(DECISIONS, {"review": review.pk, "text": "x"}).status_code == 403
    assert not ReviewDecision.objects.exists()


def test_a_portal_user_sees_only_shared_actions_of_their_organization(
    cast: Cast, review: BusinessReview, shared_and_private: tuple[ActionItem, ActionItem]
) -> None:
    shared, private = shared_and_private
    portal = api_client(cast.portal_a)
    assert result_ids(portal.get(ACTIONS)) == [shared.pk]
    assert portal.get(f"{ACTIONS}{private.pk}/").status_code == 404
    assert portal.post(f"{ACTIONS}{shared.pk}/complete/").status_code == 403
    assert result_ids(portal.get(REVIEWS)) == []
    assert portal.get(f"{REVIEWS}{review.pk}/pack/").status_code == 404
    assert result_ids(api_client(cast.portal_b).get(ACTIONS)) == []


def test_a_contact_of_another_organization_is_refused_as_owner_or_attendee(
    cast: Cast, review: BusinessReview
) -> None:
    api = api_client(cast.owner)
    answer = api.patch(
        f"{REVIEWS}{review.pk}/", {"contacts": [cast.contact_b.pk], "version": 1}, format="json"
    )
    assert ("contacts", "invalid") in api_errors(answer)
    answer = api.post(
        f"{REVIEWS}{review.pk}/record/",
        {"minutes": "x", "held_on": days(0), "contacts": [cast.contact_b.pk]},
        format="json",
    )
    assert ("contacts", "invalid") in api_errors(answer)
    review.refresh_from_db()
    assert (review.version, review.status) == (1, "planned")
    assert not review.contacts.exists()
