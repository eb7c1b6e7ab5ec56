"""Kept files of compliance: certificates and audit evidence, PDF or images only.

On top of the kernel's checks (type allow-list, size limit, content sniffing, generated names),
a name that is a path (``../../x.pdf``, ``..\\x.pdf``) is refused outright rather than cut down to
its last part: whoever sent it did not send a document. Django's multipart parser cuts
directories off before any view sees the name, so the API's parser (``api/parsers.py``) keeps
the name as submitted in ``submitted_name`` for this check.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from steward.core.errors import DomainError
from steward.core.uploads import ALLOWED_TYPES, StoredUpload, store_upload

FILE_TYPES: dict[str, str] = {
    extension: ALLOWED_TYPES[extension] for extension in (".pdf", ".png", ".jpg", ".jpeg")
}
FILE_HELP = "A PDF, PNG or JPEG file. Each upload is kept; nothing is overwritten."
UPLOAD_FOLDER = "compliance"
# Control characters have no business in a file name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def submitted_name(upload: UploadedFile) -> str:
    return str(getattr(upload, "submitted_name", None) or upload.name or "")


def is_path_like(name: str) -> bool:
    if not name or _CONTROL.search(name):
        return True
    if "/" in name or "\\" in name or ":" in name:
        return True
    parts = {*PurePosixPath(name).parts, *PureWindowsPath(name).parts}
    return ".." in parts or name.startswith(".")


def check_file_name(upload: UploadedFile) -> None:
    name = submitted_name(upload)
    if is_path_like(name):
        shown = _CONTROL.sub("?", name)[:120]
        raise DomainError(
            f"“{shown}” is a path, not a file name; upload the file under its own plain name.",
            field="file",
            code="file_name",
        )


def store_kept_file(upload: UploadedFile) -> StoredUpload:
    """Check the upload (name, type, size, content) and store it under a generated name."""
    check_file_name(upload)
    return store_upload(upload, folder=UPLOAD_FOLDER, allowed=FILE_TYPES)


def attach(record: Any, stored: StoredUpload) -> None:
    record.file.name = stored.name
    record.original_name = stored.original_name
    record.content_type = stored.content_type
    record.size = stored.size
    record.sha256 = stored.sha256


def discard(stored: StoredUpload | None) -> None:
    """The row was not written: its stored file must not linger without it."""
    if stored is not None:
        default_storage.delete(stored.name)
