"""The permission matrix for compliance: certificates and documents, requests to vendors, audits,
their evidence and findings, and the expiry alerts sent (issue 7).

Expectations are written by hand from the policy's rules (access.py and the models' access
specs). Every role acts on the same starting state: vendor A's records, built once per test;
each write runs in a savepoint that is rolled back, so the next role finds the same rows. An
allowed role gets the row, the file or the change; a denied role gets none of them and the
database is untouched.

The cast has no IT security person: this module adds ``it_security``, an inside user whose
profile function is IT security and who holds no job role.

The rules, as the policy states them:

- a certificate follows its vendor: whoever may see vendor A sees A's certificates, whoever may
  change A adds, corrects, renews and archives them; IT security reads and works every vendor's;
  auditors read; A's portal users see A's certificates that are shared with the portal (and
  download their files), and nothing else; B's portal users see nothing of A;
- a request to vendor A follows A the same way, and A's portal users see every request to A;
  they (and whoever may change A, and IT security) answer it with an upload;
- an audit of A follows A, IT security, and its own auditors; portal users never see audits;
  its evidence, its findings' links and the alerts sent follow it (or the certificate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from steward.compliance import services
from steward.compliance.choices import AuditKind, AuditStatus, CertificationKind
from steward.compliance.models import (
    Audit,
    AuditEvidence,
    AuditFinding,
    Certification,
    CertificationAlertSent,
    DocumentRequest,
)
from steward.contracts.tests.test_documents import pdf_bytes
from steward.parties.tests.cast import ROLES, Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.risk.choices import FindingSeverity
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

COVERED_MODELS: set[type[Any]] = {
    Certification,
    DocumentRequest,
    CertificationAlertSent,
    Audit,
    AuditEvidence,
    AuditFinding,
}

MATRIX_ROLES = (*ROLES, "it_security")
IT_SECURITY = frozenset({"it_security"})
REL_A_READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer"}
)
REL_A_EDITORS = frozenset({"admin", "owner", "member"})
A_READERS = REL_A_READERS | IT_SECURITY
A_EDITORS = REL_A_EDITORS | IT_SECURITY
PORTAL_A = frozenset({"portal_a"})

# (record, action) -> roles allowed.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # A's certificate shared with the portal
    ("certification", "list"): A_READERS | PORTAL_A,
    ("certification", "detail"): A_READERS | PORTAL_A,
    ("certification", "file"): A_READERS | PORTAL_A,
    ("certification", "search"): A_READERS | PORTAL_A,
    ("certification", "create"): A_EDITORS,
    ("certification", "update"): A_EDITORS,
    ("certification", "renew"): A_EDITORS,
    ("certification", "delete"): A_EDITORS,
    # A's certificate kept from the portal
    ("private_certification", "list"): A_READERS,
    ("private_certification", "detail"): A_READERS,
    ("private_certification", "file"): A_READERS,
    # A request to vendor A
    ("document_request", "list"): A_READERS | PORTAL_A,
    ("document_request", "detail"): A_READERS | PORTAL_A,
    ("document_request", "create"): A_EDITORS,
    ("document_request", "fulfil"): A_EDITORS | PORTAL_A,
    ("document_request", "cancel"): A_EDITORS,
    # An audit of A (owner leads it, nobody else is on its team)
    ("audit", "list"): A_READERS,
    ("audit", "detail"): A_READERS,
    ("audit", "create"): A_EDITORS,
    ("audit", "update"): A_EDITORS,
    ("audit", "transition"): A_EDITORS,
    ("audit", "delete"): A_EDITORS,
    ("audit_evidence", "list"): A_READERS,
    ("audit_evidence", "detail"): A_READERS,
    ("audit_evidence", "file"): A_READERS,
    ("audit_evidence", "create"): A_EDITORS,
    ("audit_finding", "list"): A_READERS,
    ("audit_finding", "create"): A_EDITORS,
    # The sent-log of expiry alerts: follows the certificate (no portal access of its own)
    ("alert_sent", "list"): A_READERS,
}


@dataclass
class World:
    cast: Cast
    it_security: Any
    vendor: Supplier
    certification: Certification
    private: Certification
    request: DocumentRequest
    audit: Audit
    evidence: AuditEvidence
    finding_link: AuditFinding
    alert: CertificationAlertSent

    def user(self, role: str) -> Any:
        return self.it_security if role == "it_security" else self.cast.user(role)


def _pdf(name: str = "matrix.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("Matrix"), content_type="application/pdf")


@pytest.fixture
def world(cast: Cast) -> World:
    it_security = UserFactory(username="it_security", profile__function=Function.IT_SECURITY)
    vendor = SupplierFactory(relationship=cast.rel_a)
    SupplierFactory(relationship=cast.rel_b)
    today = timezone.localdate()
    certification = services.certification_add(
        actor=cast.owner,
        supplier=vendor,
        kind=CertificationKind.SOC2_TYPE2,
        title="Matrix SOC 2 report",
        effective_on=today - dt.timedelta(days=300),
        expires_on=today + dt.timedelta(days=30),
        upload=_pdf(),
    )
    private = services.certification_add(
        actor=cast.owner,
        supplier=vendor,
        kind=CertificationKind.OTHER,
        title="Matrix internal pen test",
        effective_on=today - dt.timedelta(days=10),
        expires_on=today + dt.timedelta(days=300),
        upload=_pdf(),
        shared_with_portal=False,
    )
    request = services.document_request_create(
        actor=cast.owner,
        supplier=vendor,
        kind=CertificationKind.DPA,
        due_on=today + dt.timedelta(days=10),
        note="Matrix request",
    )
    audit = services.audit_plan(
        actor=cast.owner,
        supplier=vendor,
        title="Matrix audit",
        kind=AuditKind.REMOTE,
        planned_on=today + dt.timedelta(days=5),
    )
    audit = services.audit_transition(
        actor=cast.owner, audit=audit, to_status=AuditStatus.IN_PROGRESS
    )
    evidence = services.audit_evidence_add(actor=cast.owner, audit=audit, upload=_pdf("ev.pdf"))
    finding = services.audit_finding_raise(
        actor=cast.owner, audit=audit, title="Matrix finding", severity=FindingSeverity.LOW
    )
    services.certification_alerts_deliver(day=today)
    return World(
        cast=cast,
        it_security=it_security,
        vendor=vendor,
        certification=certification,
        private=private,
        request=request,
        audit=audit,
        evidence=evidence,
        finding_link=AuditFinding.objects.get(finding=finding),
        alert=CertificationAlertSent.objects.get(),
    )


def _client(channel: str, user: Any) -> Any:
    client = APIClient() if channel == "api" else Client()
    client.force_login(user)
    return client


def _api_ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


def _ok(response: Any) -> bool:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    return response.status_code == 200


# --- reads -------------------------------------------------------------------------------------


def _list(channel: str, record: str, w: World, client: Any) -> bool:
    if record == "alert_sent":
        # An internal sent-log with no page of its own: asked of the policy directly.
        return (
            CertificationAlertSent.objects.restrict(client, "view").filter(pk=w.alert.pk).exists()
        )
    paths = {
        "certification": ("/compliance/certificates/", "/api/v1/certifications/"),
        "private_certification": ("/compliance/certificates/", "/api/v1/certifications/"),
        "document_request": ("/compliance/requests/", "/api/v1/document-requests/"),
        "audit": ("/compliance/audits/", "/api/v1/audits/"),
        "audit_evidence": (None, "/api/v1/audit-evidence/"),
        "audit_finding": (None, f"/api/v1/audits/{w.audit.pk}/findings/"),
    }
    ui_path, api_path = paths[record]
    target = {
        "certification": w.certification,
        "private_certification": w.private,
        "document_request": w.request,
        "audit": w.audit,
        "audit_evidence": w.evidence,
        "audit_finding": w.finding_link.finding,
    }[record]
    if channel == "ui":
        if ui_path is None:
            return (
                _ok(client.get(w.audit.get_absolute_url()))
                and "Matrix finding" in client.get(w.audit.get_absolute_url()).content.decode()
            )
        response = client.get(ui_path)
        assert response.status_code == 200
        return str(target.get_absolute_url()) in response.content.decode()
    response = client.get(api_path)
    if response.status_code == 404:  # the audit's findings of an audit one may not see
        return False
    return target.pk in _api_ids(response)


def _detail(channel: str, record: str, w: World, client: Any) -> bool:
    target = {
        "certification": w.certification,
        "private_certification": w.private,
        "document_request": w.request,
        "audit": w.audit,
        "audit_evidence": w.evidence,
    }[record]
    if channel == "ui":
        if record == "audit_evidence":
            return _ok(client.get(w.audit.get_absolute_url()))
        return _ok(client.get(target.get_absolute_url()))
    prefix = {
        "certification": "certifications",
        "private_certification": "certifications",
        "document_request": "document-requests",
        "audit": "audits",
        "audit_evidence": "audit-evidence",
    }[record]
    return _ok(client.get(f"/api/v1/{prefix}/{target.pk}/"))


def _file(channel: str, record: str, w: World, client: Any) -> bool:
    target = {
        "certification": w.certification,
        "private_certification": w.private,
        "audit_evidence": w.evidence,
    }[record]
    if channel == "ui":
        path = (
            f"/compliance/evidence/{target.pk}/file/"
            if record == "audit_evidence"
            else f"/compliance/certificates/{target.pk}/file/"
        )
    else:
        prefix = "audit-evidence" if record == "audit_evidence" else "certifications"
        path = f"/api/v1/{prefix}/{target.pk}/download/"
    response = client.get(path)
    allowed = _ok(response)
    if allowed:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    return allowed


def _search(channel: str, record: str, w: World, client: Any) -> bool:
    if channel == "ui":
        response = client.get("/search/", {"q": "Matrix SOC"})
        assert response.status_code == 200
        return w.certification.get_absolute_url() in response.content.decode()
    return w.certification.pk in _api_ids(
        client.get("/api/v1/certifications/", {"q": "Matrix SOC"})
    )


# --- writes ------------------------------------------------------------------------------------


def _write(
    response: Any, changed: Callable[[], bool], ok: tuple[int, ...], refused: tuple[int, ...] = ()
) -> bool:
    """A write took effect with a success code, or was refused and left no trace.

    A create form re-renders (200) for a vendor the user may not add to: the vendor is simply
    not among its choices, which reveals nothing.
    """
    succeeded = changed()
    if succeeded:
        assert response.status_code in ok, (response.status_code, response.content[:300])
    else:
        assert response.status_code in (400, 403, 404, *refused), (
            response.status_code,
            response.content[:300],
        )
    return succeeded


def _create_path(channel: str, record: str, w: World) -> tuple[str, dict[str, Any], str]:
    """Where a create is posted on each channel, with its body and the API's format."""
    today = str(timezone.localdate())
    audit = w.audit.pk
    bodies: dict[str, tuple[str, str, dict[str, Any], str]] = {
        "certification": (
            "/compliance/certificates/new/",
            "/api/v1/certifications/",
            {
                "supplier": w.vendor.pk,
                "kind": "iso_27001",
                "title": "Matrix ISO",
                "effective_on": "2026-01-01",
                "expires_on": "2030-01-01",
                "file": _pdf(),
            },
            "multipart",
        ),
        "document_request": (
            "/compliance/requests/new/",
            "/api/v1/document-requests/",
            {"supplier": w.vendor.pk, "kind": "tax_form", "due_on": today},
            "json",
        ),
        "audit": (
            "/compliance/audits/new/",
            "/api/v1/audits/",
            {"supplier": w.vendor.pk, "title": "Matrix new", "kind": "remote", "planned_on": today},
            "json",
        ),
        "audit_evidence": (
            f"/compliance/audits/{audit}/evidence/",
            f"/api/v1/audits/{audit}/evidence/",
            {"file": _pdf()},
            "multipart",
        ),
        "audit_finding": (
            f"/compliance/audits/{audit}/findings/",
            f"/api/v1/audits/{audit}/findings/",
            {"title": "Matrix second finding", "severity": "low"},
            "json",
        ),
    }
    ui_path, api_path, body, api_format = bodies[record]
    return (ui_path if channel == "ui" else api_path), body, api_format


