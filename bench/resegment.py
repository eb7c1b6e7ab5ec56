"""Re-segment every vendor after a weight change: one set-based pass against a per-vendor loop.

    .venv/bin/python bench/resegment.py                 # on a fresh copy of the large demo data
    .venv/bin/python bench/resegment.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database. Both approaches make the same change, from the same starting state:
move ``SHIFT`` points of the profit-impact weight from spend to criticality and place every
vendor again. Each run happens in a transaction that is rolled back afterwards, so every round
starts from the demo data as loaded.

- set-based: ``segmentation_policy_update`` (the service the policy page calls), which re-places
  all vendors in a fixed number of statements, records the quadrant changes and alerts owners.
- naive: what one would write without it: save the policy, then read each vendor, compute its
  scores with ``segmentation.score_in_python``, record a change and an alert if it moved, and
  save it.
- set-based without category shares (a diagnostic): the same statements as the service minus
  the one that derives each vendor's share of its categories' spend, which a weight change
  leaves as it was. It shows how much of the service's time that statement takes.

The rounds alternate which approach goes first. Queries are counted with
``CaptureQueriesContext`` in one extra, untimed run of each (recording every statement slows the
loop down). After every run the placements are compared: both must put every vendor in the same
quadrant.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.compare import Approach, Column, alternate, ratio, rows, table  # noqa: E402

SHIFT = 20  # weight points moved from spend to criticality
Placements = dict[int, tuple[Any, Any, str, str]]  # pk -> profit, risk, computed, segment


@dataclass
class Resegmenting(Approach):
    moved: int = 0  # segment changes written


MOVED: Column = ("moved", "vendors_moved", lambda a: a.moved)  # type: ignore[attr-defined]


# --- the two approaches --------------------------------------------------------------------------


def set_based(admin: Any, change: dict[str, int]) -> None:
    from steward.suppliers.services import segmentation_policy, segmentation_policy_update

    policy = segmentation_policy()
    segmentation_policy_update(
        actor=admin, expected_version=policy.version, reason="Benchmark", **change
    )


def _save_policy(change: dict[str, int]) -> Any:
    """The policy with the change applied and saved (with its history), as the service does."""
    from steward.suppliers import segmentation
    from steward.suppliers.services import segmentation_policy

    row = segmentation_policy()
    for name, value in change.items():
        setattr(row, name, value)
    row.version += 1
    row.save()
    return segmentation.Policy.from_model(row), f"Segmentation policy version {row.version}"


def scores_only(admin: Any, change: dict[str, int]) -> None:
    """The set-based pass without deriving category shares: where its time goes (diagnostic)."""
    from django.db import transaction
    from django.db.models import F

    from steward.core.models import Notification
    from steward.suppliers import segmentation
    from steward.suppliers.models import SegmentChange, Supplier

    with transaction.atomic():
        policy, cause = _save_policy(change)
        scope = Supplier.objects.filter(archived_at__isnull=True)
        segmentation.write_scores(scope, policy)
        changed = list(
            scope.annotate(new_segment=segmentation.effective_segment_expression(policy))
            .exclude(new_segment=F("segment"))
            .values("pk", "segment", "new_segment", "profit_impact", "supply_risk")
            .annotate(owner_id=F("relationship__owner_id"))
        )
        segmentation.write_segments(scope, policy)
        SegmentChange.objects.bulk_create(
            SegmentChange(
                supplier_id=row["pk"],
                from_segment=row["segment"],
                to_segment=row["new_segment"],
                profit_impact=row["profit_impact"],
                supply_risk=row["supply_risk"],
                cause=cause,
            )
            for row in changed
        )
        Notification.objects.bulk_create(
            Notification(
                recipient_id=row["owner_id"],
                kind="vendor_segment_changed",
                title="A vendor moved",
                url=f"/vendors/{row['pk']}/",
            )
            for row in changed
            if row["segment"]
        )


def naive(admin: Any, change: dict[str, int]) -> None:
    from django.db import transaction
    from django.utils import timezone

    from steward.core.models import Notification
    from steward.suppliers import segmentation
    from steward.suppliers.models import SegmentChange, Supplier

    with transaction.atomic():
        policy, cause = _save_policy(change)
        for pk in Supplier.objects.filter(archived_at__isnull=True).values_list("pk", flat=True):
            vendor = Supplier.objects.select_related("relationship__organization").get(pk=pk)
            values = {name: getattr(vendor, name) for name in segmentation.FACTOR_FIELD.values()}
            profit, risk, computed = segmentation.score_in_python(values, policy)
            segment = vendor.segment_override or computed
            if segment != vendor.segment:
                SegmentChange.objects.create(
                    supplier=vendor,
                    from_segment=vendor.segment,
                    to_segment=segment,
                    profit_impact=profit,
                    supply_risk=risk,
                    cause=cause,
                )
                if vendor.segment:
                    Notification.objects.create(
                        recipient_id=vendor.relationship.owner_id,
                        kind="vendor_segment_changed",
                        title=f"{vendor.relationship.organization.display_name} moved",
                        url=f"/vendors/{pk}/",
                    )
            vendor.profit_impact, vendor.supply_risk = profit, risk
            vendor.computed_segment, vendor.segment = computed, segment
            vendor.segmented_at = timezone.now()
            # The computed fields are kept out of history; the service writes none either.
            vendor.skip_history_when_saving = True  # type: ignore[attr-defined]
            vendor.save(
                update_fields=[
                    "profit_impact",
                    "supply_risk",
                    "computed_segment",
                    "segment",
                    "segmented_at",
                ]
            )


# --- measuring -----------------------------------------------------------------------------------


def _placements() -> Placements:
    from steward.suppliers.models import Supplier

    rows = Supplier.objects.filter(archived_at__isnull=True).values_list(
        "pk", "profit_impact", "supply_risk", "computed_segment", "segment"
    )
    return {pk: (profit, risk, computed, segment) for pk, profit, risk, computed, segment in rows}


def _once(approach: Resegmenting, admin: Any, change: dict[str, int], *, count: bool) -> float:
    """Run one approach in a transaction that is rolled back; keep what it placed."""
    from django.db import transaction

    from steward.suppliers.models import SegmentChange

    with transaction.atomic():
        before = SegmentChange.objects.count()
        seconds = approach.once(admin, change, count=count)
        approach.moved = SegmentChange.objects.count() - before
        approach.result = _placements()
        transaction.set_rollback(True)
    return seconds


def _differences(left: Placements, right: Placements) -> tuple[int, int]:
    """How many vendors the two placed in different quadrants, and with different scores."""
    segments = sum(1 for pk in left if left[pk][2:] != right.get(pk, (None,) * 4)[2:])
    scores = sum(1 for pk in left if left[pk][:2] != right.get(pk, (None,) * 4)[:2])
    return segments, scores


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from steward.suppliers.models import Supplier
    from steward.suppliers.services import segmentation_policy

    admin = get_user_model().objects.get(username="admin")
    policy = segmentation_policy()
    change = {
        "weight_spend": policy.weight_spend - SHIFT,
        "weight_criticality": policy.weight_criticality + SHIFT,
    }
    vendors = Supplier.objects.filter(archived_at__isnull=True).count()
    approaches = [
        Resegmenting("set-based (segmentation_policy_update)", set_based),
        Resegmenting("naive per-vendor loop", naive),
        Resegmenting("set-based without category shares", scores_only),
    ]
    fast, slow, lean = approaches
    worst = [0, 0]

    def compare() -> None:
        for other in (slow, lean):
            segments, scores = _differences(fast.result, other.result)
            worst[:] = [max(worst[0], segments), max(worst[1], scores)]

    print(
        f"\nRe-segmenting {vendors:,} vendors on {connection.vendor} after moving {SHIFT} points "
        f"from weight_spend ({policy.weight_spend}) to weight_criticality "
        f"({policy.weight_criticality}); {rounds} rounds:",
        flush=True,
    )
    alternate(
        approaches,
        rounds,
        lambda a, count: _once(a, admin, change, count=count),
        compare=compare,
    )
    times = table(approaches, columns=[MOVED])
    lean_times = ratio(slow, lean)
    identical = worst[0] == 0 and fast.moved == slow.moved == lean.moved
    print(
        f"naive / set-based without category shares: {lean_times:.1f}x the time\n"
        f"same quadrant for every vendor: {'yes' if identical else 'NO'} "
        f"({vendors - worst[0]:,} of {vendors:,}); same scores: {vendors - worst[1]:,} "
        f"of {vendors:,}"
    )
    return {
        "vendors": vendors,
        "change": change,
        "rounds": len(fast.seconds),
        "approaches": rows(approaches, columns=[MOVED]),
        "ratio_naive_to_set_based": round(times, 2),
        "ratio_naive_to_set_based_without_category_shares": round(lean_times, 2),
        "identical_segments": identical,
        "vendors_placed_differently": worst[0],
        "vendors_scored_differently": worst[1],
    }


# --- on its own ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="resegment",
        result="resegmentation.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
