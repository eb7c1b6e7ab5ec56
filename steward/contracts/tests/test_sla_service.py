"""Service levels through their services: definitions, measurements, judged periods, breaches,
the credits ledger, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from steward.contracts import selectors_sla, services
from steward.contracts.choices import ContractKind
from steward.contracts.models import (
    Contract,
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.services.sla_periods import period_bounds
from steward.core.errors import DomainError, DuplicateError, TransitionError
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

D = Decimal
# The contract starts mid-January, so January is a partial first month: 17 of its 31 days.
START = dt.date(2026, 1, 15)
TIERS = [
    {"shortfall_from": "0", "credit_percent": "5"},
    {"shortfall_from": "0.5", "credit_percent": "10"},
    {"shortfall_from": "1.0", "credit_percent": "25"},
]


def make_contract(cast: Cast, **fields: Any) -> Contract:
    values: dict[str, Any] = {"start_date": START, "term_months": 12}
    values.update(fields)
    return services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Hosting",
        kind=ContractKind.MASTER,
        **values,
    )


def make_level(cast: Cast, contract: Contract, **fields: Any) -> ServiceLevel:
    """Availability of at least 99.9 % a month: 5/10/25 % of a 10,000 fee, capped at 20 %."""
    values: dict[str, Any] = {
        "name": "Availability",
        "metric": "availability",
        "target": D("99.9"),
        "direction": "at_least",
        "unit": "%",
        "credit_tiers": TIERS,
        "cap_percent": D(20),
        "period_fee": D("10000.00"),
    }
    values.update(fields)
    return services.service_level_add(actor=cast.owner, contract=contract, **values)


def record(cast: Cast, level: ServiceLevel, day: dt.date, value: str, actor: Any = None) -> Any:
    return services.measurement_record(
        actor=actor or cast.member, service_level=level, measured_on=day, value=value
    )


def result_for(level: ServiceLevel, start: dt.date) -> SlaPeriodResult:
    return SlaPeriodResult.objects.get(service_level=level, period_start=start)


@pytest.fixture
def level(cast: Cast) -> ServiceLevel:
    return make_level(cast, make_contract(cast))


@pytest.fixture
def breached(cast: Cast, level: ServiceLevel) -> ServiceCredit:
    """February missed by 1.3 points: 25 % capped at 20 % of 10,000."""
    record(cast, level, dt.date(2026, 2, 10), "98.5")
    record(cast, level, dt.date(2026, 2, 20), "98.7")
    return ServiceCredit.objects.get(period_result__period_start=dt.date(2026, 2, 1))


# --- arithmetic on stored periods ------------------------------------------------------------


def test_credits_match_hand_computed_table_including_a_partial_first_month(
    cast: Cast, level: ServiceLevel
) -> None:
    # given January (17 of 31 days in force) averaging 99.1: 0.8 short, tier 10 %
    record(cast, level, dt.date(2026, 1, 20), "99.0")
    record(cast, level, dt.date(2026, 1, 27), "99.2")
    # and February averaging 98.6: 1.3 short, tier 25 % capped at 20 %; March met
    record(cast, level, dt.date(2026, 2, 10), "98.5")
    record(cast, level, dt.date(2026, 2, 20), "98.7")
    record(cast, level, dt.date(2026, 3, 5), "99.95")
    # then each period holds its verdict
    january = result_for(level, dt.date(2026, 1, 1))
    assert (january.value, january.shortfall) == (D("99.1"), D("0.8"))
    assert (january.service_days, january.period_days) == (17, 31)
    assert january.breached
    assert january.closed
    # 10,000 x 10 % x 17/31 = 548.387… → 548.39
    assert january.credit == D("548.39")
    assert january.attainment == D("99.20")  # 99.1 / 99.9 = 99.199…
    february = result_for(level, dt.date(2026, 2, 1))
    assert (february.credit, february.service_days) == (D("2000.00"), 28)
    march = result_for(level, dt.date(2026, 3, 1))
    assert not march.breached
    assert (march.credit, march.attainment) == (D("0.00"), D("100.00"))
    # and the ledger has exactly the two credits owed, the breaches are on file
    ledger = selectors_sla.credits_ledger(cast.owner, level.contract)
    assert [c.amount for c in ledger.credits] == [D("2000.00"), D("548.39")]
    assert ledger.total("owed", "EUR") == D("2548.39")
    assert SlaBreach.objects.filter(period_result__service_level=level).count() == 2
    assert list(selectors_sla.attainment_trend(cast.reviewer, level)) == [january, february, march]


def test_re_evaluating_a_period_changes_nothing(
    cast: Cast, level: ServiceLevel, breached: ServiceCredit
) -> None:
    # given a breached February with its credit booked
    before = result_for(level, dt.date(2026, 2, 1))
    # when it is judged twice more
    for _ in range(2):
        services.sla_period_evaluate(
            actor=cast.owner, service_level=level, period_start=dt.date(2026, 2, 1)
        )
    # then the same rows hold the same figures, booked once
    after = result_for(level, dt.date(2026, 2, 1))
    assert after.pk == before.pk
    assert (after.value, after.credit, after.breached) == (before.value, before.credit, True)
    assert ServiceCredit.objects.filter(period_result=after).count() == 1
    assert SlaBreach.objects.filter(period_result=after).count() == 1
    breached.refresh_from_db()
    assert breached.version == 1
    assert breached.history.count() == 1


def test_a_recomputation_that_clears_the_breach_waives_the_credit_and_a_new_miss_reopens_it(
    cast: Cast, level: ServiceLevel, breached: ServiceCredit
) -> None:
    # given February's credit owed; when both measurements are corrected to a met value
    rows = list(SlaMeasurement.objects.filter(service_level=level))
    for row in rows:
        services.measurement_update(
            actor=cast.owner, measurement=row, expected_version=row.version, value="99.95"
        )
    # then the credit is waived, not deleted, and the breach cleared
    breached.refresh_from_db()
    assert (breached.status, breached.waived_by_recomputation) == ("waived", True)
    breach = SlaBreach.objects.get(period_result=breached.period_result)
    assert breach.cleared_at is not None
    assert list(selectors_sla.breaches(cast.owner, level.contract)) == []
    # when one is corrected back to a miss (99.95 and 99.0 average 99.475: 0.425 short, 5 %)
    row = SlaMeasurement.objects.get(pk=rows[0].pk)
    services.measurement_update(
        actor=cast.owner, measurement=row, expected_version=row.version, value="99.0"
    )
    # then the same credit is owed again at the new amount and the breach is open again
    breached.refresh_from_db()
    assert (breached.status, breached.amount) == ("owed", D("500.00"))
    breach.refresh_from_db()
    assert breach.cleared_at is None
    assert ServiceCredit.objects.count() == 1


def test_an_open_period_books_nothing_until_it_is_over(cast: Cast, level: ServiceLevel) -> None:
    # given a miss measured in a month still running (as seen on 20 June)
    services.measurement_record(
        actor=cast.member,
        service_level=level,
        measured_on=dt.date(2026, 6, 10),
        value="90",
        today=dt.date(2026, 6, 20),
    )
    # then the result is provisional: breached, but no breach or credit booked yet
    june = result_for(level, dt.date(2026, 6, 1))
    assert june.breached
    assert not june.closed
    assert not ServiceCredit.objects.exists()
    assert not SlaBreach.objects.exists()
    # when the month is over and it is judged again, they are booked
    services.sla_period_evaluate(
        service_level=level, period_start=dt.date(2026, 6, 1), today=dt.date(2026, 7, 1)
    )
    assert ServiceCredit.objects.get().amount == D("2000.00")
    assert SlaBreach.objects.count() == 1


def test_an_empty_period_is_no_data_and_no_breach(cast: Cast, level: ServiceLevel) -> None:
    result = services.sla_period_evaluate(
        actor=cast.owner, service_level=level, period_start=dt.date(2026, 4, 1)
    )
    assert (result.no_data, result.breached, result.value, result.credit) == (
        True,
        False,
        None,
        D("0.00"),
    )
    # a period must be named by its first day
    with pytest.raises(DomainError) as refused:
        services.sla_period_evaluate(service_level=level, period_start=dt.date(2026, 4, 2))
    assert refused.value.field == "period_start"


def test_a_quarterly_at_most_level_judges_its_worst_sample(cast: Cast) -> None:
    # given response within at most 4 hours a quarter, judged by the slowest, 5 % from 1 h late
    contract = make_contract(cast)
    level = make_level(
        cast,
        contract,
        name="Response",
        metric="response-hours",
        target=D(4),
        direction="at_most",
        window="quarterly",
        aggregation="max",
        credit_tiers=[{"shortfall_from": "1", "credit_percent": "5"}],
        cap_percent=None,
        period_fee=D("3000.00"),
    )
    record(cast, level, dt.date(2026, 4, 3), "3")
    record(cast, level, dt.date(2026, 5, 3), "5.5")
    # then Q2 is 1.5 h late: 5 % of 3,000
    q2 = result_for(level, dt.date(2026, 4, 1))
    assert (q2.period_end, q2.value, q2.credit) == (dt.date(2026, 6, 30), D("5.5"), D("150.00"))


@pytest.mark.parametrize(
    ("window", "day", "bounds"),
    [
        ("monthly", dt.date(2024, 2, 10), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("monthly", dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        ("quarterly", dt.date(2026, 3, 31), (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
        ("quarterly", dt.date(2026, 11, 5), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
    ],
)
def test_period_bounds(window: str, day: dt.date, bounds: tuple[dt.date, dt.date]) -> None:
    assert period_bounds(window, day) == bounds


# --- definitions and measurements are validated ----------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"credit_tiers": [{"shortfall_from": "1", "credit_percent": "5"}, TIERS[1]]},
            "credit_tiers",
        ),
        ({"credit_tiers": [{"shortfall_from": "1"}]}, "credit_tiers"),
        ({"credit_tiers": [{"shortfall_from": "x", "credit_percent": "5"}]}, "credit_tiers"),
        ({"credit_tiers": [{"shortfall_from": "1", "credit_percent": "120"}]}, "credit_tiers"),
        ({"credit_tiers": "10 %"}, "credit_tiers"),
        ({"cap_percent": D(150)}, "cap_percent"),
        ({"direction": "sideways"}, "direction"),
        ({"aggregation": "median"}, "aggregation"),
        ({"target": "high"}, "target"),
        ({"metric": "  "}, "metric"),
    ],
)
def test_a_bad_definition_is_refused_on_its_field(
    cast: Cast, changes: dict[str, Any], field: str
) -> None:
    contract = make_contract(cast)
    with pytest.raises(DomainError) as refused:
        make_level(cast, contract, **changes)
    assert refused.value.field == field
    assert not ServiceLevel.objects.exists()


def test_a_definition_stores_its_tiers_as_text_and_its_metric_once(
    cast: Cast, level: ServiceLevel
) -> None:
    assert level.credit_tiers[1] == {"shortfall_from": "0.5", "credit_percent": "10"}
    assert level.currency == "EUR"
    with pytest.raises(DuplicateError) as refused:
        make_level(cast, level.contract, name="Uptime")
    assert refused.value.field == "metric"
    updated = services.service_level_update(
        actor=cast.member, service_level=level, expected_version=1, target="99.5"
    )
    assert (updated.target, updated.version) == (D("99.5"), 2)


def test_the_window_is_fixed_once_periods_were_judged(
    cast: Cast, level: ServiceLevel, breached: ServiceCredit
) -> None:
    with pytest.raises(DomainError) as refused:
        services.service_level_update(
            actor=cast.owner, service_level=level, expected_version=1, window="quarterly"
        )
    assert refused.value.field == "window"


@pytest.mark.parametrize(
    ("day", "value", "field"),
    [
        (dt.date(2026, 1, 10), "99", "measured_on"),  # before the contract began
        (dt.date(2099, 1, 10), "99", "measured_on"),  # in the future
        (dt.date(2026, 2, 10), "ninety", "value"),
        (dt.date(2026, 2, 10), "99.1234567", "value"),  # finer than stored
    ],
)
def test_a_bad_measurement_is_refused(
    cast: Cast, level: ServiceLevel, day: dt.date, value: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        record(cast, level, day, value)
    assert refused.value.field == field
    assert not SlaMeasurement.objects.exists()


def test_a_day_is_measured_once_and_records_who(cast: Cast, level: ServiceLevel) -> None:
    first = record(cast, level, dt.date(2026, 2, 10), "99.5")
    assert (first.entered_by, first.source) == (cast.member, "ui")
    with pytest.raises(DuplicateError) as refused:
        record(cast, level, dt.date(2026, 2, 10), "99.6")
    assert refused.value.field == "measured_on"


# --- the credits ledger ----------------------------------------------------------------------


def test_a_credit_moves_from_owed_to_claimed_to_received(
    cast: Cast, breached: ServiceCredit
) -> None:
    claimed = services.credit_mark(
        actor=cast.owner, credit=breached, status="claimed", on=dt.date(2026, 3, 5)
    )
    assert (claimed.status, claimed.claimed_on) == ("claimed", dt.date(2026, 3, 5))
    with pytest.raises(DomainError) as early:
        services.credit_mark(
            actor=cast.owner, credit=claimed, status="received", on=dt.date(2026, 3, 1)
        )
    assert early.value.field == "on"
    received = services.credit_mark(
        actor=cast.owner, credit=claimed, status="received", on=dt.date(2026, 4, 2), note="paid"
    )
    assert (received.status, received.received_on, received.note) == (
        "received",
        dt.date(2026, 4, 2),
        "paid",
    )
    ledger = selectors_sla.credits_ledger(
        cast.auditor, breached.period_result.service_level.contract
    )
    assert ledger.total("received", "EUR") == D("2000.00")
    assert ledger.total("owed", "EUR") == D("0.00")
    # a received credit is settled: it can be neither waived nor claimed again
    for status in ("waived", "claimed", "owed"):
        with pytest.raises(TransitionError):
            services.credit_mark(actor=cast.owner, credit=received, status=status, note="x")


def test_a_credit_is_waived_with_a_reason_and_never_jumps_ahead(
    cast: Cast, breached: ServiceCredit
) -> None:
    with pytest.raises(TransitionError):
        services.credit_mark(actor=cast.owner, credit=breached, status="received")
    with pytest.raises(DomainError) as silent:
        services.credit_mark(actor=cast.owner, credit=breached, status="waived")
    assert silent.value.field == "note"
    waived = services.credit_mark(
        actor=cast.owner, credit=breached, status="waived", note="goodwill, renewal signed"
    )
    assert (waived.status, waived.waived_by_recomputation) == ("waived", False)
    with pytest.raises(TransitionError):
        services.credit_mark(actor=cast.owner, credit=waived, status="claimed")


# --- who may do what -------------------------------------------------------------------------


RESTRICTED = (ServiceLevel, SlaMeasurement, SlaPeriodResult, SlaBreach, ServiceCredit)


def test_a_reviewer_reads_but_does_not_record(
    cast: Cast, level: ServiceLevel, breached: ServiceCredit
) -> None:
    # the reviewer of the relationship and the auditor see every SLA record
    for user in (cast.reviewer, cast.auditor, cast.manager):
        for model in RESTRICTED:
            assert model.objects.restrict(user, "view").exists(), (user, model)
    assert not ServiceLevel.objects.restrict(cast.reviewer, "change").exists()
    # but may not record, evaluate, define or mark
    for user in (cast.reviewer, cast.auditor):
        with pytest.raises(PermissionDenied):
            record(cast, level, dt.date(2026, 3, 3), "99.9", actor=user)
        with pytest.raises(PermissionDenied):
            services.sla_period_evaluate(
                actor=user, service_level=level, period_start=dt.date(2026, 3, 1)
            )
        with pytest.raises(PermissionDenied):
            services.service_level_add(
                actor=user,
                contract=level.contract,
                name="Other",
                metric="other",
                target=D(1),
                direction="at_least",
            )
        with pytest.raises(PermissionDenied):
            services.credit_mark(actor=user, credit=breached, status="claimed")
    assert SlaMeasurement.objects.count() == 2
    assert not SlaPeriodResult.objects.filter(period_start=dt.date(2026, 3, 1)).exists()


def test_an_outsider_sees_nothing_and_changes_nothing(
    cast: Cast, level: ServiceLevel, breached: ServiceCredit
) -> None:
    for user in (cast.outsider, cast.portal_a):
        for model in RESTRICTED:
            assert not model.objects.restrict(user, "view").exists(), (user, model)
        assert not selectors_sla.credits_ledger(user, level.contract).credits.exists()
        assert not selectors_sla.attainment_trend(user, level).exists()
        with pytest.raises(PermissionDenied):
            record(cast, level, dt.date(2026, 3, 3), "99.9", actor=user)
        with pytest.raises(PermissionDenied):
            services.credit_mark(actor=user, credit=breached, status="claimed")
        with pytest.raises(PermissionDenied):
            services.measurement_update(
                actor=user,
                measurement=SlaMeasurement.objects.order_by("pk")[0],
                expected_version=1,
                value="1",
            )
    breached.refresh_from_db()
    assert breached.status == "owed"
