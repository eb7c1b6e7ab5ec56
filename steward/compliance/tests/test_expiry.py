"""The pure date rules: derived status, alert offsets, risk points."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.compliance import expiry
from steward.compliance.choices import CertificationKind, CertificationStatus

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("expires_on", "superseded", "expected"),
    [
        (TODAY + dt.timedelta(days=61), False, CertificationStatus.VALID),
        (TODAY + dt.timedelta(days=60), False, CertificationStatus.EXPIRING),
        (TODAY, False, CertificationStatus.EXPIRING),
        (TODAY - dt.timedelta(days=1), False, CertificationStatus.EXPIRED),
        (TODAY - dt.timedelta(days=1), True, CertificationStatus.SUPERSEDED),
        (TODAY + dt.timedelta(days=400), True, CertificationStatus.SUPERSEDED),
    ],
)
def test_status_follows_the_dates(expires_on: dt.date, superseded: bool, expected: str) -> None:
    assert expiry.status_on(expires_on=expires_on, superseded=superseded, today=TODAY) == expected


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (90, None),
        (61, None),
        (60, 60),
        (45, 60),  # a missed 60-day alert still goes out
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 0),
        (-3, 0),
        (-7, 0),
        (-8, None),  # long-expired certificates are the dashboard's, not the inbox's
    ],
)
def test_due_offset(days_left: int, expected: int | None) -> None:
    assert expiry.due_offset(days_left) == expected


@given(st.integers(min_value=-30, max_value=120))
def test_due_offset_is_an_offset_at_or_above_the_days_left(days_left: int) -> None:
    offset = expiry.due_offset(days_left)
    if offset is not None:
        assert offset in expiry.ALERT_OFFSETS
        assert offset >= days_left or offset == 0


@given(st.integers(min_value=-400, max_value=400), st.booleans())
def test_status_clause_agrees_with_status_on(days: int, superseded: bool) -> None:
    """The filter and the property are one rule: exactly one status clause matches."""
    expires_on = TODAY + dt.timedelta(days=days)
    status = expiry.status_on(expires_on=expires_on, superseded=superseded, today=TODAY)
    row = {"expires_on": expires_on, "superseded_at": TODAY if superseded else None}
    matches = [
        s for s in CertificationStatus.values if _matches(expiry.status_clause(s, TODAY), row)
    ]
    assert matches == [status]


def _matches(clause: object, row: dict[str, object]) -> bool:
    """Evaluate the simple AND-of-lookups clauses built by ``status_clause`` on a dict."""
    children = getattr(clause, "children", [])
    results = []
    for child in children:
        if isinstance(child, tuple):
            lookup, value = child
            field, _, op = lookup.partition("__")
            actual = row[field]
            results.append(
                {
                    "isnull": lambda a, v: (a is None) == v,
                    "lt": lambda a, v: a is not None and a < v,
                    "lte": lambda a, v: a is not None and a <= v,
                    "gt": lambda a, v: a is not None and a > v,
                    "gte": lambda a, v: a is not None and a >= v,
                }[op](actual, value)
            )
        else:
            results.append(_matches(child, row))
    return all(results)


def test_every_kind_has_expired_points() -> None:
    assert set(expiry.EXPIRED_POINTS) == set(CertificationKind.values)
    assert expiry.EXPIRED_POINTS[CertificationKind.SOC2_TYPE2] == 15
    assert expiry.EXPIRED_POINTS[CertificationKind.DPA] == 15
    assert expiry.EXPIRED_POINTS[CertificationKind.INSURANCE] == 5
