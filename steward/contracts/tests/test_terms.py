"""Contract date arithmetic: hand-computed edge cases, then properties over many dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.contracts.terms import (
    MAX_RENEWALS,
    Period,
    Term,
    current_term,
    days_until,
    end_of_term,
    evergreen_end,
    in_window,
    months_of_term,
    notice_deadline,
    upcoming_notice_deadline,
)

D = date
ONE_DAY = timedelta(days=1)
PROPERTIES = settings(max_examples=200, derandomize=True, deadline=None)

dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31))
term_lengths = st.integers(min_value=1, max_value=60)
renewal_lengths = st.none() | st.integers(min_value=1, max_value=24)
periods = st.builds(Period, st.integers(min_value=0, max_value=400), st.just("days")) | st.builds(
    Period, st.integers(min_value=0, max_value=36), st.just("months")
)


def chain(start: date, term_months: int, renewal_months: int | None) -> Iterator[Term]:
    """The terms one by one, written out plainly, to check the functions against."""
    begin, number, months = start, 1, term_months
    while True:
        anniversary = begin + relativedelta(months=months)
        # a missing day number (clamped by relativedelta) ends the term with that month
        end = anniversary if anniversary.day != begin.day else anniversary - ONE_DAY
        yield Term(begin, end, number)
        begin, number, months = end + ONE_DAY, number + 1, renewal_months or term_months


def is_month_end(day: date) -> bool:
    return (day + ONE_DAY).month != day.month


# --- end_of_term -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 1), 12, D(2026, 12, 31)),
        (D(2026, 1, 15), 24, D(2028, 1, 14)),
        (D(2026, 2, 1), 1, D(2026, 2, 28)),
        (D(2028, 2, 1), 1, D(2028, 2, 29)),
        (D(2026, 3, 1), 1, D(2026, 3, 31)),
        # A start on the 29th-31st whose day number the last month lacks: the term ends with
        # that month; where the month has the day, the day before it as usual.
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2025, 3, 31), 11, D(2026, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 28)),
        (D(2026, 1, 30), 2, D(2026, 3, 29)),
    ],
)
def test_end_of_term(start: date, months: int, end: date) -> None:
    # given a start and a length / then the term ends on the hand-computed day
    assert end_of_term(start, months) == end


@pytest.mark.parametrize("months", [0, -1])
def test_a_term_lasts_at_least_a_month(months: int) -> None:
    # given a term of no months / then it is refused
    with pytest.raises(ValueError, match="at least one whole month"):
        end_of_term(D(2026, 1, 1), months)


# --- Period and notice_deadline ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "unit", "message"),
    [
        (-1, "days", "cannot be negative"),
        (1, "weeks", "'days' or 'months'"),
        (True, "days", "whole number"),
        (1.5, "months", "whole number"),
    ],
)
def test_impossible_periods_are_refused(count: int, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Period(count, unit)


def test_period_reads_as_words() -> None:
    assert str(Period(1, "months")) == "1 month"
    assert str(Period(90, "days")) == "90 days"


@pytest.mark.parametrize(
    ("end", "notice", "deadline"),
    [
        # An end on the last day of its month: the deadline is the last day of the target month.
        (D(2026, 2, 28), Period(1, "months"), D(2026, 1, 31)),
        (D(2026, 12, 31), Period(3, "months"), D(2026, 9, 30)),
        (D(2026, 6, 30), Period(1, "months"), D(2026, 5, 31)),
        (D(2029, 2, 28), Period(12, "months"), D(2028, 2, 29)),
        (D(2028, 2, 29), Period(12, "months"), D(2027, 2, 28)),
        # Otherwise the same day number, clamped to the target month.
        (D(2026, 6, 15), Period(1, "months"), D(2026, 5, 15)),
        (D(2026, 3, 30), Period(1, "months"), D(2026, 2, 28)),
        (D(2028, 3, 29), Period(1, "months"), D(2028, 2, 29)),
        # Days are plain subtraction, across month ends and leap days.
        (D(2026, 12, 31), Period(90, "days"), D(2026, 10, 2)),
        (D(2026, 3, 1), Period(1, "days"), D(2026, 2, 28)),
        (D(2028, 3, 1), Period(1, "days"), D(2028, 2, 29)),
        # No notice: the last day itself.
        (D(2026, 6, 30), Period(0, "months"), D(2026, 6, 30)),
        (D(2026, 6, 30), Period(0, "days"), D(2026, 6, 30)),
    ],
)
def test_notice_deadline(end: date, notice: Period, deadline: date) -> None:
    assert notice_deadline(end, notice) == deadline


# --- current_term ------------------------------------------------------------------------------


def test_without_auto_renewal_the_initial_term_stays_current() -> None:
    # given a two-year contract that does not renew / when asked long after it expired
    term = current_term(D(2026, 1, 1), 24, renewal_months=12, auto_renews=False, on=D(2031, 6, 1))
    # then it is still the initial term (it has expired)
    assert term == Term(D(2026, 1, 1), D(2027, 12, 31), 1)


def test_before_the_start_the_initial_term_is_current() -> None:
    term = current_term(D(2026, 1, 1), 12, renewal_months=None, auto_renews=True, on=D(2025, 1, 1))
    assert term == Term(D(2026, 1, 1), D(2026, 12, 31), 1)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 2, 27), Term(D(2024, 2, 29), D(2025, 2, 28), 1)),
        (D(2025, 2, 28), Term(D(2024, 2, 29), D(2025, 2, 28), 1)),
        # 2025 has no 29 February: the first term ends with the month, renewals start 1 March.
        (D(2025, 3, 1), Term(D(2025, 3, 1), D(2026, 2, 28), 2)),
        (D(2027, 3, 1), Term(D(2027, 3, 1), D(2028, 2, 29), 4)),
        (D(2028, 2, 29), Term(D(2027, 3, 1), D(2028, 2, 29), 4)),
        (D(2040, 1, 1), Term(D(2039, 3, 1), D(2040, 2, 29), 16)),
    ],
)
def test_yearly_renewals_from_a_leap_day(on: date, expected: Term) -> None:
    # given a contract started on 29 February 2024, renewing yearly
    term = current_term(D(2024, 2, 29), 12, renewal_months=12, auto_renews=True, on=on)
    assert term == expected


def test_monthly_renewals_from_the_31st() -> None:
    # given a monthly contract started 31 January: Jan 31-Feb 28, then Mar 1-Mar 31, Apr 1-Apr 30
    term = current_term(D(2026, 1, 31), 1, renewal_months=None, auto_renews=True, on=D(2026, 4, 1))
    assert term == Term(D(2026, 4, 1), D(2026, 4, 30), 3)


def test_yearly_renewals_from_the_31st_of_january_keep_their_day() -> None:
    term = current_term(
        D(2026, 1, 31), 12, renewal_months=None, auto_renews=True, on=D(2030, 2, 15)
    )
    assert term == Term(D(2030, 1, 31), D(2031, 1, 30), 5)


def test_renewals_may_be_shorter_than_the_initial_term() -> None:
    # given two years, then yearly renewals
    term = current_term(D(2026, 1, 1), 24, renewal_months=12, auto_renews=True, on=D(2029, 6, 15))
    assert term == Term(D(2029, 1, 1), D(2029, 12, 31), 3)


def test_ten_thousand_renewals_are_allowed_and_one_more_is_refused() -> None:
    # given monthly renewals from 2000: renewal 10,000 starts 10,000 months later, in May 2833
    start = D(2000, 1, 1)
    term = current_term(start, 1, renewal_months=None, auto_renews=True, on=D(2833, 5, 31))
    assert term == Term(D(2833, 5, 1), D(2833, 5, 31), MAX_RENEWALS + 1)
    with pytest.raises(ValueError, match="More than 10000 renewals"):
        current_term(start, 1, renewal_months=None, auto_renews=True, on=D(2833, 6, 1))


@pytest.mark.parametrize(("term_months", "renewal_months"), [(0, None), (12, 0), (-3, 12)])
def test_impossible_lengths_are_refused(term_months: int, renewal_months: int | None) -> None:
    with pytest.raises(ValueError, match="at least one whole month"):
        current_term(
            D(2026, 1, 1),
            term_months,
            renewal_months=renewal_months,
            auto_renews=True,
            on=D(2026, 1, 1),
        )


# --- upcoming_notice_deadline ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "auto_renews", "expected"),
    [
        (D(2025, 6, 1), True, D(2026, 9, 30)),  # before the start
        (D(2026, 5, 1), True, D(2026, 9, 30)),
        (D(2026, 9, 30), False, D(2026, 9, 30)),  # the deadline day itself still counts
        (D(2026, 10, 1), True, D(2027, 9, 30)),  # missed: the next term's deadline
        (D(2026, 10, 1), False, None),  # missed, and the contract simply expires
        (D(2027, 1, 15), False, None),
    ],
)
def test_upcoming_deadline_with_three_months_notice(
    on: date, auto_renews: bool, expected: date | None
) -> None:
    # given a calendar-year contract with three months' notice
    deadline = upcoming_notice_deadline(
        D(2026, 1, 1),
        12,
        renewal_months=None,
        auto_renews=auto_renews,
        notice=Period(3, "months"),
        on=on,
    )
    assert deadline == expected


def test_upcoming_deadline_with_days_notice_rolls_to_the_next_term() -> None:
    deadline = upcoming_notice_deadline(
        D(2026, 1, 1),
        12,
        renewal_months=None,
        auto_renews=True,
        notice=Period(30, "days"),
        on=D(2026, 12, 5),
    )
    assert deadline == D(2027, 12, 1)


def test_notice_longer_than_a_term_skips_to_the_first_deadline_still_ahead() -> None:
    # given monthly terms and two months' notice: the deadlines for the January and February
    # terms passed before they began; the March term's is 31 January
    deadline = upcoming_notice_deadline(
        D(2026, 1, 1),
        1,
        renewal_months=None,
        auto_renews=True,
        notice=Period(2, "months"),
        on=D(2026, 1, 10),
    )
    assert deadline == D(2026, 1, 31)


# --- evergreen_end, days_until, in_window ------------------------------------------------------


@pytest.mark.parametrize(
    ("given_on", "notice", "to_month_end", "end"),
    [
        (D(2026, 3, 10), Period(30, "days"), False, D(2026, 4, 9)),
        (D(2026, 1, 31), Period(1, "months"), False, D(2026, 2, 28)),
        (D(2026, 3, 10), Period(3, "months"), True, D(2026, 6, 30)),
        (D(2028, 1, 31), Period(1, "months"), True, D(2028, 2, 29)),
        (D(2026, 12, 20), Period(14, "days"), True, D(2027, 1, 31)),
    ],
)
def test_evergreen_end(given_on: date, notice: Period, to_month_end: bool, end: date) -> None:
    assert evergreen_end(given_on, notice, to_month_end=to_month_end) == end


def test_days_until() -> None:
    assert days_until(D(2026, 1, 31), D(2026, 1, 1)) == 30
    assert days_until(D(2026, 1, 1), D(2026, 1, 31)) == -30
    assert days_until(D(2028, 3, 1), D(2028, 2, 28)) == 2


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (None, False),
        (D(2025, 12, 31), False),
        (D(2026, 1, 1), True),
        (D(2026, 3, 2), True),
        (D(2026, 3, 3), False),
    ],
)
def test_in_window_includes_both_ends(day: date | None, inside: bool) -> None:
    # given a 60-day radar from 1 January 2026 (1 January + 60 days = 2 March)
    assert in_window(day, D(2026, 1, 1), 60) is inside


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        in_window(D(2026, 1, 1), D(2026, 1, 1), -1)


def test_dates_beyond_the_calendar_are_a_value_error() -> None:
    with pytest.raises(ValueError, match="outside the calendar"):
        end_of_term(D(9999, 6, 1), 12)


# --- properties --------------------------------------------------------------------------------


@PROPERTIES
@given(dates, term_lengths)
def test_a_term_ends_the_day_before_n_months_later(start: date, months: int) -> None:
    end = end_of_term(start, months)
    anniversary = start + relativedelta(months=months)
    if anniversary.day == start.day:
        assert end + ONE_DAY == anniversary
    else:
        # the last month lacks the start's day number: the term runs to that month's end
        assert end == anniversary
        assert is_month_end(end)
    assert end >= start


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2026, 1, 1), D(2026, 12, 31), 12),
        (D(2026, 1, 31), D(2026, 2, 28), 1),  # the start's day is missing: ends with February
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2026, 3, 15), D(2026, 6, 14), 3),
        (D(2026, 3, 15), D(2026, 6, 15), None),  # a day past three months
        (D(2026, 3, 15), D(2026, 3, 20), None),  # not a whole month
        (D(2026, 3, 15), D(2026, 3, 1), None),  # before the start
    ],
)
def test_months_of_term(start: date, end: date, months: int | None) -> None:
    # given a start and an end / then the whole months between them, or none
    assert months_of_term(start, end) == months


@PROPERTIES
@given(dates, term_lengths)
def test_months_of_term_reads_back_every_term_length(start: date, months: int) -> None:
    # given the end of a term of N months / then reading the dates gives N, and a day either
    # side of that end closes no whole number of months
    end = end_of_term(start, months)
    assert months_of_term(start, end) == months
    assert months_of_term(start, end + ONE_DAY) is None
    assert months_of_term(start, end - ONE_DAY) is None


@PROPERTIES
@given(dates, term_lengths, renewal_lengths, st.integers(min_value=0, max_value=30 * 366))
def test_current_term_matches_the_terms_walked_one_by_one(
    start: date, term_months: int, renewal_months: int | None, days_after: int
) -> None:
    # given a date up to thirty years after the start of an auto-renewing contract
    on = start + timedelta(days=days_after)
    term = current_term(start, term_months, renewal_months=renewal_months, auto_renews=True, on=on)
    # then it is the term of the plain walk that contains the date, and contains it
    expected = next(t for t in chain(start, term_months, renewal_months) if t.end >= on)
    assert term == expected
    assert term.contains(on)


@PROPERTIES
@given(dates, term_lengths, renewal_lengths, st.integers(min_value=1, max_value=20 * 366))
def test_terms_chain_without_gaps_or_overlaps(
    start: date, term_months: int, renewal_months: int | None, days_after: int
) -> None:
    # given the term in force on some day and the term in force the day after it ends
    def term_on(day: date) -> Term:
        return current_term(
            start, term_months, renewal_months=renewal_months, auto_renews=True, on=day
        )

    term = term_on(start + timedelta(days=days_after))
    following = term_on(term.end + ONE_DAY)
    # then the next one starts the next day, is numbered next, and is never empty
    assert following.start == term.end + ONE_DAY
    assert following.number == term.number + 1
    assert following.end >= following.start
    assert term_on(term.start) == term


@PROPERTIES
@given(dates, term_lengths, renewal_lengths, dates)
def test_without_auto_renewal_the_term_is_always_the_first(
    start: date, term_months: int, renewal_months: int | None, on: date
) -> None:
    term = current_term(start, term_months, renewal_months=renewal_months, auto_renews=False, on=on)
    assert term == Term(start, end_of_term(start, term_months), 1)


@PROPERTIES
@given(dates, st.integers(min_value=0, max_value=400))
def test_days_notice_is_plain_subtraction(end: date, count: int) -> None:
    deadline = notice_deadline(end, Period(count, "days"))
    assert end - deadline == timedelta(days=count)


@PROPERTIES
@given(dates, st.integers(min_value=0, max_value=36))
def test_months_notice_is_the_latest_day_whose_anniversary_does_not_pass_the_end(
    end: date, count: int
) -> None:
    deadline = notice_deadline(end, Period(count, "months"))
    # the deadline lies in the month `count` months before the end's month...
    target = end.replace(day=1) - relativedelta(months=count)
    assert (deadline.year, deadline.month) == (target.year, target.month)
    # ...notice given on it runs out on or before the end...
    assert deadline + relativedelta(months=count) <= end
    assert deadline <= end
    # ...and it is the latest such day of that month
    assert is_month_end(deadline) or deadline + ONE_DAY + relativedelta(months=count) > end


@PROPERTIES
@given(
    start=dates,
    term_months=term_lengths,
    renewal_months=renewal_lengths,
    auto_renews=st.booleans(),
    notice=periods,
    on=dates,
)
def test_upcoming_deadline_is_the_first_deadline_still_ahead(
    *,
    start: date,
    term_months: int,
    renewal_months: int | None,
    auto_renews: bool,
    notice: Period,
    on: date,
) -> None:
    deadline = upcoming_notice_deadline(
        start,
        term_months,
        renewal_months=renewal_months,
        auto_renews=auto_renews,
        notice=notice,
        on=on,
    )
    # then it is the first deadline of the walked terms on or after `on` (only the initial
    # term's when nothing renews), so never in the past
    terms = chain(start, term_months, renewal_months)
    if auto_renews:
        expected = next(d for t in terms if (d := notice_deadline(t.end, notice)) >= on)
        assert deadline == expected
    else:
        first = notice_deadline(next(terms).end, notice)
        assert deadline == (first if first >= on else None)
    assert deadline is None or deadline >= on


@PROPERTIES
@given(dates, periods, st.booleans())
def test_notice_given_for_an_evergreen_end_is_in_time(
    given_on: date, notice: Period, to_month_end: bool
) -> None:
    end = evergreen_end(given_on, notice, to_month_end=to_month_end)
    assert end >= given_on
    assert notice_deadline(end, notice) >= given_on
    if to_month_end:
        plain = evergreen_end(given_on, notice)
        assert is_month_end(end)
        assert (end.year, end.month) == (plain.year, plain.month)


@PROPERTIES
@given(dates, dates, st.integers(min_value=0, max_value=120))
def test_in_window_agrees_with_days_until(day: date, on: date, days: int) -> None:
    assert in_window(day, on, days) == (0 <= days_until(day, on) <= days)
