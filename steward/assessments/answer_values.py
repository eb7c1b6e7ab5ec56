"""What an answer's value may be for each answer type, as pure functions.

Values are stored as JSON: ``"yes"``/``"no"``, a choice's text, a sorted list of choices, free
text, a number as text (``"12.5"``, never a float) and an ISO date. ``parse_value`` turns what a
form or a client sent into that shape or says, in a sentence, why it cannot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from steward.assessments.choices import AnswerType

YES_NO = ("yes", "no")
TEXT_LIMIT = 5000
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


class ValueRefusedError(ValueError):
    """The value does not fit the question; the message says why, for people."""


def _yes_no(raw: Any) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    text = str(raw).strip().lower()
    if text in _TRUE:
        return "yes"
    if text in _FALSE:
        return "no"
    raise ValueRefusedError("answer yes or no")


def _single(raw: Any, choices: Sequence[str]) -> str:
    text = str(raw).strip() if isinstance(raw, str | int) else None
    if text is None or text not in choices:
        raise ValueRefusedError(f"choose one of: {', '.join(choices)}")
    return text


def _multiple(raw: Any, choices: Sequence[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not items:
        raise ValueRefusedError(f"choose at least one of: {', '.join(choices)}")
    picked = {str(item).strip() for item in items}
    unknown = sorted(picked - set(choices))
    if unknown:
        raise ValueRefusedError(
            f"{', '.join(unknown)} is not a choice; choose from {', '.join(choices)}"
        )
    return sorted(picked, key=list(choices).index)


def _text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueRefusedError("write an answer")
    if "\x00" in raw:
        raise ValueRefusedError("remove the NUL character from the answer")
    if len(raw) > TEXT_LIMIT:
        raise ValueRefusedError(f"keep the answer within {TEXT_LIMIT} characters")
    return raw.strip()


def _number(raw: Any) -> str:
    if isinstance(raw, bool) or raw is None:
        raise ValueRefusedError("give a number")
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueRefusedError(f"“{raw}” is not a number") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise ValueRefusedError(f"“{raw}” is not a number Steward can keep")
    return format(number.normalize(), "f")


def _date(raw: Any) -> str:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    try:
        return dt.date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise ValueRefusedError(f"“{raw}” is not a date (YYYY-MM-DD)") from None


def parse_value(answer_type: str, choices: Sequence[str], raw: Any) -> Any:
    """The stored form of ``raw`` for a question of ``answer_type``; ValueRefusedError otherwise."""
    if answer_type == AnswerType.YES_NO:
        return _yes_no(raw)
    if answer_type == AnswerType.SINGLE:
        return _single(raw, choices)
    if answer_type == AnswerType.MULTIPLE:
        return _multiple(raw, choices)
    if answer_type == AnswerType.TEXT:
        return _text(raw)
    if answer_type == AnswerType.NUMBER:
        return _number(raw)
    if answer_type == AnswerType.DATE:
        return _date(raw)
    raise ValueRefusedError(f"unknown answer type {answer_type!r}")


def allowed_compliant(answer_type: str, choices: Sequence[str]) -> tuple[str, ...] | None:
    """The values a compliant answer may name, or None when the reviewer decides."""
    if answer_type == AnswerType.YES_NO:
        return YES_NO
    if answer_type in (AnswerType.SINGLE, AnswerType.MULTIPLE):
        return tuple(choices)
    return None


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value).capitalize() if value in YES_NO else str(value)
