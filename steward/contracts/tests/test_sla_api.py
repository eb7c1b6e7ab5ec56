"""The /api/v1/ endpoints of service levels: definitions, measurements and their import, judged
periods, the credits ledger and breaches."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from steward.contracts.models import (
    ServiceCredit,
    ServiceLevel,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.tests.test_sla_service import make_contract, make_level, record
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

D = Decimal
LEVELS = "/api/v1/service-levels/"
MEASUREMENTS = "/api/v1/sla-measurements/"
RESULTS = "/api/v1/sla-period-results/"
CREDITS = "/api/v1/service-credits/"
BREACHES = "/api/v1/sla-breaches/"


@pytest.fixture
def level(cast: Cast) -> ServiceLevel:
    return make_level(cast, make_contract(cast))


@pytest.fixture
def breached(cast: Cast, level: ServiceLevel) -> ServiceCredit:
    record(cast, level, dt.date(2026, 2, 10), "98.5")
    record(cast, level, dt.date(2026, 2, 20), "98.7")
    return ServiceCredit.objects.get(period_result__period_start=dt.date(2026, 2, 1))


def csv_upload(*lines: str, name: str = "march.csv") -> io.BytesIO:
    file = io.BytesIO(("\n".join(lines) + "\n").encode())
    file.name = name
    return file


# --- service levels ------------------------------------------------------------------------------


def test_a_service_level_is_created_edited_and_archived(cast: Cast) -> None:
    contract = make_contract(cast)
    api = api_client(cast.member)
    created = api.post(
        LEVELS,
        {
            "contract": contract.pk,
            "name": "Availability",
            "metric": "availability",
            "target": "99.9",
            "direction": "at_least",
            "credit_tiers": [
                {"shortfall_from": "0", "credit_percent": "5"},
                {"shortfall_from": "0.5", "credit_percent": "10"},
            ],
            "cap_percent": "20",
            "period_fee": "10000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["currency"] == contract.currency
    assert [t["credit_percent"] for t in body["credit_tiers"]] == ["5.000000", "10.000000"]
    url = f"{LEVELS}{body['id']}/"
    changed = api.patch(url, {"target": "99.5", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert D(changed.json()["target"]) == D("99.5")
    assert api.delete(url).status_code == 204
    assert body["id"] not in result_ids(api.get(LEVELS, {"contract": contract.pk}))


def test_bad_definitions_name_the_field_and_write_nothing(cast: Cast, level: ServiceLevel) -> None:
    api = api_client(cast.member)
    base = {
        "contract": level.contract_id,
        "name": "Response",
        "metric": "response",
        "target": "4",
        "direction": "at_most",
    }
    falling = api.post(
        LEVELS,
        {
            **base,
            "credit_tiers": [
                {"shortfall_from": "1", "credit_percent": "10"},
                {"shortfall_from": "0.5", "credit_percent": "20"},
            ],
        },
        format="json",
    )
    assert falling.status_code == 400
    assert ("credit_tiers", "invalid") in api_errors(falling)
    taken = api.post(LEVELS, {**base, "metric": "availability"}, format="json")
    assert ("metric", "duplicate") in api_errors(taken)
    assert ServiceLevel.objects.count() == 1


# --- measurements --------------------------------------------------------------------------------


def test_a_measurement_is_posted_through_the_api_and_judges_its_period(
    cast: Cast, level: ServiceLevel
) -> None:
    api = api_client(cast.member)
    posted = api.post(
        MEASUREMENTS,
        {"service_level": level.pk, "measured_on": "2026-03-02", "value": "98.0"},
        format="json",
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["source"] == "api"
    assert result_ids(api.get(MEASUREMENTS, {"service_level": level.pk})) == [posted.json()["id"]]
    results = api.get(RESULTS, {"contract": level.contract_id}).json()["results"]
    assert [(r["period_start"], r["breached"]) for r in results] == [("2026-03-01", True)]
    # bad input: a second value for the day, a value that is not a number
    again = api.post(
        MEASUREMENTS,
        {"service_level": level.pk, "measured_on": "2026-03-02", "value": "97"},
        format="json",
    )
    assert ("measured_on", "duplicate") in api_errors(again)
    bad = api.post(
        MEASUREMENTS,
        {"service_level": level.pk, "measured_on": "2026-03-03", "value": "n/a"},
        format="json",
    )
    assert bad.status_code == 400
    assert [attr for attr, _ in api_errors(bad)] == ["value"]
    assert SlaMeasurement.objects.count() == 1


def test_an_import_with_bad_rows_answers_each_row_and_writes_nothing(
    cast: Cast, level: ServiceLevel
) -> None:
    file = csv_upload(
        "metric,date,value",
        "availability,2026-03-01,99.95",
        "uptime,2026-03-02,99.9",
        "availability,2026-13-01,99.9",
        "availability,2026-03-04,n/a",
        "availability,2026-03-01,99.1",
    )
    refused = api_client(cast.member).post(
        f"{MEASUREMENTS}import/", {"contract": level.contract_id, "file": file}, format="multipart"
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("file", "import_refused")] * 4
    details = [error["detail"] for error in refused.json()["errors"]]
    assert details[0].startswith("row 3, metric:")
    assert details[3].startswith("row 6, date:")
    assert not SlaMeasurement.objects.exists()
    assert not SlaPeriodResult.objects.exists()


def test_an_import_of_a_good_file_reports_what_it_wrote(cast: Cast, level: ServiceLevel) -> None:
    file = csv_upload("metric,date,value", "availability,2026-03-01,99.95")
    imported = api_client(cast.member).post(
        f"{MEASUREMENTS}import/", {"contract": level.contract_id, "file": file}, format="multipart"
    )
    assert imported.status_code == 201, imported.content
    assert imported.json() == {
        "created": 1,
        "periods": [{"service_level": level.pk, "period_start": "2026-03-01"}],
    }


# --- credits and breaches ------------------------------------------------------------------------


def test_credits_are_listed_by_contract_and_marked(cast: Cast, breached: ServiceCredit) -> None:
    contract_id = breached.period_result.service_level.contract_id
    api = api_client(cast.owner)
    assert result_ids(api.get(CREDITS, {"contract": contract_id, "status": "owed"})) == [
        breached.pk
    ]
    assert len(result_ids(api.get(BREACHES, {"contract": contract_id, "open": "true"}))) == 1
    url = f"{CREDITS}{breached.pk}/mark/"
    claimed = api.post(url, {"status": "claimed", "on": "2026-03-05"}, format="json")
    assert claimed.status_code == 200, claimed.content
    assert (claimed.json()["status"], claimed.json()["claimed_on"]) == ("claimed", "2026-03-05")
    waived = api.post(url, {"status": "waived"}, format="json")
    assert ("note", "required") in api_errors(waived)
    back = api.post(url, {"status": "claimed"}, format="json")
    assert ("status", "invalid_transition") in api_errors(back)


def test_lists_take_a_fixed_number_of_queries(
    cast: Cast, breached: ServiceCredit, django_assert_max_num_queries: Any
) -> None:
    level = breached.period_result.service_level
    record(cast, level, dt.date(2026, 3, 10), "90")
    record(cast, level, dt.date(2026, 4, 10), "90")
    api = api_client(cast.owner)
    for url in (LEVELS, MEASUREMENTS, RESULTS, CREDITS, BREACHES):
        with django_assert_max_num_queries(12):
            assert api.get(url).status_code == 200, url


# --- permissions ---------------------------------------------------------------------------------


def test_an_outsider_sees_nothing_and_a_reader_may_not_write(
    cast: Cast, breached: ServiceCredit
) -> None:
    level = breached.period_result.service_level
    outsider, reader = api_client(cast.outsider), api_client(cast.reviewer)
    for url in (LEVELS, MEASUREMENTS, RESULTS, CREDITS, BREACHES):
        assert result_ids(outsider.get(url)) == [], url
        assert result_ids(reader.get(url)) != [], url
    assert outsider.get(f"{LEVELS}{level.pk}/").status_code == 404
    assert outsider.post(f"{CREDITS}{breached.pk}/mark/", {"status": "claimed"}).status_code == 404
    # the reader sees the rows but may write none of them
    assert reader.post(f"{CREDITS}{breached.pk}/mark/", {"status": "claimed"}).status_code == 403
    assert reader.patch(f"{LEVELS}{level.pk}/", {"name": "X", "version": 1}).status_code == 403
    posted = reader.post(
        MEASUREMENTS,
        {"service_level": level.pk, "measured_on": "2026-03-02", "value": "99"},
        format="json",
    )
    assert posted.status_code == 403
    file = csv_upload("metric,date,value", "availability,2026-03-01,99.95")
    imported = reader.post(
        f"{MEASUREMENTS}import/", {"contract": level.contract_id, "file": file}, format="multipart"
    )
    assert imported.status_code == 403
    assert SlaMeasurement.objects.count() == 2
