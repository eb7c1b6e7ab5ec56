"""The post-visit note: one step updates the activity log, the relationship map and the actions;
a refusal names the field (and row) and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from steward.accountplans.choices import Sentiment
from steward.accountplans.models import PlanAction, PlanStakeholder
from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory, SiteFactory
from steward.reviews.choices import ActionSide, ActionStatus, ActivityKind
from steward.reviews.models import ActionItem, Activity
from steward.visits.choices import ChangeKind
from steward.visits.models import Visit
from steward.visits.services import Attendee, NewAction
from steward.visits.tests.factories import VisitWorld, days, note

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Visit.objects.count(),
        Activity.objects.count(),
        ActionItem.objects.count(),
        ActionItem.objects.filter(status=ActionStatus.DONE).count(),
        PlanAction.objects.count(),
        PlanStakeholder.history.count(),
    )


def test_a_note_updates_the_map_and_the_actions_in_one_step(cast: Cast, vw: VisitWorld) -> None:
    # Given the account's plan, its map and an open action of ours
    # When the owner records the visit of yesterday
    visit = note(cast.owner, vw, location=cast.site_a_private)

    # Then the visit is logged face to face with the attendee
    activity = visit.activity
    assert (activity.kind, activity.face_to_face, activity.occurred_on) == (
        ActivityKind.SITE_VISIT,
        True,
        days(-1),
    )
    assert list(activity.contacts.all()) == [vw.sponsor]
    assert activity.subject == f"Visit to {cast.site_a_private}"
    # the sponsor was met yesterday and is now a champion
    vw.sponsor_stakeholder.refresh_from_db()
    assert (vw.sponsor_stakeholder.last_met_on, vw.sponsor_stakeholder.sentiment) == (
        days(-1),
        Sentiment.CHAMPION,
    )
    # the person who was not there is unchanged
    vw.smelter_stakeholder.refresh_from_db()
    assert vw.smelter_stakeholder.last_met_on is None
    # the new action is on the account and in the plan; the ticked one is done
    added = ActionItem.objects.get(title="Quote the trial")
    assert (added.side, added.owner, added.due_on) == (ActionSide.OURS, cast.owner, days(10))
    assert PlanAction.objects.filter(plan=vw.plan, action_item=added).exists()
    vw.ours.refresh_from_db()
    assert vw.ours.status == ActionStatus.DONE
    # and the note keeps what it changed
    kinds = [change["kind"] for change in visit.changes]
    assert kinds == [
        ChangeKind.LAST_MET,
        ChangeKind.SENTIMENT,
        ChangeKind.ACTION_ADDED,
        ChangeKind.ACTION_DONE,
    ]
    assert visit.changes[1]["before"] == Sentiment.SUPPORTER
    assert (visit.plan, visit.recorded_by, visit.location) == (
        vw.plan,
        cast.owner,
        cast.site_a_private,
    )
    assert visit.history.count() == 1


def test_an_older_visit_does_not_move_last_met_back(cast: Cast, vw: VisitWorld) -> None:
    note(cast.owner, vw, visited_on=days(-1), new_actions=[], done_actions=[])
    visit = note(cast.owner, vw, visited_on=days(-30), new_actions=[], done_actions=[])
    vw.sponsor_stakeholder.refresh_from_db()
    assert vw.sponsor_stakeholder.last_met_on == days(-1)
    assert [c["kind"] for c in visit.changes] == []


def test_an_action_of_theirs_and_no_plan(cast: Cast, vw: VisitWorld) -> None:
    # Given an account without a plan (B, owned by the outsider)
    account = vw.world.account_b
    person = ContactFactory(organization=account.organization)
    from steward.visits import services

    visit = services.visit_note_record(
        actor=cast.outsider,
        relationship=account,
        visited_on=days(0),
        summary="Intro",
        kind=ActivityKind.MEETING,
        face_to_face=False,
        attendees=[Attendee(contact=person)],
        new_actions=[
            NewAction(
                title="Send the specs", due_on=days(3), side=ActionSide.THEIRS, owner_contact=person
            )
        ],
    )
    assert visit.plan is None
    added = ActionItem.objects.get(title="Send the specs")
    assert (added.relationship, added.owner_contact, added.owner) == (account, person, None)
    assert not PlanAction.objects.filter(action_item=added).exists()
    assert visit.activity.face_to_face is False


REFUSALS: list[tuple[str, Any, str, str]] = [
    ("future date", lambda vw: {"visited_on": days(1)}, "visited_on", "future"),
    ("no summary", lambda vw: {"summary": "  "}, "summary", "required"),
    ("a call", lambda vw: {"kind": ActivityKind.CALL}, "kind", "invalid"),
    (
        "attendee of another account",
        lambda vw: {
            "attendees": [Attendee(contact=vw.world.account_b.organization.contacts.first())]
        },
        "attendees[0].contact",
        "not_in_account",
    ),
    (
        "attendee twice",
        lambda vw: {"attendees": [Attendee(contact=vw.sponsor), Attendee(contact=vw.sponsor)]},
        "attendees[1].contact",
        "duplicate",
    ),
    (
        "invalid sentiment",
        lambda vw: {"attendees": [Attendee(contact=vw.sponsor, sentiment="ecstatic")]},
        "attendees[0].sentiment",
        "invalid",
    ),
    (
        "sentiment of someone not on the map",
        lambda vw: {"attendees": [Attendee(contact=vw.bystander, sentiment=Sentiment.SCEPTIC)]},
        "attendees[0].sentiment",
        "not_on_map",
    ),
    (
        "due before the visit",
        lambda vw: {"new_actions": [NewAction(title="Too early", due_on=days(-2))]},
        "new_actions[0].due_on",
        "before_visit",
    ),
    (
        "no title",
        lambda vw: {"new_actions": [NewAction(title="", due_on=days(2))]},
        "new_actions[0].title",
        "required",
    ),
    (
        "theirs without a contact",
        lambda vw: {
            "new_actions": [NewAction(title="Theirs", due_on=days(2), side=ActionSide.THEIRS)]
        },
        "new_actions[0].owner_contact",
        "required",
    ),
    (
        "an action already done",
        lambda vw: {"done_actions": [vw.ours, vw.ours]},
        "done_actions[1]",
        "not_open",
    ),
]


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [pytest.param(given, field, code, id=name) for name, given, field, code in REFUSALS],
)
def test_a_refusal_names_the_field_and_writes_nothing(
    cast: Cast, vw: VisitWorld, given: Any, field: str, code: str
) -> None:
    before = _counts()
    with pytest.raises(DomainError) as refused:
        note(cast.owner, vw, **given(vw))
    assert (refused.value.field, refused.value.code) == (field, code)
    assert _counts() == before


def test_a_site_of_another_account_is_refused(cast: Cast, vw: VisitWorld) -> None:
    with pytest.raises(DomainError) as refused:
        note(cast.owner, vw, location=SiteFactory(organization=cast.org_b))
    assert (refused.value.field, refused.value.code) == ("location", "not_in_account")


def test_all_or_nothing_when_the_last_write_fails(
    cast: Cast, vw: VisitWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given every check passes, but the last write (closing an action) fails
    from steward.visits import services

    def fail(**kwargs: Any) -> Any:
        raise DomainError("The action changed meanwhile.", code="archived")

    monkeypatch.setattr(services, "action_item_complete", fail)
    before = _counts()
    sponsor_before = PlanStakeholder.objects.get(pk=vw.sponsor_stakeholder.pk)
    with pytest.raises(DomainError):
        note(cast.owner, vw)
    # Then nothing of the note is kept: no activity, no map change, no new action
    assert _counts() == before
    sponsor = PlanStakeholder.objects.get(pk=vw.sponsor_stakeholder.pk)
    assert (sponsor.last_met_on, sponsor.sentiment) == (
        sponsor_before.last_met_on,
        sponsor_before.sentiment,
    )


@pytest.mark.parametrize("role", ["outsider", "manager", "director", "reviewer", "auditor"])
def test_only_who_may_change_the_account_records(cast: Cast, vw: VisitWorld, role: str) -> None:
    before = _counts()
    with pytest.raises(PermissionDenied):
        note(cast.user(role), vw)
    assert _counts() == before


@pytest.mark.parametrize("role", ["owner", "member", "admin"])
def test_the_owner_the_editing_team_and_administrators_record(
    cast: Cast, vw: VisitWorld, role: str
) -> None:
    visit = note(cast.user(role), vw, done_actions=[])
    assert visit.recorded_by == cast.user(role)


def test_a_supply_side_relationship_is_refused(cast: Cast, vw: VisitWorld) -> None:
    from steward.visits import services

    with pytest.raises(DomainError) as refused:
        services.visit_note_record(
            actor=cast.owner, relationship=cast.rel_a, visited_on=days(0), summary="x"
        )
    assert refused.value.code == "not_an_account"
