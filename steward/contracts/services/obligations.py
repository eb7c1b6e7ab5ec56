"""Writes on obligations: record, edit, complete or waive (the next occurrence follows), attach
evidence, and the daily overdue alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from steward.contracts import lifecycle
from steward.contracts.models import Contract, Obligation, ObligationAlert, ObligationEvidence
from steward.contracts.models.obligations import (
    RECURRENCE_MONTHS,
    ObligationStatus,
    Recurrence,
)
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import (
    check_internal_person,
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)
from steward.core.uploads import store_upload

OBLIGATION_EDITABLE = frozenset(
    {"title", "kind", "owed_by", "owner", "due_on", "recurrence", "notes"}
)
OVERDUE_ALERT = "contracts.obligation_overdue"


def contract_url(contract: Contract) -> str:
    """The contract's page, or nothing while the contract pages are not wired in yet."""
    try:
        return contract.get_absolute_url()
    except NoReverseMatch:
        return ""


def occurrence_due(anchor: dt.date, recurrence: str, occurrence: int) -> dt.date:
    """Due date of occurrence ``occurrence`` (1 is the first) of a series starting ``anchor``.

    Counted from the anchor, not from the previous occurrence, so a month-end series keeps its
    day (31 Jan, 28 Feb, 31 Mar) instead of drifting to the shortest month's last day.
    """
    months = RECURRENCE_MONTHS.get(recurrence)
    if months is None or occurrence < 1:
        raise ValueError(f"{recurrence!r} does not recur, or occurrence {occurrence} is invalid.")
    shifted: dt.date = anchor + relativedelta(months=months * (occurrence - 1))
    return shifted


def _check(obligation: Obligation) -> None:
    obligation.title = obligation.title.strip()
    validate_fields(obligation)
    check_internal_person(obligation.owner, field="owner", role="obligation owner")


def obligation_add(
    *,
    actor: Any,
    contract: Contract,
    title: str,
    kind: str,
    owed_by: str,
    due_on: dt.date,
    owner: Any | None = None,
    recurrence: str = Recurrence.NONE,
    notes: str = "",
) -> Obligation:
    """Record what one party owes under the contract; the owner defaults to the contract's."""
    require_create(actor, Obligation, parent=contract)
    if contract.status in lifecycle.ENDED or contract.is_archived:
        raise DomainError("The contract has ended; nothing more is owed under it.", field="title")
    obligation = Obligation(
        contract=contract,
        title=title,
        kind=kind,
        owed_by=owed_by,
        owner=owner or contract.owner,
        due_on=due_on,
        anchor_on=due_on,
        recurrence=recurrence,
        notes=notes.strip(),
    )
    _check(obligation)
    return create_record(obligation, actor=actor)


def obligation_update(
    *, actor: Any, obligation: Obligation, expected_version: int, **changes: Any
) -> Obligation:
    """Edit an open obligation. A new due date or recurrence starts the series afresh there."""
    require(actor, Action.CHANGE, obligation)
    refuse_unknown_fields(changes, OBLIGATION_EDITABLE)
    if not obligation.is_open:
        raise DomainError(
            f"This obligation is {obligation.get_status_display().lower()}; it is closed.",
            code="closed",
        )

    def validate(candidate: Obligation) -> None:
        if "due_on" in changes or "recurrence" in changes:
            candidate.anchor_on = candidate.due_on
            candidate.occurrence = 1
        _check(candidate)

    return update_record(
        obligation,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate,
    )


def obligation_complete(
    *, actor: Any, obligation: Obligation, done_on: dt.date | None = None, note: str = ""
) -> Obligation:
    """Mark the obligation done; a recurring one gets its next occurrence.

    Completing it again changes nothing and creates no second occurrence.
    """
    return _close(
        actor,
        obligation,
        ObligationStatus.DONE,
        done_on=done_on or timezone.localdate(),
        note=note,
    )


def obligation_complete_with_evidence(
    *,
    actor: Any,
    obligation: Obligation,
    done_on: dt.date | None = None,
    note: str = "",
    upload: UploadedFile | None = None,
    title: str = "",
) -> Obligation:
    """Mark the obligation done and attach the file that shows it, both or neither: a refused
    file leaves the obligation open (the file is checked before anything is stored)."""
    with transaction.atomic():
        closed = obligation_complete(actor=actor, obligation=obligation, done_on=done_on, note=note)
        if upload is not None:
            evidence_upload(actor=actor, obligation=closed, upload=upload, title=title)
    return closed