CREATED_MODEL: dict[str, type[Any]] = {
    "certification": Certification,
    "document_request": DocumentRequest,
    "audit": Audit,
    "audit_evidence": AuditEvidence,
    "audit_finding": AuditFinding,
}


def _create(channel: str, record: str, w: World, client: Any) -> bool:
    model = CREATED_MODEL[record]
    before = model.objects.count()
    path, body, api_format = _create_path(channel, record, w)
    if channel == "ui":
        response = client.post(path, body)
    else:
        response = client.post(path, body, format=api_format)
    return _write(response, lambda: model.objects.count() > before, (201, 302), (200,))


def _update(channel: str, record: str, w: World, client: Any) -> bool:
    if record == "certification":
        cert = w.certification
        if channel == "ui":
            response = client.post(
                f"/compliance/certificates/{cert.pk}/edit/",
                {
                    "version": cert.version,
                    "title": "Matrix changed",
                    "effective_on": str(cert.effective_on),
                    "expires_on": str(cert.expires_on),
                    "owner": cert.owner_id,
                },
            )
        else:
            response = client.patch(
                f"/api/v1/certifications/{cert.pk}/", {"title": "Matrix changed", "version": 1}
            )
        return _write(
            response,
            lambda: Certification.objects.filter(title="Matrix changed").exists(),
            (200, 302),
        )
    if channel == "ui":
        return _no_ui()
    response = client.patch(
        f"/api/v1/audits/{w.audit.pk}/", {"title": "Matrix changed", "version": w.audit.version}
    )
    return _write(response, lambda: Audit.objects.filter(title="Matrix changed").exists(), (200,))


