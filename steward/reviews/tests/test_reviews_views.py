"""Business review pages: the list, scheduling from a relationship, the review's page with its
forms, the PDF pack, "My actions", the menu and what falls due."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from steward.core.registry import due_items, navigation
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.reviews import pack, services_reviews
from steward.reviews.choices import ActionSide, ActionStatus, ReviewStatus
from steward.reviews.models import ActionItem, BusinessReview, ReviewDecision
from steward.reviews.services_reviews import reviews_schedule_from_cadence
from steward.reviews.tests import reviews_world as world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def review(cast: Cast) -> BusinessReview:
    return services_reviews.review_schedule(
        actor=cast.owner, relationship=cast.rel_a, scheduled_on=days(-1), title="QBR with Aurora"
    )


# The supply side sits above reviews: its models are reached by name, not imported.
Supplier = apps.get_model("suppliers", "Supplier")
SegmentPlaybook = apps.get_model("suppliers", "SegmentPlaybook")
SupplierStrategy = apps.get_model("suppliers", "SupplierStrategy")


def pdf_text(content: bytes) -> str:
    """The words of the PDF, lines joined (table cells wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- the PDF pack ----------------------------------------------------------------------------


def test_the_pack_holds_the_agenda_minutes_decisions_and_actions(
    cast: Cast, review: BusinessReview
) -> None:
    world.scorecard(cast.rel_a, starts_on=dt.date(2025, 4, 1), score="62.50")
    services_reviews.review_prepare_agenda(actor=cast.owner, review=review)
    services_reviews.review_decision_add(actor=cast.owner, review=review, text="Dual-source Q4")
    services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Qualify a second smelter", due_on=days(-3)
    )
    held = services_reviews.review_record(
        actor=cast.owner, review=review, minutes="Quality slipped in May.", held_on=days(-1)
    )

    content = pack.review_pack_pdf(held)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "QBR with Aurora",
        "Qualify a second smelter",
        "Dual-source Q4",
        "Quality slipped in May.",
        "62.50",
        "overdue",
    ):
        assert expected in text, expected
    assert pack.review_pack_filename(held) == f"review-aurora-metals-{days(-1):%Y-%m-%d}.pdf"


def test_the_pack_download_checks_access(cast: Cast, review: BusinessReview) -> None:
    url = reverse("reviews:review-pack", args=[review.pk])
    answer = web_client(cast.reviewer).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment; filename=")
    assert "QBR with Aurora" in pdf_text(answer.content)
    assert web_client(cast.outsider).get(url).status_code == 404
    assert web_client(cast.portal_a).get(url).status_code == 404


# --- the list and the review's page ----------------------------------------------------------


def test_the_list_filters_and_hides_what_is_not_yours(cast: Cast, review: BusinessReview) -> None:
    later = services_reviews.review_schedule(
        actor=cast.owner, relationship=cast.rel_a, scheduled_on=days(30), title="Next QBR"
    )
    client = web_client(cast.owner)
    page = client.get(reverse("reviews:review-list"))
    assert page.status_code == 200
    assert {r.pk for r in page.context["rows"]} == {review.pk, later.pk}
    overdue = client.get(reverse("reviews:review-list"), {"when": "overdue"})
    assert [r.pk for r in overdue.context["rows"]] == [review.pk]
    upcoming = client.get(reverse("reviews:review-list"), {"when": "upcoming", "status": "planned"})
    assert [r.pk for r in upcoming.context["rows"]] == [later.pk]
    outsider = web_client(cast.outsider).get(reverse("reviews:review-list"))
    assert list(outsider.context["rows"]) == []
    export = client.get(reverse("reviews:review-list"), {"export": "csv"})
    assert b"Next QBR" in b"".join(export.streaming_content)


def test_a_review_is_scheduled_from_the_relationship(cast: Cast) -> None:
    client = web_client(cast.member)
    url = reverse("reviews:review-create", args=[cast.rel_a.pk])
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {
            "scheduled_on": days(9).isoformat(),
            "kind": "business_review",
            "contacts": [cast.contact_b.pk],
        },
    )
    assert refused.status_code == 200
    assert "contacts" in refused.context["form"].errors
    assert not BusinessReview.objects.exists()
    saved = client.post(url, {"scheduled_on": days(9).isoformat(), "kind": "business_review"})
    review = BusinessReview.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == review.get_absolute_url()
    assert review.owner == cast.owner
    assert web_client(cast.reviewer).get(url).status_code == 403
    assert web_client(cast.outsider).get(url).status_code == 404


