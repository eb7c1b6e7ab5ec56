"""What if: past periods re-scored under another version, beside the record, with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steward.core.errors import DomainError
from steward.scorecards.models import CriterionScore, Scorecard, ScorecardPeriod
from steward.scorecards.services.periods import period_close, period_open, what_if
from steward.scorecards.services.templates import template_version_create
from steward.scorecards.tests.engine_world import (
    CRITERIA,
    Q1_START,
    D,
    admin_user,
    make_template,
    measure,
    ratings,
    relationships,
)

pytestmark = pytest.mark.django_db

# Delivery counts for 80 in version 2 (40 in version 1), quality and the survey 10 each.
HEAVY_DELIVERY = [
    {**CRITERIA[0], "weight": 80},
    {**CRITERIA[1], "weight": 10},
    {**CRITERIA[2], "weight": 10},
]


@pytest.fixture
def world() -> dict[str, Any]:
    admin = admin_user()
    template = make_template(admin)
    period = period_open(template=template, starts_on=Q1_START)
    late, steady = relationships(2)
    measure(late, "on_time_delivery_pct", "88")  # 40
    measure(late, "defect_rate_pct", "1")  # 80
    measure(steady, "on_time_delivery_pct", "99")  # 95
    ratings(period, steady, "relationship", 3, 5)  # median 4 -> 75
    period_close(actor=admin, period=period)
    version = template_version_create(
        actor=admin,
        template=template,
        criteria=HEAVY_DELIVERY,
        note="Delivery first",
        today=dt.date(2024, 2, 10),
    )
    return {
        "admin": admin,
        "template": template,
        "period": period,
        "late": late,
        "steady": steady,
        "version": version,
    }


def snapshot() -> tuple[list[Any], list[Any]]:
    cards = list(Scorecard.objects.order_by("pk").values_list("pk", "score", "standing", "missing"))
    rows = list(
        CriterionScore.objects.order_by("pk").values_list("pk", "score", "raw", "applied_weight")
    )
    return cards, rows


def test_what_if_rescores_past_cards_and_saves_nothing(world: dict[str, Any]) -> None:
    before = snapshot()
    found = what_if(actor=world["admin"], version=world["version"], periods=[world["period"]])
    assert snapshot() == before
    by_relationship = {card.relationship.pk: card for card in found}
    late = by_relationship[world["late"].pk]
    # Recorded: (40 * 40 + 30 * 80) / 70 = 57.14 watch; what if: (80 * 40 + 10 * 80) / 90 = 44.44
    assert (late.recorded_score, late.recorded_standing) == (D("57.14"), "watch")
    assert (late.score, late.standing) == (D("44.44"), "poor")
    assert late.change == D("-12.70")
    assert late.missing == ("relationship",)
    assert late.period == world["period"]
    steady = by_relationship[world["steady"].pk]
    # Recorded: (40 * 95 + 30 * 75) / 70 = 86.43; what if: (80 * 95 + 10 * 75) / 90 = 92.78
    assert (steady.recorded_score, steady.score) == (D("86.43"), D("92.78"))
    assert steady.standing == "excellent"
    period = ScorecardPeriod.objects.get(pk=world["period"].pk)
    assert period.version.number == 1
    assert period.is_closed


def test_what_if_for_one_relationship(world: dict[str, Any]) -> None:
    found = what_if(
        actor=world["admin"],
        version=world["version"],
        periods=[world["period"]],
        relationship=world["steady"],
    )
    assert [card.relationship.pk for card in found] == [world["steady"].pk]


def test_what_if_shows_only_the_cards_the_actor_may_see(world: dict[str, Any]) -> None:
    owner = world["late"].owner
    found = what_if(actor=owner, version=world["version"], periods=[world["period"]])
    assert [card.relationship.pk for card in found] == [world["late"].pk]
    outsider = relationships(1)[0].owner
    assert what_if(actor=outsider, version=world["version"], periods=[world["period"]]) == []


def test_what_if_refuses_a_version_of_another_template(world: dict[str, Any]) -> None:
    other = make_template(world["admin"], name="Other", is_default=False)
    with pytest.raises(DomainError) as error:
        what_if(actor=world["admin"], version=other.versions.get(), periods=[world["period"]])
    assert (error.value.field, error.value.code) == ("periods", "template_mismatch")
