"""Proposal documents: an upload under a title already used is that title's next version;
older versions are kept and stay downloadable."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from steward.core.access import Action, require, require_create
from steward.core.services import archive_record, create_record, text
from steward.core.uploads import store_upload
from steward.pipeline.models import Opportunity, ProposalDocument
from steward.pipeline.services.common import locked, require_current

FOLDER = "proposals"


def proposal_upload(
    *, actor: Any, opportunity: Opportunity, title: str, upload: UploadedFile, note: str = ""
) -> ProposalDocument:
    """Store ``upload`` as the next version of ``title`` (1 for a new title)."""
    require_create(actor, ProposalDocument, parent=opportunity)
    wanted = text(title, field="title", label="title", required=True, limit=200)
    cleaned_note = text(note, field="note", label="note", limit=255)
    with transaction.atomic():
        current = locked(opportunity)
        require_current(current)
        same = ProposalDocument.objects.filter(opportunity=current, title__iexact=wanted)
        earlier = same.order_by("-number").values_list("title", flat=True).first()
        number = int(same.aggregate(highest=Max("number"))["highest"] or 0) + 1
        stored = store_upload(upload, folder=FOLDER)
        document = ProposalDocument(
            opportunity=current,
            title=earlier or wanted,
            number=number,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
            note=cleaned_note,
        )
        document.file.name = stored.name
        create_record(document, actor=actor, reason=f"Version {number} uploaded")
    return document


def proposal_archive(
    *, actor: Any, document: ProposalDocument, expected_version: int | None = None
) -> ProposalDocument:
    """Take a version out of the lists (kept, and its number is never given again)."""
    require(actor, Action.DELETE, document)
    return archive_record(document, actor=actor, expected_version=expected_version)
