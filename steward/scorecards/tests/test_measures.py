"""The measures registry and its set-based readers: what each measure reads for a period, for
every relationship in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.parties.models import Relationship
from steward.scorecards import measures
from steward.scorecards.measures import (
    COMPUTED,
    RECORDED,
    SURVEY,
    Measure,
    measure_choices,
    measure_get,
    read_recorded,
    read_survey_medians,
    register_measure,
)
from steward.scorecards.scoring import Direction
from steward.scorecards.services.periods import period_open
from steward.scorecards.tests.engine_world import (
    MID_Q1,
    Q1_END,
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


def read(key: str, ids: Any = None) -> dict[int, Any]:
    reader = measure_get(key)
    assert reader is not None
    assert reader.read is not None
    return reader.read(Q1_START, Q1_END, ids)


# --- the registry ----------------------------------------------------------------------------


def test_the_registry_holds_the_documented_measures() -> None:
    recorded = {
        "on_time_delivery_pct",
        "defect_rate_pct",
        "return_rate_pct",
        "invoice_accuracy_pct",
        "price_variance_pct",
        "csat",
        "nps",
        "usage_pct",
    }
    computed = {
        "sla_attainment_pct",
        "sla_breaches",
        "issues_opened",
        "issues_overdue",
        "issue_resolution_hours",
    }
    kinds = {m.key: m.kind for m in measures.measures()}
    assert {k for k, kind in kinds.items() if kind == RECORDED} >= recorded
    assert {k for k, kind in kinds.items() if kind == COMPUTED} >= computed
    assert kinds["survey"] == SURVEY
    assert measure_get("defect_rate_pct").direction is Direction.LOWER_IS_BETTER
    supply = dict(measure_choices("supply"))
    demand = dict(measure_choices("demand"))
    assert "on_time_delivery_pct" in supply
    assert "on_time_delivery_pct" not in demand
    assert "csat" in demand
    assert "csat" not in supply
    assert "survey" in supply
    assert "survey" in demand


def test_a_computed_measure_needs_a_reader_and_a_known_kind() -> None:
    with pytest.raises(ValueError, match="reader"):
        register_measure(Measure("x", "X", "", Direction.HIGHER_IS_BETTER, COMPUTED))
    with pytest.raises(ValueError, match="recorded, computed or survey"):
        register_measure(Measure("x", "X", "", Direction.HIGHER_IS_BETTER, "guessed"))
    assert measure_get("x") is None


# --- recorded ----------------------------------------------------------------------------------


def test_recorded_measures_read_the_mean_of_the_periods_live_rows() -> None:
    first, second = relationships(2)
    measure(first, "on_time_delivery_pct", "90", Q1_START)
    measure(first, "on_time_delivery_pct", "95", Q1_END)
    measure(first, "on_time_delivery_pct", "0", Q1_END + dt.timedelta(days=1))
    measure(first, "on_time_delivery_pct", "0", Q1_START - dt.timedelta(days=1))
    measure(first, "on_time_delivery_pct", "0", MID_Q1, archived_at=timezone.now())
    measure(first, "defect_rate_pct", "2")
    measure(second, "defect_rate_pct", "4")
    with CaptureQueriesContext(connection) as captured:
        found = read_recorded(
            ["on_time_delivery_pct", "defect_rate_pct", "csat"], Q1_START, Q1_END, None
        )
    assert len(captured.captured_queries) == 1
    assert found["on_time_delivery_pct"] == {first.pk: D("92.5")}
    assert found["defect_rate_pct"] == {first.pk: D(2), second.pk: D(4)}
    assert found["csat"] == {}
    only_second = Relationship.objects.filter(pk=second.pk).values("pk")
    assert read_recorded(["defect_rate_pct"], Q1_START, Q1_END, only_second) == {
        "defect_rate_pct": {second.pk: D(4)}
    }


# --- SLA ---------------------------------------------------------------------------------------


def test_sla_measures_read_the_judged_periods_within_the_period(admin: Any) -> None:
    vendor, quiet, without = relationships(3)
    level = service_level(vendor, admin)
    sla_result(level, dt.date(2024, 1, 1), "100")
    sla_result(level, dt.date(2024, 2, 1), "95", breached=True)
    sla_result(level, dt.date(2024, 3, 1), None, no_data=True)
    sla_result(level, dt.date(2024, 4, 1), "10", breached=True)  # next quarter
    quiet_level = service_level(quiet, admin)
    sla_result(quiet_level, dt.date(2024, 1, 1), "100")
    with CaptureQueriesContext(connection) as captured:
        attainment = read("sla_attainment_pct")
    assert len(captured.captured_queries) == 1
    assert attainment == {vendor.pk: D("97.5"), quiet.pk: D(100)}
    # A relationship with judged periods but no breach reads 0; one without SLAs has no data
    assert read("sla_breaches") == {vendor.pk: D(1), quiet.pk: D(0)}
    assert without.pk not in attainment


# --- issues ------------------------------------------------------------------------------------


def test_issue_measures(admin: Any) -> None:
    vendor, calm, untouched = relationships(3)
    # Opened before the quarter, still open past its target: overdue, not opened in the quarter
    issue(vendor, at(dt.date(2023, 12, 20)), resolve_hours=72)
    # Opened and resolved in time within the quarter: 10 hours
    issue(vendor, at(dt.date(2024, 1, 10), 8), resolved=at(dt.date(2024, 1, 10), 18))
    # Opened in the quarter and resolved late: 100 hours against a target of 72
    opened = at(dt.date(2024, 2, 1), 0)
    issue(vendor, opened, resolve_hours=72, resolved=opened + dt.timedelta(hours=100))
    # Opened on the last day, due after the quarter: neither overdue nor resolved
    issue(vendor, at(Q1_END, 20), resolve_hours=72)
    # A calm relationship had one issue, resolved before the quarter: no data at all
    issue(calm, at(dt.date(2023, 11, 1)), resolved=at(dt.date(2023, 11, 2)))
    assert read("issues_opened") == {vendor.pk: D(3)}
    assert read("issues_overdue") == {vendor.pk: D(2)}
    assert read("issue_resolution_hours") == {vendor.pk: D(55)}
    assert untouched.pk not in read("issues_opened")


def test_every_computed_reader_costs_one_query_whatever_the_relationships(admin: Any) -> None:
    vendors = relationships(4)
    for vendor in vendors:
        issue(vendor, at(dt.date(2024, 1, 10)), resolved=at(dt.date(2024, 1, 11)))
        level = service_level(vendor, admin)
        sla_result(level, dt.date(2024, 1, 1), "99")
    ids = Relationship.objects.filter(pk__in=[v.pk for v in vendors[:3]]).values("pk")
    for key in (
        "sla_attainment_pct",
        "sla_breaches",
        "issues_opened",
        "issues_overdue",
        "issue_resolution_hours",
    ):
        with CaptureQueriesContext(connection) as captured:
            values = read(key, ids)
        assert len(captured.captured_queries) == 1, key
        assert set(values) == {v.pk for v in vendors[:3]}, key


# --- survey ------------------------------------------------------------------------------------


def test_the_survey_reads_the_median_per_criterion_code(admin: Any) -> None:
    period = period_open(template=make_template(admin), starts_on=Q1_START)
    first, second = relationships(2)
    ratings(period, first, "relationship", 1, 4, 5)
    ratings(period, second, "relationship", 2, 5)
    with CaptureQueriesContext(connection) as captured:
        medians = read_survey_medians(period.pk)
    assert len(captured.captured_queries) == 1
    assert medians == {"relationship": {first.pk: D(4), second.pk: D("3.5")}}
