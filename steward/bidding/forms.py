"""The bid form of the portal: a row per event line, an answer per question, the currency,
notes and files. It only reads what was posted; the service checks it, and its refusals are
put back next to the line and field (or question) they name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from steward.bidding.models import Bid
from steward.core.errors import DomainError
from steward.sourcing.models import BidderQuestion, EventLine

LINE_FIELDS = (
    "unit_price",
    "price_per",
    "lead_time_days",
    "delivery_cost",
    "lifecycle_cost",
    "notes",
)
# "lines[3].unit_price" (line number 3), "answers[2]" (question number 2).
_LINE_FIELD = re.compile(r"^lines\[(\d+)\]\.(\w+)$")
_ANSWER = re.compile(r"^answers\[(\d+)\]$")


@dataclass
class LineRow:
    line: EventLine
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def name(self, field_name: str) -> str:
        return f"l-{self.line.pk}-{field_name}"


@dataclass
class AnswerRow:
    question: BidderQuestion
    value: str
    error: str = ""

    @property
    def name(self) -> str:
        return f"a-{self.question.pk}"


@dataclass
class BidSheet:
    """The form's rows and what was refused, ready for the template."""

    lines: list[LineRow]
    answers: list[AnswerRow]
    currency: str
    notes: str
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(row.errors for row in self.lines)
            or any(row.error for row in self.answers)
        )


def _from_bid(bid: Bid | None) -> tuple[dict[int, dict[str, str]], dict[int, str]]:
    """The last version's values, so a revision starts from what was offered."""
    if bid is None:
        return {}, {}
    lines = {
        bid_line.line_id: {
            "unit_price": str(bid_line.unit_price.normalize()),
            "price_per": str(bid_line.price_per.normalize()),
            "lead_time_days": str(bid_line.lead_time_days),
            "delivery_cost": str(bid_line.delivery_cost),
            "lifecycle_cost": str(bid_line.lifecycle_cost),
            "notes": bid_line.notes,
        }
        for bid_line in bid.lines.all()
    }
    return lines, {answer.question_id: answer.text for answer in bid.answers.all()}


def bid_sheet(
    *,
    lines: Sequence[EventLine],
    questions: Sequence[BidderQuestion],
    default_currency: str,
    posted: QueryDict | None = None,
    last: Bid | None = None,
) -> BidSheet:
    """The rows as posted, or as the last version left them, or empty."""
    if posted is not None:
        line_rows = [
            LineRow(line, {f: posted.get(f"l-{line.pk}-{f}", "") for f in LINE_FIELDS})
            for line in lines
        ]
        answer_rows = [AnswerRow(q, posted.get(f"a-{q.pk}", "")) for q in questions]
        return BidSheet(
            line_rows,
            answer_rows,
            posted.get("currency", default_currency),
            posted.get("notes", ""),
        )
    by_line, by_question = _from_bid(last)
    empty = dict.fromkeys(LINE_FIELDS, "") | {"price_per": "1"}
    return BidSheet(
        [LineRow(line, by_line.get(line.pk, empty)) for line in lines],
        [AnswerRow(q, by_question.get(q.pk, "")) for q in questions],
        last.currency if last else default_currency,
        last.notes if last else "",
    )


def offers(sheet: BidSheet) -> list[dict[str, Any]]:
    """The lines a bidder priced: a row left entirely blank is not offered."""
    return [
        {"line": row.line, **row.values}
        for row in sheet.lines
        if any(row.values.get(name, "").strip() for name in LINE_FIELDS if name != "price_per")
    ]


def answers(sheet: BidSheet) -> dict[BidderQuestion, str]:
    return {row.question: row.value for row in sheet.answers}


def place_errors(sheet: BidSheet, problems: Sequence[DomainError]) -> None:
    """Each refusal next to the line field or question it names; the rest above the form."""
    lines = {row.line.number: row for row in sheet.lines}
    questions = {row.question.number: row for row in sheet.answers}
    for problem in problems:
        where = problem.field or ""
        line_match = _LINE_FIELD.match(where)
        answer_match = _ANSWER.match(where)
        if line_match and int(line_match.group(1)) in lines:
            row = lines[int(line_match.group(1))]
            row.errors[line_match.group(2)] = problem.message
        elif answer_match and int(answer_match.group(1)) in questions:
            questions[int(answer_match.group(1))].error = problem.message
        else:
            sheet.errors.append(problem.message)


class QuestionForm(forms.Form):
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        label="Your question",
        help_text="The buyer answers every invitee; your name is not shown to the others.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, label="Why you decline"
    )
