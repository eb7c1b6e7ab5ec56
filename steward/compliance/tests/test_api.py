"""The compliance API: certificates with their files, requests and the portal's fulfilment,
audits with transitions, findings and evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from steward.compliance.choices import AuditStatus, CertificationKind, RequestStatus
from steward.compliance.models import Audit, Certification, DocumentRequest
from steward.compliance.tests.factories import (
    PNG,
    audit,
    certificate,
    pdf,
    stored_files,
    vendor_a,
    vendor_b,
)
from steward.contracts.tests.test_documents import pdf_bytes

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _errors(response):
    return {(e["attr"], e["code"]) for e in response.json()["errors"]}


def _new_certificate(cast, client, **overrides):
    body = {
        "supplier": vendor_a(cast).pk,
        "kind": CertificationKind.ISO_27001,
        "title": "ISO 27001 certificate",
        "effective_on": "2026-01-01",
        "expires_on": "2029-01-01",
        "file": pdf("iso.pdf"),
        **overrides,
    }
    return client.post("/api/v1/certifications/", body, format="multipart")


def test_create_read_update_archive(cast) -> None:
    client = _client(cast.owner)
    created = _new_certificate(cast, client)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "valid"
    assert body["original_name"] == "iso.pdf"
    listed = client.get("/api/v1/certifications/", {"kind": "iso_27001"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    changed = client.patch(
        f"/api/v1/certifications/{body['id']}/", {"scope": "EU hosting", "version": 1}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["scope"] == "EU hosting"
    stale = client.patch(f"/api/v1/certifications/{body['id']}/", {"scope": "x", "version": 1})
    assert stale.status_code == 409
    assert client.delete(f"/api/v1/certifications/{body['id']}/").status_code == 204
    assert Certification.objects.get().is_archived


def test_bad_dates_are_refused_naming_the_field(cast) -> None:
    response = _new_certificate(
        cast, _client(cast.owner), effective_on="2027-01-02", expires_on="2027-01-01"
    )
    assert response.status_code == 400
    assert ("expires_on", "expiry_before_effective") in _errors(response)
    assert not Certification.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: SimpleUploadedFile("fake.pdf", PNG), "file_content"),
        (lambda: SimpleUploadedFile("tool.exe", b"MZ"), "file_type"),
    ],
)
def test_refused_files_through_the_api(cast, upload, code) -> None:
    before = stored_files()
    response = _new_certificate(cast, _client(cast.owner), file=upload())
    assert response.status_code == 400, response.content
    assert ("file", code) in _errors(response)
    assert not Certification.objects.exists()
    assert stored_files() == before


def _raw_multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand: test clients cut a file name down to its last part."""
    boundary = "compliance-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("name", ["../../x.pdf", "..\\..\\x.pdf", "/etc/x.pdf"])
def test_path_like_names_through_the_api(cast, name) -> None:
    before = stored_files()
    body, content_type = _raw_multipart(
        {
            "supplier": str(vendor_a(cast).pk),
            "kind": "iso_27001",
            "title": "ISO",
            "effective_on": "2026-01-01",
            "expires_on": "2027-01-01",
        },
        name,
        pdf_bytes("x"),
    )
    response = _client(cast.owner).post(
        "/api/v1/certifications/", data=body, content_type=content_type
    )
    assert response.status_code == 400, response.content
    assert ("file", "file_name") in _errors(response)
    assert name in response.json()["errors"][0]["detail"]
    assert not Certification.objects.exists()
    assert stored_files() == before


def test_oversized_through_the_api(cast, settings) -> None:
    settings.STEWARD_UPLOAD_MAX_BYTES = 100
    response = _new_certificate(cast, _client(cast.owner))
    assert ("file", "file_too_large") in _errors(response)
    assert "iso.pdf" in response.json()["errors"][0]["detail"]


