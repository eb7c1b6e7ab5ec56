"""The supply side's section of a contract's renewal pack: the alternatives.

Before renewing with a vendor, who else could supply the same? The other vendors currently
prequalified for the categories the contract's vendor serves, as the user may see them.

Spend under the contract is not added: Steward has no spend records yet (a vendor's annual
spend is a typed segmentation input, not spend under a contract).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from steward.contracts.models import Contract
from steward.contracts.selectors_renewals import PackRow, PackSection
from steward.core.access import Action
from steward.suppliers import selectors
from steward.suppliers.models import Supplier

SECTION_NAME = "prequalified_alternatives"
TITLE = "Other suppliers prequalified for the same categories"


def prequalified_alternatives(user: Any, contract: Contract) -> PackSection | None:
    """The section, or None for a contract that is not with a vendor the user may see."""
    vendor = (
        Supplier.objects.restrict(user, Action.VIEW)
        .filter(pk=contract.relationship_id)
        .prefetch_related("categories")
        .first()
    )
    if vendor is None:
        return None
    categories = [c for c in vendor.categories.all() if c.archived_at is None]
    if not categories:
        return PackSection(
            title=TITLE,
            headers=(),
            rows=[],
            empty="The vendor is in no category, so there is nothing to compare it with.",
        )
    today = timezone.localdate()
    rows: list[PackRow] = []
    for category in categories:
        others = (
            selectors.prequalified_suppliers(user=user, category=category, on=today)
            .exclude(pk=vendor.pk)
            .order_by("relationship__organization__display_name", "pk")
        )
        rows.extend(
            PackRow(
                cells=(
                    str(other.relationship.organization),
                    category.name,
                    other.get_stage_display(),
                    other.get_segment_display() or "not placed",
                ),
                url=other.get_absolute_url(),
            )
            for other in others
        )
    return PackSection(
        title=TITLE,
        headers=("Supplier", "Category", "Stage", "Segment"),
        rows=rows,
        empty="No other supplier is prequalified for "
        + ", ".join(c.name for c in categories)
        + " today.",
        note="Prequalified today, not revoked; the vendor itself is left out.",
    )
