"""What a bid must be before anything is written: its lines, answers, currency and files.

Pure checks over the submitted values and the event's lines and questions; each problem names
the line (by its number on the event) or the question and the field, and every problem of a
submission is reported at once, so a bidder fixes them in one round.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models

from steward.bidding.models import BidLine
from steward.core.errors import DomainError
from steward.core.tabular import parse_decimal
from steward.core.uploads import check_upload
from steward.sourcing.models import BidderQuestion, EventLine, SourcingEvent
from steward.spend.conversion import convert

NOTES_MAX = 4000
ANSWER_MAX = 10000
# A lead time past ten years is a typing slip, not an offer.
LEAD_TIME_MAX = 3650
ATTACHMENTS_MAX = 20
CURRENCY = re.compile(r"^[A-Z]{3}$")
AMOUNT_LABELS = {
    "unit_price": "unit price",
    "price_per": "price per",
    "delivery_cost": "delivery cost",
    "lifecycle_cost": "life-cycle cost",
}


# parse_decimal's reasons, by their last word, as stable codes.
_REASON_CODES = {"missing": "required", "places": "decimal_places", "large": "too_large"}


class BidRefusedError(DomainError):
    """One or more problems with a submitted bid; nothing was written.

    ``problems`` holds each as a DomainError naming its field (``lines[3].unit_price`` for the
    unit price of the event's line 3, ``answers[2]`` for question 2, ``currency``, ``files``).
    """

    def __init__(self, problems: Sequence[DomainError]) -> None:
        first = problems[0]
        super().__init__(
            " ".join(problem.message for problem in problems), code=first.code, field=first.field
        )
        self.problems = list(problems)


@dataclass(frozen=True)
class LineOffer:
    """The offer on one event line, as submitted (strings from a form, numbers from the API)."""

    line: Any
    unit_price: Any
    lead_time_days: Any
    price_per: Any = Decimal(1)
    delivery_cost: Any = Decimal(0)
    lifecycle_cost: Any = Decimal(0)
    notes: str = ""


@dataclass(frozen=True)
class BidFile:
    """A file submitted with the bid, about the whole bid or one of its lines."""

    upload: UploadedFile
    line: Any = None


@dataclass
class CheckedBid:
    """A bid whose every value passed: ready to be written as it is."""

    currency: str
    notes: str
    lines: list[BidLine] = field(default_factory=list)
    answers: list[tuple[BidderQuestion, str]] = field(default_factory=list)
    files: list[tuple[UploadedFile, EventLine | None]] = field(default_factory=list)


def plain_text(value: Any, *, field_name: str, label: str, limit: int) -> str:
    text = ("" if value is None else str(value)).strip()
    if "\x00" in text:
        raise DomainError(f"{label}: remove the NUL character.", code="invalid", field=field_name)
    if len(text) > limit:
        raise DomainError(
            f"{label} is longer than {limit} characters.", code="too_long", field=field_name
        )
    return text


def _limits(name: str) -> tuple[int, Decimal]:
    """The model's decimal places and the first value too large for the column."""
    model_field = BidLine._meta.get_field(name)
    assert isinstance(model_field, models.DecimalField)
    places = int(model_field.decimal_places or 0)
    return places, Decimal(10) ** (int(model_field.max_digits or 0) - places)


def _field_of(offer: Any, name: str, default: Any = None) -> Any:
    if isinstance(offer, Mapping):
        return offer.get(name, default)
    return getattr(offer, name, default)


def _line_id(value: Any) -> int | None:
    if isinstance(value, EventLine):
        return value.pk
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class _LineChecker:
    """Checks one offer against its event line and collects every problem it has."""

    def __init__(self, line: EventLine, offer: Any, problems: list[DomainError]) -> None:
        self.line = line
        self.offer = offer
        self.problems = problems

    def problem(self, name: str, reason: str, code: str) -> None:
        label = AMOUNT_LABELS.get(name, name.replace("_", " "))
        self.problems.append(
            DomainError(
                f"Line {self.line.number} ({self.line.description}), {label}: {reason}.",
                code=code,
                field=f"lines[{self.line.number}].{name}",
            )
        )

    def amount(self, name: str, default: Any) -> Decimal | None:
        raw = _field_of(self.offer, name, default)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raw = default
        places, limit = _limits(name)
        try:
            value = parse_decimal(raw, places=places, limit=limit)
        except ValueError as error:
            reason = str(error)
            self.problem(name, reason, _REASON_CODES.get(reason.rsplit(maxsplit=1)[-1], "invalid"))
            return None
        if value < 0:
            self.problem(name, "is negative; give zero or more", "negative")
            return None
        if name == "price_per" and value == 0:
            self.problem(name, "is zero; give how many units the price is for", "invalid")
            return None
        return value

    def lead_time(self) -> int | None:
        raw = _field_of(self.offer, "lead_time_days")
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            self.problem("lead_time_days", "is missing", "required")
            return None
        try:
            number = Decimal(str(raw)) if not isinstance(raw, bool) else None
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            self.problem("lead_time_days", "is not a whole number of days", "not_whole")
            return None
        if not 0 <= number <= LEAD_TIME_MAX:
            self.problem(
                "lead_time_days", f"must be from 0 to {LEAD_TIME_MAX} days", "out_of_range"
            )
            return None
        return int(number)

    def notes(self) -> str:
        try:
            return plain_text(
                _field_of(self.offer, "notes", ""),
                field_name=f"lines[{self.line.number}].notes",
                label=f"Line {self.line.number} ({self.line.description}), notes",
                limit=NOTES_MAX,
            )
        except DomainError as error:
            self.problems.append(error)
            return ""

    def checked(self) -> BidLine | None:
        before = len(self.problems)
        values = {
            "unit_price": self.amount("unit_price", None),
            "price_per": self.amount("price_per", Decimal(1)),
            "delivery_cost": self.amount("delivery_cost", Decimal(0)),
            "lifecycle_cost": self.amount("lifecycle_cost", Decimal(0)),
        }
        lead_time = self.lead_time()
        notes = self.notes()
        if len(self.problems) > before or lead_time is None:
            return None
        return BidLine(line=self.line, lead_time_days=lead_time, notes=notes, **values)


def check_lines(event_lines: Sequence[EventLine], offers: Iterable[Any]) -> list[BidLine]:
    """Unsaved bid lines, one per offered event line; raises BidRefusedError with every
    problem (a line of another event, a line twice, a bad amount or lead time)."""
    by_id = {line.pk: line for line in event_lines}
    problems: list[DomainError] = []
    seen: set[int] = set()
    checked: list[BidLine] = []
    offers = list(offers or [])
    if not offers:
        raise BidRefusedError(
            [DomainError("Offer a price on at least one line.", code="no_lines", field="lines")]
        )
    for row, offer in enumerate(offers, start=1):
        line = by_id.get(_line_id(_field_of(offer, "line")) or 0)
        if line is None:
            problems.append(
                DomainError(
                    f"Row {row} of the lines names no line of this event.",
                    code="unknown_line",
                    field=f"lines[row {row}].line",
                )
            )
            continue
        if line.pk in seen:
            problems.append(
                DomainError(
                    f"Line {line.number} ({line.description}) is offered twice; offer it once.",
                    code="duplicate_line",
                    field=f"lines[{line.number}].line",
                )
            )
            continue
        seen.add(line.pk)
        bid_line = _LineChecker(line, offer, problems).checked()
        if bid_line is not None:
            checked.append(bid_line)
    if problems:
        raise BidRefusedError(problems)
    return sorted(checked, key=lambda bid_line: bid_line.line.number)


def _answer_pairs(answers: Any) -> list[tuple[Any, Any]]:
    if not answers:
        return []
    if isinstance(answers, Mapping):
        return list(answers.items())
    return [(_field_of(item, "question"), _field_of(item, "text", "")) for item in answers]


def check_answers(
    questions: Sequence[BidderQuestion], answers: Any
) -> list[tuple[BidderQuestion, str]]:
    """The answers to the event's questions; every required one must be there."""
    by_id = {question.pk: question for question in questions}
    problems: list[DomainError] = []
    given: dict[int, str] = {}
    for row, (key, text) in enumerate(_answer_pairs(answers), start=1):
        question = by_id.get(key.pk if isinstance(key, BidderQuestion) else (_line_id(key) or 0))
        if question is None:
            problems.append(
                DomainError(
                    f"Answer {row} is to no question of this event.",
                    code="unknown_question",
                    field=f"answers[row {row}]",
                )
            )
            continue
        if question.pk in given:
            problems.append(
                DomainError(
                    f"Question {question.number} is answered twice; answer it once.",
                    code="duplicate_answer",
                    field=f"answers[{question.number}]",
                )
            )
            continue
        try:
            given[question.pk] = plain_text(
                text,
                field_name=f"answers[{question.number}]",
                label=f"The answer to question {question.number}",
                limit=ANSWER_MAX,
            )
        except DomainError as error:
            problems.append(error)
    for question in questions:
        if question.required and not given.get(question.pk):
            problems.append(
                DomainError(
                    f"Question {question.number} needs an answer: {question.text[:80]}",
                    code="answer_required",
                    field=f"answers[{question.number}]",
                )
            )
    if problems:
        raise BidRefusedError(problems)
    return [(by_id[pk], text) for pk, text in given.items() if text]


def check_currency(currency: Any, event: SourcingEvent, day: dt.date) -> str:
    """An ISO code the event's currency can be reached from at the ledger's rates."""
    code = str(currency or "").strip().upper()
    if not CURRENCY.match(code):
        raise DomainError(
            f"“{str(currency or '')[:10]}” is not a currency code; give three letters "
            f"such as {event.currency}.",
            code="currency",
            field="currency",
        )
    try:
        convert(Decimal(1), code, event.currency, day)
    except DomainError as error:
        raise DomainError(
            f"A bid in {code} cannot be compared with the others in {event.currency}: "
            f"{error.message} Bid in {event.currency}, or ask the buyer.",
            code="no_rate",
            field="currency",
        ) from error
    return code


def check_files(event_lines: Sequence[EventLine], files: Iterable[Any]) -> list[tuple[Any, Any]]:
    """Every file's type, size and content, before any of them is stored."""
    by_id = {line.pk: line for line in event_lines}
    problems: list[DomainError] = []
    checked: list[tuple[Any, Any]] = []
    files = list(files or [])
    if len(files) > ATTACHMENTS_MAX:
        raise BidRefusedError(
            [
                DomainError(
                    f"Attach at most {ATTACHMENTS_MAX} files to one bid.",
                    code="too_many_files",
                    field="files",
                )
            ]
        )
    for row, item in enumerate(files, start=1):
        upload, line_ref = (item.upload, item.line) if isinstance(item, BidFile) else (item, None)
        line = None
        if line_ref not in (None, ""):
            line = by_id.get(_line_id(line_ref) or 0)
            if line is None:
                problems.append(
                    DomainError(
                        f"File {row} is for no line of this event.",
                        code="unknown_line",
                        field=f"files[{row}]",
                    )
                )
                continue
        try:
            check_upload(upload)
        except DomainError as error:
            problems.append(
                DomainError(f"File {row}: {error.message}", code=error.code, field=f"files[{row}]")
            )
            continue
        checked.append((upload, line))
    if problems:
        raise BidRefusedError(problems)
    return checked