def _no_ui() -> bool:
    pytest.skip("no such page")


def _renew(channel: str, record: str, w: World, client: Any) -> bool:
    body = {"effective_on": "2027-01-01", "expires_on": "2028-01-01", "file": _pdf()}
    pk = w.certification.pk
    if channel == "ui":
        response = client.post(f"/compliance/certificates/{pk}/renew/", body)
    else:
        response = client.post(f"/api/v1/certifications/{pk}/renew/", body, format="multipart")
    return _write(
        response, lambda: Certification.objects.filter(supersedes_id=pk).exists(), (201, 302)
    )


def _delete(channel: str, record: str, w: World, client: Any) -> bool:
    if record == "audit":
        if channel == "ui":
            return _no_ui()
        response = client.delete(f"/api/v1/audits/{w.audit.pk}/")
        return _write(
            response,
            lambda: Audit.objects.filter(pk=w.audit.pk, archived_at__isnull=False).exists(),
            (204,),
        )
    pk = w.certification.pk
    if channel == "ui":
        response = client.post(f"/compliance/certificates/{pk}/archive/")
    else:
        response = client.delete(f"/api/v1/certifications/{pk}/")
    return _write(
        response,
        lambda: Certification.objects.filter(pk=pk, archived_at__isnull=False).exists(),
        (204, 302),
    )


