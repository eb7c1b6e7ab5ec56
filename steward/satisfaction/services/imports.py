"""Importing survey responses from a CSV or XLSX file: all rows or none, re-runnable.

Columns: account (the account's id or its organization's name), contact_email (optional),
kind (csat or nps), score, answered_on (YYYY-MM-DD), comment (optional).

A row's natural key is account + respondent e-mail + kind + day: a row whose key is already
stored (or repeated in the file) is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from steward.core.access import Action, principal_for
from steward.core.services import save_with_history
from steward.core.tabular import ImportRefused, RowError, parse_date, read_table, sort_errors, text
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship
from steward.satisfaction.choices import SCORE_RANGE, ResponseChannel
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.services.responses import COMMENT_LIMIT, group_organization_ids

COLUMNS = ("account", "contact_email", "kind", "score", "answered_on", "comment")
REQUIRED = ("account", "kind", "score", "answered_on")


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


def _accounts(actor: Any) -> tuple[dict[str, Relationship], dict[str, list[Relationship]]]:
    """The demand-side accounts the actor may change, by id and by organization name."""
    rows = (
        Relationship.objects.restrict(actor, Action.CHANGE)
        .filter(side=Side.DEMAND, archived_at__isnull=True)
        .select_related("organization")
    )
    by_id: dict[str, Relationship] = {}
    by_name: dict[str, list[Relationship]] = {}
    for account in rows:
        by_id[str(account.pk)] = account
        by_name.setdefault(account.organization.display_name.strip().lower(), []).append(account)
    return by_id, by_name


def _account(raw: str, by_id: Any, by_name: Any) -> tuple[Relationship | None, str]:
    if raw in by_id:
        return by_id[raw], ""
    named = by_name.get(raw.lower(), [])
    if len(named) == 1:
        return named[0], ""
    if len(named) > 1:
        return None, f"names {len(named)} accounts; give the account's id"
    return None, f"{raw!r} is not an account you may change"


def _score(kind: str, raw: Any) -> tuple[int | None, str]:
    low, high = SCORE_RANGE[kind]
    value = raw
    if isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None, f"is not a whole number {low}-{high}"
    if not low <= value <= high:
        return None, f"{value} is outside {low}-{high} for {kind.upper()}"
    return value, ""


def responses_import(*, actor: Any, file: IO[bytes], filename: str) -> ImportResult:
    if not principal_for(actor).may_write:
        raise ImportRefused([RowError(0, "file", "You may not import responses.")])
    rows = read_table(file, filename, columns=COLUMNS, required=REQUIRED)
    by_id, by_name = _accounts(actor)
    emails = {text(r.cells["contact_email"]).lower() for r in rows} - {""}
    contacts: dict[str, list[Contact]] = {}
    if emails:
        found = Contact.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails, archived_at__isnull=True
        )
        for contact in found:
            contacts.setdefault(contact.email.lower(), []).append(contact)
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    today = timezone.localdate()
    groups: dict[int, set[int]] = {}
    for row in rows:
        problems, fields = _check_row(row, by_id, by_name, contacts, groups, today)
        errors.extend(problems)
        if fields is not None:
            parsed.append(fields)
    if errors:
        raise ImportRefused(sort_errors(errors, COLUMNS))
    return _write(actor, parsed)


def _check_row(  # noqa: PLR0917 - the lookups read once for the whole file
    row: Any,
    by_id: dict[str, Relationship],
    by_name: dict[str, list[Relationship]],
    contacts: dict[str, list[Contact]],
    groups: dict[int, set[int]],
    today: Any,
) -> tuple[list[RowError], dict[str, Any] | None]:
    """The row's problems, each naming its column, or the fields of the response it holds."""
    cells = row.cells
    problems: list[RowError] = []
    account, why = _account(text(cells["account"]), by_id, by_name)
    if account is None:
        problems.append(RowError(row.number, "account", why or "is missing"))
    kind = text(cells["kind"]).lower()
    score = None
    if kind not in SCORE_RANGE:
        problems.append(RowError(row.number, "kind", "must be csat or nps"))
    else:
        score, why = _score(kind, cells["score"])
        if why:
            problems.append(RowError(row.number, "score", why))
    answered_on = parse_date(cells["answered_on"])
    if answered_on is None:
        problems.append(RowError(row.number, "answered_on", "is not a date (YYYY-MM-DD)"))
    elif answered_on > today:
        problems.append(RowError(row.number, "answered_on", "is in the future"))
    comment = text(cells["comment"])
    if len(comment) > COMMENT_LIMIT:
        problems.append(RowError(row.number, "comment", f"is over {COMMENT_LIMIT} characters"))
    email = text(cells["contact_email"]).lower()
    contact = None
    if email and account is not None:
        if account.pk not in groups:
            groups[account.pk] = group_organization_ids(account)
        group = groups[account.pk]
        matches = [c for c in contacts.get(email, []) if c.organization_id in group]
        if matches:
            contact = matches[0]
        else:
            problems.append(
                RowError(row.number, "contact_email", f"is not a contact of {account.organization}")
            )
    if problems:
        return problems, None
    return [], {
        "relationship": account,
        "contact": contact,
        "site": contact.site if contact else None,
        "respondent_email": email,
        "kind": kind,
        "score": score,
        "answered_on": answered_on,
        "comment": comment,
    }


def _key(fields: dict[str, Any]) -> tuple[Any, ...]:
    return (
        fields["relationship"].pk,
        fields["respondent_email"],
        fields["kind"],
        fields["answered_on"],
    )


def _write(actor: Any, parsed: list[dict[str, Any]]) -> ImportResult:
    if not parsed:
        return ImportResult(0, 0)
    account_ids = {f["relationship"].pk for f in parsed}
    days = {f["answered_on"] for f in parsed}
    with transaction.atomic():
        stored = set(
            SatisfactionResponse.objects.filter(
                Q(relationship_id__in=account_ids) & Q(answered_on__in=days),
                archived_at__isnull=True,
            ).values_list("relationship_id", "respondent_email", "kind", "answered_on")
        )
        fresh: list[SatisfactionResponse] = []
        skipped = 0
        for fields in parsed:
            key = _key(fields)
            if key in stored:
                skipped += 1
                continue
            stored.add(key)
            fresh.append(
                SatisfactionResponse(**fields, channel=ResponseChannel.IMPORTED, entered_by=actor)
            )
        for response in fresh:  # one history record each, as every write leaves
            save_with_history(response, actor=actor, reason="Imported", bump=False)
    return ImportResult(created=len(fresh), skipped=skipped)
