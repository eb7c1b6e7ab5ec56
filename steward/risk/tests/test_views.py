"""The risk screens: the vendor's risk tab, the intake, the register, findings (with the
vendor's answer from the portal) and the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.parties.tests.cast import Cast
from steward.risk import panels, services
from steward.risk.choices import FindingStatus
from steward.risk.models import Finding, Risk, RiskProfile
from steward.risk.tests.helpers import risk, vendor_of, vendors

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(response: Any) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _finding(cast: Cast, supplier: Any, **fields: Any) -> Finding:
    values: dict[str, Any] = {
        "source": "assessment",
        "title": "No MFA on admin",
        "severity": "high",
    }
    values.update(fields)
    return services.finding_open(
        actor=cast.owner if supplier.pk == cast.rel_a.pk else cast.outsider,
        supplier=supplier,
        **values,
    )


def test_the_risk_tab_shows_tier_sections_register_findings_and_tree(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    services.risk_profile_save(
        actor=cast.owner, supplier=vendor, data_handled="special", system_access="user"
    )
    risk(cast.owner, cast.rel_a, title="Single data centre")
    _finding(cast, vendor, title="Patch backlog")
    services.subcontractor_add(
        actor=cast.owner, supplier=vendor, organization=cast.org_b, service="Freight"
    )
    panels.register_vendor_section(
        panels.VendorSection(
            "test-certs", "Certificates", "risk/tests/section.html", lambda u, s, d: {"n": 3}
        )
    )
    try:
        response = _client(cast.owner).get(vendor.get_absolute_url() + "?tab=risk")
    finally:
        panels._sections.pop("test-certs")
    body = response.content.decode()
    assert response.status_code == 200
    # special categories: 4 + 1 (user access) = 5 points, tier 1 by the floor; full assessment
    assert "Tier 1" in body
    assert "5 points of 18" in body
    assert "Full assessment" in body
    assert "every 12 months" in body
    assert 'data-testid="risk-section-test-certs"' in body
    assert "3 certificates" in body
    assert "Single data centre" in body
    assert "Patch backlog" in body
    assert "Borealis Logistics</strong> for Freight" in body


def test_the_risk_tab_has_an_empty_state(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    body = _client(cast.reviewer).get(vendor.get_absolute_url() + "?tab=risk").content.decode()
    assert 'data-testid="risk-no-profile"' in body
    assert "No risks recorded" in body
    assert reverse("risk:profile-edit", args=[vendor.pk]) not in body  # a reviewer reads only


def test_the_intake_form_saves_and_refuses_bad_values(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    url = reverse("risk:profile-edit", args=[vendor.pk])
    client = _client(cast.owner)
    data = {
        "data_handled": "personal",
        "system_access": "none",
        "business_criticality": "9",
        "substitutability": "easy",
        "regulatory_exposure": "none",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "business_criticality" in refused.context["form"].errors
    assert not RiskProfile.objects.exists()
    data["business_criticality"] = "3"
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert RiskProfile.objects.get(pk=vendor.pk).tier == 2  # personal data: at least tier 2
    assert _client(cast.reviewer).get(url).status_code == 403
    assert _client(cast.outsider).get(url).status_code == 404


def test_entering_a_risk_and_its_residual_rule_on_the_form(cast: Cast) -> None:
    vendor_of(cast.rel_a)
    url = reverse("risk:risk-create", args=[cast.rel_a.pk])
    data = {
        "category": "operational",
        "title": "Single data centre",
        "inherent_likelihood": "2",
        "inherent_impact": "5",
        "residual_likelihood": "3",
        "residual_impact": "5",
        "treatment": "mitigate",
    }
    client = _client(cast.member)
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "may not exceed the inherent score" in str(
        refused.context["form"].errors["residual_likelihood"]
    )
    data["residual_likelihood"] = "1"
    assert client.post(url, data).status_code == 302
    entry = Risk.objects.get()
    detail = client.get(entry.get_absolute_url())
    assert "likelihood 1 \u00d7 impact 5" in detail.content.decode()
    closed = client.post(reverse("risk:risk-close", args=[entry.pk]), {"note": ""})
    assert closed.status_code == 400
    client.post(reverse("risk:risk-close", args=[entry.pk]), {"note": "Second site live"})
    assert Risk.objects.get().status == "closed"
    history = client.get(entry.get_absolute_url() + "?tab=history").content.decode()
    assert "Closed" in history


def test_the_register_list_filters_searches_and_exports(cast: Cast) -> None:
    vendors(cast)
    risk(cast.owner, cast.rel_a, title="Shared admin accounts", category="cybersecurity")
    risk(cast.owner, cast.rel_a, title="Currency exposure", category="financial")
    risk(cast.outsider, cast.rel_b, title="Borealis strike")
    client = _client(cast.owner)
    url = reverse("risk:risk-list")
    body = client.get(url).content.decode()
    assert "Shared admin accounts" in body
    assert "Borealis strike" not in body
    assert (
        "Currency exposure" not in client.get(url, {"category": "cybersecurity"}).content.decode()
    )
    assert "Shared admin" not in client.get(url, {"q": "currency"}).content.decode()
    text = _download(client.get(url, {"export": "csv"}))
    assert "Currency exposure" in text
    assert "Borealis" not in text


def test_findings_list_filters_overdue_and_vendor(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _finding(cast, vendor_a, title="Late fix", remediation_due_on=yesterday)
    _finding(
        cast, vendor_a, title="On time fix", remediation_due_on=yesterday + dt.timedelta(days=30)
    )
    _finding(cast, vendor_b, title="Borealis gap")
    client = _client(cast.admin)
    url = reverse("risk:finding-list")
    overdue = client.get(url, {"overdue": "true"}).content.decode()
    assert "Late fix" in overdue
    assert "On time fix" not in overdue
    by_vendor = client.get(url, {"vendor": vendor_b.pk}).content.decode()
    assert "Borealis gap" in by_vendor
    assert "Late fix" not in by_vendor
    assert "Late fix" not in client.get(url, {"severity": "low"}).content.decode()
    bad = client.get(url, {"vendor": "abc"})
    assert "vendor" in bad.content.decode()


def test_finding_moves_need_a_note_to_close(cast: Cast) -> None:
    finding = _finding(cast, vendor_of(cast.rel_a))
    client = _client(cast.owner)
    url = reverse("risk:finding-transition", args=[finding.pk])
    assert client.post(url, {"to_status": "closed", "note": ""}).status_code == 400
    assert (
        client.post(url, {"to_status": "closed", "note": "Fixed and verified"}).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert _client(cast.reviewer).post(url, {"to_status": "open", "note": "x"}).status_code == 403


def test_a_portal_user_answers_their_own_findings_and_sees_no_other(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    mine = _finding(cast, vendor_a, title="Aurora gap")
    hidden = _finding(cast, vendor_a, title="Aurora internal note", shared_with_portal=False)
    theirs = _finding(cast, vendor_b, title="Borealis gap")
    portal = _client(cast.portal_a)
    listing = portal.get(reverse("risk:finding-list")).content.decode()
    assert "Aurora gap" in listing
    assert "Aurora internal note" not in listing
    assert "Borealis gap" not in listing
    searched = portal.get(reverse("risk:finding-list"), {"q": "Borealis"}).content.decode()
    assert "Borealis gap" not in searched
    assert "No findings to show" in searched
    assert portal.get(reverse("risk:finding-detail", args=[theirs.pk])).status_code == 404
    assert portal.get(reverse("risk:finding-detail", args=[hidden.pk])).status_code == 404
    assert portal.get(theirs.get_absolute_url() + "?export=csv").status_code == 404
    export = _download(portal.get(reverse("risk:finding-list"), {"export": "csv"}))
    assert "Aurora gap" in export
    assert "Borealis" not in export
    respond = reverse("risk:finding-respond", args=[theirs.pk])
    assert portal.post(respond, {"remediation_plan": "x"}).status_code == 404
    detail = portal.get(mine.get_absolute_url()).content.decode()
    assert 'data-testid="finding-respond"' in detail
    assert "History" not in detail
    assert (
        portal.post(
            reverse("risk:finding-respond", args=[mine.pk]), {"remediation_plan": ""}
        ).status_code
        == 400
    )
    answered = portal.post(
        reverse("risk:finding-respond", args=[mine.pk]),
        {"remediation_plan": "Enforce MFA by 1 March"},
    )
    assert answered.status_code == 302
    mine.refresh_from_db()
    assert mine.remediation_plan == "Enforce MFA by 1 March"
    assert mine.status == FindingStatus.REMEDIATING
    # A portal user never moves a finding.
    move = reverse("risk:finding-transition", args=[mine.pk])
    assert portal.post(move, {"to_status": "closed", "note": "done"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.remediation_plan == ""


def test_the_dashboard_shows_what_the_user_may_see(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    services.risk_profile_save(actor=cast.owner, supplier=vendor_a, data_handled="special")
    services.risk_profile_mark_assessed(
        actor=cast.owner, supplier=vendor_a, assessed_on=timezone.localdate().replace(year=2020)
    )
    risk(cast.owner, cast.rel_a)  # residual 2 x 4
    risk(cast.outsider, cast.rel_b, title="Borealis strike")
    _finding(cast, vendor_b, title="Borealis overdue", remediation_due_on=dt.date(2020, 1, 1))
    panels.register_dashboard_panel(
        panels.RiskPanel(
            "test-expiring", "Expiring certificates", "risk/tests/panel.html", lambda u, d: {"n": 2}
        )
    )
    try:
        response = _client(cast.owner).get(reverse("risk:dashboard"))
    finally:
        panels._panels.pop("test-expiring")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="risk-heat-table"' in body
    assert 'impact <span class="text-body-secondary fs-6">(1)</span>' in body
    assert 'data-testid="risk-overdue-profiles"' in body
    assert "Borealis overdue" not in body
    assert 'data-testid="risk-panel-test-expiring"' in body
    assert "2 expiring" in body
    assert 'data-chart="risk-heat-map-data"' in body
    admin_body = _client(cast.admin).get(reverse("risk:dashboard")).content.decode()
    assert "Borealis overdue" in admin_body
    assert _client(cast.portal_a).get(reverse("risk:dashboard")).status_code == 403


def test_the_dashboard_is_in_the_navigation_for_inside_users(cast: Cast) -> None:
    body = _client(cast.owner).get(reverse("risk:finding-list")).content.decode()
    assert reverse("risk:dashboard") in body


def test_list_pages_take_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    vendor_a, _ = vendors(cast)
    for index in range(12):
        _finding(cast, vendor_a, title=f"Gap {index}")
        risk(cast.owner, cast.rel_a, title=f"Risk {index}")
    client = _client(cast.admin)
    client.get(reverse("risk:finding-list"))  # warm the session and the navigation
    with django_assert_max_num_queries(15):
        assert client.get(reverse("risk:finding-list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("risk:risk-list")).status_code == 200
