"""The numbered parts of a draft event: its lines (what is asked for) and its questions to
bidders. Numbers follow on from the highest ever given (a removed line keeps its number, so a
bid or an attachment that named it never points at another)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet

from steward.core.access import require_create
from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    create_record,
    refuse_unknown_fields,
    validate_fields,
)
from steward.core.services import text as clean_text
from steward.sourcing.choices import LineKind, LogAction
from steward.sourcing.models import BidderQuestion, EventAttachment, EventLine, SourcingEvent
from steward.sourcing.services.common import change_part, locked_event, remove_part, require_draft
from steward.sourcing.services.log import log_event

LINE_FIELDS = frozenset(
    {
        "kind",
        "description",
        "specification",
        "quantity",
        "unit",
        "target_delivery_date",
        "target_unit_price",
        "last_unit_price",
    }
)
QUESTION_FIELDS = frozenset({"text", "required"})


def _next_number(rows: QuerySet[Any]) -> int:
    return int(rows.aggregate(highest=Max("number"))["highest"] or 0) + 1


# --- lines -------------------------------------------------------------------------------------


def _clean_line(changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(changes)
    if "description" in cleaned:
        cleaned["description"] = clean_text(
            cleaned["description"],
            field="description",
            label="description",
            required=True,
            limit=200,
        )
    if "specification" in cleaned:
        cleaned["specification"] = clean_text(
            cleaned["specification"], field="specification", label="specification"
        )
    if "unit" in cleaned:
        cleaned["unit"] = clean_text(
            cleaned["unit"], field="unit", label="unit", required=True, limit=20
        )
    if "kind" in cleaned and cleaned["kind"] not in LineKind.values:
        raise DomainError(f"“{cleaned['kind']}” is not a kind of line.", field="kind")
    quantity = cleaned.get("quantity")
    if "quantity" in cleaned and (quantity is None or Decimal(quantity) <= 0):
        raise DomainError("Give a quantity above zero.", field="quantity", code="required")
    return cleaned


def _validated_line(line: EventLine) -> None:
    validate_fields(line, exclude=["event"])


def line_add(
    *,
    actor: Any,
    event: SourcingEvent,
    description: str,
    quantity: Decimal,
    unit: str = "each",
    kind: str = LineKind.PART,
    specification: str = "",
    target_delivery_date: dt.date | None = None,
    target_unit_price: Decimal | None = None,
    last_unit_price: Decimal | None = None,
) -> EventLine:
    """Add the next numbered line to a draft."""
    require_create(actor, EventLine, parent=event)
    fields = _clean_line(
        {
            "description": description,
            "quantity": quantity,
            "unit": unit,
            "kind": kind,
            "specification": specification,
        }
    )
    with transaction.atomic():
        locked = locked_event(event)
        require_draft(locked, "lines change")
        line = EventLine(
            event=locked,
            number=_next_number(EventLine.objects.filter(event=locked)),
            target_delivery_date=target_delivery_date,
            target_unit_price=target_unit_price,
            last_unit_price=last_unit_price,
            **fields,
        )
        _validated_line(line)
        create_record(line, actor=actor, reason="Line added")
        log_event(
            locked, LogAction.CHANGED, f"Line {line.number} added: {line.description}", actor=actor
        )
    return line


def line_update(
    *, actor: Any, line: EventLine, expected_version: int | None, **changes: Any
) -> EventLine:
    refuse_unknown_fields(changes, LINE_FIELDS)
    return change_part(
        actor=actor,
        part=line,
        expected_version=expected_version,
        changes=_clean_line(changes),
        what="lines change",
        summary=lambda updated: f"Line {updated.number} changed.",
        validate=_validated_line,
    )


def line_remove(*, actor: Any, line: EventLine, expected_version: int | None = None) -> EventLine:
    """Take a line out of a draft (archived, with its documents)."""
    with transaction.atomic():
        removed = remove_part(
            actor=actor,
            part=line,
            expected_version=expected_version,
            what="lines change",
            summary=lambda gone: f"Line {gone.number} removed.",
        )
        for attachment in EventAttachment.objects.filter(line=removed, archived_at__isnull=True):
            archive_record(attachment, actor=actor, reason="Its line was removed")
    return removed


# --- questions to bidders ----------------------------------------------------------------------


def bidder_question_add(
    *, actor: Any, event: SourcingEvent, text: str, required: bool = True
) -> BidderQuestion:
    """Add the next numbered question every bid answers."""
    require_create(actor, BidderQuestion, parent=event)
    wording = clean_text(text, field="text", label="question", required=True)
    with transaction.atomic():
        locked = locked_event(event)
        require_draft(locked, "questions to bidders change")
        question = BidderQuestion(
            event=locked,
            number=_next_number(BidderQuestion.objects.filter(event=locked)),
            text=wording,
            required=required,
        )
        create_record(question, actor=actor, reason="Question added")
        log_event(locked, LogAction.CHANGED, f"Question {question.number} added.", actor=actor)
    return question


def bidder_question_update(
    *, actor: Any, question: BidderQuestion, expected_version: int | None, **changes: Any
) -> BidderQuestion:
    refuse_unknown_fields(changes, QUESTION_FIELDS)
    if "text" in changes:
        changes["text"] = clean_text(changes["text"], field="text", label="question", required=True)
    return change_part(
        actor=actor,
        part=question,
        expected_version=expected_version,
        changes=changes,
        what="questions to bidders change",
        summary=lambda updated: f"Question {updated.number} changed.",
    )


def bidder_question_remove(
    *, actor: Any, question: BidderQuestion, expected_version: int | None = None
) -> BidderQuestion:
    return remove_part(
        actor=actor,
        part=question,
        expected_version=expected_version,
        what="questions to bidders change",
        summary=lambda gone: f"Question {gone.number} removed.",
    )
