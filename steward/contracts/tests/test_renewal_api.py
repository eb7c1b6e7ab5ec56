"""The renewals API: the radar, renewal decisions and the reminder policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from steward.contracts import services
from steward.contracts.api.renewals import ReminderPolicyViewSet
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, RenewalDecision
from steward.core.testing import api_client, api_errors
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def in_force(cast: Cast, *, title: str = "Castings supply", notice: dt.date) -> Contract:
    contract = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title=title,
        kind=ContractKind.MASTER,
        start_date=days(-300),
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE, notice_deadline=notice, end_date=days(120)
    )
    contract.refresh_from_db()
    return contract


# --- the radar -------------------------------------------------------------------------------


def test_the_radar_lists_entries_in_the_window(cast: Cast) -> None:
    contract = in_force(cast, title="Soon due", notice=days(20))
    in_force(cast, title="Later due", notice=days(45))
    response = api_client(cast.owner).get("/api/v1/renewal-radar/")
    assert response.status_code == 200
    (entry,) = response.json()["results"]
    assert entry["contract"] == contract.pk
    assert (entry["trigger"], entry["days_left"], entry["decision"]) == ("notice_deadline", 20, "")
    assert entry["organization_name"] == "Aurora Metals"
    assert response.json()["count"] == 1
    sixty = api_client(cast.owner).get("/api/v1/renewal-radar/", {"days": 60}).json()
    assert [e["title"] for e in sixty["results"]] == ["Soon due", "Later due"]


def test_the_radar_scopes_and_refuses_bad_parameters(cast: Cast) -> None:
    in_force(cast, notice=days(10))
    manager = api_client(cast.manager)
    assert manager.get("/api/v1/renewal-radar/").json()["count"] == 0
    assert manager.get("/api/v1/renewal-radar/", {"scope": "team"}).json()["count"] == 1
    assert (
        api_client(cast.outsider).get("/api/v1/renewal-radar/", {"scope": "all"}).json()["count"]
        == 0
    )
    assert (
        api_client(cast.portal_a).get("/api/v1/renewal-radar/", {"scope": "all"}).json()["count"]
        == 0
    )
    bad = manager.get("/api/v1/renewal-radar/", {"days": 45, "scope": "world"})
    assert bad.status_code == 400
    assert set(api_errors(bad)) == {("days", "invalid_choice"), ("scope", "invalid_choice")}
    nobody = manager.get("/api/v1/renewal-radar/", {"scope": "all", "owner": 999_999})
    assert set(api_errors(nobody)) == {("owner", "does_not_exist")}
    # one contract's entry, and 404 for one off the radar
    contract = Contract.objects.get()
    assert manager.get(f"/api/v1/renewal-radar/{contract.pk}/").status_code == 404
    one = manager.get(f"/api/v1/renewal-radar/{contract.pk}/", {"scope": "team"})
    assert one.json()["days_left"] == 10


def test_the_radar_reads_a_constant_number_of_queries(cast: Cast) -> None:
    client = api_client(cast.owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/renewal-radar/", {"days": 90}).status_code == 200
        return len(captured)

    in_force(cast, title="First", notice=days(5))
    queries()  # the first request also loads the session and the user's roles
    few = queries()
    for n in range(4):
        in_force(cast, title=f"More {n}", notice=days(10 + n))
    assert queries() == few


# --- decisions -------------------------------------------------------------------------------


def test_a_decision_is_created_and_listed_by_contract(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30))
    other = in_force(cast, title="Other", notice=days(30))
    client = api_client(cast.owner)
    created = client.post(
        "/api/v1/renewal-decisions/",
        {"contract": contract.pk, "decision": "renew", "rationale": "Reliable"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["decision"], body["for_term_ending"], body["is_current"]) == (
        "renew",
        days(120).isoformat(),
        True,
    )
    services.renewal_decide(actor=cast.owner, contract=other, decision="terminate", rationale="X")
    listed = api_client(cast.reviewer).get("/api/v1/renewal-decisions/", {"contract": contract.pk})
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert api_client(cast.outsider).get("/api/v1/renewal-decisions/").json()["count"] == 0


def test_a_decision_without_rationale_or_with_a_bad_choice_is_refused(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30))
    client = api_client(cast.owner)
    blank = client.post(
        "/api/v1/renewal-decisions/",
        {"contract": contract.pk, "decision": "renew", "rationale": ""},
        format="json",
    )
    assert blank.status_code == 400
    assert set(api_errors(blank)) == {("rationale", "required")}
    bad = client.post(
        "/api/v1/renewal-decisions/",
        {"contract": contract.pk, "decision": "maybe", "rationale": "Hm"},
        format="json",
    )
    assert set(api_errors(bad)) == {("decision", "invalid_choice")}
    assert not RenewalDecision.objects.exists()


def test_decisions_need_the_right_to_change_the_contract(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30))
    body = {"contract": contract.pk, "decision": "renew", "rationale": "Fine"}
    # a reader of the contract, and an auditor, are refused
    assert api_client(cast.reviewer).post("/api/v1/renewal-decisions/", body).status_code == 403
    assert api_client(cast.auditor).post("/api/v1/renewal-decisions/", body).status_code == 403
    # an outsider is told the contract does not exist
    outsider = api_client(cast.outsider).post("/api/v1/renewal-decisions/", body, format="json")
    assert outsider.status_code == 400
    assert set(api_errors(outsider)) == {("contract", "does_not_exist")}
    assert not RenewalDecision.objects.exists()


# --- the reminder policy ---------------------------------------------------------------------


def policy_call(user: Any, method: str = "get", data: Any = None) -> Any:
    """The policy endpoint, called through its view (it sits beside the router)."""
    factory = APIRequestFactory()
    url = "/api/v1/renewal-reminder-policy/"
    request = factory.patch(url, data, format="json") if method == "patch" else factory.get(url)
    force_authenticate(request, user=user)
    view = ReminderPolicyViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
    response = view(request)
    response.render()
    return response


def test_everyone_inside_reads_the_policy_and_administrators_change_it(cast: Cast) -> None:
    read = policy_call(cast.owner)
    assert read.status_code == 200
    assert read.data["offsets"] == [90, 60, 30, 7]
    version = read.data["version"]
    refused = policy_call(cast.owner, "patch", {"offsets": [30], "version": version})
    assert refused.status_code == 403
    bad = policy_call(cast.admin, "patch", {"offsets": [], "version": version})
    assert bad.status_code == 400
    assert set(api_errors(bad)) == {("offsets", "invalid")}
    changed = policy_call(cast.admin, "patch", {"offsets": [7, 30, 7], "version": version})
    assert changed.status_code == 200
    assert changed.data["offsets"] == [30, 7]
    assert services.reminder_policy().offsets == [30, 7]
