"""Periods through their services: hand-computed cards (missing data renormalised, survey medians,
band edges, ties), a constant number of queries whatever the number of relationships, closing
(frozen, idempotent, consequences applied) and the daily job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.errors import DomainError
from steward.scorecards.choices import PeriodStatus
from steward.scorecards.models import CriterionScore, Scorecard, ScorecardPeriod
from steward.scorecards.services import periods as period_services
from steward.scorecards.services.periods import (
    period_bounds,
    period_close,
    period_open,
    period_score,
    periods_close_ended,
)
from steward.scorecards.tests.engine_world import (
    MID_Q1,
    Q1_START,
    D,
    admin_user,
    at,
    issue,
    make_template,
    measure,
    ratings,
    relationships,
    service_level,
    sla_result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Any:
    return admin_user()


@pytest.fixture
def period(admin: Any) -> ScorecardPeriod:
    return period_open(template=make_template(admin), starts_on=Q1_START)


def card_of(period: ScorecardPeriod, relationship: Any) -> Scorecard:
    return Scorecard.objects.get(period=period, relationship=relationship)


def criteria_of(card: Scorecard) -> dict[str, CriterionScore]:
    return {row.criterion.code: row for row in card.criteria.select_related("criterion")}


# --- bounds and opening ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("quarterly", dt.date(2024, 2, 29), dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("quarterly", dt.date(2024, 12, 31), dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        ("monthly", dt.date(2024, 2, 1), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_period_bounds(kind: str, day: dt.date, start: dt.date, end: dt.date) -> None:
    assert period_bounds(kind, day) == (start, end)


def test_period_open_is_idempotent_and_takes_the_version_in_force(admin: Any) -> None:
    template = make_template(admin)
    first = period_open(template=template, starts_on=dt.date(2024, 2, 10))
    again = period_open(template=template, starts_on=dt.date(2024, 1, 1))
    assert first.pk == again.pk
    assert (first.starts_on, first.ends_on) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert first.version.number == 1
    assert first.status == PeriodStatus.OPEN


# --- hand-computed cards -------------------------------------------------------------------------


def test_a_full_card_is_the_weighted_mean_of_its_criteria(period: ScorecardPeriod) -> None:
    # Given on-time delivery 90 and 96 (mean 93 -> 65), a defect rate of 1 (-> 80) and
    # stakeholder ratings 4, 5, 1 (median 4 -> 75)
    (vendor,) = relationships(1)
    measure(vendor, "on_time_delivery_pct", "90", dt.date(2024, 1, 10))
    measure(vendor, "on_time_delivery_pct", "96", dt.date(2024, 3, 31))
    measure(vendor, "on_time_delivery_pct", "10", dt.date(2024, 4, 1))  # next quarter
    measure(vendor, "defect_rate_pct", "1")
    ratings(period, vendor, "relationship", 4, 5, 1)
    # When the period is scored
    assert period_score(period=period) == 1
    # Then the card is (40 * 65 + 30 * 80 + 30 * 75) / 100 = 72.50, "good"
    card = card_of(period, vendor)
    assert card.score == D("72.50")
    assert card.standing == "good"
    assert card.missing == []
    rows = criteria_of(card)
    assert {code: row.score for code, row in rows.items()} == {
        "delivery": D("65.00"),
        "quality": D("80.00"),
        "relationship": D("75.00"),
    }
    assert rows["delivery"].raw == D("93")
    assert rows["relationship"].raw == D("4")
    assert rows["delivery"].applied_weight == D("40")
    period.refresh_from_db()
    assert period.scored_at is not None


def test_missing_criteria_are_left_out_and_the_weights_renormalised(
    period: ScorecardPeriod,
) -> None:
    # Given only delivery (93 -> 65) and quality (defect 2 -> 60) have data
    (vendor,) = relationships(1)
    measure(vendor, "on_time_delivery_pct", "93")
    measure(vendor, "defect_rate_pct", "2")
    period_score(period=period)
    card = card_of(period, vendor)
    # Then (40 * 65 + 30 * 60) / 70 = 62.857... -> 62.86, and the survey is listed as missing
    assert card.score == D("62.86")
    assert card.standing == "watch"
    assert card.missing == ["relationship"]
    rows = criteria_of(card)
    assert rows["relationship"].score is None
    assert rows["relationship"].applied_weight == 0
    assert rows["delivery"].applied_weight == D("57.1429")


def test_an_empty_card_has_no_score_never_0_or_100(period: ScorecardPeriod) -> None:
    (vendor,) = relationships(1)
    period_score(period=period)
    card = card_of(period, vendor)
    assert card.score is None
    assert card.standing == ""
    assert card.missing == ["delivery", "quality", "relationship"]


def test_an_even_number_of_ratings_takes_the_middle_of_the_two(period: ScorecardPeriod) -> None:
    (vendor,) = relationships(1)
    ratings(period, vendor, "relationship", 2, 4)  # median 3 -> 50
    period_score(period=period)
    card = card_of(period, vendor)
    assert card.score == D("50.00")
    assert card.missing == ["delivery", "quality"]


@pytest.mark.parametrize(
    ("on_time", "score", "standing"),
    [
        (
            "94",
            D("70.00"),
            "good",
        ),  # exactly on the "good" edge: the edge belongs to the band above
        ("93.98", D("69.90"), "watch"),
        ("97", D("85.00"), "excellent"),
        ("90", D("50.00"), "watch"),
        ("89.99", D("49.95"), "poor"),
        ("100", D("100.00"), "excellent"),
        ("70", D("0.00"), "poor"),  # below the floor: 0, not negative
    ],
)
def test_standings_edges(
    period: ScorecardPeriod, on_time: str, score: Decimal, standing: str
) -> None:
    (vendor,) = relationships(1)
    measure(vendor, "on_time_delivery_pct", on_time)
    period_score(period=period)
    card = card_of(period, vendor)
    assert (card.score, card.standing) == (score, standing)


def test_ties_score_and_stand_alike(period: ScorecardPeriod) -> None:
    first, second = relationships(2)
    measure(first, "on_time_delivery_pct", "95")
    measure(second, "on_time_delivery_pct", "95")
    period_score(period=period)
    assert (card_of(period, first).score, card_of(period, first).standing) == (
        card_of(period, second).score,
        card_of(period, second).standing,
    )


def test_only_the_sides_live_relationships_are_scored_by_its_default(admin: Any) -> None:
    period = period_open(template=make_template(admin), starts_on=Q1_START)
    supply, archived = relationships(2)
    archived.archived_at = at(MID_Q1)
    archived.save()
    relationships(1, side="demand")
    assert period_score(period=period) == 1
    assert list(Scorecard.objects.filter(period=period).values_list("relationship", flat=True)) == [
        supply.pk
    ]
    other = make_template(admin, name="Another", is_default=False)
    assert period_score(period=period_open(template=other, starts_on=Q1_START)) == 0


def test_formula_and_computed_measures_score_together(admin: Any) -> None:
    # A formula over SLA attainment and overdue issues, and a band rule over breaches
    criteria = [
        {
            "code": "service",
            "name": "Service",
            "category": "compliance_risk",
            "weight": 60,
            "rule_kind": "formula",
            "rule": {
                "expression": "attainment - 10 * overdue",
                "variables": {"attainment": "sla_attainment_pct", "overdue": "issues_overdue"},
            },
        },
        {
            "code": "breaches",
            "name": "Breaches",
            "category": "compliance_risk",
            "weight": 40,
            "measure": "sla_breaches",
            "rule_kind": "bands",
            "rule": {"bands": [["0", "100"], ["1", "50"]]},
        },
    ]
    period = period_open(template=make_template(admin, criteria=criteria), starts_on=Q1_START)
    (vendor,) = relationships(1)
    level = service_level(vendor, admin)
    sla_result(level, dt.date(2024, 1, 1), "100")
    sla_result(level, dt.date(2024, 2, 1), "96", breached=True)
    sla_result(level, dt.date(2024, 3, 1), None, no_data=True)
    issue(vendor, at(dt.date(2024, 1, 5)), resolve_hours=24)  # still open: overdue
    period_score(period=period)
    card = card_of(period, vendor)
    rows = criteria_of(card)
    # attainment mean 98, one overdue issue: 98 - 10 = 88; one breach: 50
    assert rows["service"].score == D("88.00")
    assert rows["service"].inputs == {"attainment": "98.0000", "overdue": "1.0000"}
    assert rows["breaches"].score == D("50.00")
    assert card.score == D("72.80")


def test_rescoring_an_open_period_replaces_its_cards(period: ScorecardPeriod) -> None:
    (vendor,) = relationships(1)
    measure(vendor, "on_time_delivery_pct", "90")
    period_score(period=period)
    first = card_of(period, vendor)
    measure(vendor, "on_time_delivery_pct", "100", dt.date(2024, 3, 1))
    period_score(period=period)
    again = card_of(period, vendor)
    assert again.pk == first.pk  # upserted: appeals and plans may point at it
    assert again.score == D("75.00")
    assert CriterionScore.objects.filter(card=again).count() == 3


def test_rescoring_drops_the_card_of_a_relationship_archived_meanwhile(
    period: ScorecardPeriod,
) -> None:
    kept, leaving = relationships(2)
    measure(leaving, "on_time_delivery_pct", "90")
    assert period_score(period=period) == 2
    leaving.archived_at = at(MID_Q1)
    leaving.save()
    assert period_score(period=period) == 1
    assert list(Scorecard.objects.filter(period=period).values_list("relationship", flat=True)) == [
        kept.pk
    ]
    assert CriterionScore.objects.filter(card__period=period).count() == 3


# --- set-based: queries do not grow with relationships ----------------------------------------


def _queries_to_score(admin: Any, count: int, index: int) -> int:
    template = make_template(admin, name=f"Scale {index}", is_default=True)
    period = period_open(template=template, starts_on=Q1_START)
    vendors = relationships(count)
    for vendor in vendors:
        measure(vendor, "on_time_delivery_pct", "95")
        measure(vendor, "defect_rate_pct", "1")
        ratings(period, vendor, "relationship", 4)
    with CaptureQueriesContext(connection) as captured:
        assert period_score(period=period) == len(vendors) + index * 5
    template.is_default = False
    template.save()
    return len(captured.captured_queries)


def test_scoring_costs_the_same_queries_for_5_or_50_relationships(admin: Any) -> None:
    few = _queries_to_score(admin, 5, 0)
    many = _queries_to_score(admin, 50, 1)
    assert many == few
    assert few <= 20


# --- closing -------------------------------------------------------------------------------------


def test_closing_scores_freezes_and_applies_the_standings(
    period: ScorecardPeriod, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[int] = []
    monkeypatch.setattr(
        "steward.scorecards.services.consequences.standings_apply",
        lambda *, period: applied.append(period.pk),
    )
    (vendor,) = relationships(1)
    measure(vendor, "on_time_delivery_pct", "90")
    closed = period_close(actor=admin, period=period)
    assert closed.status == PeriodStatus.CLOSED
    assert closed.closed_by == admin
    assert closed.closed_at is not None
    assert applied == [period.pk]
    assert card_of(period, vendor).score == D("50.00")
    # Then it is frozen: new data changes nothing, scoring is refused, closing again is a no-op
    measure(vendor, "on_time_delivery_pct", "100", dt.date(2024, 3, 2))
    with pytest.raises(DomainError) as refused:
        period_score(period=period)
    assert refused.value.code == "period_closed"
    again = period_close(actor=admin, period=period)
    assert again.closed_at == closed.closed_at
    assert applied == [period.pk]
    assert card_of(period, vendor).score == D("50.00")


def test_only_an_administrator_closes_a_period_by_hand(period: ScorecardPeriod) -> None:
    (vendor,) = relationships(1)
    with pytest.raises(PermissionDenied):
        period_close(actor=vendor.owner, period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert not Scorecard.objects.filter(period=period).exists()


def test_the_daily_job_closes_ended_periods_and_opens_the_current_one() -> None:
    # Given a fresh installation on 2024-04-02: the shipped templates score from their first run
    vendor, account = relationships(1)[0], relationships(1, side="demand")[0]
    measure(vendor, "on_time_delivery_pct", "97")
    measure(account, "usage_pct", "65")
    closed = periods_close_ended(today=dt.date(2024, 4, 2))
    # Then last quarter was opened and closed for both sides, and this quarter is open
    assert sorted((p.template.name, p.starts_on) for p in closed) == [
        ("Customer health", dt.date(2024, 1, 1)),
        ("Vendor performance", dt.date(2024, 1, 1)),
    ]
    vendor_card = Scorecard.objects.get(relationship=vendor)
    assert vendor_card.period.is_closed
    assert vendor_card.score == D("94.44")  # (97 - 80) / 18 * 100, the only criterion with data
    # usage (65 - 40) / 50 * 100 = 50 at weight 15; no open problem, 100 at weight 10
    assert Scorecard.objects.get(relationship=account).score == D("70.00")
    open_now = ScorecardPeriod.objects.filter(status=PeriodStatus.OPEN)
    assert {p.starts_on for p in open_now} == {dt.date(2024, 4, 1)}
    # And running it again the same day changes nothing
    assert periods_close_ended(today=dt.date(2024, 4, 2)) == []
    assert ScorecardPeriod.objects.count() == 4


def test_the_daily_job_is_registered() -> None:
    from steward.core.schedule import periodic_jobs

    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["scorecards.periods_close"].cadence.describe() == "daily at 04:00"


def test_the_task_runs_the_job() -> None:
    from steward.scorecards.tasks_periods import scorecard_periods_close

    result = scorecard_periods_close.enqueue(slot="2024-04-02")
    assert result.return_value == 2
    assert period_services.ScorecardPeriod.objects.filter(status=PeriodStatus.CLOSED).count() == 2