def test_renew_and_download(cast) -> None:
    cert = certificate(cast)
    client = _client(cast.owner)
    renewed = client.post(
        f"/api/v1/certifications/{cert.pk}/renew/",
        {"effective_on": "2027-01-01", "expires_on": "2028-01-01", "file": pdf("new.pdf")},
        format="multipart",
    )
    assert renewed.status_code == 201, renewed.content
    assert renewed.json()["supersedes"] == cert.pk
    old = client.get(f"/api/v1/certifications/{cert.pk}/").json()
    assert old["status"] == "superseded"
    download = client.get(f"/api/v1/certifications/{cert.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_portal_users_see_only_their_shared_certificates(cast) -> None:
    shared = certificate(cast)
    private = certificate(cast, title="Internal pen test", shared_with_portal=False)
    theirs = certificate(cast, supplier=vendor_b(cast), title="Borealis SOC 2")
    portal_a = _client(cast.portal_a)
    rows = portal_a.get("/api/v1/certifications/").json()["results"]
    assert [row["id"] for row in rows] == [shared.pk]
    for hidden in (private, theirs):
        assert portal_a.get(f"/api/v1/certifications/{hidden.pk}/").status_code == 404
        assert portal_a.get(f"/api/v1/certifications/{hidden.pk}/download/").status_code == 404
    assert portal_a.get("/api/v1/certifications/", {"q": "Borealis"}).json()["results"] == []
    # Portal users read; they do not write certificates directly
    assert _new_certificate(cast, portal_a).status_code == 403


def test_request_and_portal_fulfilment(cast) -> None:
    owner = _client(cast.owner)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    created = owner.post(
        "/api/v1/document-requests/",
        {"supplier": vendor_a(cast).pk, "kind": "dpa", "due_on": due, "note": "Signed DPA"},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    # vendor B's portal user neither sees nor answers it
    portal_b = _client(cast.portal_b)
    assert portal_b.get(f"/api/v1/document-requests/{pk}/").status_code == 404
    assert portal_b.get("/api/v1/document-requests/").json()["results"] == []
    body = {"effective_on": "2026-11-01", "expires_on": "2029-11-01", "file": pdf("dpa.pdf")}
    assert (
        portal_b.post(
            f"/api/v1/document-requests/{pk}/fulfil/", body, format="multipart"
        ).status_code
        == 404
    )
    portal_a = _client(cast.portal_a)
    assert [r["id"] for r in portal_a.get("/api/v1/document-requests/").json()["results"]] == [pk]
    body["file"] = pdf("dpa.pdf")
    fulfilled = portal_a.post(f"/api/v1/document-requests/{pk}/fulfil/", body, format="multipart")
    assert fulfilled.status_code == 201, fulfilled.content
    assert fulfilled.json()["kind"] == "dpa"
    assert DocumentRequest.objects.get().status == RequestStatus.FULFILLED
    # History is for inside users
    assert (
        portal_a.get(f"/api/v1/certifications/{fulfilled.json()['id']}/history/").status_code == 403
    )


def test_audit_flow(cast) -> None:
    client = _client(cast.owner)
    created = client.post(
        "/api/v1/audits/",
        {
            "supplier": vendor_a(cast).pk,
            "title": "Hosting audit",
            "kind": "on_site",
            "planned_on": "2026-12-01",
            "auditors": [cast.member.pk],
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["auditors"] == sorted([cast.owner.pk, cast.member.pk])
    moved = client.post(f"/api/v1/audits/{pk}/transition/", {"to_status": "in_progress"})
    assert moved.json()["status"] == AuditStatus.IN_PROGRESS
    bad = client.post(f"/api/v1/audits/{pk}/transition/", {"to_status": "closed"})
    assert bad.status_code == 400
    raised = client.post(
        f"/api/v1/audits/{pk}/findings/",
        {"title": "No MFA on consoles", "severity": "high", "corrective_action": "Enforce MFA"},
    )
    assert raised.status_code == 201, raised.content
    assert raised.json()["remediation_plan"] == "Enforce MFA"
    findings = client.get(f"/api/v1/audits/{pk}/findings/").json()
    assert [f["title"] for f in findings] == ["No MFA on consoles"]
    kept = client.post(
        f"/api/v1/audits/{pk}/evidence/", {"file": pdf("photo.pdf")}, format="multipart"
    )
    assert kept.status_code == 201, kept.content
    evidence_id = kept.json()["id"]
    assert client.get(f"/api/v1/audit-evidence/{evidence_id}/download/").status_code == 200
    client.post(
        f"/api/v1/audits/{pk}/transition/",
        {"to_status": "report_issued", "report_summary": "One high finding"},
    )
    refused = client.post(f"/api/v1/audits/{pk}/transition/", {"to_status": "closed"})
    assert ("status", "open_findings") in _errors(refused)
    # Portal users and other vendor managers see no audit and no evidence
    for role in ("portal_a", "portal_b", "outsider"):
        other = _client(cast.user(role))
        assert other.get(f"/api/v1/audits/{pk}/").status_code == 404
        assert other.get(f"/api/v1/audit-evidence/{evidence_id}/download/").status_code == 404
    assert Audit.objects.get().status == AuditStatus.REPORT_ISSUED


def test_readers_are_refused_writes(cast) -> None:
    row = audit(cast)
    auditor = _client(cast.auditor)
    assert auditor.get(f"/api/v1/audits/{row.pk}/").status_code == 200
    assert (
        auditor.post(
            f"/api/v1/audits/{row.pk}/transition/", {"to_status": "in_progress"}
        ).status_code
        == 403
    )
    assert _new_certificate(cast, auditor).status_code == 403


def test_audit_archive_and_restore(cast) -> None:
    row = audit(cast)
    client = _client(cast.owner)
    assert client.delete(f"/api/v1/audits/{row.pk}/").status_code == 204
    assert Audit.objects.get().is_archived
    restored = client.post(f"/api/v1/audits/{row.pk}/restore/", {})
    assert restored.status_code == 200, restored.content
    assert not Audit.objects.get().is_archived
    assert _client(cast.reviewer).delete(f"/api/v1/audits/{row.pk}/").status_code == 403
