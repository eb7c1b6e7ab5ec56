"""The risk API: profiles (the intake), the register, findings with their moves and the
vendor's answer, fourth parties and the concentration figures."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory
from steward.risk import services
from steward.risk.models import Finding, Risk, Subcontractor
from steward.risk.tests.helpers import risk, score_of, security_person, vendor_of, vendors

pytestmark = pytest.mark.django_db

RISK = {
    "category": "privacy",
    "title": "Personal data exported to a test system",
    "inherent_likelihood": 3,
    "inherent_impact": 4,
    "residual_likelihood": 2,
    "residual_impact": 3,
    "treatment": "mitigate",
}


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _errors(response: Any) -> dict[str, str]:
    return {error["attr"]: error["code"] for error in response.json()["errors"]}


def test_profile_intake_create_and_patch(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    client = _api(cast.owner)
    created = client.post(
        "/api/v1/risk-profiles/",
        {"supplier": vendor.pk, "data_handled": "personal", "system_access": "privileged"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["id"], body["tier"], body["points"], body["depth"]) == (vendor.pk, 1, 6, "full")
    again = client.post("/api/v1/risk-profiles/", {"supplier": vendor.pk}, format="json")
    assert _errors(again) == {"supplier": "duplicate"}
    bad = client.patch(
        f"/api/v1/risk-profiles/{vendor.pk}/",
        {"business_criticality": 8, "version": body["version"]},
        format="json",
    )
    assert bad.status_code == 400
    assert "business_criticality" in _errors(bad)
    patched = client.patch(
        f"/api/v1/risk-profiles/{vendor.pk}/",
        {"data_handled": "none", "system_access": "none", "version": body["version"]},
        format="json",
    )
    assert patched.json()["tier"] == 4
    stale = client.patch(
        f"/api/v1/risk-profiles/{vendor.pk}/",
        {"data_handled": "special", "version": 1},
        format="json",
    )
    assert stale.status_code == 409


def test_risk_create_refusals_name_the_field(cast: Cast) -> None:
    vendor_of(cast.rel_a)
    client = _api(cast.owner)
    refused = client.post(
        "/api/v1/risks/",
        {**RISK, "relationship": cast.rel_a.pk, "residual_likelihood": 4, "residual_impact": 4},
        format="json",
    )
    assert _errors(refused) == {"residual_likelihood": "residual_above_inherent"}
    out_of_range = client.post(
        "/api/v1/risks/",
        {**RISK, "relationship": cast.rel_a.pk, "inherent_impact": 6},
        format="json",
    )
    assert "inherent_impact" in _errors(out_of_range)
    unseen = client.post("/api/v1/risks/", {**RISK, "relationship": cast.rel_b.pk}, format="json")
    assert unseen.status_code == 400
    assert "relationship" in _errors(unseen)
    assert not Risk.objects.exists()


def test_risk_lifecycle_through_the_api(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    client = _api(cast.member)
    created = client.post("/api/v1/risks/", {**RISK, "relationship": cast.rel_a.pk}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["inherent_score"], body["residual_score"], body["residual_rating"]) == (
        12,
        6,
        "medium",
    )
    assert score_of(vendor) == 24  # 6 / 25 x 100
    url = f"/api/v1/risks/{body['id']}/"
    patched = client.patch(url, {"residual_impact": 4, "version": body["version"]}, format="json")
    assert patched.json()["residual_score"] == 8
    assert client.post(url + "close/", {"note": ""}, format="json").status_code == 400
    closed = client.post(url + "close/", {"note": "Test data masked"}, format="json")
    assert closed.json()["status"] == "closed"
    assert score_of(vendor) == 0
    history = client.get(url + "history/").json()["results"]
    assert len(history) == 3
    assert client.get("/api/v1/risks/", {"q": "test system"}).json()["count"] == 1


def test_findings_transition_and_respond(cast: Cast) -> None:
    vendor_a, _ = vendors(cast)
    owner = _api(cast.owner)
    created = owner.post(
        "/api/v1/findings/",
        {
            "supplier": vendor_a.pk,
            "source": "audit",
            "title": "Logs kept 7 days",
            "severity": "medium",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/findings/{created.json()['id']}/"
    refused = owner.post(url + "transition/", {"to": "closed"}, format="json")
    assert _errors(refused) == {"note": "invalid"}
    portal_a, portal_b = _api(cast.portal_a), _api(cast.portal_b)
    assert portal_b.get(url).status_code == 404
    assert (
        portal_b.post(url + "respond/", {"remediation_plan": "x"}, format="json").status_code == 404
    )
    assert (
        portal_a.post(url + "transition/", {"to": "closed", "note": "x"}, format="json").status_code
        == 403
    )
    answered = portal_a.post(url + "respond/", {"remediation_plan": "Keep 90 days"}, format="json")
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "remediating"
    moved = owner.post(url + "transition/", {"to": "closed", "note": "Verified"}, format="json")
    assert moved.json()["status"] == "closed"
    wrong = owner.post(url + "transition/", {"to": "remediating"}, format="json")
    assert _errors(wrong) == {"to": "invalid_transition"}
    assert portal_a.get(url + "history/").status_code == 403


def test_portal_users_see_only_their_shared_findings_by_list_id_and_search(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    mine = services.finding_open(
        actor=cast.owner, supplier=vendor_a, source="audit", title="Aurora gap", severity="low"
    )
    services.finding_open(
        actor=cast.owner,
        supplier=vendor_a,
        source="audit",
        title="Aurora private",
        severity="low",
        shared_with_portal=False,
    )
    theirs = services.finding_open(
        actor=cast.outsider, supplier=vendor_b, source="audit", title="Borealis gap", severity="low"
    )
    client = _api(cast.portal_a)
    rows = client.get("/api/v1/findings/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert client.get("/api/v1/findings/", {"q": "Borealis"}).json()["count"] == 0
    assert client.get("/api/v1/findings/", {"vendor": vendor_b.pk}).json()["count"] == 0
    assert client.get(f"/api/v1/findings/{theirs.pk}/").status_code == 404
    for endpoint in ("risks", "risk-profiles", "subcontractors"):
        assert client.get(f"/api/v1/{endpoint}/").json()["count"] == 0
    assert client.get("/api/v1/risk/concentration/").status_code == 403
    assert Finding.objects.count() == 3


def test_subcontractors_through_the_api(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    client = _api(security_person())
    cloud = OrganizationFactory(display_name="Cloud Co")
    top = client.post(
        "/api/v1/subcontractors/",
        {"supplier": vendor.pk, "organization": cloud.pk, "service": "Hosting", "criticality": 5},
        format="json",
    )
    assert top.status_code == 201, top.content
    child = client.post(
        "/api/v1/subcontractors/",
        {
            "supplier": vendor.pk,
            "organization": OrganizationFactory().pk,
            "service": "Power",
            "parent": top.json()["id"],
        },
        format="json",
    )
    assert child.status_code == 201
    loop = client.patch(
        f"/api/v1/subcontractors/{top.json()['id']}/",
        {"parent": child.json()["id"], "version": top.json()["version"]},
        format="json",
    )
    assert _errors(loop) == {"parent": "cycle"}
    blocked = client.delete(f"/api/v1/subcontractors/{top.json()['id']}/")
    assert _errors(blocked) == {"non_field_errors": "has_children"}
    assert client.delete(f"/api/v1/subcontractors/{child.json()['id']}/").status_code == 204
    assert Subcontractor.objects.filter(archived_at__isnull=False).count() == 1


def test_concentration_figures(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    shared = OrganizationFactory(display_name="Shared DC")
    services.subcontractor_add(
        actor=cast.owner, supplier=vendor_a, organization=shared, service="DC"
    )
    services.subcontractor_add(
        actor=cast.outsider, supplier=vendor_b, organization=shared, service="DC"
    )
    risk(cast.owner, cast.rel_a)
    body = _api(cast.auditor).get("/api/v1/risk/concentration/").json()
    assert body["top_vendor_share_threshold"] == "50"
    assert [row["label"] for row in body["fourth_parties"]] == ["Shared DC"]
    assert {v["name"] for v in body["fourth_parties"][0]["vendors"]} == {
        "Aurora Metals",
        "Borealis Logistics",
    }


def test_restoring_a_profile_or_a_finding_changes_nothing(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    services.risk_profile_save(actor=cast.owner, supplier=vendor, data_handled="internal")
    finding = services.finding_open(
        actor=cast.owner, supplier=vendor, source="audit", title="Gap", severity="low"
    )
    client = _api(cast.owner)
    for url in (f"/api/v1/risk-profiles/{vendor.pk}/", f"/api/v1/findings/{finding.pk}/"):
        response = client.post(url + "restore/", {}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["version"] == 1
    assert (
        _api(cast.reviewer)
        .post(f"/api/v1/findings/{finding.pk}/restore/", {}, format="json")
        .status_code
        == 403
    )


def test_an_id_past_the_database_integers_is_not_found(cast: Cast) -> None:
    # A profile's key is its vendor's (a one-to-one link), which Django does not range-check.
    response = _api(cast.admin).get("/api/v1/risk-profiles/536628922980377102984937472/")
    assert response.status_code == 404
