"""The renewal radar: one query on the stored deadlines against a loop over every contract.

    .venv/bin/python bench/radar.py                 # on a fresh copy of the large demo data
    .venv/bin/python bench/radar.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database. Both approaches answer the administrator's radar for the next 90
days (every contract in force whose notice deadline or end of term falls in the window, with
the renewal decision standing for the term):

- stored: ``selectors_renewals.radar`` (what the radar page calls). The services store each
  contract's notice deadline when its terms change and the daily roll-forward moves it, so the
  radar is one indexed query with the decision as a subquery.
- naive: what one would write without the stored deadline: read every contract in force, work
  out its current term and notice deadline from its terms in Python, keep those in the window,
  and look up each one's decision.

The rounds alternate which approach goes first; queries are counted in one extra, untimed run
of each. Both must find the same contracts with the same dates and decisions.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

WINDOW_DAYS = 90
Found = dict[int, tuple[Any, Any, Any]]  # pk -> notice deadline, end of term, decision


@dataclass
class Approach:
    name: str
    run: Callable[[Any, dt.date], Found]
    seconds: list[float] = field(default_factory=list)
    queries: int = 0
    found: Found = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def stored(user: Any, today: dt.date) -> Found:
    from steward.contracts.selectors_renewals import radar

    return {
        e.contract.pk: (
            e.contract.notice_deadline,
            e.contract.end_date,
            getattr(e.contract, "current_decision", None),
        )
        for e in radar(user=user, on=today, days=WINDOW_DAYS)
    }


def naive(user: Any, today: dt.date) -> Found:
    from steward.contracts import lifecycle, terms
    from steward.contracts.models import Contract, RenewalDecision
    from steward.contracts.services.contracts import notice_deadline_of
    from steward.core.access import Action

    until = today + dt.timedelta(days=WINDOW_DAYS)
    found: Found = {}
    contracts = (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(status__in=lifecycle.IN_FORCE)
        .select_related("owner", "relationship__organization")
    )
    for contract in contracts:
        end = contract.end_date
        if contract.auto_renews and contract.start_date and contract.term_months:
            months = int(contract.term_months)
            end = terms.current_term(
                contract.start_date,
                months,
                renewal_months=contract.renewal_term_months or months,
                auto_renews=True,
                on=today,
            ).end
            contract.end_date = end
        deadline = notice_deadline_of(contract, today)
        if end is None:  # evergreen: no end, no deadline
            continue
        if not any(day is not None and today <= day <= until for day in (deadline, end)):
            continue
        decision = (
            RenewalDecision.objects.filter(
                contract=contract,
                for_term_ending=end,
                superseded_at__isnull=True,
                archived_at__isnull=True,
            )
            .order_by("-pk")
            .values_list("decision", flat=True)
            .first()
        )
        found[contract.pk] = (deadline, end, decision)
    return found


def _once(approach: Approach, user: Any, today: dt.date, *, count: bool) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if count:
        with CaptureQueriesContext(connection) as captured:
            approach.found = approach.run(user, today)
        approach.queries = len(captured.captured_queries)
        return 0.0
    started = time.perf_counter()
    approach.found = approach.run(user, today)
    return time.perf_counter() - started


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from steward.contracts import lifecycle
    from steward.contracts.models import Contract

    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    in_force = Contract.objects.filter(status__in=lifecycle.IN_FORCE).count()
    total = Contract.objects.count()
    approaches = [Approach("stored deadlines (radar)", stored), Approach("naive loop", naive)]
    print(
        f"\nThe renewal radar for the next {WINDOW_DAYS} days on {connection.vendor}: "
        f"{total:,} contracts, {in_force:,} in force; {rounds} rounds:",
        flush=True,
    )
    for approach in approaches:  # untimed: counts the queries and warms the caches
        _once(approach, admin, today, count=True)
    same = True
    for number in range(1, rounds + 1):
        order = approaches if number % 2 else approaches[::-1]
        for approach in order:
            approach.seconds.append(_once(approach, admin, today, count=False))
        same = same and approaches[0].found == approaches[1].found
        shown = "  ".join(f"{a.seconds[-1]:8.4f} s" for a in approaches)
        print(f"  round {number} of {rounds}: {shown}", flush=True)
    return _report(approaches, total, in_force, same)


def _report(approaches: list[Approach], total: int, in_force: int, same: bool) -> dict[str, Any]:
    fast, slow = approaches
    header = f"{'approach':28} {'median s':>9} {'min s':>8} {'queries':>8} {'found':>6}"
    print("\n" + header + "\n" + "-" * len(header))
    for a in approaches:
        print(
            f"{a.name:28} {a.median:9.4f} {min(a.seconds):8.4f} {a.queries:8,} {len(a.found):6,}",
            flush=True,
        )
    ratio = slow.median / fast.median if fast.median else float("inf")
    print(
        f"naive / stored: {ratio:.1f}x the time, {slow.queries / max(fast.queries, 1):,.0f}x the "
        f"queries; the same contracts, dates and decisions: {'yes' if same else 'NO'}"
    )
    return {
        "contracts": total,
        "in_force": in_force,
        "window_days": WINDOW_DAYS,
        "rounds": len(fast.seconds),
        "approaches": [
            {
                "name": a.name,
                "median_seconds": round(a.median, 5),
                "min_seconds": round(min(a.seconds), 5),
                "seconds": [round(s, 5) for s in a.seconds],
                "queries": a.queries,
                "found": len(a.found),
            }
            for a in approaches
        ],
        "ratio_naive_to_stored": round(ratio, 2),
        "identical": same,
    }


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="radar",
        result="radar.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
