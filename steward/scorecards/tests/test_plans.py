"""Improvement plans: create, edit with the version seen, targets added, edited and met, closing
as met or closed, history, and that only those who may change the relationship may."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError, StaleVersionError
from steward.parties.tests.cast import Cast
from steward.scorecards.choices import PlanStatus
from steward.scorecards.models import ImprovementPlan, ImprovementTarget
from steward.scorecards.services.plans import (
    improvement_plan_close,
    improvement_plan_create,
    improvement_plan_update,
    improvement_target_add,
    improvement_target_mark_met,
    improvement_target_update,
)
from steward.scorecards.tests.factories import period_with_criteria, scored_card

pytestmark = pytest.mark.django_db

DUE = dt.date(2030, 6, 30)


def create(cast: Cast, **fields: Any) -> ImprovementPlan:
    values: dict[str, Any] = {"title": "Get deliveries back on time", "due_on": DUE}
    values.update(fields)
    return improvement_plan_create(actor=cast.owner, relationship=cast.rel_a, **values)


def test_create_defaults_the_owner_and_records_history(cast: Cast) -> None:
    plan = create(cast, summary="  Weekly calls  ")
    assert plan.owner == cast.owner
    assert plan.summary == "Weekly calls"
    assert plan.status == PlanStatus.OPEN
    record = plan.history.get()
    assert record.history_user == cast.owner


def test_create_checks_its_input_and_writes_nothing(cast: Cast) -> None:
    for fields, field in (
        ({"title": "  "}, "title"),
        ({"due_on": None}, "due_on"),
        ({"owner": cast.portal_a}, "owner"),
    ):
        with pytest.raises(DomainError) as error:
            create(cast, **fields)
        assert error.value.field == field
    other_card = scored_card(period=period_with_criteria(), relationship=cast.rel_b, scores={})
    with pytest.raises(DomainError) as error:
        create(cast, card=other_card)
    assert error.value.field == "card"
    assert not ImprovementPlan.objects.exists()


def test_one_open_plan_per_relationship(cast: Cast) -> None:
    plan = create(cast)
    with pytest.raises(DomainError) as error:
        create(cast)
    assert error.value.code == "plan_open"
    improvement_plan_close(actor=cast.owner, plan=plan, reason="Superseded")
    assert create(cast).pk != plan.pk


@pytest.mark.parametrize("role", ["reviewer", "outsider", "auditor", "portal_a", "manager"])
def test_who_may_not_create_or_change(cast: Cast, role: str) -> None:
    user = cast.user(role)
    with pytest.raises(PermissionDenied):
        improvement_plan_create(actor=user, relationship=cast.rel_a, title="Mine", due_on=DUE)
    plan = create(cast)
    with pytest.raises(PermissionDenied):
        improvement_plan_update(actor=user, plan=plan, expected_version=plan.version, title="X")
    with pytest.raises(PermissionDenied):
        improvement_target_add(actor=user, plan=plan, target_score=60)
    with pytest.raises(PermissionDenied):
        improvement_plan_close(actor=user, plan=plan, reason="No")
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.targets.count()) == (
        "Get deliveries back on time",
        PlanStatus.OPEN,
        0,
    )


def test_members_who_edit_and_admins_may(cast: Cast) -> None:
    plan = improvement_plan_create(
        actor=cast.member, relationship=cast.rel_a, title="Team plan", due_on=DUE
    )
    updated = improvement_plan_update(
        actor=cast.admin, plan=plan, expected_version=plan.version, title="Admin's plan"
    )
    assert updated.title == "Admin's plan"
    assert updated.version == plan.version + 1


def test_update_refuses_a_stale_version_unknown_fields_and_closed_plans(cast: Cast) -> None:
    plan = create(cast)
    improvement_plan_update(actor=cast.owner, plan=plan, expected_version=plan.version, title="A")
    with pytest.raises(StaleVersionError):
        improvement_plan_update(actor=cast.owner, plan=plan, expected_version=1, title="B")
    with pytest.raises(DomainError):
        improvement_plan_update(actor=cast.owner, plan=plan, expected_version=2, status="met")
    closed = improvement_plan_close(actor=cast.owner, plan=plan, reason="Vendor exited")
    with pytest.raises(DomainError) as error:
        improvement_plan_update(
            actor=cast.owner, plan=closed, expected_version=closed.version, title="C"
        )
    assert error.value.code == "plan_closed"
    plan.refresh_from_db()
    assert plan.title == "A"


def test_targets_add_update_and_met(cast: Cast) -> None:
    period = period_with_criteria()
    card = scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(20)})
    plan = create(cast, card=card)
    overall = improvement_target_add(actor=cast.owner, plan=plan, target_score="50", label="Out")
    assert (overall.criterion_code, overall.target_score, overall.due_on) == ("", Decimal(50), DUE)
    delivery = improvement_target_add(
        actor=cast.owner,
        plan=plan,
        criterion_code="delivery",
        target_score=Decimal("75.5"),
        due_on=dt.date(2030, 3, 31),
    )
    assert delivery.label == "On-time delivery"  # the criterion's name when none given
    moved = improvement_target_update(
        actor=cast.member, target=delivery, expected_version=delivery.version, target_score=80
    )
    assert moved.target_score == Decimal(80)

    today = timezone.localdate()
    met = improvement_target_mark_met(actor=cast.owner, target=delivery)
    assert met.met_on == today
    again = improvement_target_mark_met(actor=cast.owner, target=met, met_on=dt.date(2020, 1, 1))
    assert again.met_on == today
    assert met.history.count() == 3  # added, updated, met


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target_score": "101"}, "target_score"),
        ({"target_score": "-1"}, "target_score"),
        ({"target_score": "lots"}, "target_score"),
        ({"target_score": None}, "target_score"),
        ({"target_score": 60, "criterion_code": "taste"}, "criterion_code"),
        ({"target_score": 60, "label": ""}, "label"),
    ],
)
def test_target_input_errors_name_the_field(cast: Cast, fields: dict[str, Any], field: str) -> None:
    plan = create(cast)
    with pytest.raises(DomainError) as error:
        improvement_target_add(actor=cast.owner, plan=plan, **{"label": "Overall", **fields})
    assert error.value.field == field
    assert not ImprovementTarget.objects.exists()


def test_a_target_cannot_be_met_in_the_future(cast: Cast) -> None:
    plan = create(cast)
    target = improvement_target_add(actor=cast.owner, plan=plan, target_score=60, label="All")
    with pytest.raises(DomainError) as error:
        improvement_target_mark_met(
            actor=cast.owner, target=target, met_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert error.value.field == "met_on"


def test_close_as_met_needs_every_target_met(cast: Cast) -> None:
    plan = create(cast)
    with pytest.raises(DomainError) as error:
        improvement_plan_close(actor=cast.owner, plan=plan, status=PlanStatus.MET)
    assert error.value.code == "no_targets"
    first = improvement_target_add(actor=cast.owner, plan=plan, target_score=60, label="A")
    second = improvement_target_add(actor=cast.owner, plan=plan, target_score=60, label="B")
    improvement_target_mark_met(actor=cast.owner, target=first)
    with pytest.raises(DomainError) as error:
        improvement_plan_close(actor=cast.owner, plan=plan, status=PlanStatus.MET)
    assert error.value.code == "targets_open"
    improvement_target_mark_met(actor=cast.owner, target=second)
    closed = improvement_plan_close(actor=cast.owner, plan=plan, status=PlanStatus.MET)
    assert closed.status == PlanStatus.MET
    assert closed.closed_at is not None
    # closing again as met is a no-op; a closed plan takes no new targets
    assert improvement_plan_close(actor=cast.owner, plan=closed, status="met").pk == plan.pk
    with pytest.raises(DomainError):
        improvement_target_add(actor=cast.owner, plan=closed, target_score=60, label="C")
    with pytest.raises(DomainError):
        improvement_plan_close(actor=cast.owner, plan=closed, status=PlanStatus.CLOSED, reason="x")


def test_close_without_targets_met_needs_a_reason_and_a_known_status(cast: Cast) -> None:
    plan = create(cast)
    with pytest.raises(DomainError) as error:
        improvement_plan_close(actor=cast.owner, plan=plan)
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        improvement_plan_close(actor=cast.owner, plan=plan, status="open", reason="x")
    assert error.value.field == "status"
    closed = improvement_plan_close(actor=cast.owner, plan=plan, reason="Vendor exited")
    assert closed.status == PlanStatus.CLOSED
    assert closed.history.first().history_change_reason == "Vendor exited"
