"""Checks the spend reference data shares: ISO currency codes, text fields, archived choices."""

from __future__ import annotations

from typing import Any

from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.models import DomainModel
from steward.core.services import archive_record
from steward.spend.ingest.currencies import ISO_4217

# The ISO 4217 codes the import accepts: a rate or price in a currency no line can be paid in
# would never be used.
ISO_CURRENCIES = ISO_4217


def currency_code(value: Any, *, field: str, blank: bool = False) -> str:
    """An ISO 4217 code in capitals (``eur`` reads as EUR); empty only where ``blank``."""
    if value is not None and not isinstance(value, str):
        raise DomainError("Give the currency as its ISO code, e.g. EUR.", field=field)
    code = (value or "").strip().upper()
    if not code:
        if blank:
            return ""
        raise DomainError("Give the currency's ISO code, e.g. EUR.", field=field, code="required")
    if code not in ISO_CURRENCIES:
        raise DomainError(
            f"“{value}” is not an ISO 4217 currency code (such as EUR, USD or GBP).",
            field=field,
            code="invalid_currency",
        )
    return code


def required_text(value: Any, *, field: str, message: str) -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(message, field=field)
    cleaned = (value or "").strip()
    if not cleaned:
        raise DomainError(message, field=field, code="required")
    return cleaned


def optional_text(value: Any, *, field: str) -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError("Give text here.", field=field)
    return (value or "").strip()


def refuse_archived(record: DomainModel | None, *, field: str, label: str) -> None:
    if record is not None and record.is_archived:
        raise DomainError(
            f"{label} “{record}” is archived; choose a current one.", field=field, code="archived"
        )


def archive_checked(actor: Any, record: Any, expected_version: int | None) -> Any:
    require(actor, Action.DELETE, record)
    return archive_record(record, actor=actor, expected_version=expected_version)
