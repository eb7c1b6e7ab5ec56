"""The compliance pages: lists with filters and empty states, details, forms, the portal's
upload, downloads through the policy, and the panels other screens show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from steward.compliance import plugins, services
from steward.compliance.choices import AuditStatus, CertificationKind, RequestStatus
from steward.compliance.models import Certification, DocumentRequest
from steward.compliance.tests.factories import (
    PNG,
    audit,
    certificate,
    pdf,
    stored_files,
    vendor_a,
    vendor_b,
)
from steward.core.registry import due_items, navigation, portal_sections
from steward.risk.panels import dashboard_panels, vendor_sections

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_filters_search_and_empty_state(cast) -> None:
    client = _client(cast.owner)
    empty = client.get("/compliance/certificates/")
    assert empty.status_code == 200
    assert "No certificates or documents to show" in empty.content.decode()
    today = timezone.localdate()
    certificate(
        cast,
        title="Soon SOC",
        expires_on=today + dt.timedelta(days=20),
        effective_on=today - dt.timedelta(days=300),
    )
    certificate(
        cast,
        title="Lapsed insurance",
        kind=CertificationKind.INSURANCE,
        expires_on=today - dt.timedelta(days=2),
        effective_on=today - dt.timedelta(days=300),
    )
    certificate(
        cast,
        title="Fine ISO",
        kind=CertificationKind.ISO_27001,
        expires_on=today + dt.timedelta(days=400),
        effective_on=today - dt.timedelta(days=10),
    )
    page = client.get("/compliance/certificates/").content.decode()
    assert "Soon SOC" in page
    assert "Lapsed insurance" in page
    assert "Fine ISO" in page
    expiring = client.get("/compliance/certificates/", {"status": "expiring"}).content.decode()
    assert "Soon SOC" in expiring
    assert "Fine ISO" not in expiring
    by_kind = client.get("/compliance/certificates/", {"kind": "insurance"}).content.decode()
    assert "Lapsed insurance" in by_kind
    assert "Soon SOC" not in by_kind
    searched = client.get("/compliance/certificates/", {"q": "iso"}).content.decode()
    assert "Fine ISO" in searched
    assert "Soon SOC" not in searched
    # htmx asks for the results only
    partial = client.get("/compliance/certificates/", {"q": "iso"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_create_form_with_a_bad_file_shows_the_message(cast) -> None:
    client = _client(cast.owner)
    before = stored_files()
    response = client.post(
        "/compliance/certificates/new/",
        {
            "supplier": vendor_a(cast).pk,
            "kind": "soc2_type2",
            "title": "SOC 2",
            "effective_on": "2026-01-01",
            "expires_on": "2027-01-01",
            "file": SimpleUploadedFile("report.pdf", PNG),
            "shared_with_portal": "on",
        },
    )
    assert response.status_code == 200
    assert "“report.pdf” does not contain what its .pdf name says." in response.content.decode()
    assert not Certification.objects.exists()
    assert stored_files() == before
    response = client.post(
        "/compliance/certificates/new/",
        {
            "supplier": vendor_a(cast).pk,
            "kind": "soc2_type2",
            "title": "SOC 2",
            "effective_on": "2027-01-02",
            "expires_on": "2027-01-01",
            "file": pdf(),
        },
    )
    assert "is before the effective date" in response.content.decode()
    ok = client.post(
        "/compliance/certificates/new/",
        {
            "supplier": vendor_a(cast).pk,
            "kind": "soc2_type2",
            "title": "SOC 2",
            "effective_on": "2026-01-01",
            "expires_on": "2027-01-01",
            "file": pdf(),
        },
    )
    assert ok.status_code == 302
    assert Certification.objects.get().title == "SOC 2"


def test_detail_renew_edit_and_download(cast) -> None:
    cert = certificate(cast)
    client = _client(cast.owner)
    page = client.get(cert.get_absolute_url()).content.decode()
    assert "Renew" in page
    assert "History" in page
    renewed = client.post(
        f"/compliance/certificates/{cert.pk}/renew/",
        {"effective_on": "2027-01-01", "expires_on": "2028-01-01", "file": pdf("new.pdf")},
    )
    assert renewed.status_code == 302
    new = Certification.objects.exclude(pk=cert.pk).get()
    assert "Other versions" in client.get(new.get_absolute_url()).content.decode()
    edited = client.post(
        f"/compliance/certificates/{new.pk}/edit/",
        {
            "version": new.version,
            "title": "SOC 2 Type II 2027",
            "effective_on": "2027-01-01",
            "expires_on": "2028-01-01",
            "owner": cast.member.pk,
            "shared_with_portal": "on",
        },
    )
    assert edited.status_code == 302, edited.content.decode()[:2000]
    download = client.get(f"/compliance/certificates/{cert.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_file_urls_answer_404_to_the_other_vendor(cast) -> None:
    cert = certificate(cast)
    private = certificate(cast, title="Private", shared_with_portal=False)
    portal_b = _client(cast.portal_b)
    assert portal_b.get(f"/compliance/certificates/{cert.pk}/file/").status_code == 404
    assert portal_b.get(cert.get_absolute_url()).status_code == 404
    portal_a = _client(cast.portal_a)
    assert portal_a.get(f"/compliance/certificates/{cert.pk}/file/").status_code == 200
    assert portal_a.get(f"/compliance/certificates/{private.pk}/file/").status_code == 404
    assert (
        _client(cast.outsider).get(f"/compliance/certificates/{cert.pk}/file/").status_code == 404
    )


def test_portal_upload_through_the_page(cast) -> None:
    request = services.document_request_create(
        actor=cast.owner,
        supplier=vendor_a(cast),
        kind=CertificationKind.INSURANCE,
        due_on=timezone.localdate() + dt.timedelta(days=5),
        note="Current liability certificate",
    )
    portal_a = _client(cast.portal_a)
    page = portal_a.get(request.get_absolute_url()).content.decode()
    assert "Upload the Insurance certificate" in page
    assert "History" not in page
    body = {"effective_on": "2026-01-01", "expires_on": "2027-01-01", "file": pdf("ins.pdf")}
    assert (
        _client(cast.portal_b).post(f"/compliance/requests/{request.pk}/fulfil/", body).status_code
        == 404
    )
    bad = portal_a.post(
        f"/compliance/requests/{request.pk}/fulfil/",
        {**body, "file": SimpleUploadedFile("ins.pdf", b"plain text")},
    )
    assert bad.status_code == 400
    assert "“ins.pdf” does not contain" in bad.content.decode()
    body["file"] = pdf("ins.pdf")
    done = portal_a.post(f"/compliance/requests/{request.pk}/fulfil/", body)
    assert done.status_code == 302
    assert DocumentRequest.objects.get().status == RequestStatus.FULFILLED


def test_audit_pages(cast) -> None:
    row = audit(cast)
    client = _client(cast.owner)
    assert "Data centre audit" in client.get("/compliance/audits/").content.decode()
    assert (
        client.post(
            f"/compliance/audits/{row.pk}/transition/", {"to_status": "in_progress"}
        ).status_code
        == 302
    )
    raised = client.post(
        f"/compliance/audits/{row.pk}/findings/",
        {"title": "Badge readers offline", "severity": "high", "corrective_action": "Repair"},
    )
    assert raised.status_code == 302
    kept = client.post(f"/compliance/audits/{row.pk}/evidence/", {"file": pdf("photo.pdf")})
    assert kept.status_code == 302
    page = client.get(row.get_absolute_url()).content.decode()
    assert "Badge readers offline" in page
    assert "photo.pdf" in page
    refused = client.post(
        f"/compliance/audits/{row.pk}/transition/", {"to_status": "report_issued"}
    )
    assert refused.status_code == 400
    assert "Write the report summary" in refused.content.decode()
    row.refresh_from_db()
    assert row.status == AuditStatus.IN_PROGRESS
    assert _client(cast.portal_a).get(row.get_absolute_url()).status_code == 404
    assert client.get("/compliance/audits/new/").status_code == 200
    assert client.get("/compliance/requests/").status_code == 200


def test_plugins_read_through_the_policy(cast) -> None:
    today = timezone.localdate()
    soon = certificate(
        cast, expires_on=today + dt.timedelta(days=10), effective_on=today - dt.timedelta(days=100)
    )
    certificate(
        cast,
        supplier=vendor_b(cast),
        title="B cert",
        expires_on=today + dt.timedelta(days=10),
        effective_on=today - dt.timedelta(days=100),
    )
    panel = next(p for p in dashboard_panels() if p.name == "certificates")
    assert [c.pk for c in panel.context(cast.owner, today)["expiring"]] == [soon.pk]
    section = next(s for s in vendor_sections() if s.name == "compliance")
    assert section.context(cast.owner, vendor_a(cast), today)["certifications"][0][1] == "expiring"
    assert section.context(cast.portal_b, vendor_a(cast), today)["certifications"] == []
    assert any(
        i.kind == "certificate_expiry"
        for i in due_items(cast.owner, today=today, until=today + dt.timedelta(days=30))
    )
    request = services.document_request_create(
        actor=cast.owner, supplier=vendor_a(cast), kind="dpa", due_on=today + dt.timedelta(days=3)
    )
    portal = next(s for s in portal_sections() if s.name == "documents")
    assert portal.count(cast.portal_a) == 1
    assert portal.count(cast.portal_b) == 0
    assert [r.pk for r, _form in portal.context(cast.portal_a)["requests"]] == [request.pk]
    portal_due = due_items(cast.portal_a, today=today, until=today + dt.timedelta(days=7))
    assert [i.kind for i in portal_due] == ["document_request"]
    assert due_items(cast.portal_b, today=today, until=today + dt.timedelta(days=7)) == []
    # Search: A's report is found by A's people, never by B's portal user
    assert [h.url for h in plugins.certifications_search(cast.owner, "report", 10)] == [
        soon.get_absolute_url()
    ]
    assert plugins.certifications_search(cast.portal_b, "report", 10) == []
    assert any(e.url_name == "compliance:certification-list" for e in navigation())


def test_panel_templates_render(cast) -> None:
    from django.template.loader import render_to_string

    today = timezone.localdate()
    certificate(
        cast, expires_on=today - dt.timedelta(days=1), effective_on=today - dt.timedelta(days=100)
    )
    html = render_to_string(
        "compliance/panels/_dashboard.html", plugins._panel_context(cast.owner, today)
    )
    assert "Expired" in html
    html = render_to_string(
        "compliance/panels/_vendor.html", plugins._vendor_context(cast.owner, vendor_a(cast), today)
    )
    assert "table-danger" in html
    services.document_request_create(
        actor=cast.owner, supplier=vendor_a(cast), kind="dpa", due_on=today
    )
    html = render_to_string(
        "compliance/panels/_portal.html", plugins._portal_context(cast.portal_a)
    )
    assert 'enctype="multipart/form-data"' in html
