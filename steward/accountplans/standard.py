"""The plan standard's arithmetic: which rules a plan meets, its score and its freshness.

Pure: it sees the facts of one plan (gathered set-based by ``selectors.plan_standing_for``) and
the standard's rules, never the database.

- score = rules met ÷ rules switched on, as a percentage with one decimal (100 when none is on);
- a plan meets the standard when every rule switched on is met;
- freshness = days since the last review (None when never reviewed).

Example: five rules on, four met → score 80.0, does not meet the standard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rules:
    """The standard's switches and parameters (defaults: the standard as shipped)."""

    executive_sponsor: bool = True
    locations: bool = True
    objectives_complete: bool = True
    min_objectives: bool = True
    min_objectives_count: int = 1
    reviewed_recently: bool = True
    review_days: int = 92
    next_review: bool = True
    actions_both_sides: bool = True


@dataclass(frozen=True)
class PlanFacts:
    """What the rules look at, for one plan."""

    has_executive_sponsor: bool = False
    sites_without_decision_maker: tuple[str, ...] = ()
    objectives: int = 0
    incomplete_objectives: tuple[str, ...] = ()
    last_reviewed_on: dt.date | None = None
    next_review_on: dt.date | None = None
    has_our_action: bool = False
    has_their_action: bool = False


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    met: bool
    fix: str = ""  # what to do when it is not met


@dataclass(frozen=True)
class Standing:
    checks: tuple[Check, ...]
    score: Decimal
    meets: bool
    freshness_days: int | None
    missing: tuple[Check, ...] = field(default=())


def score_of(met: int, on: int) -> Decimal:
    """Rules met ÷ rules on, in per cent, one decimal, half up; 100 when no rule is on."""
    if on == 0:
        return HUNDRED.quantize(Decimal("0.1"))
    return (Decimal(met) * HUNDRED / Decimal(on)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def freshness(last_reviewed_on: dt.date | None, today: dt.date) -> int | None:
    return None if last_reviewed_on is None else (today - last_reviewed_on).days


def _names(items: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def checks_for(facts: PlanFacts, rules: Rules, today: dt.date) -> list[Check]:
    """One check per rule switched on, in the standard's order."""
    checks: list[Check] = []
    if rules.executive_sponsor:
        checks.append(
            Check(
                "executive_sponsor",
                "Executive sponsor named",
                facts.has_executive_sponsor,
                "Map the customer's executive sponsor on the relationship map.",
            )
        )
    if rules.locations:
        missing = facts.sites_without_decision_maker
        checks.append(
            Check(
                "locations",
                "Every location's decision makers mapped",
                not missing,
                f"Map a decision maker at {_names(missing)}." if missing else "",
            )
        )
    if rules.objectives_complete:
        incomplete = facts.incomplete_objectives
        checks.append(
            Check(
                "objectives_complete",
                "Each objective has an owner, a customer stakeholder, a measure and a due date",
                not incomplete,
                f"Complete {_names(incomplete)}." if incomplete else "",
            )
        )
    if rules.min_objectives:
        wanted = rules.min_objectives_count
        checks.append(
            Check(
                "min_objectives",
                f"At least {wanted} objective{'s' if wanted != 1 else ''}",
                facts.objectives >= wanted,
                f"Agree {wanted - facts.objectives} more objective"
                f"{'s' if wanted - facts.objectives != 1 else ''} with the customer.",
            )
        )
    if rules.reviewed_recently:
        days = freshness(facts.last_reviewed_on, today)
        checks.append(
            Check(
                "reviewed_recently",
                f"Reviewed in the last {rules.review_days} days",
                days is not None and 0 <= days <= rules.review_days,
                "Review the plan with the customer and record the review."
                if days is None
                else f"The last review was {days} days ago; review the plan again.",
            )
        )
    if rules.next_review:
        next_on = facts.next_review_on
        checks.append(
            Check(
                "next_review",
                "Next review date set and not past",
                next_on is not None and next_on >= today,
                "Set the next review date."
                if next_on is None
                else "The next review date passed; set a new one.",
            )
        )
    if rules.actions_both_sides:
        sides = [
            s
            for s, has in (
                ("ours", facts.has_our_action),
                ("the customer's", facts.has_their_action),
            )
            if not has
        ]
        checks.append(
            Check(
                "actions_both_sides",
                "Actions with an owner on each side",
                not sides,
                f"Add an action owned on {' and '.join(sides)} side." if sides else "",
            )
        )
    return checks


def evaluate(facts: PlanFacts, rules: Rules, today: dt.date) -> Standing:
    checks = tuple(checks_for(facts, rules, today))
    met = sum(1 for check in checks if check.met)
    return Standing(
        checks=checks,
        score=score_of(met, len(checks)),
        meets=met == len(checks),
        freshness_days=freshness(facts.last_reviewed_on, today),
        missing=tuple(check for check in checks if not check.met),
    )
