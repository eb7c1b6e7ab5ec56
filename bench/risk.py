"""Refresh every vendor's risk score: one set-based pass against a per-vendor loop.

    .venv/bin/python bench/risk.py                  # on a fresh copy of the large demo data
    .venv/bin/python bench/risk.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database.

Before measuring, in a transaction that is rolled back at the end, every vendor gets a register
of ``RISKS_PER_VENDOR`` risks and ``FINDINGS_PER_VENDOR`` findings (bulk inserts), and every
vendor's score is cleared so that both approaches have every score to write. Each run is in a
transaction of its own that is rolled back too, so every round starts from the same state.

- set-based: ``vendor_risk_score_refresh`` (what the daily job and every risk or finding change
  call): a fixed number of grouped queries and one bulk update.
- naive: what one would write without it: for each vendor, read its worst open residual risk,
  its open findings and its risk factors, work out the score and save the vendor.

The rounds alternate which approach goes first. After every run the scores are compared: both
must give every vendor the same score.
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

RISKS_PER_VENDOR = 3
FINDINGS_PER_VENDOR = 2
Scores = dict[int, Any]


@dataclass
class Approach:
    name: str
    run: Callable[[dt.date], None]
    seconds: list[float] = field(default_factory=list)
    queries: int = 0
    scores: Scores = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# --- the two approaches --------------------------------------------------------------------------


def set_based(today: dt.date) -> None:
    from steward.risk.services import vendor_risk_score_refresh

    vendor_risk_score_refresh(today=today)


def naive(today: dt.date) -> None:
    from decimal import Decimal

    from django.db.models import F, Max

    from steward.risk import findings_lifecycle, panels, scoring
    from steward.risk.choices import RiskStatus
    from steward.risk.models import Finding, Risk
    from steward.suppliers.models import Supplier

    for supplier in Supplier.objects.all():
        worst = Risk.objects.filter(
            relationship_id=supplier.pk, status=RiskStatus.OPEN, archived_at__isnull=True
        ).aggregate(worst=Max(F("residual_likelihood") * F("residual_impact")))["worst"]
        severities = Finding.objects.filter(
            supplier_id=supplier.pk,
            status__in=findings_lifecycle.OPEN,
            archived_at__isnull=True,
        ).values_list("severity", flat=True)
        factors = panels.risk_factors([supplier.pk], today).get(supplier.pk, [])
        supplier.risk_score = Decimal(
            scoring.vendor_score(
                worst, scoring.findings_points(severities), sum(f.points for f in factors)
            )
        )
        supplier.skip_history_when_saving = True  # type: ignore[attr-defined]
        supplier.save(update_fields=["risk_score"])


# --- the data ------------------------------------------------------------------------------------


def _seed(admin: Any) -> int:
    """Give every vendor a register and open findings; clear every score. Returns the vendors."""
    from steward.risk.choices import FindingSeverity, FindingSource, RiskCategory
    from steward.risk.models import Finding, Risk
    from steward.suppliers.models import Supplier

    ids = list(Supplier.objects.values_list("pk", flat=True))
    categories = list(RiskCategory.values)
    severities = list(FindingSeverity.values)
    Risk.objects.bulk_create(
        Risk(
            relationship_id=pk,
            category=categories[(pk + n) % len(categories)],
            title=f"Benchmark risk {n}",
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=1 + (pk + n) % 5,
            residual_impact=1 + (pk * 3 + n) % 5,
            owner=admin,
        )
        for pk in ids
        for n in range(RISKS_PER_VENDOR)
    )
    Finding.objects.bulk_create(
        Finding(
            supplier_id=pk,
            source=FindingSource.OTHER,
            title=f"Benchmark finding {n}",
            severity=severities[(pk + n) % len(severities)],
            owner=admin,
        )
        for pk in ids
        for n in range(FINDINGS_PER_VENDOR)
    )
    Supplier.objects.update(risk_score=None)
    return len(ids)


# --- measuring -----------------------------------------------------------------------------------


def _scores() -> Scores:
    from steward.suppliers.models import Supplier

    return dict(Supplier.objects.values_list("pk", "risk_score"))


def _once(approach: Approach, today: dt.date, *, count: bool) -> float:
    """Run one approach in a transaction that is rolled back; keep the scores it wrote."""
    from collections import deque

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        if count:
            kept, connection.queries_log = connection.queries_log, deque(maxlen=None)
            try:
                with CaptureQueriesContext(connection) as captured:
                    approach.run(today)
                approach.queries = len(captured.captured_queries)
            finally:
                connection.queries_log = kept
            seconds = 0.0
        else:
            started = time.perf_counter()
            approach.run(today)
            seconds = time.perf_counter() - started
        approach.scores = _scores()
        transaction.set_rollback(True)
    return seconds


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    approaches = [
        Approach("set-based (vendor_risk_score_refresh)", set_based),
        Approach("naive per-vendor loop", naive),
    ]
    with transaction.atomic():
        vendors = _seed(admin)
        print(
            f"\nRefreshing the risk score of {vendors:,} vendors on {connection.vendor} "
            f"({RISKS_PER_VENDOR} risks and {FINDINGS_PER_VENDOR} open findings each); "
            f"{rounds} rounds:",
            flush=True,
        )
        print("  seconds per round, in this order: " + "; ".join(a.name for a in approaches))
        for approach in approaches:  # untimed: counts the queries and warms the caches
            _once(approach, today, count=True)
        different = 0
        for number in range(1, rounds + 1):
            order = approaches if number % 2 else approaches[::-1]
            for approach in order:
                approach.seconds.append(_once(approach, today, count=False))
            fast, slow = approaches
            different = max(
                different, sum(1 for pk in fast.scores if fast.scores[pk] != slow.scores.get(pk))
            )
            shown = "  ".join(f"{a.seconds[-1]:8.3f} s" for a in approaches)
            print(f"  round {number} of {rounds}: {shown}", flush=True)
        transaction.set_rollback(True)
    return _report(approaches, vendors, different)


def _report(approaches: list[Approach], vendors: int, different: int) -> dict[str, Any]:
    fast, slow = approaches
    header = f"{'approach':42} {'median s':>9} {'min s':>8} {'queries':>9}"
    print("\n" + header + "\n" + "-" * len(header))
    for a in approaches:
        print(f"{a.name:42} {a.median:9.3f} {min(a.seconds):8.3f} {a.queries:9,}", flush=True)
    ratio = slow.median / fast.median if fast.median else float("inf")
    print(
        f"naive / set-based: {ratio:.1f}x the time, {slow.queries / max(fast.queries, 1):,.0f}x "
        f"the queries\nsame score for every vendor: {'yes' if different == 0 else 'NO'} "
        f"({vendors - different:,} of {vendors:,})"
    )
    return {
        "vendors": vendors,
        "rounds": len(fast.seconds),
        "approaches": [
            {
                "name": a.name,
                "median_seconds": round(a.median, 4),
                "min_seconds": round(min(a.seconds), 4),
                "seconds": [round(s, 4) for s in a.seconds],
                "queries": a.queries,
            }
            for a in approaches
        ],
        "ratio_naive_to_set_based": round(ratio, 2),
        "vendors_scored_differently": different,
    }


# --- on its own ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="risk",
        result="risk.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