def _fulfil(channel: str, record: str, w: World, client: Any) -> bool:
    body = {"effective_on": "2026-01-01", "expires_on": "2029-01-01", "file": _pdf()}
    pk = w.request.pk
    if channel == "ui":
        response = client.post(f"/compliance/requests/{pk}/fulfil/", body)
    else:
        response = client.post(f"/api/v1/document-requests/{pk}/fulfil/", body, format="multipart")
    return _write(
        response,
        lambda: DocumentRequest.objects.filter(pk=pk, status="fulfilled").exists(),
        (201, 302),
    )


def _cancel(channel: str, record: str, w: World, client: Any) -> bool:
    pk = w.request.pk
    body = {"reason": "Matrix"}
    if channel == "ui":
        response = client.post(f"/compliance/requests/{pk}/cancel/", body)
    else:
        response = client.post(f"/api/v1/document-requests/{pk}/cancel/", body)
    return _write(
        response,
        lambda: DocumentRequest.objects.filter(pk=pk, status="cancelled").exists(),
        (200, 302),
    )


def _transition(channel: str, record: str, w: World, client: Any) -> bool:
    pk = w.audit.pk
    body = {"to_status": "cancelled", "note": "Matrix"}
    if channel == "ui":
        response = client.post(f"/compliance/audits/{pk}/transition/", body)
    else:
        response = client.post(f"/api/v1/audits/{pk}/transition/", body)
    return _write(
        response, lambda: Audit.objects.filter(pk=pk, status="cancelled").exists(), (200, 302)
    )