def test_the_review_page_prepares_records_and_takes_actions(
    cast: Cast, review: BusinessReview
) -> None:
    client = web_client(cast.owner)
    url = review.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    assert "Prepare the agenda" in page.content.decode()

    client.post(reverse("reviews:review-prepare", args=[review.pk]))
    review.refresh_from_db()
    assert review.agenda_prepared_at is not None
    assert "Open issues" in client.get(url).content.decode()

    # a decision and an action of theirs, one refused first
    client.post(reverse("reviews:decision-add", args=[review.pk]), {"text": "Go"})
    assert ReviewDecision.objects.filter(review=review).count() == 1
    add_action = reverse("reviews:action-add", args=[review.pk])
    refused = client.post(
        add_action,
        {"title": "Send certs", "side": "theirs", "owner_contact": cast.contact_a_shared.pk},
    )
    assert refused.status_code == 400
    assert "due_on" in refused.context["action_form"].errors
    client.post(
        add_action,
        {
            "title": "Send certs",
            "side": "theirs",
            "owner_contact": cast.contact_a_shared.pk,
            "due_on": days(5).isoformat(),
        },
    )
    action = ActionItem.objects.get(review=review)
    assert (action.side, action.owner_contact) == (ActionSide.THEIRS, cast.contact_a_shared)

    # recorded as held, then the action is done from the page
    empty = client.post(reverse("reviews:review-record", args=[review.pk]), {"minutes": ""})
    assert empty.status_code == 400
    client.post(
        reverse("reviews:review-record", args=[review.pk]),
        {"minutes": "Met.", "held_on": days(-1).isoformat()},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.HELD
    done = client.post(reverse("reviews:action-complete", args=[action.pk]), {"next": "review"})
    assert done["Location"] == url
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_read_only_members_see_the_page_without_forms_and_may_not_post(
    cast: Cast, review: BusinessReview
) -> None:
    client = web_client(cast.reviewer)
    page = client.get(review.get_absolute_url())
    assert page.status_code == 200
    assert "record_form" not in page.context
    assert client.post(reverse("reviews:review-prepare", args=[review.pk])).status_code == 403
    assert (
        client.post(reverse("reviews:decision-add", args=[review.pk]), {"text": "x"}).status_code
        == 403
    )
    assert web_client(cast.outsider).get(review.get_absolute_url()).status_code == 404


def test_cancel_needs_a_reason(cast: Cast, review: BusinessReview) -> None:
    client = web_client(cast.owner)
    url = reverse("reviews:review-cancel", args=[review.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Vendor asked to move it"}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED


# --- my actions, the menu and what falls due -------------------------------------------------


def test_my_actions_lists_my_open_actions_and_flags_overdue(
    cast: Cast, review: BusinessReview
) -> None:
    late = services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Late one", due_on=days(-2)
    )
    soon = services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Soon", due_on=days(2)
    )
    services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Member's", due_on=days(2), owner=cast.member
    )
    done = services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Done", due_on=days(1)
    )
    services_reviews.action_item_complete(actor=cast.owner, action_item=done)

    page = web_client(cast.owner).get(reverse("reviews:action-mine"))
    assert [a.pk for a in page.context["rows"]] == [late.pk, soon.pk]
    assert "overdue" in page.content.decode()

    due = due_items(cast.owner, today=TODAY, until=days(7))
    mine = [d for d in due if d.kind == "review action"]
    assert [(d.title.split(" (")[0], d.detail) for d in mine] == [
        ("Late one", "overdue"),
        ("Soon", ""),
    ]
    assert any(entry.url_name == "reviews:review-list" for entry in navigation())


def test_an_action_page_takes_follow_up_notes_and_drops(cast: Cast) -> None:
    action = services_reviews.action_item_add(
        actor=cast.owner, relationship=cast.rel_a, title="Audit", due_on=days(4)
    )
    client = web_client(cast.member)
    assert client.get(action.get_absolute_url()).status_code == 200
    client.post(reverse("reviews:action-follow-up", args=[action.pk]), {"note": "Called them"})
    assert client.post(reverse("reviews:action-drop", args=[action.pk]), {}).status_code == 400
    client.post(reverse("reviews:action-drop", args=[action.pk]), {"reason": "Not needed"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED
    assert "Called them" in action.follow_up
    assert web_client(cast.outsider).get(action.get_absolute_url()).status_code == 404


# --- the supply side's cadence ---------------------------------------------------------------


def test_the_supply_cadence_reads_the_strategy_then_the_playbook(cast: Cast) -> None:
    # given two vendors: one with its own strategy's cadence, one left to its segment's playbook
    SegmentPlaybook.objects.update_or_create(
        segment="leverage",
        defaults={"default_relationship_type": "ongoing", "review_every_days": 60},
    )
    with_strategy = Supplier.objects.create(relationship=cast.rel_a, segment="leverage")
    SupplierStrategy.objects.create(supplier=with_strategy, review_every_days=30)
    Supplier.objects.create(relationship=cast.rel_b, segment="leverage")
    services_reviews.review_record(
        actor=cast.owner,
        review=services_reviews.review_schedule(
            actor=cast.owner, relationship=cast.rel_a, scheduled_on=days(-10)
        ),
        minutes="Met",
        held_on=days(-10),
    )

    planned = {
        r.relationship_id: r.scheduled_on for r in reviews_schedule_from_cadence(today=TODAY)
    }

    assert planned == {cast.rel_a.pk: days(20), cast.rel_b.pk: days(14)}
    assert reviews_schedule_from_cadence(today=TODAY) == []


def test_a_vendors_activities_tab_shows_its_reviews_and_the_schedule_button(
    cast: Cast, review: BusinessReview
) -> None:
    Supplier.objects.create(relationship=cast.rel_a)
    url = reverse("suppliers:vendor-detail", args=[cast.rel_a.pk])
    page = web_client(cast.owner).get(url, {"tab": "activities"}).content.decode()
    assert "QBR with Aurora" in page
    assert reverse("reviews:review-create", args=[cast.rel_a.pk]) in page
    read_only = web_client(cast.reviewer).get(url, {"tab": "activities"}).content.decode()
    assert "QBR with Aurora" in read_only
    assert reverse("reviews:review-create", args=[cast.rel_a.pk]) not in read_only


def test_the_review_list_costs_the_same_queries_however_many_rows(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_client(cast.owner)
    url = reverse("reviews:review-list")

    def queries_with(count: int) -> int:
        for n in range(count - BusinessReview.objects.count()):
            services_reviews.review_schedule(
                actor=cast.owner, relationship=cast.rel_a, scheduled_on=days(n)
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    assert queries_with(2) == queries_with(8)
