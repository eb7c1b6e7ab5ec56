"""Reads on contract documents: a contract's documents with their versions, one document or
version the user may see, and the comparison of two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.timezone import localtime

from steward.contracts.models import Contract, ContractDocument, DocumentVersion
from steward.core.access import Action, get_for_user
from steward.core.display import person_name

# Past this many lines a line count of the text difference is not worth its time.
DIFF_LINE_LIMIT = 20_000
# The stored text is for search; lists and pages never need it.
HEAVY_FIELDS = ("text",)


def versions_newest_first() -> QuerySet[DocumentVersion]:
    return (
        DocumentVersion.objects.select_related("uploaded_by")
        .defer(*HEAVY_FIELDS)
        .order_by("-number")
    )


def documents_of(*, user: Any, contract: Contract) -> list[ContractDocument]:
    """The contract's current documents, newest first, each with its versions newest first."""
    return list(
        ContractDocument.objects.restrict(user, Action.VIEW)
        .active()
        .filter(contract=contract)
        .select_related("created_by")
        .prefetch_related(Prefetch("versions", queryset=versions_newest_first()))
    )


def versions_of_contract(*, user: Any, contract: Contract) -> QuerySet[DocumentVersion]:
    """Every version of the contract's current documents: what the compare form offers."""
    return (
        DocumentVersion.objects.restrict(user, Action.VIEW)
        .filter(document__contract=contract, document__archived_at__isnull=True)
        .select_related("document")
        .defer(*HEAVY_FIELDS)
        .order_by("document__title", "document_id", "-number")
    )


def document_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> ContractDocument:
    documents = ContractDocument.objects.select_related("contract")
    return get_for_user(documents, user=user, pk=pk, action=action)


def version_get(*, user: Any, pk: Any) -> DocumentVersion:
    """A version the user may see (through its document's contract); 404 otherwise."""
    versions = DocumentVersion.objects.select_related("document__contract", "uploaded_by").defer(
        *HEAVY_FIELDS
    )
    return get_for_user(versions, user=user, pk=pk, action=Action.VIEW)


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    a: str
    b: str
    changed: bool


def _same(field: str, label: str, a: str, b: str) -> tuple[str, str, str, str, bool]:
    return field, label, a, b, a != b


def _size(size: int) -> str:
    return f"{filesizeformat(size)} ({size:,} bytes)"


def _texts(a: DocumentVersion, b: DocumentVersion) -> tuple[str, str]:
    texts = dict(DocumentVersion.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "text"))
    return texts.get(a.pk, ""), texts.get(b.pk, "")


def changed_line_count(text_a: str, text_b: str) -> int | None:
    """Lines added or removed between two texts; None when they are too long to count."""
    lines_a, lines_b = text_a.splitlines(), text_b.splitlines()
    if len(lines_a) + len(lines_b) > DIFF_LINE_LIMIT:
        return None
    matcher = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    changed = 0
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal":
            changed += (a_end - a_start) + (b_end - b_start)
    return changed


def versions_compare(*, a: DocumentVersion, b: DocumentVersion) -> list[ComparisonRow]:
    """The metadata of two versions side by side, and whether their extracted text differs.

    The caller has fetched both through the access policy.
    """
    # (field, label, shown for A, shown for B, changed?)
    metadata: list[tuple[str, str, str, str, bool]] = [
        _same("document", "Document", a.document.title, b.document.title),
        _same("number", "Version", str(a.number), str(b.number)),
        _same("original_name", "File name", a.original_name, b.original_name),
        # Bytes decide: two sizes can read the same once rounded.
        ("size", "Size", _size(a.size), _size(b.size), a.size != b.size),
        _same("content_type", "Type", a.content_type, b.content_type),
        _same("sha256", "Checksum (SHA-256)", a.sha256, b.sha256),
        _same("uploaded_by", "Uploaded by", person_name(a.uploaded_by), person_name(b.uploaded_by)),
        (
            "uploaded_at",
            "Uploaded at",
            f"{localtime(a.uploaded_at):%Y-%m-%d %H:%M}",
            f"{localtime(b.uploaded_at):%Y-%m-%d %H:%M}",
            a.uploaded_at != b.uploaded_at,
        ),
        _same("note", "Note", a.note, b.note),
    ]
    rows = [ComparisonRow(*row) for row in metadata]
    text_a, text_b = _texts(a, b)
    rows.append(_text_row(text_a, text_b))
    return rows


def _text_row(text_a: str, text_b: str) -> ComparisonRow:
    def described(text: str) -> str:
        return f"{len(text):,} characters" if text else "no text"

    if text_a == text_b:
        summary_b = described(text_b) + (" (same)" if text_a else "")
        return ComparisonRow("text", "Text", described(text_a), summary_b, changed=False)
    count = changed_line_count(text_a, text_b)
    summary_b = described(text_b)
    if count is not None:
        summary_b += f" · {count} line{'s' if count != 1 else ''} changed"
    return ComparisonRow("text", "Text", described(text_a), summary_b, changed=True)


__all__ = [
    "ComparisonRow",
    "changed_line_count",
    "document_get",
    "documents_of",
    "version_get",
    "versions_compare",
    "versions_of_contract",
]