CHECKS: dict[str, Callable[[str, str, World, Any], bool]] = {
    "list": _list,
    "detail": _detail,
    "file": _file,
    "search": _search,
    "create": _create,
    "update": _update,
    "renew": _renew,
    "delete": _delete,
    "fulfil": _fulfil,
    "cancel": _cancel,
    "transition": _transition,
}


class _RollbackError(Exception):
    pass


@pytest.mark.parametrize("channel", ["ui", "api"])
@pytest.mark.parametrize(("record", "action"), sorted(EXPECTED))
def test_matrix(world: World, channel: str, record: str, action: str) -> None:
    expected = EXPECTED[(record, action)]
    mismatches = []
    for role in MATRIX_ROLES:
        user = world.user(role)
        client = user if record == "alert_sent" else _client(channel, user)
        outcome: list[bool] = []
        try:
            with transaction.atomic():
                outcome.append(CHECKS[action](channel, record, world, client))
                raise _RollbackError
        except _RollbackError:
            pass
        allowed = outcome[0]
        if allowed != (role in expected):
            mismatches.append(f"{role} was {'allowed' if allowed else 'denied'}")
    assert not mismatches, f"{channel} {record} {action}: " + "; ".join(mismatches)


def test_portal_b_guesses_every_id_of_a(world: World) -> None:
    """Vendor B's portal user learns nothing of A by guessing ids, on any channel."""
    ui = _client("ui", world.cast.portal_b)
    api = _client("api", world.cast.portal_b)
    cert, request, audit, evidence = world.certification, world.request, world.audit, world.evidence
    for path in (
        cert.get_absolute_url(),
        f"/compliance/certificates/{cert.pk}/file/",
        request.get_absolute_url(),
        audit.get_absolute_url(),
        f"/compliance/evidence/{evidence.pk}/file/",
    ):
        assert ui.get(path).status_code == 404, path
    for path in (
        f"/api/v1/certifications/{cert.pk}/",
        f"/api/v1/certifications/{cert.pk}/download/",
        f"/api/v1/certifications/{cert.pk}/history/",
        f"/api/v1/document-requests/{request.pk}/",
        f"/api/v1/audits/{audit.pk}/",
        f"/api/v1/audits/{audit.pk}/findings/",
        f"/api/v1/audit-evidence/{evidence.pk}/",
        f"/api/v1/audit-evidence/{evidence.pk}/download/",
    ):
        assert api.get(path).status_code == 404, path
    for path in (
        "/api/v1/certifications/",
        "/api/v1/document-requests/",
        "/api/v1/audits/",
        "/api/v1/audit-evidence/",
    ):
        assert _api_ids(api.get(path)) == set(), path
    found = ui.get("/search/", {"q": "Matrix"}).content.decode()
    assert cert.get_absolute_url() not in found
    assert "Matrix SOC 2 report" not in found
