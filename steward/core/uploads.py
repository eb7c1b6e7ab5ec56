"""Uploads are checked for size and type and stored under generated names.

The name a user's file arrives with is kept as data only: it never becomes a path, so it can
neither overwrite another file nor climb out of the media folder.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from steward.core.errors import DomainError

# Extension -> the media type it must really contain. Text formats have no magic number, so
# they are accepted when they decode as UTF-8 text.
ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
TEXT_EXTENSIONS = frozenset({".csv", ".txt"})
# Office files are zip archives; a sniffer may report the container rather than the document.
ZIP_FAMILY = frozenset({".docx", ".xlsx", ".pptx"})


@dataclass(frozen=True)
class StoredUpload:
    name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile, *, allowed: dict[str, str] | None = None) -> tuple[str, str]:
    """Refuse empty, oversized or mislabelled files; return (extension, media type)."""
    allowed = allowed or ALLOWED_TYPES
    original = PurePath(upload.name or "").name
    extension = PurePath(original).suffix.lower()
    if extension not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise DomainError(
            f"“{original}” is not an accepted file type; use one of {kinds}.",
            field="file",
            code="file_type",
        )
    limit = settings.STEWARD_UPLOAD_MAX_BYTES
    if not upload.size:
        raise DomainError(f"“{original}” is empty.", field="file", code="file_empty")
    if upload.size > limit:
        raise DomainError(
            f"“{original}” is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            field="file",
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension in TEXT_EXTENSIONS:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # The head may end inside a multi-byte character; allow a cut of up to 3 bytes.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError as error:
                raise _mismatch(original, extension) from error
        if b"\x00" in head:
            raise _mismatch(original, extension)
        return extension, allowed[extension]
    sniffed = filetype.guess(head)
    expected = allowed[extension]
    if sniffed is None:
        raise _mismatch(original, extension)
    if sniffed.mime != expected and not (
        extension in ZIP_FAMILY and sniffed.mime == "application/zip"
    ):
        raise _mismatch(original, extension)
    return extension, expected


def _mismatch(original: str, extension: str) -> DomainError:
    return DomainError(
        f"“{original}” does not contain what its {extension} name says.",
        field="file",
        code="file_content",
    )


def store_upload(
    upload: UploadedFile, *, folder: str, allowed: dict[str, str] | None = None
) -> StoredUpload:
    extension, content_type = check_upload(upload, allowed=allowed)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    today = timezone.now()
    name = f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"
    saved = default_storage.save(name, upload)
    return StoredUpload(
        name=saved,
        original_name=PurePath(upload.name or "").name[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )


def stored_file_response(record: Any) -> FileResponse:
    """A stored upload (``file``, ``original_name``, ``content_type``) as a download under the
    name it was uploaded with; the caller has fetched ``record`` through the access policy."""
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
