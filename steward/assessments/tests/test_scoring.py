"""Scoring against hand-computed examples, and its two properties (0..100, monotone)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.assessments.choices import Verdict
from steward.assessments.scoring import (
    ScoredAnswer,
    ScoredQuestion,
    ScoredSection,
    applies,
    is_gap,
    meets,
    score,
)

ACCESS, DATA = "access", "data"
SECTIONS = [ScoredSection(ACCESS, 3), ScoredSection(DATA, 1)]
QUESTIONS = [
    ScoredQuestion("A1", ACCESS, 2, "yes_no", ("yes",)),
    ScoredQuestion("A2", ACCESS, 1, "single", ("Quarterly",)),
    ScoredQuestion("D1", DATA, 1, "yes_no", ("yes",)),
    ScoredQuestion("D2", DATA, 1, "text"),
]
A, R, P, C = Verdict.ACCEPTED, Verdict.REJECTED, Verdict.PENDING, Verdict.CLARIFICATION


def test_hand_computed_example() -> None:
    # Given A1 compliant, A2 a gap (accepted but yearly), D1 compliant, D2 rejected
    answers = {
        "A1": ScoredAnswer("yes", A),
        "A2": ScoredAnswer("Yearly", A),
        "D1": ScoredAnswer("yes", A),
        "D2": ScoredAnswer("We hope so", R),
    }
    result = score(SECTIONS, QUESTIONS, answers)
    # Access 2/3 = 66.67, Data 1/2 = 50, overall (3 x 66.667 + 1 x 50) / 4 = 62.50
    assert result.sections == {ACCESS: Decimal("66.67"), DATA: Decimal("50.00")}
    assert result.overall == Decimal("62.50")


def test_pending_and_clarification_answers_wait_for_review() -> None:
    answers = {
        "A1": ScoredAnswer("yes", A),
        "A2": ScoredAnswer("Yearly", P),
        "D1": ScoredAnswer("no", A),
        "D2": ScoredAnswer("Tapes", C),
    }
    result = score(SECTIONS, QUESTIONS, answers)
    # Access: only A1 counts (2/2); Data: only D1 (0/1); overall (3 x 100 + 0) / 4 = 75
    assert result.sections == {ACCESS: Decimal("100.00"), DATA: Decimal("0.00")}
    assert result.overall == Decimal("75.00")


def test_nothing_reviewed_has_no_score() -> None:
    result = score(SECTIONS, QUESTIONS, {"A1": ScoredAnswer("yes", P)})
    assert result.overall is None
    assert result.sections == {ACCESS: None, DATA: None}


def test_a_section_not_reviewed_is_left_out_of_the_mean() -> None:
    result = score(SECTIONS, QUESTIONS, {"D1": ScoredAnswer("yes", A)})
    assert result.sections[ACCESS] is None
    assert result.overall == Decimal("100.00")


def test_compliance_rules_per_type() -> None:
    multiple = ScoredQuestion("M", ACCESS, 1, "multiple", ("ISO", "SOC2"))
    assert meets(multiple, ["ISO", "SOC2", "Other"]) is True
    assert meets(multiple, ["ISO"]) is False
    assert meets(QUESTIONS[0], "no") is False
    assert meets(QUESTIONS[3], "anything") is None  # the reviewer decides
    # an accepted text answer is compliant, a rejected one is a gap
    assert not is_gap(QUESTIONS[3], ScoredAnswer("ok", A))
    assert is_gap(QUESTIONS[3], ScoredAnswer("ok", R))
    assert is_gap(QUESTIONS[0], ScoredAnswer("no", A))
    assert not is_gap(QUESTIONS[0], ScoredAnswer("no", P))


def test_a_question_applies_only_when_its_condition_was_answered_so() -> None:
    conditional = ScoredQuestion("S2", DATA, 5, "yes_no", ("yes",), "S1", "yes")
    assert not applies(conditional, {})
    assert not applies(conditional, {"S1": ScoredAnswer("no", A)})
    assert applies(conditional, {"S1": ScoredAnswer("yes", P)})
    # not applicable: its weight does not count against the section
    questions = [ScoredQuestion("S1", DATA, 1, "yes_no"), conditional]
    result = score([ScoredSection(DATA, 1)], questions, {"S1": ScoredAnswer("no", A)})
    assert result.overall == Decimal("100.00")


weights = st.integers(min_value=1, max_value=100)
verdicts = st.sampled_from([A, R, P, C])


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[list[ScoredSection], list[ScoredQuestion], dict[str, ScoredAnswer]]:
    sections = [ScoredSection(i, draw(weights)) for i in range(draw(st.integers(1, 4)))]
    questions, answers = [], {}
    for n in range(draw(st.integers(1, 12))):
        ref = f"Q{n}"
        questions.append(
            ScoredQuestion(
                ref, draw(st.sampled_from(sections)).key, draw(weights), "yes_no", ("yes",)
            )
        )
        if draw(st.booleans()):
            answers[ref] = ScoredAnswer(draw(st.sampled_from(["yes", "no"])), draw(verdicts))
    return sections, questions, answers


@given(worlds())
def test_a_score_lies_between_0_and_100(world: tuple) -> None:
    sections, questions, answers = world
    result = score(sections, questions, answers)
    for value in [result.overall, *result.sections.values()]:
        assert value is None or Decimal(0) <= value <= Decimal(100)


@given(worlds(), st.data())
def test_a_compliant_answer_never_lowers_the_score(world: tuple, data: st.DataObject) -> None:
    sections, questions, answers = world
    # Given a question not yet reviewed (unanswered or pending)
    open_refs = [
        q.ref for q in questions if q.ref not in answers or answers[q.ref].verdict in (P, C)
    ]
    if not open_refs:
        return
    ref = data.draw(st.sampled_from(open_refs))
    before = score(sections, questions, answers).overall
    # When it is answered compliantly and accepted
    after = score(sections, questions, {**answers, ref: ScoredAnswer("yes", A)}).overall
    # Then the score is not lower
    assert after is not None
    assert before is None or after >= before
