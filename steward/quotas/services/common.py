"""Checks the quotas services share: amounts, months, currencies, the import's cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from steward.core.errors import DomainError
from steward.core.tabular import parse_decimal
from steward.spend.services.reference_checks import currency_code

AMOUNT_LIMIT = Decimal(10) ** 14  # 16 digits, 2 after the point
IMPORT_LABEL = "Imported"


def amount(value: Any, *, field: str, label: str, allow_zero: bool = True) -> Decimal:
    """A sum of money: two decimal places at most, never negative."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise DomainError(f"Give the {label} as a number, e.g. 1250.00.", field=field)
    try:
        number = parse_decimal(value, places=2, limit=AMOUNT_LIMIT)
    except ValueError as error:
        raise DomainError(f"The {label} {error}.", field=field) from error
    if number < 0 or (number == 0 and not allow_zero):
        raise DomainError(
            f"The {label} must be {'zero or more' if allow_zero else 'more than zero'}.",
            field=field,
            code="min_value",
        )
    return number


def day(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(f"Give the {label} as a date.", field=field, code="required")
    return value


def month(value: Any, *, field: str = "month") -> dt.date:
    """The first day of the month of ``value``."""
    return day(value, field=field, label="month").replace(day=1)


def currency(value: Any, *, field: str = "currency") -> str:
    return currency_code(value, field=field)
