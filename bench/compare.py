"""What the set-based-against-naive benchmarks share: an approach with its timings and its query
count, rounds that alternate which approach goes first, and the table that compares them."""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# An extra column of the table and the JSON: its title, its JSON key and how to read it.
Column = tuple[str, str, Callable[["Approach"], int]]


class Once(Protocol):
    """Runs an approach once, as ``Approach.once`` does, maybe inside the caller's setup."""

    def __call__(self, approach: Any, *, count: bool) -> float: ...


@dataclass
class Approach:
    name: str
    run: Callable[..., Any]
    seconds: list[float] = field(default_factory=list)
    queries: int = 0
    result: Any = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def once(self, *args: Any, count: bool) -> float:
        """Run once and keep what it returned: untimed while counting its queries (0.0), else
        timed (its seconds)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if count:
            # Django keeps the last 9,000 queries only; a naive loop issues more than that.
            kept, connection.queries_log = connection.queries_log, deque(maxlen=None)
            try:
                with CaptureQueriesContext(connection) as captured:
                    self.result = self.run(*args)
                self.queries = len(captured.captured_queries)
            finally:
                connection.queries_log = kept
            return 0.0
        started = time.perf_counter()
        self.result = self.run(*args)
        return time.perf_counter() - started


class Same:
    """Whether the approaches have returned equal results after every run so far (a ``compare``
    for ``alternate``)."""

    def __init__(self, *approaches: Approach) -> None:
        self.approaches = approaches
        self.ok = True

    def __call__(self) -> None:
        first, *others = self.approaches
        self.ok = self.ok and all(other.result == first.result for other in others)


def alternate(
    approaches: Sequence[Approach],
    rounds: int,
    once: Once,
    *,
    compare: Callable[[], None] = lambda: None,
    digits: int = 3,
) -> None:
    """Count each approach's queries (which also warms the caches), then time ``rounds`` rounds,
    alternating which approach goes first. ``compare`` runs after the count and after each
    round, while every approach holds that round's result."""
    print("  seconds per round, in this order: " + "; ".join(a.name for a in approaches))
    for approach in approaches:
        once(approach, count=True)
    compare()
    for number in range(1, rounds + 1):
        order = approaches if number % 2 else approaches[::-1]
        for approach in order:
            approach.seconds.append(once(approach, count=False))
        compare()
        shown = "  ".join(f"{a.seconds[-1]:8.{digits}f} s" for a in approaches)
        print(f"  round {number} of {rounds}: {shown}", flush=True)


def ratio(slow: Approach, fast: Approach) -> float:
    return slow.median / fast.median if fast.median else float("inf")


def table(
    approaches: Sequence[Approach],
    *,
    width: int = 42,
    digits: int = 3,
    columns: Sequence[Column] = (),
    baseline: str = "set-based",
) -> float:
    """Print each approach's median and fastest seconds and its queries, then how the second
    (the naive one) compares with the first; answer that ratio."""
    extra = "".join(f" {title:>8}" for title, _, _ in columns)
    header = f"{'approach':{width}} {'median s':>9} {'min s':>8} {'queries':>9}{extra}"
    print("\n" + header + "\n" + "-" * len(header))
    for a in approaches:
        values = "".join(f" {read(a):8,}" for _, _, read in columns)
        print(
            f"{a.name:{width}} {a.median:9.{digits}f} {min(a.seconds):8.{digits}f} "
            f"{a.queries:9,}{values}",
            flush=True,
        )
    fast, slow = approaches[0], approaches[1]
    times = ratio(slow, fast)
    print(
        f"naive / {baseline}: {times:.1f}x the time, "
        f"{slow.queries / max(fast.queries, 1):,.0f}x the queries"
    )
    return times


def rows(
    approaches: Sequence[Approach], *, digits: int = 4, columns: Sequence[Column] = ()
) -> list[dict[str, Any]]:
    """Each approach's figures for the JSON result."""
    return [
        {
            "name": a.name,
            "median_seconds": round(a.median, digits),
            "min_seconds": round(min(a.seconds), digits),
            "seconds": [round(s, digits) for s in a.seconds],
            "queries": a.queries,
            **{key: read(a) for _, key, read in columns},
        }
        for a in approaches
    ]
