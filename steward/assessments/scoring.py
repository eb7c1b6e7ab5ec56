"""Assessment scoring, as pure functions over plain data.

- A question applies unless its "applies when" names another question's answer that was not
  given.
- A section's score is Σ weight of compliant, accepted answers ÷ Σ weight of the applicable
  questions x 100. A rejected answer counts as non-compliant; an answer still pending review
  (or sent back for clarification, or not given yet) is left out of both sums until reviewed.
- An answer is compliant when its value meets the question's compliant answers (one of them for
  yes/no and single choice, all of them for multiple choice); for text, number and date
  questions the reviewer's acceptance decides.
- The overall score is the mean of the scored sections' scores weighted by section weight.

Arithmetic is exact (fractions) and rounded half up to two places only at the end, so a score is
always within 0..100 and a compliant answer added never lowers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from steward.assessments.choices import AnswerType, Verdict

PLACES = Decimal("0.01")
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class ScoredQuestion:
    ref: str
    section: Any  # the section's key
    weight: int
    answer_type: str
    compliant_answers: tuple[str, ...] = ()
    applies_when_ref: str = ""
    applies_when_answer: str = ""


@dataclass(frozen=True)
class ScoredSection:
    key: Any
    weight: int


@dataclass(frozen=True)
class ScoredAnswer:
    value: Any
    verdict: str = Verdict.PENDING


@dataclass(frozen=True)
class Result:
    overall: Decimal | None
    sections: dict[Any, Decimal | None]


def meets(question: ScoredQuestion, value: Any) -> bool | None:
    """Does ``value`` meet the question's compliant answers? None: the reviewer decides."""
    if question.answer_type in (AnswerType.TEXT, AnswerType.NUMBER, AnswerType.DATE):
        return None
    if not question.compliant_answers:
        return None
    if question.answer_type == AnswerType.MULTIPLE:
        chosen = set(value) if isinstance(value, list) else {value}
        return set(question.compliant_answers) <= chosen
    return value in question.compliant_answers


def applies(question: ScoredQuestion, answers: Mapping[str, ScoredAnswer]) -> bool:
    if not question.applies_when_ref:
        return True
    given = answers.get(question.applies_when_ref)
    if given is None or given.value is None:
        return False
    if isinstance(given.value, list):
        return question.applies_when_answer in given.value
    return str(given.value) == question.applies_when_answer


def is_gap(question: ScoredQuestion, answer: ScoredAnswer) -> bool:
    """A reviewed answer that is not compliant: rejected, or accepted but not meeting the rule."""
    if answer.verdict == Verdict.REJECTED:
        return True
    return answer.verdict == Verdict.ACCEPTED and meets(question, answer.value) is False


def _counts(question: ScoredQuestion, answer: ScoredAnswer | None) -> tuple[bool, bool]:
    """(reviewed, compliant) of one applicable question."""
    if answer is None or answer.verdict not in (Verdict.ACCEPTED, Verdict.REJECTED):
        return False, False
    return True, not is_gap(question, answer)


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_UP
    )


def section_fractions(
    sections: Iterable[ScoredSection],
    questions: Sequence[ScoredQuestion],
    answers: Mapping[str, ScoredAnswer],
) -> dict[Any, Fraction | None]:
    earned: dict[Any, int] = {}
    counted: dict[Any, int] = {}
    for question in questions:
        if not applies(question, answers):
            continue
        reviewed, compliant = _counts(question, answers.get(question.ref))
        if not reviewed:
            continue
        counted[question.section] = counted.get(question.section, 0) + question.weight
        if compliant:
            earned[question.section] = earned.get(question.section, 0) + question.weight
    return {
        section.key: (
            Fraction(earned.get(section.key, 0), counted[section.key]) * HUNDRED
            if counted.get(section.key)
            else None
        )
        for section in sections
    }


def score(
    sections: Sequence[ScoredSection],
    questions: Sequence[ScoredQuestion],
    answers: Mapping[str, ScoredAnswer],
) -> Result:
    """Each section's score and the overall score (None where nothing has been reviewed)."""
    by_section = section_fractions(sections, questions, answers)
    weights = {section.key: section.weight for section in sections}
    scored = [(weights[key], value) for key, value in by_section.items() if value is not None]
    total_weight = sum(weight for weight, _ in scored)
    overall = (
        _round(sum((weight * value for weight, value in scored), Fraction(0)) / total_weight)
        if total_weight
        else None
    )
    return Result(
        overall=overall,
        sections={
            key: _round(value) if value is not None else None for key, value in by_section.items()
        },
    )
