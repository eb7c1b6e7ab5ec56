from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from steward.core.errors import DomainError
from steward.core.uploads import check_upload, store_upload

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_is_accepted_and_stored_under_a_generated_name() -> None:
    stored = store_upload(upload("../../etc/contract.pdf", PDF), folder="documents")
    assert stored.original_name == "contract.pdf"
    assert stored.name.startswith("documents/")
    assert "contract" not in stored.name
    assert ".." not in stored.name
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert len(stored.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.exe", b"MZ\x90\x00", "file_type"),
        ("invoice.pdf", PNG, "file_content"),
        ("invoice.pdf", b"just text pretending", "file_content"),
        ("notes.txt", b"\xff\xfe\x00\x00binary", "file_content"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_wrong_or_disguised_files_are_refused_with_the_reason(
    name: str, content: bytes, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        check_upload(upload(name, content))
    assert refused.value.code == code
    assert refused.value.field == "file"
    assert name in refused.value.message


@override_settings(STEWARD_UPLOAD_MAX_BYTES=10)
def test_oversized_files_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        check_upload(upload("big.pdf", PDF))
    assert refused.value.code == "file_too_large"


def test_two_uploads_with_one_name_never_overwrite_each_other() -> None:
    first = store_upload(upload("same.csv", b"a,b\n1,2\n"), folder="documents")
    second = store_upload(upload("same.csv", b"a,b\n3,4\n"), folder="documents")
    assert first.name != second.name
    assert first.sha256 != second.sha256
