"""Importing SLA measurements from CSV and XLSX: all rows or none, an error for every bad row."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from steward.contracts.models import (
    Contract,
    ServiceCredit,
    ServiceLevel,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.sla_import import ImportRefused, RowError, measurements_import
from steward.contracts.tests.test_sla_service import make_contract, make_level, record
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def contract(cast: Cast) -> Contract:
    contract = make_contract(cast)
    make_level(cast, contract)
    make_level(
        cast,
        contract,
        name="Incidents",
        metric="p1-incidents",
        target=D(2),
        direction="at_most",
        aggregation="sum",
        credit_tiers=[{"shortfall_from": "1", "credit_percent": "5"}],
        cap_percent=None,
        period_fee=D("4000.00"),
    )
    return contract


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def run(cast: Cast, contract: Contract, file: io.BytesIO, name: str, actor: Any = None) -> Any:
    return measurements_import(
        actor=actor or cast.member, contract=contract, file=file, filename=name
    )


def test_a_file_with_bad_rows_is_refused_whole_with_an_error_per_row(
    cast: Cast, contract: Contract
) -> None:
    # given one stored measurement and a file with five bad rows among good ones
    record(cast, contract.service_levels.get(metric="availability"), dt.date(2026, 2, 1), "99.9")
    stored = SlaMeasurement.objects.count()
    results = SlaPeriodResult.objects.count()
    file = csv_file(
        "metric,date,value,note",
        "availability,2026-03-01,99.95,good",  # row 2
        "uptime,2026-03-02,99.9,",  # row 3: unknown metric
        "availability,2026-13-01,99.9,",  # row 4: bad date
        "availability,2026-03-04,n/a,",  # row 5: not a number
        "availability,2026-03-01,99.1,again",  # row 6: same metric and day as row 2
        "availability,2026-02-01,99.0,",  # row 7: stored already
        "p1-incidents,2026-03-05,1,",  # row 8
    )
    # when it is imported
    with pytest.raises(ImportRefused) as refused:
        run(cast, contract, file, "march.csv")
    # then every bad row has its error, in row order, and nothing was written
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (3, "metric"),
        (4, "date"),
        (5, "value"),
        (6, "date"),
        (7, "date"),
    ]
    reasons = [e.reason for e in refused.value.errors]
    assert "“uptime” is not a service level of this contract" in reasons[0]
    assert "also on row 2" in reasons[3]
    assert "already has a value" in reasons[4]
    assert refused.value.field == "file"
    assert "5 problems" in refused.value.message
    assert SlaMeasurement.objects.count() == stored
    assert SlaPeriodResult.objects.count() == results


def test_a_good_csv_is_written_and_its_periods_judged(cast: Cast, contract: Contract) -> None:
    file = csv_file(
        "Metric,Date,Value,Note",
        "availability,2026-02-10,98.5,",
        "availability,2026-02-20,98.7,after the outage",
        "p1-incidents,2026-02-03,2,",
        "p1-incidents,2026-02-17,2,",
        ",,,",  # a blank row is skipped
        "availability,2026-03-10,99.95,",
    )
    outcome = run(cast, contract, file, "feb.csv")
    assert outcome.created == 5
    assert len(outcome.periods) == 3
    rows = SlaMeasurement.objects.filter(service_level__contract=contract)
    assert {(r.source, r.entered_by) for r in rows} == {("import", cast.member)}
    assert rows.get(measured_on=dt.date(2026, 2, 20)).note == "after the outage"
    # February: availability 98.6, capped at 20 % of 10,000; 4 incidents, 2 over: 5 % of 4,000
    owed = {
        c.period_result.service_level.metric: c.amount
        for c in ServiceCredit.objects.select_related("period_result__service_level")
    }
    assert owed == {"availability": D("2000.00"), "p1-incidents": D("200.00")}


def test_a_good_xlsx_is_written(cast: Cast, contract: Contract) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["metric", "date", "value", "note"])
    # a spreadsheet's date cell is a datetime without a zone
    when = dt.datetime(2026, 4, 7)  # noqa: DTZ001
    sheet.append(["availability", when, 99.95, "weekly report"])
    sheet.append(["availability", "2026-04-14", "99.9", None])
    sheet.append(["p1-incidents", dt.date(2026, 4, 2), 0, None])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    outcome = run(cast, contract, content, "April.XLSX")
    assert outcome.created == 3
    values = dict(
        SlaMeasurement.objects.filter(service_level__metric="availability").values_list(
            "measured_on", "value"
        )
    )
    assert values == {dt.date(2026, 4, 7): D("99.95"), dt.date(2026, 4, 14): D("99.9")}
    april = SlaPeriodResult.objects.get(
        service_level__metric="availability", period_start=dt.date(2026, 4, 1)
    )
    assert april.value == D("99.925")
    assert not april.breached


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"metric,date,value\n", "x.txt", ".csv or .xlsx"),
        (b"", "x.csv", "empty"),
        (b"metric,value\navailability,99\n", "x.csv", "missing: date"),
        (b"\xff\xfe\x00garbage", "x.csv", "UTF-8"),
        (b"not a zip", "x.xlsx", "cannot be read"),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(
    cast: Cast, contract: Contract, content: bytes, name: str, reason: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        run(cast, contract, io.BytesIO(content), name)
    [error] = refused.value.errors
    assert (error.row, error.column) == (0, "file")
    assert reason in error.reason
    assert not SlaMeasurement.objects.exists()


def test_only_editors_of_the_contract_import(cast: Cast, contract: Contract) -> None:
    for user in (cast.reviewer, cast.auditor, cast.outsider, cast.portal_a):
        with pytest.raises(PermissionDenied):
            run(
                cast,
                contract,
                csv_file("metric,date,value", "availability,2026-02-10,99"),
                "x.csv",
                actor=user,
            )
    assert not SlaMeasurement.objects.exists()
    assert ServiceLevel.objects.count() == 2


def test_a_row_error_reads_like_a_sentence() -> None:
    assert str(RowError(4, "date", "is not a date")) == "row 4, date: is not a date"
    assert str(RowError(0, "file", "The file is empty.")) == "file: The file is empty."
