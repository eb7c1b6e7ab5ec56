"""Plans at the service layer: initiatives and milestones, their rules and who may write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError, StaleVersionError
from steward.parties.tests.cast import Cast
from steward.plans import services
from steward.plans.choices import InitiativeKind, InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative, Milestone
from steward.plans.tests.factories import InitiativeFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2030, 1, 1)
JUN_30 = dt.date(2030, 6, 30)


def _start(cast: Cast, **fields: Any) -> Initiative:
    return services.initiative_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Re-tender inbound freight",
        kind=InitiativeKind.SOURCING,
        **fields,
    )


# --- initiatives ---------------------------------------------------------------------------------


def test_an_initiative_starts_owned_by_its_creator_with_one_history_entry(cast: Cast) -> None:
    # When the relationship's owner starts an initiative with dates and money
    initiative = _start(
        cast,
        starts_on=JAN_1,
        ends_on=JUN_30,
        budget=Decimal("12000"),
        expected_value=Decimal("40000"),
        currency=" eur ",
    )

    # Then it is planned, owned by them, its currency tidied, and its creation recorded
    assert initiative.status == InitiativeStatus.PLANNED
    assert initiative.owner == cast.owner
    assert initiative.currency == "EUR"
    record = initiative.history.get()
    assert (record.history_type, record.history_user) == ("+", cast.owner)
    # And an editing team member may start one too, naming someone else as its owner
    other = services.initiative_create(
        actor=cast.member,
        relationship=cast.rel_a,
        title="Safety stock agreement",
        kind=InitiativeKind.RISK_REDUCTION,
        owner=cast.owner,
    )
    assert other.owner == cast.owner


def test_an_end_before_the_start_is_refused_naming_the_end(cast: Cast) -> None:
    # When an initiative would end before it starts
    with pytest.raises(DomainError) as refused:
        _start(cast, starts_on=JUN_30, ends_on=JAN_1)

    # Then the end date is named and nothing was written
    assert refused.value.field == "ends_on"
    assert not Initiative.objects.exists()


def test_an_edit_that_ends_before_the_start_changes_nothing(cast: Cast) -> None:
    # Given an initiative from January to June
    initiative = _start(cast, starts_on=JAN_1, ends_on=JUN_30)

    # When an edit moves the start after the end
    with pytest.raises(DomainError) as refused:
        services.initiative_update(
            actor=cast.owner,
            initiative=initiative,
            expected_version=1,
            starts_on=dt.date(2030, 7, 1),
        )

    # Then the end date is named and the initiative is as it was
    assert refused.value.field == "ends_on"
    initiative.refresh_from_db()
    assert (initiative.starts_on, initiative.version) == (JAN_1, 1)
    assert initiative.history.count() == 1


@pytest.mark.parametrize("field", ["budget", "expected_value", "delivered_value"])
def test_negative_amounts_are_refused_by_name(cast: Cast, field: str) -> None:
    # When an initiative is started with a negative amount
    with pytest.raises(DomainError) as refused:
        _start(cast, **{field: Decimal("-1")})

    # Then that amount is named and nothing was written
    assert refused.value.field == field
    assert not Initiative.objects.exists()


def test_a_negative_budget_is_refused_on_edit_too(cast: Cast) -> None:
    initiative = _start(cast, budget=Decimal("100"))

    with pytest.raises(DomainError) as refused:
        services.initiative_update(
            actor=cast.owner, initiative=initiative, expected_version=1, budget=Decimal("-100")
        )

    assert refused.value.field == "budget"
    initiative.refresh_from_db()
    assert initiative.budget == Decimal("100")


def test_fields_that_are_not_editable_are_refused(cast: Cast) -> None:
    # When an initiative is started or edited with a field the service does not take
    with pytest.raises(DomainError, match="colour"):
        _start(cast, colour="red")
    initiative = _start(cast)
    with pytest.raises(DomainError, match="relationship"):
        services.initiative_update(
            actor=cast.owner, initiative=initiative, expected_version=1, relationship=cast.rel_b
        )

    # Then only the one valid initiative exists, still on its relationship
    initiative.refresh_from_db()
    assert Initiative.objects.count() == 1
    assert initiative.relationship == cast.rel_a


def test_an_edit_of_a_stale_version_is_refused(cast: Cast) -> None:
    # Given two people read version 1 and one of them saved a change
    initiative = _start(cast)
    services.initiative_update(
        actor=cast.owner, initiative=initiative, expected_version=1, title="Re-tender freight"
    )

    # When the other saves theirs, naming version 1
    with pytest.raises(StaleVersionError) as refused:
        services.initiative_update(
            actor=cast.member,
            initiative=initiative,
            expected_version=1,
            status=InitiativeStatus.CANCELLED,
        )

    # Then it is refused and the first change stands
    assert (refused.value.expected, refused.value.current) == (1, 2)
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Re-tender freight", InitiativeStatus.PLANNED)


# --- milestones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [InitiativeStatus.DONE, InitiativeStatus.CANCELLED])
def test_no_milestones_are_added_to_a_finished_initiative(cast: Cast, status: str) -> None:
    # Given an initiative that is done (or cancelled)
    initiative = InitiativeFactory(relationship=cast.rel_a, status=status)

    # When a milestone is added
    with pytest.raises(DomainError) as refused:
        services.milestone_add(
            actor=cast.owner, initiative=initiative, title="One more thing", due_on=JUN_30
        )

    # Then it is refused and nothing was written
    assert refused.value.field == "initiative"
    assert not Milestone.objects.exists()


def test_marking_a_milestone_done_dates_it_and_reopening_clears_the_date(cast: Cast) -> None:
    # Given an open milestone
    initiative = _start(cast, starts_on=JAN_1, ends_on=JUN_30)
    milestone = services.milestone_add(
        actor=cast.owner, initiative=initiative, title=" RFP sent ", due_on=JAN_1, owner=cast.member
    )
    assert (milestone.title, milestone.status, milestone.completed_on) == (
        "RFP sent",
        MilestoneStatus.OPEN,
        None,
    )

    # When it is marked done
    done = services.milestone_update(
        actor=cast.member, milestone=milestone, expected_version=1, status=MilestoneStatus.DONE
    )

    # Then it was completed today, and the change is in its history
    assert done.completed_on == timezone.localdate()
    assert done.history.count() == 2
    # And reopening it clears the completion date
    reopened = services.milestone_update(
        actor=cast.owner, milestone=done, expected_version=2, status=MilestoneStatus.OPEN
    )
    assert reopened.completed_on is None


def test_a_milestone_keeps_a_completion_date_given_with_it(cast: Cast) -> None:
    milestone = MilestoneFactory(initiative__relationship=cast.rel_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    done = services.milestone_update(
        actor=cast.owner,
        milestone=milestone,
        expected_version=1,
        status=MilestoneStatus.DONE,
        completed_on=yesterday,
    )

    assert done.completed_on == yesterday


def test_a_milestone_cannot_be_completed_in_the_future(cast: Cast) -> None:
    milestone = MilestoneFactory(initiative__relationship=cast.rel_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        services.milestone_update(
            actor=cast.owner,
            milestone=milestone,
            expected_version=1,
            status=MilestoneStatus.DONE,
            completed_on=tomorrow,
        )

    assert refused.value.field == "completed_on"
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.OPEN, None)


# --- who may write -------------------------------------------------------------------------------

Attempt = Callable[[Any, Cast], Any]


def _create(actor: Any, cast: Cast) -> Any:
    return services.initiative_create(
        actor=actor, relationship=cast.rel_a, title="Sneaky", kind=InitiativeKind.OTHER
    )


def _update(actor: Any, cast: Cast) -> Any:
    initiative = Initiative.objects.get()
    return services.initiative_update(
        actor=actor, initiative=initiative, expected_version=1, title="Sneaky"
    )


def _add(actor: Any, cast: Cast) -> Any:
    initiative = Initiative.objects.get()
    return services.milestone_add(actor=actor, initiative=initiative, title="Sneaky", due_on=JAN_1)


def _tick(actor: Any, cast: Cast) -> Any:
    milestone = Milestone.objects.get()
    return services.milestone_update(
        actor=actor, milestone=milestone, expected_version=1, status=MilestoneStatus.DONE
    )


@pytest.mark.parametrize("attempt", [_create, _update, _add, _tick], ids=lambda f: f.__name__)
@pytest.mark.parametrize("role", ["reviewer", "outsider", "auditor", "manager", "portal_a"])
def test_people_who_may_not_change_the_relationship_write_nothing(
    cast: Cast, role: str, attempt: Attempt
) -> None:
    # Given an initiative with a milestone on A's relationship
    MilestoneFactory(initiative__relationship=cast.rel_a)
    before = _state()

    # When someone who may not change that relationship tries to write
    with pytest.raises(PermissionDenied):
        attempt(cast.user(role), cast)

    # Then nothing changed
    assert _state() == before


def _state() -> list[tuple[Any, ...]]:
    return [
        *Initiative.objects.values_list("pk", "title", "version"),
        *Milestone.objects.values_list("pk", "title", "status", "version"),
        (Initiative.history.count(), Milestone.history.count()),
    ]
