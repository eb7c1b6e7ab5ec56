"""Business reviews through their services: scheduling, the agenda read from real rows of the
other engines, recording, cancelling, decisions, action items, and the two daily jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.core.errors import DomainError, TransitionError
from steward.core.models import Notification
from steward.issues.choices import IssueStatus, Severity
from steward.parties.tests.cast import Cast
from steward.plans.choices import InitiativeStatus
from steward.reviews import cadence, services_reviews
from steward.reviews.agenda import SectionContent, _sections, register_agenda_section
from steward.reviews.choices import ActionSide, ActionStatus, ReviewKind, ReviewStatus
from steward.reviews.models import ActionItem, BusinessReview
from steward.reviews.services_reviews import ACTION_TRANSITIONS, REVIEW_TRANSITIONS
from steward.reviews.tests import reviews_world as world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def schedule(cast: Cast, **fields: Any) -> BusinessReview:
    values: dict[str, Any] = {"relationship": cast.rel_a, "scheduled_on": days(10)}
    values.update(fields)
    return services_reviews.review_schedule(actor=cast.owner, **values)


def held(cast: Cast, on: dt.date, **fields: Any) -> BusinessReview:
    review = schedule(cast, scheduled_on=on, **fields)
    return services_reviews.review_record(
        actor=cast.owner, review=review, minutes="We met.", held_on=on
    )


def section(review: BusinessReview, key: str) -> dict[str, Any]:
    return next(s for s in review.agenda if s["key"] == key)


# --- scheduling ------------------------------------------------------------------------------


def test_a_review_is_owned_by_the_relationships_owner_and_follows_the_last_held(
    cast: Cast,
) -> None:
    # given a review held last quarter and a later cancelled one
    earlier = held(cast, days(-120))
    last = held(cast, days(-30))
    cancelled = schedule(cast, scheduled_on=days(-5))
    services_reviews.review_cancel(actor=cast.owner, review=cancelled, reason="Vendor ill")

    # when the member (not the owner) schedules the next one
    review = services_reviews.review_schedule(
        actor=cast.member, relationship=cast.rel_a, scheduled_on=days(60)
    )

    # then it is the relationship owner's, follows the last held review and has a title
    assert review.owner == cast.owner
    assert review.previous == last != earlier
    assert review.kind == ReviewKind.BUSINESS_REVIEW
    assert review.status == ReviewStatus.PLANNED
    assert "Aurora Metals" in review.title
    assert review.history.count() == 1


def test_scheduling_refuses_strangers_contacts_and_external_owners(cast: Cast) -> None:
    with pytest.raises(DomainError) as contact:
        schedule(cast, contacts=[cast.contact_b])
    assert contact.value.field == "contacts"
    with pytest.raises(DomainError) as owner:
        schedule(cast, owner=cast.portal_a)
    assert owner.value.field == "owner"
    with pytest.raises(DomainError) as attendee:
        schedule(cast, attendees=[cast.portal_a])
    assert attendee.value.field == "attendees"
    with pytest.raises(PermissionDenied):
        services_reviews.review_schedule(
            actor=cast.reviewer, relationship=cast.rel_a, scheduled_on=days(3)
        )
    with pytest.raises(PermissionDenied):
        services_reviews.review_schedule(
            actor=cast.outsider, relationship=cast.rel_a, scheduled_on=days(3)
        )
    assert not BusinessReview.objects.exists()


# --- the agenda ------------------------------------------------------------------------------


def test_the_agenda_is_assembled_from_scorecards_slas_issues_plans_and_carried_actions(
    cast: Cast,
) -> None:
    rel = cast.rel_a
    # given an older and a newer scorecard
    world.scorecard(rel, starts_on=dt.date(2025, 1, 1), score="91.00")
    world.scorecard(rel, starts_on=dt.date(2025, 4, 1), score="58.50")
    # two service levels, each judged twice; the newest result of each counts
    _, (availability, response) = world.contract_with_levels(rel)
    world.period_result(availability, dt.date(2025, 5, 1), attainment="100.00")
    world.period_result(availability, dt.date(2025, 6, 1), attainment="97.00", breached=True)
    world.period_result(response, dt.date(2025, 6, 1), attainment="99.00")
    # open issues of three severities, one of them overdue; resolved ones do not count
    world.issue(rel, severity=Severity.CRITICAL, overdue=True, title="Line stop")
    world.issue(rel, severity=Severity.HIGH)
    world.issue(rel, severity=Severity.HIGH, status=IssueStatus.IN_PROGRESS)
    world.issue(rel, severity=Severity.LOW, status=IssueStatus.RESOLVED)
    world.issue(cast.rel_b, severity=Severity.LOW)
    # initiatives in flight and one done
    world.initiative(rel, status=InitiativeStatus.IN_PROGRESS, title="Cost-down wave 2")
    world.initiative(rel, status=InitiativeStatus.DONE, title="Old programme")
    # the last review left one action open and one done
    last = held(cast, days(-40))
    carried = services_reviews.action_item_add(
        actor=cast.owner, review=last, title="Send the capacity plan", due_on=days(-3)
    )
    finished = services_reviews.action_item_add(
        actor=cast.owner, review=last, title="Fix invoices", due_on=days(-10)
    )
    services_reviews.action_item_complete(actor=cast.owner, action_item=finished)

    # when the next review's agenda is prepared
    review = schedule(cast)
    prepared = services_reviews.review_prepare_agenda(actor=cast.member, review=review)

    # then each section reads the relationship's rows
    assert [s["key"] for s in prepared.agenda][:5] == [
        "scorecard",
        "sla",
        "issues",
        "initiatives",
        "carried_actions",
    ]
    card = section(prepared, "scorecard")
    assert card["data"]["score"] == "58.50"
    assert card["data"]["missing"] == ["delivery"]
    assert [c["code"] for c in card["data"]["criteria"]] == ["quality", "delivery"]
    assert "2025 Q2" in card["summary"]
    sla = section(prepared, "sla")
    assert {(lv["name"], lv["attainment"], lv["breached"]) for lv in sla["data"]["levels"]} == {
        ("Availability", "97.00", True),
        ("Response", "99.00", False),
    }
    assert "mean attainment 98.00 %" in sla["summary"]
    issues = section(prepared, "issues")
    assert issues["data"]["open"] == {"critical": 1, "high": 2, "medium": 0, "low": 0}
    assert [i["title"] for i in issues["data"]["overdue"]] == ["Line stop"]
    initiatives = section(prepared, "initiatives")
    assert [i["title"] for i in initiatives["data"]["initiatives"]] == ["Cost-down wave 2"]
    actions = section(prepared, "carried_actions")
    assert [a["action_item"] for a in actions["data"]["actions"]] == [carried.pk]
    assert actions["rows"][0][4] == "3 days"
    assert prepared.agenda_prepared_at is not None


def test_an_empty_relationship_gets_an_agenda_that_says_so(cast: Cast) -> None:
    review = services_reviews.review_prepare_agenda(actor=cast.owner, review=schedule(cast))
    summaries = {s["key"]: s["summary"] for s in review.agenda}
    assert summaries["scorecard"].startswith("No scorecard")
    assert summaries["issues"] == "No open issues."
    assert summaries["carried_actions"].startswith("No earlier review")


def test_a_side_can_add_an_agenda_section(cast: Cast) -> None:
    def spend(review: BusinessReview, today: dt.date) -> SectionContent:
        return SectionContent(summary="Spend 1.2 M", columns=("Year",), rows=[["2025"]])

    register_agenda_section("spend", "Spend trend", spend, order=40)
    try:
        review = services_reviews.review_prepare_agenda(actor=cast.owner, review=schedule(cast))
    finally:
        _sections.pop("spend")
    keys = [s["key"] for s in review.agenda]
    assert keys.index("spend") == keys.index("issues") + 1
    assert section(review, "spend")["rows"] == [["2025"]]


def test_the_agenda_is_frozen_once_held(cast: Cast) -> None:
    review = held(cast, days(-1))
    assert review.agenda  # built when recorded, since nobody prepared it
    with pytest.raises(DomainError) as refused:
        services_reviews.review_prepare_agenda(actor=cast.owner, review=review)
    assert refused.value.code == "not_planned"


# --- recording and cancelling ----------------------------------------------------------------


def test_recording_a_review_keeps_minutes_people_and_refuses_bad_input(cast: Cast) -> None:
    review = schedule(cast, scheduled_on=days(-2))
    for kwargs, field in [
        ({"minutes": "  ", "held_on": days(-2)}, "minutes"),
        ({"minutes": "ok", "held_on": days(2)}, "held_on"),
        ({"minutes": "ok", "held_on": days(-2), "contacts": [cast.contact_b]}, "contacts"),
    ]:
        with pytest.raises(DomainError) as refused:
            services_reviews.review_record(actor=cast.owner, review=review, **kwargs)
        assert refused.value.field == field
    review.refresh_from_db()
    assert review.status == ReviewStatus.PLANNED

    recorded = services_reviews.review_record(
        actor=cast.member,
        review=review,
        minutes="Agreed the roadmap.",
        held_on=days(-2),
        attendees=[cast.owner, cast.member],
        contacts=[cast.contact_a_shared],
    )
    assert recorded.status == ReviewStatus.HELD
    assert set(recorded.attendees.all()) == {cast.owner, cast.member}
    assert list(recorded.contacts.all()) == [cast.contact_a_shared]
    with pytest.raises(TransitionError):
        services_reviews.review_cancel(actor=cast.owner, review=recorded, reason="late")


def test_cancelling_needs_a_reason(cast: Cast) -> None:
    review = schedule(cast)
    with pytest.raises(DomainError) as refused:
        services_reviews.review_cancel(actor=cast.owner, review=review, reason=" ")
    assert refused.value.field == "reason"
    cancelled = services_reviews.review_cancel(actor=cast.owner, review=review, reason="Merged")
    assert (cancelled.status, cancelled.cancel_reason) == (ReviewStatus.CANCELLED, "Merged")
    with pytest.raises(DomainError):
        services_reviews.review_decision_add(actor=cast.owner, review=cancelled, text="x")


@given(
    start=st.sampled_from(list(REVIEW_TRANSITIONS)),
    to=st.sampled_from(list(REVIEW_TRANSITIONS)),
)
def test_review_transitions_follow_the_table(start: str, to: str) -> None:
    allowed = to in REVIEW_TRANSITIONS[start]
    try:
        services_reviews._check_transition(REVIEW_TRANSITIONS, start, to, "review")
    except TransitionError:
        assert not allowed
    else:
        assert allowed


@settings(max_examples=30)
@given(
    start=st.sampled_from(list(ACTION_TRANSITIONS)),
    to=st.sampled_from(list(ACTION_TRANSITIONS)),
)
def test_action_transitions_follow_the_table(start: str, to: str) -> None:
    allowed = to in ACTION_TRANSITIONS[start]
    try:
        services_reviews._check_transition(ACTION_TRANSITIONS, start, to, "action")
    except TransitionError:
        assert not allowed
    else:
        assert allowed
        assert start != to


# --- decisions and actions -------------------------------------------------------------------


def test_decisions_are_recorded_by_whoever_writes_them(cast: Cast) -> None:
    review = schedule(cast)
    decision = services_reviews.review_decision_add(
        actor=cast.member, review=review, text=" Move to quarterly pricing. "
    )
    assert (decision.text, decision.recorded_by) == ("Move to quarterly pricing.", cast.member)
    with pytest.raises(DomainError) as empty:
        services_reviews.review_decision_add(actor=cast.owner, review=review, text="")
    assert empty.value.field == "text"
    with pytest.raises(PermissionDenied):
        services_reviews.review_decision_add(actor=cast.reviewer, review=review, text="No")


def test_action_owners_sit_on_their_side(cast: Cast) -> None:
    review = schedule(cast)
    ours = services_reviews.action_item_add(
        actor=cast.owner, review=review, title="Share forecast", due_on=days(14)
    )
    assert (ours.owner, ours.relationship) == (cast.owner, cast.rel_a)
    theirs = services_reviews.action_item_add(
        actor=cast.owner,
        review=review,
        title="Send ISO certificate",
        due_on=days(14),
        side=ActionSide.THEIRS,
        owner_contact=cast.contact_a_private,
    )
    assert theirs.owner is None
    for kwargs, field in [
        ({"side": ActionSide.THEIRS, "owner_contact": cast.contact_b}, "owner_contact"),
        ({"side": ActionSide.THEIRS}, "owner_contact"),
        ({"side": ActionSide.OURS, "owner": cast.portal_a}, "owner"),
        ({"side": ActionSide.OURS, "owner_contact": cast.contact_a_shared}, "owner_contact"),
        ({"relationship": cast.rel_b}, "review"),
    ]:
        with pytest.raises(DomainError) as refused:
            services_reviews.action_item_add(
                actor=cast.owner, review=review, title="x", due_on=days(1), **kwargs
            )
        assert refused.value.field == field, kwargs
    assert ActionItem.objects.count() == 2

    # switching sides clears the other side's owner
    moved = services_reviews.action_item_update(
        actor=cast.member,
        action_item=ours,
        expected_version=1,
        side=ActionSide.THEIRS,
        owner_contact=cast.contact_a_shared,
    )
    assert (moved.owner, moved.owner_contact) == (None, cast.contact_a_shared)


def test_an_action_is_followed_up_completed_reopened_and_dropped(cast: Cast) -> None:
    action = services_reviews.action_item_add(
        actor=cast.owner, relationship=cast.rel_a, title="Audit the plant", due_on=days(5)
    )
    noted = services_reviews.action_item_follow_up(
        actor=cast.member, action_item=action, note="Asked for dates."
    )
    assert noted.follow_up.endswith("Asked for dates.")
    done = services_reviews.action_item_complete(actor=cast.owner, action_item=noted)
    assert done.status == ActionStatus.DONE
    assert done.done_at is not None
    with pytest.raises(TransitionError):
        services_reviews.action_item_complete(actor=cast.owner, action_item=done)
    reopened = services_reviews.action_item_reopen(actor=cast.owner, action_item=done)
    assert (reopened.status, reopened.done_at) == (ActionStatus.OPEN, None)
    with pytest.raises(DomainError) as no_reason:
        services_reviews.action_item_drop(actor=cast.owner, action_item=reopened, reason="")
    assert no_reason.value.field == "reason"
    dropped = services_reviews.action_item_drop(
        actor=cast.owner, action_item=reopened, reason="Plant sold"
    )
    assert dropped.status == ActionStatus.DROPPED
    assert "dropped: Plant sold" in dropped.follow_up
    with pytest.raises(PermissionDenied):
        services_reviews.action_item_complete(actor=cast.reviewer, action_item=dropped)


# --- jobs ------------------------------------------------------------------------------------


def test_overdue_actions_are_chased_once_a_week(cast: Cast) -> None:
    # given an overdue action of ours, one of theirs, one not yet due and one done
    ours = services_reviews.action_item_add(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Ours",
        due_on=days(-2),
        owner=cast.member,
    )
    services_reviews.action_item_add(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Theirs",
        due_on=days(-9),
        side=ActionSide.THEIRS,
        owner_contact=cast.contact_a_shared,
    )
    services_reviews.action_item_add(
        actor=cast.owner, relationship=cast.rel_a, title="Later", due_on=days(3)
    )
    done = services_reviews.action_item_add(
        actor=cast.owner, relationship=cast.rel_a, title="Done", due_on=days(-3)
    )
    services_reviews.action_item_complete(actor=cast.owner, action_item=done)

    # when the chase runs, then twice more the same week
    assert services_reviews.action_items_chase(today=TODAY) == 2
    assert services_reviews.action_items_chase(today=TODAY) == 0

    # then ours went to its owner, theirs to the relationship owner, once each
    sent = Notification.objects.filter(kind="action_overdue")
    assert sorted((n.recipient_id, n.title) for n in sent) == sorted(
        [(cast.member.pk, "Overdue action: Ours"), (cast.owner.pk, "Overdue action: Theirs")]
    )

    # a week later they are chased again
    ActionItem.objects.filter(pk=ours.pk).update(chased_at=timezone.now() - dt.timedelta(days=8))
    assert services_reviews.action_items_chase(today=TODAY) == 1


@pytest.fixture
def cadences(cast: Cast) -> Any:
    table = {cast.rel_a.pk: 90, cast.rel_b.pk: 30}
    cadence.register_review_cadence("test", table.items)
    yield table
    cadence._providers.pop("test")


def test_the_cadence_plans_the_next_review_once(cast: Cast, cadences: dict[int, int]) -> None:
    # given rel_a reviewed 30 days ago (next due in 60 days) and rel_b reviewed long ago
    held(cast, days(-30))
    services_reviews.review_record(
        actor=cast.outsider,
        review=services_reviews.review_schedule(
            actor=cast.outsider, relationship=cast.rel_b, scheduled_on=days(-100)
        ),
        minutes="Met",
        held_on=days(-100),
    )

    # when the job runs
    planned = services_reviews.reviews_schedule_from_cadence(today=TODAY)

    # then rel_a's next review falls at the cadence, rel_b's (overdue) in two weeks
    by_relationship = {r.relationship_id: r for r in planned}
    assert by_relationship[cast.rel_a.pk].scheduled_on == days(60)
    assert by_relationship[cast.rel_b.pk].scheduled_on == days(14)
    assert by_relationship[cast.rel_b.pk].owner == cast.outsider
    assert by_relationship[cast.rel_a.pk].previous is not None

    # and running it again plans nothing more
    assert services_reviews.reviews_schedule_from_cadence(today=TODAY) == []
    assert BusinessReview.objects.filter(status=ReviewStatus.PLANNED).count() == 2


def test_the_cadence_skips_archived_and_uncadenced_relationships(
    cast: Cast, cadences: dict[int, int]
) -> None:
    cadences.pop(cast.rel_b.pk)
    cast.rel_a.archived_at = timezone.now()
    cast.rel_a.save()
    assert services_reviews.reviews_schedule_from_cadence(today=TODAY) == []
