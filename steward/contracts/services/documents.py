"""Writes on contract documents: upload a new document (its version 1) or add a version.

Every upload is checked like any other (size, sniffed type, name) but only PDF and Word files
are taken, stored under a generated name and kept for good: a new upload is a new version and
nothing is overwritten. The text of the file is extracted for the contract list's search; a file
whose text cannot be read is still accepted, with no text.
"""

from __future__ import annotations

import hashlib
import logging
from typing import IO, Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from docx import Document
from pypdf import PdfReader

from steward.contracts.models import Contract, ContractDocument, DocumentVersion
from steward.contracts.models.documents import DocumentKind
from steward.core.access import require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, validate_fields
from steward.core.uploads import ALLOWED_TYPES, StoredUpload, store_upload

logger = logging.getLogger(__name__)

PDF = ".pdf"
DOCX = ".docx"
DOCUMENT_TYPES: dict[str, str] = {PDF: ALLOWED_TYPES[PDF], DOCX: ALLOWED_TYPES[DOCX]}
# Enough for the search of a long contract; the file itself is always kept whole.
TEXT_LIMIT = 200_000
UPLOAD_FOLDER = "contracts"


def document_upload(
    *,
    actor: Any,
    contract: Contract,
    upload: UploadedFile,
    title: str = "",
    kind: str = DocumentKind.DRAFT,
    note: str = "",
) -> ContractDocument:
    """Keep a new document on the contract with the upload as its version 1."""
    require_create(actor, ContractDocument, parent=contract)
    _refuse_archived(contract=contract)
    document = ContractDocument(
        contract=contract,
        title=(title.strip() or _file_name(upload))[:200],
        kind=kind,
        created_by=actor,
    )
    validate_fields(document, exclude=["contract", "created_by"])
    with transaction.atomic():
        create_record(document, actor=actor, reason="Uploaded")
        _version_create(actor=actor, document=document, upload=upload, note=note, number=1)
    return document


def document_version_add(
    *, actor: Any, document: ContractDocument, upload: UploadedFile, note: str = ""
) -> DocumentVersion:
    """Add the upload as the document's next version; the earlier ones stay as they are.

    A file identical to the latest version (same SHA-256) is refused: it would add nothing.
    """
    require_create(actor, DocumentVersion, parent=document)
    with transaction.atomic():
        # The lock numbers concurrent uploads of one document 1, 2, 3 … without a clash.
        locked = ContractDocument.objects.select_for_update().get(pk=document.pk)
        contract = Contract.objects.get(pk=locked.contract_id)
        _refuse_archived(contract=contract, document=locked)
        latest = locked.versions.order_by("-number").only("number", "sha256").first()
        if latest is not None and latest.sha256 == _checksum(upload):
            raise DomainError(
                f"This file is identical to version {latest.number}; "
                "upload a changed file to add a version.",
                field="file",
                code="duplicate_version",
            )
        number = latest.number + 1 if latest is not None else 1
        return _version_create(
            actor=actor, document=locked, upload=upload, note=note, number=number
        )


def _refuse_archived(*, contract: Contract, document: ContractDocument | None = None) -> None:
    if contract.is_archived:
        raise DomainError(
            "The contract is archived; restore it before uploading.", field="file", code="archived"
        )
    if document is not None and document.is_archived:
        raise DomainError(
            "This document is archived; restore it before uploading.",
            field="file",
            code="archived",
        )


def _version_create(
    *, actor: Any, document: ContractDocument, upload: UploadedFile, note: str, number: int
) -> DocumentVersion:
    stored = store_upload(upload, folder=UPLOAD_FOLDER, allowed=DOCUMENT_TYPES)
    try:
        version = DocumentVersion(
            document=document,
            number=number,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
            note=note.strip(),
            text=extract_text(upload, stored),
        )
        version.file.name = stored.name
        version.save()
    except BaseException:
        # The row was not written: the stored file must not linger without it.
        default_storage.delete(stored.name)
        raise
    return version


def _file_name(upload: UploadedFile) -> str:
    return (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "Document"


def _checksum(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def extract_text(upload: UploadedFile, stored: StoredUpload) -> str:
    """The file's text for search, cut at TEXT_LIMIT; empty when it cannot be read.

    A damaged, encrypted or unusual file is still a document worth keeping, so a failure here
    never refuses the upload.
    """
    upload.seek(0)
    try:
        if stored.content_type == DOCUMENT_TYPES[PDF]:
            text = _pdf_text(upload)
        elif stored.content_type == DOCUMENT_TYPES[DOCX]:
            text = _docx_text(upload)
        else:
            text = ""
    except Exception:  # any parser failure means "no text", never a refusal
        logger.warning("No text could be extracted from %s", stored.name, exc_info=True)
        text = ""
    finally:
        upload.seek(0)
    # PostgreSQL text cannot hold NUL characters.
    return text.replace("\x00", " ")[:TEXT_LIMIT]


def _pdf_text(stream: IO[bytes]) -> str:
    reader = PdfReader(stream)
    parts: list[str] = []
    length = 0
    for page in reader.pages:
        page_text = page.extract_text() or ""
        parts.append(page_text)
        length += len(page_text)
        if length >= TEXT_LIMIT:
            break
    return "\n".join(parts)


def _docx_text(stream: IO[bytes]) -> str:
    word = Document(stream)
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)
