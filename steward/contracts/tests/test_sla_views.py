"""Service levels on the contract page: the tab with its chart, breaches and credits ledger, the
forms and actions behind it, the import page, and the daily job that closes ended periods."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from steward.contracts import services
from steward.contracts.choices import ContractStatus
from steward.contracts.models import (
    Contract,
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.services.sla_periods import BREACH_ALERT, sla_periods_evaluate_ended
from steward.contracts.tasks import sla_periods_close
from steward.contracts.tests.test_sla_service import make_contract, make_level, record
from steward.core.models import Notification
from steward.core.schedule import periodic_jobs
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

D = Decimal


def tab(user: Any, contract: Contract) -> str:
    response = web_client(user).get(f"/contracts/{contract.pk}/", {"tab": "slas"})
    assert response.status_code == 200
    return response.content.decode()


def in_force(contract: Contract) -> Contract:
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def level(cast: Cast) -> ServiceLevel:
    return make_level(cast, make_contract(cast))


@pytest.fixture
def breached(cast: Cast, level: ServiceLevel) -> ServiceCredit:
    """February missed by 1.3 points: 25 % capped at 20 % of 10,000; March met."""
    record(cast, level, dt.date(2026, 2, 10), "98.5")
    record(cast, level, dt.date(2026, 2, 20), "98.7")
    record(cast, level, dt.date(2026, 3, 5), "99.95")
    return ServiceCredit.objects.get(period_result__period_start=dt.date(2026, 2, 1))


def chart_payload(html: str, level: ServiceLevel) -> dict[str, Any]:
    marker = f'<script id="sla-chart-{level.pk}-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


# --- the tab -------------------------------------------------------------------------------------


def test_the_tab_shows_the_definition_the_breach_and_its_credit(
    cast: Cast, breached: ServiceCredit
) -> None:
    # when the owner opens the SLAs tab
    html = tab(cast.owner, breached.period_result.service_level.contract)
    # then the definition, the breached period, the open breach and the owed credit show
    assert "Availability" in html
    assert "at least 99.9" in html
    assert "from 0.5 short: 10 %" in html
    assert "Breached" in html
    assert "2026-02-01 \u2013 2026-02-28" in html
    assert "EUR 2,000.00" in html
    assert "Mark claimed" in html
    assert 'id="credit-totals"' in html


def test_the_chart_holds_the_period_results_and_the_target(
    cast: Cast, breached: ServiceCredit
) -> None:
    level = breached.period_result.service_level
    # when the tab is loaded as an htmx partial
    response = web_client(cast.owner).get(
        f"/contracts/{level.contract_id}/", {"tab": "slas"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    # then it still carries the chart and the script that draws it, under the chart CSP
    assert "<html" not in html
    assert "steward/charts.js" in html
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"].split("style-src")[1]
    payload = chart_payload(html, level)
    values, target = payload["data"][0], payload["data"][1]
    results = list(SlaPeriodResult.objects.filter(service_level=level).order_by("period_start"))
    # and its points are the judged periods, the target a line
    assert values["x"] == [r.period_start.isoformat() for r in results]
    assert [D(str(y)) for y in values["y"]] == [r.value for r in results]
    assert target["y"] == [float(level.target)] * len(results)


def test_the_tab_has_empty_states_and_offers_nothing_to_a_reader(cast: Cast) -> None:
    contract = make_contract(cast)
    html = tab(cast.owner, contract)
    assert "No service levels on this contract yet." in html
    assert "No open breaches." in html
    assert "No credits owed on this contract." in html
    assert "Add a service level" in html
    assert "Add a service level" not in tab(cast.reviewer, contract)


def test_the_tab_takes_a_fixed_number_of_queries(
    cast: Cast, breached: ServiceCredit, django_assert_max_num_queries: Any
) -> None:
    # given a second service level with its own periods
    contract = breached.period_result.service_level.contract
    other = make_level(cast, contract, name="Response", metric="response", target=D(4))
    other.refresh_from_db()
    record(cast, other, dt.date(2026, 3, 2), "5")
    client = web_client(cast.owner)
    with django_assert_max_num_queries(30):
        assert client.get(f"/contracts/{contract.pk}/", {"tab": "slas"}).status_code == 200


# --- definitions ---------------------------------------------------------------------------------


def test_a_service_level_is_added_with_tiers_typed_as_lines(cast: Cast) -> None:
    contract = make_contract(cast)
    data = {
        "name": "Availability",
        "metric": "availability",
        "unit": "%",
        "target": "99.9",
        "direction": "at_least",
        "window": "monthly",
        "aggregation": "mean",
        "credit_tiers": "0, 5\n0.5, 10%\n",
        "cap_percent": "20",
        "period_fee": "10000",
        "currency": "EUR",
    }
    url = f"/contracts/{contract.pk}/service-levels/new/"
    assert web_client(cast.member).get(url).status_code == 200
    response = web_client(cast.member).post(url, data)
    assert response.status_code == 302
    level = ServiceLevel.objects.get(contract=contract)
    assert level.credit_tiers == [
        {"shortfall_from": "0", "credit_percent": "5"},
        {"shortfall_from": "0.5", "credit_percent": "10"},
    ]


def test_bad_tiers_are_refused_line_by_line_and_nothing_is_written(cast: Cast) -> None:
    contract = make_contract(cast)
    data = {
        "name": "Availability",
        "metric": "availability",
        "target": "99.9",
        "direction": "at_least",
        "window": "monthly",
        "aggregation": "mean",
        "period_fee": "0",
        "currency": "EUR",
    }
    url = f"/contracts/{contract.pk}/service-levels/new/"
    client = web_client(cast.member)
    # when a line is not a pair and another is not a number
    html = client.post(url, {**data, "credit_tiers": "0.5\n1, lots"}).content.decode()
    assert "Line 1: write" in html
    assert "Line 2: the percent “lots” is not a number." in html
    # and when the tiers fall instead of rising, the service's parser refuses them
    html = client.post(url, {**data, "credit_tiers": "1, 10\n0.5, 20"}).content.decode()
    assert 'id="id_credit_tiers_error"' in html
    assert "thresholds must increase" in html
    assert not ServiceLevel.objects.exists()


def test_editing_keeps_the_tiers_and_refuses_a_taken_metric(
    cast: Cast, level: ServiceLevel
) -> None:
    other = make_level(cast, level.contract, name="Response", metric="response", target=D(4))
    url = f"/service-levels/{other.pk}/edit/"
    client = web_client(cast.owner)
    form = client.get(url).content.decode()
    assert "0.5, 10" in form
    data = {
        "name": "Response time",
        "metric": "availability",
        "target": "4",
        "direction": "at_least",
        "window": "monthly",
        "aggregation": "mean",
        "credit_tiers": "0, 5",
        "period_fee": "10000",
        "currency": "EUR",
        "active": "on",
        "version": str(other.version),
    }
    html = client.post(url, data).content.decode()
    assert 'id="id_metric_error"' in html
    other.refresh_from_db()
    assert other.name == "Response"
    response = client.post(url, {**data, "metric": "response"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name == "Response time"


# --- measurements, evaluation, credits -----------------------------------------------------------


def test_a_measurement_is_recorded_from_the_tab_and_a_refusal_names_the_field(
    cast: Cast, level: ServiceLevel
) -> None:
    url = f"/contracts/{level.contract_id}/sla-measurements/new/"
    client = web_client(cast.member)
    ok = client.post(url, {"service_level": level.pk, "measured_on": "2026-03-03", "value": "99"})
    assert ok.status_code == 302
    assert SlaPeriodResult.objects.filter(service_level=level).count() == 1
    # when the same day is recorded again
    again = client.post(
        url, {"service_level": level.pk, "measured_on": "2026-03-03", "value": "98"}
    )
    # then the tab shows the refusal on the day and nothing new is written
    assert again.status_code == 200
    assert 'id="id_measured_on_error"' in again.content.decode()
    assert SlaMeasurement.objects.count() == 1


def test_a_period_is_evaluated_again_on_request(cast: Cast, breached: ServiceCredit) -> None:
    level = breached.period_result.service_level
    result = breached.period_result
    SlaPeriodResult.objects.filter(pk=result.pk).update(credit=D(0))
    response = web_client(cast.owner).post(
        f"/service-levels/{level.pk}/evaluate/", {f"evaluate-{level.pk}-day": "2026-02-14"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.credit == D("2000.00")
    # a request without a day re-renders the tab with the error
    refused = web_client(cast.owner).post(f"/service-levels/{level.pk}/evaluate/", {})
    assert refused.status_code == 200
    assert f'id="id_evaluate-{level.pk}-day_error"' in refused.content.decode()


def test_a_credit_is_claimed_then_received_and_a_waiver_needs_a_note(
    cast: Cast, breached: ServiceCredit
) -> None:
    url = f"/service-credits/{breached.pk}/mark/"
    client = web_client(cast.owner)
    assert client.post(url, {"status": "claimed", "on": "2026-03-10"}).status_code == 302
    breached.refresh_from_db()
    assert (breached.status, breached.claimed_on) == ("claimed", dt.date(2026, 3, 10))
    # a waiver without a note is refused on the tab
    refused = client.post(url, {"status": "waived"})
    assert refused.status_code == 200
    assert "Say why the credit is waived." in refused.content.decode()
    breached.refresh_from_db()
    assert breached.status == "claimed"
    assert client.post(url, {"status": "received", "on": "2026-03-20"}).status_code == 302
    breached.refresh_from_db()
    assert breached.status == "received"


def test_permissions_outsider_gets_404_and_reader_403(cast: Cast, breached: ServiceCredit) -> None:
    level = breached.period_result.service_level
    contract = level.contract
    posts = [
        (f"/contracts/{contract.pk}/service-levels/new/", {}),
        (f"/service-levels/{level.pk}/edit/", {}),
        (f"/contracts/{contract.pk}/sla-measurements/new/", {}),
        (f"/contracts/{contract.pk}/sla-measurements/import/", {}),
        (f"/service-levels/{level.pk}/evaluate/", {}),
        (f"/service-credits/{breached.pk}/mark/", {"status": "claimed"}),
    ]
    for url, data in posts:
        assert web_client(cast.outsider).post(url, data).status_code == 404, url
        assert web_client(cast.reviewer).post(url, data).status_code == 403, url
    assert web_client(cast.outsider).get(f"/contracts/{contract.pk}/?tab=slas").status_code == 404
    breached.refresh_from_db()
    assert breached.status == "owed"


# --- the import page -----------------------------------------------------------------------------


def csv_upload(name: str, *lines: str) -> io.BytesIO:
    file = io.BytesIO(("\n".join(lines) + "\n").encode())
    file.name = name
    return file


def test_the_import_page_explains_the_columns(cast: Cast, level: ServiceLevel) -> None:
    html = (
        web_client(cast.member)
        .get(f"/contracts/{level.contract_id}/sla-measurements/import/")
        .content.decode()
    )
    assert "metric, date, value, note" in html
    assert "<code>availability</code>" in html
    assert "<caption>Example</caption>" in html


def test_the_import_page_refuses_a_file_with_bad_rows_and_writes_nothing(
    cast: Cast, level: ServiceLevel
) -> None:
    file = csv_upload(
        "march.csv",
        "metric,date,value,note",
        "availability,2026-03-01,99.95,good",
        "uptime,2026-03-02,99.9,",
        "availability,2026-13-01,99.9,",
        "availability,2026-03-04,n/a,",
        "availability,2026-03-01,99.1,again",
    )
    response = web_client(cast.member).post(
        f"/contracts/{level.contract_id}/sla-measurements/import/", {"file": file}
    )
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>([^<]*)</td></tr>", html)
    assert [(row, column) for row, column, _ in rows] == [
        ("3", "metric"),
        ("4", "date"),
        ("5", "value"),
        ("6", "date"),
    ]
    assert "“uptime” is not a service level of this contract" in html
    assert "Nothing was imported: 4 problems in the file." in html
    assert not SlaMeasurement.objects.exists()
    assert not SlaPeriodResult.objects.exists()


def test_the_import_page_imports_a_good_file(cast: Cast, level: ServiceLevel) -> None:
    file = csv_upload("march.csv", "metric,date,value", "availability,2026-03-01,99.95")
    response = web_client(cast.member).post(
        f"/contracts/{level.contract_id}/sla-measurements/import/", {"file": file}
    )
    assert response.status_code == 302
    assert SlaMeasurement.objects.get().source == "import"


def test_the_import_page_refuses_a_file_of_another_type(cast: Cast, level: ServiceLevel) -> None:
    file = csv_upload("march.pdf", "metric,date,value")
    html = (
        web_client(cast.member)
        .post(f"/contracts/{level.contract_id}/sla-measurements/import/", {"file": file})
        .content.decode()
    )
    assert 'id="id_file_error"' in html
    assert not SlaMeasurement.objects.exists()


# --- the daily job -------------------------------------------------------------------------------


def test_the_job_closes_an_ended_month_once_and_notifies_the_owner(
    cast: Cast, level: ServiceLevel
) -> None:
    contract = in_force(level.contract)
    # given April measured while it was running: judged as open, no breach booked yet
    record(cast, level, dt.date(2026, 4, 10), "98.0")
    SlaPeriodResult.objects.filter(service_level=level).update(closed=False)
    SlaBreach.objects.all().delete()
    ServiceCredit.objects.all().delete()
    Notification.objects.all().delete()
    # when the job runs on the first of May
    assert sla_periods_close.call(slot="2026-05-01") == 1
    # then April is closed, breached, its credit owed and the owner told
    april = SlaPeriodResult.objects.get(service_level=level, period_start=dt.date(2026, 4, 1))
    assert april.closed
    assert april.breached
    assert SlaBreach.objects.filter(period_result=april).exists()
    assert ServiceCredit.objects.get(period_result=april).amount == D("2000.00")
    alert = Notification.objects.get(kind=BREACH_ALERT)
    assert alert.recipient_id == contract.owner_id
    assert alert.url.endswith("?tab=slas")

    def counts() -> tuple[int, int, int]:
        models = (SlaPeriodResult, SlaBreach, Notification)
        return tuple(model.objects.count() for model in models)  # type: ignore[return-value]

    rows = counts()
    # and running it again writes nothing new
    assert sla_periods_evaluate_ended(day=dt.date(2026, 5, 1)) == 0
    assert counts() == rows


def test_the_job_judges_a_month_without_data_and_skips_contracts_not_in_force(
    cast: Cast, level: ServiceLevel
) -> None:
    # given a draft contract (level's) and one in force, neither measured in May
    draft_level = level
    active_level = make_level(cast, in_force(make_contract(cast)))
    # when the job runs on the first of June
    assert sla_periods_evaluate_ended(day=dt.date(2026, 6, 1)) == 1
    # then only the contract in force has May judged, as closed without data
    may = SlaPeriodResult.objects.get()
    assert may.service_level_id == active_level.pk
    assert (may.period_start, may.closed, may.no_data) == (dt.date(2026, 5, 1), True, True)
    assert not SlaPeriodResult.objects.filter(service_level=draft_level).exists()


def test_the_job_is_scheduled_daily() -> None:
    assert "contracts.sla_periods_close" in {job.name for job in periodic_jobs()}


def test_the_contract_list_filters_contracts_with_an_open_breach(
    cast: Cast, breached: ServiceCredit
) -> None:
    # given one contract with a breached period and one without any
    with_breach = breached.period_result.service_level.contract
    services.contract_create(
        actor=cast.owner, relationship=cast.rel_a, title="Clean record", kind="nda"
    )
    client = web_client(cast.owner)

    def listed(**params: str) -> set[str]:
        html = client.get("/contracts/", params).content.decode()
        return {t for t in (with_breach.title, "Clean record") if t in html}

    # when the list is filtered on breaches / then only the breached contract is listed
    assert listed(breached="true") == {with_breach.title}
    assert "Clean record" in listed()
    # when a recomputation clears the breach / then the filter no longer finds it
    SlaBreach.objects.filter(period_result__service_level__contract=with_breach).update(
        cleared_at=timezone.now()
    )
    assert listed(breached="true") == set()
