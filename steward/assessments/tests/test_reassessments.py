"""Reassessments by tier: drafted once for vendors due within 30 days, none for depth "none"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.assessments.choices import AssessmentStatus
from steward.assessments.models import Assessment
from steward.assessments.services.reassessments import reassessments_schedule
from steward.assessments.tasks import reassessments_draft
from steward.assessments.tests.factories import SHIPPED_NAME, World, sent
from steward.risk.models import RiskProfile
from steward.risk.services import risk_profile_save

pytestmark = pytest.mark.django_db


def _profile(world: World, supplier, due: dt.date | None, **intake) -> RiskProfile:
    risk_profile_save(actor=world.cast.admin, supplier=supplier, **intake)
    RiskProfile.objects.filter(pk=supplier.pk).update(next_assessment_due=due)
    return RiskProfile.objects.get(pk=supplier.pk)


def test_due_vendors_get_one_draft_on_their_tiers_template(world: World) -> None:
    today = timezone.localdate()
    # vendor A: tier 1 (special categories), due in 20 days; vendor B: tier 4, overdue
    a = _profile(world, world.vendor_a, today + dt.timedelta(days=20), data_handled="special")
    b = _profile(world, world.vendor_b, today - dt.timedelta(days=3))
    assert (a.tier, b.tier) == (1, 4)
    made = reassessments_schedule(today=today)
    assert [m.supplier_id for m in made] == [world.vendor_a.pk]
    draft = made[0]
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.owner == world.cast.owner  # the vendor's owner
    assert draft.due_on == today + dt.timedelta(days=20)
    # depth "full" has no template yet: the shipped lightweight review stands in
    assert draft.template_version.template.name in (SHIPPED_NAME, "Tiny review")
    # a second run drafts nothing more
    assert reassessments_schedule(today=today) == []
    assert Assessment.objects.count() == 1


def test_not_yet_due_or_already_open_is_left_alone(world: World) -> None:
    today = timezone.localdate()
    _profile(world, world.vendor_a, today + dt.timedelta(days=31), data_handled="special")
    assert reassessments_schedule(today=today) == []
    _profile(world, world.vendor_a, today, data_handled="special")
    sent(world)  # an open assessment exists
    assert reassessments_schedule(today=today) == []


def test_the_daily_task_runs_the_service(world: World) -> None:
    today = timezone.localdate()
    _profile(world, world.vendor_a, today, data_handled="special")
    result = reassessments_draft.call(slot=today.isoformat())
    assert result == {"drafted": 1}
    assert reassessments_draft.call(slot=today.isoformat()) == {"drafted": 0}
