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
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.compare import Approach, alternate, rows, table  # noqa: E402

RISKS_PER_VENDOR = 3
FINDINGS_PER_VENDOR = 2
Scores = dict[int, Any]


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
    from django.db import transaction

    with transaction.atomic():
        seconds = approach.once(today, count=count)
        approach.result = _scores()
        transaction.set_rollback(True)
    return seconds


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    fast = Approach("set-based (vendor_risk_score_refresh)", set_based)
    slow = Approach("naive per-vendor loop", naive)
    different = 0

    def compare() -> None:
        nonlocal different
        scored = sum(1 for pk in fast.result if fast.result[pk] != slow.result.get(pk))
        different = max(different, scored)

    with transaction.atomic():
        vendors = _seed(admin)
        print(
            f"\nRefreshing the risk score of {vendors:,} vendors on {connection.vendor} "
            f"({RISKS_PER_VENDOR} risks and {FINDINGS_PER_VENDOR} open findings each); "
            f"{rounds} rounds:",
            flush=True,
        )
        alternate(
            [fast, slow], rounds, lambda a, count: _once(a, today, count=count), compare=compare
        )
        transaction.set_rollback(True)
    ratio = table([fast, slow])
    print(
        f"same score for every vendor: {'yes' if different == 0 else 'NO'} "
        f"({vendors - different:,} of {vendors:,})"
    )
    return {
        "vendors": vendors,
        "rounds": len(fast.seconds),
        "approaches": rows([fast, slow]),
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
