"""Contract date arithmetic: terms, renewals and notice deadlines, as pure functions.

Conventions (all dates are whole days; a term includes its first and its last day):

- A term of N months starting on S ends the day before the same day number N months later
  (2026-01-01 with 12 months ends 2026-12-31). When that month has no such day (a start on the
  29th to 31st), the term ends with that month's last day, as civil codes count month periods:
  2026-01-31 with one month ends 2026-02-28, and 2024-02-29 with twelve months ends 2025-02-28.
- Renewals follow without gaps: a renewal starts the day after the previous term ends and lasts
  ``renewal_months`` (default: the initial term's length), its end computed from its own start
  by the same rule (after 2025-02-28 the next yearly term runs 2025-03-01 to 2026-02-28).
- A notice period is a count of days or months (``Period``). The notice deadline is the last
  day notice can be given for the contract to end at ``end``: ``end - notice``. With months,
  an end on the last day of its month gives the last day of the target month (end 2026-06-30,
  one month: 2026-05-31); otherwise the same day number, clamped (end 2026-03-30: 2026-02-28).
  In both cases the deadline is the latest day in the target month whose N-month anniversary
  does not pass ``end``.
- An evergreen contract (no end date) ends ``notice`` after the day notice is given.

Impossible inputs raise ``ValueError``, as do absurd ones (more than ``MAX_RENEWALS`` renewals,
dates outside the calendar).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

DAYS = "days"
MONTHS = "months"
UNITS = frozenset({DAYS, MONTHS})
MAX_RENEWALS = 10_000
# The highest day number every month has: from such a start, month steps never clamp.
_NEVER_CLAMPED = 28


@dataclass(frozen=True)
class Period:
    """A notice period: ``count`` days or months."""

    count: int
    unit: str

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise ValueError(f"A period's count must be a whole number, not {self.count!r}.")
        if self.count < 0:
            raise ValueError(f"A period's count cannot be negative (got {self.count}).")
        if self.unit not in UNITS:
            raise ValueError(f"A period's unit must be 'days' or 'months', not {self.unit!r}.")

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.count == 1 else self.unit
        return f"{self.count} {unit}"


@dataclass(frozen=True)
class Term:
    """One term of a contract, both days included; ``number`` 1 is the initial term."""

    start: date
    end: date
    number: int

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def end_of_term(start: date, months: int) -> date:
    """The last day of a term of ``months`` months starting on ``start``."""
    _require_months(months, "A term")
    anniversary = _add_months(start, months)
    if anniversary.day != start.day:
        # The start's day number is missing from that month: the term ends with the month.
        return anniversary
    return _add_days(anniversary, -1)


def months_of_term(start: date, end: date) -> int | None:
    """The whole number of months of a term from ``start`` to ``end``, or None when the end
    closes no whole number of months (by the rule of ``end_of_term``)."""
    if end < start:
        return None
    span = relativedelta(_add_days(end, 1), start)
    approximate = span.years * 12 + span.months
    # Month ends clamp: the exact count is the approximate one or a neighbour.
    for months in (approximate, approximate + 1, approximate - 1):
        if months >= 1 and end_of_term(start, months) == end:
            return months
    return None


def notice_deadline(end: date, notice: Period) -> date:
    """The last day notice can be given for the contract to end on ``end``."""
    if notice.unit == DAYS:
        return _add_days(end, -notice.count)
    if _is_month_end(end):
        # relativedelta clamps day=31 to the target month's last day.
        return _shift(end, relativedelta(months=-notice.count, day=31))
    return _add_months(end, -notice.count)


def current_term(
    start: date,
    term_months: int,
    *,
    renewal_months: int | None,
    auto_renews: bool,
    on: date,
) -> Term:
    """The term in force on ``on``: the first one if ``on`` is before it or nothing renews.

    An auto-renewing contract past its initial term is in the renewal that contains ``on``.
    """
    first = Term(start, end_of_term(start, term_months), 1)
    renewal = _renewal_length(term_months, renewal_months)
    if not auto_renews or on <= first.end:
        return first
    term = _following(first, renewal)
    while on > term.end:
        if term.start.day <= _NEVER_CLAMPED:
            return _jump(term, renewal, on)
        term = _following(term, renewal)
    return term


def upcoming_notice_deadline(
    start: date,
    term_months: int,
    *,
    renewal_months: int | None,
    auto_renews: bool,
    notice: Period,
    on: date,
) -> date | None:
    """The next notice deadline on or after ``on``, or None once it has passed for good.

    That is the current term's deadline; once it has passed, an auto-renewing contract's next
    deadline is that of the first later term whose deadline is still ahead (a notice period
    longer than a renewal can skip terms).
    """
    term = current_term(
        start, term_months, renewal_months=renewal_months, auto_renews=auto_renews, on=on
    )
    deadline = notice_deadline(term.end, notice)
    if deadline >= on:
        return deadline
    if not auto_renews:
        return None
    renewal = _renewal_length(term_months, renewal_months)
    while deadline < on:
        term = _following(term, renewal)
        deadline = notice_deadline(term.end, notice)
    return deadline


def evergreen_end(notice_given_on: date, notice: Period, *, to_month_end: bool = False) -> date:
    """The last day of an evergreen contract when notice is given on ``notice_given_on``.

    ``to_month_end`` moves it to the last day of that month (notice "to the end of a month").
    """
    if notice.unit == DAYS:
        end = _add_days(notice_given_on, notice.count)
    else:
        end = _add_months(notice_given_on, notice.count)
    return _shift(end, relativedelta(day=31)) if to_month_end else end


def days_until(day: date, on: date) -> int:
    """Days from ``on`` to ``day``: negative once ``day`` has passed."""
    return (day - on).days


def in_window(day: date | None, on: date, days: int) -> bool:
    """Whether ``day`` falls within ``days`` days from ``on`` (both ends included)."""
    if days < 0:
        raise ValueError(f"A window cannot be negative (got {days} days).")
    return day is not None and 0 <= days_until(day, on) <= days


def _following(term: Term, renewal_months: int) -> Term:
    """The renewal after ``term``, counted from its own start."""
    _require_few_renewals(term.number + 1)
    start = _add_days(term.end, 1)
    return Term(start, end_of_term(start, renewal_months), term.number + 1)


def _jump(term: Term, renewal_months: int, on: date) -> Term:
    """The renewal containing ``on``, straight from ``term`` whose start day never clamps.

    From such a start every later start is the same day number, whole renewals apart.
    """
    elapsed = (on.year - term.start.year) * 12 + on.month - term.start.month
    if on.day < term.start.day:
        elapsed -= 1  # the month in progress is not a whole month yet
    steps = elapsed // renewal_months
    _require_few_renewals(term.number + steps)
    start = _add_months(term.start, steps * renewal_months)
    return Term(start, end_of_term(start, renewal_months), term.number + steps)


def _require_few_renewals(number: int) -> None:
    """Term ``number`` is renewal ``number - 1``; beyond the cap the input is surely wrong."""
    if number - 1 > MAX_RENEWALS:
        raise ValueError(
            f"More than {MAX_RENEWALS} renewals between the start and the date asked about; "
            "check the start date and the renewal length."
        )


def _renewal_length(term_months: int, renewal_months: int | None) -> int:
    renewal = term_months if renewal_months is None else renewal_months
    _require_months(renewal, "A renewal")
    return renewal


def _require_months(months: int, what: str) -> None:
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"{what} must last at least one whole month (got {months!r}).")


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _add_months(day: date, months: int) -> date:
    return _shift(day, relativedelta(months=months))


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError as error:
        raise ValueError(f"{day} moved by {days} days falls outside the calendar.") from error


def _shift(day: date, delta: relativedelta) -> date:
    try:
        shifted: date = day + delta
    except (ValueError, OverflowError) as error:
        raise ValueError(f"{day} moved by {delta} falls outside the calendar.") from error
    return shifted
