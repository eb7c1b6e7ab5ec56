"""Drawings and specifications every invitee may download: the event's, or one line's.

Documents are added to a draft or to an open event before its closing time (the invitees are
told when a document is added to an open event); they are removed (archived) only from a draft,
as bidders may rely on what they downloaded.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from steward.core.access import require_create
from steward.core.errors import DomainError
from steward.core.services import create_record
from steward.core.uploads import store_upload
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import EventAttachment, EventLine, SourcingEvent
from steward.sourcing.services.common import (
    locked_event,
    remove_part,
    require_open_before_close,
)
from steward.sourcing.services.log import log_event
from steward.sourcing.services.notify import DOCUMENT_ALERT, current_invitations, tell_invitees

FOLDER = "sourcing"


def attachment_add(
    *, actor: Any, event: SourcingEvent, upload: UploadedFile, line: EventLine | None = None
) -> EventAttachment:
    """Store ``upload`` on the event (or on one of its lines); a refused file leaves nothing."""
    require_create(actor, EventAttachment, parent=event)
    if line is not None and (line.event_id != event.pk or line.archived_at is not None):
        raise DomainError("The line is not one of this event's.", field="line", code="invalid")
    with transaction.atomic():
        locked = locked_event(event)
        require_open_before_close(locked, "documents are added")
        stored = store_upload(upload, folder=FOLDER)
        attachment = EventAttachment(
            event=locked,
            line=line,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        )
        attachment.file.name = stored.name
        create_record(attachment, actor=actor, reason="Document added")
        where = f" to line {line.number}" if line is not None else ""
        log_event(
            locked,
            LogAction.CHANGED,
            f"Document “{stored.original_name}” added{where}.",
            actor=actor,
        )
        if locked.status == EventStatus.OPEN:
            tell_invitees(
                current_invitations(locked),
                kind=DOCUMENT_ALERT,
                title=f"{locked.reference}: a document was added ({stored.original_name})",
            )
    return attachment


def attachment_remove(
    *, actor: Any, attachment: EventAttachment, expected_version: int | None = None
) -> EventAttachment:
    return remove_part(
        actor=actor,
        part=attachment,
        expected_version=expected_version,
        what="documents are removed",
        summary=lambda gone: f"Document “{gone.original_name}” removed.",
    )