def next_occurrence_of(obligation: Obligation) -> Obligation | None:
    """The occurrence that closing ``obligation`` created, if its series goes on."""
    return Obligation.objects.filter(follows=obligation).first()


def obligation_waive(*, actor: Any, obligation: Obligation, reason: str) -> Obligation:
    """Let this occurrence go (the counterparty was excused); a recurring series carries on."""
    if not reason.strip():
        raise DomainError("Say why the obligation is waived.", field="reason", code="required")
    return _close(actor, obligation, ObligationStatus.WAIVED, done_on=None, note=reason)


def _close(
    actor: Any, obligation: Obligation, status: str, *, done_on: dt.date | None, note: str
) -> Obligation:
    require(actor, Action.CHANGE, obligation)
    with transaction.atomic():
        locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
        if locked.status == status:
            return locked  # a double click or a retry: already closed this way
        if not locked.is_open:
            raise DomainError(
                f"This obligation is {locked.get_status_display().lower()} already.",
                field="status",
                code="closed",
            )
        changes: dict[str, Any] = {"status": status, "done_on": done_on}
        if note.strip():
            changes["notes"] = f"{locked.notes}\n{note.strip()}".strip()
        closed = update_record(
            locked,
            actor=actor,
            expected_version=None,
            changes=changes,
            reason=ObligationStatus(status).label,
        )
        _next_occurrence(actor, closed)
    return closed


def _next_occurrence(actor: Any, closed: Obligation) -> Obligation | None:
    if closed.recurrence == Recurrence.NONE:
        return None
    existing = Obligation.objects.filter(follows=closed).first()
    if existing is not None:
        return existing
    occurrence = closed.occurrence + 1
    following = Obligation(
        contract=closed.contract,
        title=closed.title,
        kind=closed.kind,
        owed_by=closed.owed_by,
        owner=closed.owner,
        due_on=occurrence_due(closed.anchor_on, closed.recurrence, occurrence),
        anchor_on=closed.anchor_on,
        occurrence=occurrence,
        recurrence=closed.recurrence,
        follows=closed,
    )
    return create_record(following, actor=actor, reason=f"Follows occurrence {closed.occurrence}")


def evidence_upload(
    *, actor: Any, obligation: Obligation, upload: UploadedFile, title: str = ""
) -> ObligationEvidence:
    """Attach a file as evidence; checked for size and type and stored under a generated name
    like every other upload. Each upload is a new row: nothing is overwritten."""
    require_create(actor, ObligationEvidence, parent=obligation)
    if obligation.is_archived:
        raise DomainError("This obligation is archived.", field="file", code="archived")
    stored = store_upload(upload, folder="obligations")
    evidence = ObligationEvidence(
        obligation=obligation,
        title=(title or stored.original_name).strip()[:200],
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    evidence.file.name = stored.name
    return create_record(evidence, actor=actor, reason="Uploaded")


def overdue_obligations(day: dt.date) -> Any:
    """Open obligations past their due date on ``day`` on contracts that are not archived."""
    return (
        Obligation.objects.active()
        .filter(status=ObligationStatus.OPEN, due_on__lt=day, contract__archived_at__isnull=True)
        .select_related("contract", "owner")
        .order_by("due_on", "pk")
    )


def obligation_alerts_deliver(*, day: dt.date) -> int:
    """Alert each overdue obligation's owner in the app, once per obligation and day.

    The claim row and the alert commit together, so a rerun, a retry or a second worker sends
    nothing more. Returns how many alerts were sent.
    """
    sent = 0
    for obligation in overdue_obligations(day):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ObligationAlert.objects.create(
                        obligation=obligation, day=day, recipient=obligation.owner
                    )
            except IntegrityError:
                continue
            late = (day - obligation.due_on).days
            notifications_send(
                [
                    Alert(
                        recipient_id=obligation.owner_id,
                        kind=OVERDUE_ALERT,
                        title=f"Overdue: {obligation.title} ({obligation.contract})",
                        body=f"Due {obligation.due_on:%d %b %Y}, {late} day"
                        f"{'s' if late != 1 else ''} ago. "
                        f"{obligation.get_owed_by_display()}.",
                        url=contract_url(obligation.contract),
                    )
                ]
            )
            sent += 1
    return sent
