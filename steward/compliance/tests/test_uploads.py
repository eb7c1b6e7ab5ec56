"""Upload safety: refused files name themselves and leave neither a row nor a stored file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.compliance import services
from steward.compliance.choices import CertificationKind
from steward.compliance.models import AuditEvidence, Certification
from steward.compliance.services.files import is_path_like
from steward.compliance.tests.factories import PNG, audit, pdf, stored_files, vendor_a
from steward.contracts.tests.test_documents import pdf_bytes
from steward.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.STEWARD_UPLOAD_MAX_BYTES = 4096


def _add(cast, upload):
    return services.certification_add(
        actor=cast.owner,
        supplier=vendor_a(cast),
        kind=CertificationKind.INSURANCE,
        title="Liability insurance",
        effective_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2027, 1, 1),
        upload=upload,
    )


def _with_submitted_name(upload: SimpleUploadedFile, name: str) -> SimpleUploadedFile:
    upload.submitted_name = name  # as the API parser keeps it
    return upload


REFUSED = [
    (
        "wrong type",
        SimpleUploadedFile("policy.docx", b"PK\x03\x04 word"),
        "file_type",
        "policy.docx",
    ),
    ("script", SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "file_type", "run.exe"),
    (
        "oversized",
        SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000),
        "file_too_large",
        "big.pdf",
    ),
    ("content does not match", SimpleUploadedFile("fake.pdf", PNG), "file_content", "fake.pdf"),
    (
        "text named pdf",
        SimpleUploadedFile("notes.pdf", b"just some text"),
        "file_content",
        "notes.pdf",
    ),
    ("png named jpg", SimpleUploadedFile("photo.jpg", PNG), "file_content", "photo.jpg"),
    ("empty", SimpleUploadedFile("empty.pdf", b""), "file_empty", "empty.pdf"),
    ("backslash path", SimpleUploadedFile("..\\..\\x.pdf", pdf_bytes("x")), "file_name", "x.pdf"),
    (
        "dot-dot path",
        _with_submitted_name(SimpleUploadedFile("x.pdf", pdf_bytes("x")), "../../x.pdf"),
        "file_name",
        "../../x.pdf",
    ),
    (
        "absolute path",
        _with_submitted_name(SimpleUploadedFile("passwd.pdf", pdf_bytes("x")), "/etc/passwd.pdf"),
        "file_name",
        "/etc/passwd.pdf",
    ),
]


@pytest.mark.parametrize(("case", "upload", "code", "named"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_uploads_store_nothing(cast, case, upload, code, named) -> None:
    upload.seek(0)
    before = stored_files()
    with pytest.raises(DomainError) as refused:
        _add(cast, upload)
    # Then the message names the file and the refusal is on the file field
    assert refused.value.code == code, refused.value.message
    assert refused.value.field == "file"
    assert named in refused.value.message
    # And nothing was written: no row, no file
    assert not Certification.objects.exists()
    assert stored_files() == before


def test_a_png_certificate_is_accepted(cast) -> None:
    before = stored_files()
    cert = _add(cast, SimpleUploadedFile("scan.png", PNG))
    assert cert.content_type == "image/png"
    assert stored_files() - before == {cert.file.name}


def test_a_refused_row_removes_the_file_it_stored(cast, monkeypatch) -> None:
    before = stored_files()

    # When the database refuses the row after the file was stored
    def broken_save(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("steward.compliance.services.certifications.create_record", broken_save)
    with pytest.raises(RuntimeError):
        _add(cast, pdf())
    assert stored_files() == before


def test_evidence_is_checked_the_same_way(cast) -> None:
    planned = audit(cast)
    before = stored_files()
    with pytest.raises(DomainError) as refused:
        services.audit_evidence_add(
            actor=cast.owner, audit=planned, upload=SimpleUploadedFile("fake.pdf", PNG)
        )
    assert "fake.pdf" in refused.value.message
    assert not AuditEvidence.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "path_like"),
    [
        ("report.pdf", False),
        ("SOC 2 (2026).pdf", False),
        ("../x.pdf", True),
        ("..", True),
        (".hidden.pdf", True),
        ("a/b.pdf", True),
        ("C:\\x.pdf", True),
        ("x\x00.pdf", True),
        ("", True),
    ],
)
def test_is_path_like(name: str, path_like: bool) -> None:
    assert is_path_like(name) is path_like
