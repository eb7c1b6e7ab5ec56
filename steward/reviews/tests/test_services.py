"""Activities at the service layer: logged after the fact, with the right people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError, StaleVersionError
from steward.parties.tests.cast import Cast
from steward.reviews import services
from steward.reviews.choices import ActivityKind
from steward.reviews.models import Activity
from steward.reviews.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def test_an_activity_is_logged_with_its_participants(cast: Cast) -> None:
    # When the owner logs yesterday's business review with a colleague
    activity = services.activity_log(
        actor=cast.owner,
        relationship=cast.rel_a,
        subject="  Quarterly business review ",
        occurred_on=_today() - dt.timedelta(days=1),
        kind=ActivityKind.BUSINESS_REVIEW,
        follow_up_on=_today() + dt.timedelta(days=90),
        participants=[cast.owner, cast.member],
    )

    # Then it is logged by them, with the people set, and the subject tidied
    assert activity.logged_by == cast.owner
    assert activity.subject == "Quarterly business review"
    assert set(activity.participants.all()) == {cast.owner, cast.member}
    # And its one history entry holds the same people
    record = activity.history.get()
    assert record.history_user == cast.owner
    assert {row.user_id for row in record.participants.all()} == {cast.owner.pk, cast.member.pk}


def test_an_activity_logged_with_participants_keeps_its_contacts(cast: Cast) -> None:
    # When an activity is logged with a participant and a contact of the vendor
    activity = services.activity_log(
        actor=cast.owner,
        relationship=cast.rel_a,
        subject="Site visit",
        occurred_on=_today(),
        participants=[cast.owner],
        contacts=[cast.contact_a_shared],
    )

    # Then both are kept, on the activity and in its history entry
    assert list(activity.contacts.all()) == [cast.contact_a_shared]
    record = activity.history.get()
    assert [row.contact_id for row in record.contacts.all()] == [cast.contact_a_shared.pk]


def test_the_participants_can_be_replaced_later(cast: Cast) -> None:
    activity = services.activity_log(
        actor=cast.owner,
        relationship=cast.rel_a,
        subject="Call",
        occurred_on=_today(),
        participants=[cast.owner],
    )

    updated = services.activity_update(
        actor=cast.member, activity=activity, expected_version=1, participants=[cast.member]
    )

    assert list(updated.participants.all()) == [cast.member]
    assert updated.version == 2


def test_an_activity_dated_in_the_future_is_refused(cast: Cast) -> None:
    # When an activity is logged for the day after tomorrow
    with pytest.raises(DomainError) as refused:
        services.activity_log(
            actor=cast.owner,
            relationship=cast.rel_a,
            subject="Next quarter's review",
            occurred_on=_today() + dt.timedelta(days=2),
        )

    # Then the date is named and nothing was logged
    assert refused.value.field == "occurred_on"
    assert not Activity.objects.exists()


def test_a_follow_up_before_the_activity_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        services.activity_log(
            actor=cast.owner,
            relationship=cast.rel_a,
            subject="Site visit",
            occurred_on=_today(),
            follow_up_on=_today() - dt.timedelta(days=1),
        )

    assert refused.value.field == "follow_up_on"
    assert not Activity.objects.exists()


def test_a_follow_up_moved_before_the_activity_changes_nothing(cast: Cast) -> None:
    activity = ActivityFactory(relationship=cast.rel_a, occurred_on=_today())

    with pytest.raises(DomainError) as refused:
        services.activity_update(
            actor=cast.owner,
            activity=activity,
            expected_version=1,
            follow_up_on=_today() - dt.timedelta(days=3),
        )

    assert refused.value.field == "follow_up_on"
    activity.refresh_from_db()
    assert (activity.follow_up_on, activity.version) == (None, 1)


def test_a_contact_of_another_organization_is_refused(cast: Cast) -> None:
    # When B's contact is named on an activity with A
    with pytest.raises(DomainError) as refused:
        services.activity_log(
            actor=cast.owner,
            relationship=cast.rel_a,
            subject="Meeting",
            occurred_on=_today(),
            contacts=[cast.contact_a_private, cast.contact_b],
        )

    # Then the contacts are named and nothing was logged
    assert refused.value.field == "contacts"
    assert str(cast.contact_b) in str(refused.value)
    assert not Activity.objects.exists()
    # And an edit cannot add them either
    activity = ActivityFactory(relationship=cast.rel_a)
    with pytest.raises(DomainError):
        services.activity_update(
            actor=cast.owner, activity=activity, expected_version=1, contacts=[cast.contact_b]
        )
    assert not activity.contacts.exists()
    # While A's own contact is welcome
    services.activity_update(
        actor=cast.owner, activity=activity, expected_version=1, contacts=[cast.contact_a_private]
    )
    assert list(activity.contacts.all()) == [cast.contact_a_private]


def test_fields_that_are_not_editable_and_stale_versions_are_refused(cast: Cast) -> None:
    activity = ActivityFactory(relationship=cast.rel_a)
    with pytest.raises(DomainError, match="logged_by"):
        services.activity_update(
            actor=cast.owner, activity=activity, expected_version=1, logged_by=cast.member
        )
    services.activity_update(actor=cast.owner, activity=activity, expected_version=1, summary="x")

    with pytest.raises(StaleVersionError):
        services.activity_update(
            actor=cast.member, activity=activity, expected_version=1, summary="y"
        )

    activity.refresh_from_db()
    assert (activity.summary, activity.logged_by, activity.version) == ("x", cast.owner, 2)


# --- who may write -------------------------------------------------------------------------------

Attempt = Callable[[Any, Cast], Any]


def _log(actor: Any, cast: Cast) -> Any:
    return services.activity_log(
        actor=actor, relationship=cast.rel_a, subject="Sneaky", occurred_on=_today()
    )


def _edit(actor: Any, cast: Cast) -> Any:
    activity = Activity.objects.get()
    return services.activity_update(
        actor=actor, activity=activity, expected_version=1, subject="Sneaky"
    )


def _invite(actor: Any, cast: Cast) -> Any:
    activity = Activity.objects.get()
    return services.activity_update(
        actor=actor, activity=activity, expected_version=1, participants=[actor]
    )


@pytest.mark.parametrize("attempt", [_log, _edit, _invite], ids=lambda f: f.__name__)
@pytest.mark.parametrize("role", ["reviewer", "outsider", "auditor", "manager", "portal_a"])
def test_people_who_may_not_change_the_relationship_write_nothing(
    cast: Cast, role: str, attempt: Attempt
) -> None:
    # Given an activity on A's relationship
    ActivityFactory(relationship=cast.rel_a, subject="Kick-off")
    before = _state()

    # When someone who may not change that relationship tries to write
    with pytest.raises(PermissionDenied):
        attempt(cast.user(role), cast)

    # Then nothing changed
    assert _state() == before


def _state() -> list[tuple[Any, ...]]:
    return [
        *Activity.objects.values_list("pk", "subject", "version"),
        *Activity.participants.through.objects.values_list("activity_id", "user_id"),
        (Activity.history.count(),),
    ]
