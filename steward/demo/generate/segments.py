"""Placing every vendor on the Kraljic matrix: one set-based pass, as the services would run it.

``supplier_profile_create`` places each new vendor (a SegmentChange from '' to its quadrant,
cause "Vendor created", no alert for a first placement); ``supplier_update`` and
``supplier_override_segment`` place it again when its inputs or override change, alerting the
owner when the quadrant changes. Here ``segment_suppliers`` runs once over all vendors with
their final inputs; the rows it writes are then dated back to the vendors' creation, and the
few vendors that moved later get the earlier placement and the move written out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from steward.core.models import Notification
from steward.demo.generate.context import DemoContext
from steward.demo.generate.supply_vocabulary import MOVED_REASON
from steward.demo.generate.vendor_plan import VendorPlan
from steward.demo.generate.writes import bulk_insert
from steward.suppliers import segmentation
from steward.suppliers.models import SegmentChange, Supplier
from steward.suppliers.services import segment_suppliers, segmentation_policy

CREATED = "Vendor created"


def place_vendors(ctx: DemoContext) -> None:
    started = timezone.now()
    segment_suppliers(cause=CREATED)
    written = SegmentChange.objects.filter(at__gte=started, cause=CREATED)
    created_at = Supplier.objects.filter(pk=OuterRef("supplier_id")).values("created_at")[:1]
    written.update(at=Subquery(created_at))
    ctx.counts[SegmentChange._meta.label] += written.count()
    moved = [plan for plan in ctx.vendors if plan.edited_at is not None]
    if moved:
        _write_later_moves(ctx, moved)


def _write_later_moves(ctx: DemoContext, plans: list[VendorPlan]) -> None:
    """Vendors placed once on creation and again when their inputs or override changed."""
    policy = segmentation.Policy.from_model(segmentation_policy())
    now = {
        row["pk"]: row
        for row in Supplier.objects.filter(pk__in=[p.pk for p in plans]).values(
            "pk", "computed_segment", "segment", "profit_impact", "supply_risk"
        )
    }
    first = {
        change.supplier_id: change
        for change in SegmentChange.objects.filter(supplier_id__in=list(now), cause=CREATED)
    }
    changes, alerts = [], []
    for plan in plans:
        row, moment = now[plan.pk], plan.edited_at
        if moment is None:
            continue
        if plan.later_inputs:
            before: dict[str, Any] = {**plan.inputs}
            profit, risk, earlier = segmentation.score_in_python(before, policy)
            cause = MOVED_REASON  # supplier_update passes its reason on as the cause
        else:
            profit, risk = row["profit_impact"], row["supply_risk"]
            earlier, cause = row["computed_segment"], "Override set"
        if not earlier or earlier == row["segment"] or plan.pk not in first:
            continue
        placed = first[plan.pk]
        SegmentChange.objects.filter(pk=placed.pk).update(
            to_segment=earlier, profit_impact=profit, supply_risk=risk
        )
        change = SegmentChange(
            supplier_id=plan.pk,
            from_segment=earlier,
            to_segment=row["segment"],
            profit_impact=row["profit_impact"],
            supply_risk=row["supply_risk"],
            at=moment,
            cause=cause,
        )
        changes.append(change)
        alerts.append(_alert(plan, earlier, row["segment"], cause, moment))
    bulk_insert(changes)
    bulk_insert(alerts)
    ctx.counts[SegmentChange._meta.label] += len(changes)
    ctx.counts[Notification._meta.label] += len(alerts)


def _alert(
    plan: VendorPlan, earlier: str, segment: str, cause: str, moment: dt.datetime
) -> Notification:
    """The alert ``segment_suppliers`` sends the owner when a vendor changes quadrant."""
    labels = dict(Supplier._meta.get_field("segment").flatchoices)
    name = plan.relationship.organization.display_name
    return Notification(
        recipient=plan.owner,
        kind="vendor_segment_changed",
        title=f"{name} moved from {labels[earlier]} to {labels[segment]}"[:200],
        body=f"Cause: {cause}. Review its relationship type and strategy.",
        url=f"/vendors/{plan.pk}/",
        created_at=moment,
    )
