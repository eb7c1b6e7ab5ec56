"""Whose spend a user sees, from the one access policy.

Finance, administrators and auditors see every line; everyone else the lines of the vendors
they may see. Analytics, drill-down, exports and the API all start from ``scope_for(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steward.core.access import EVERYTHING, Action, principal_for, scope
from steward.spend.models import SpendCostCenterCell, SpendSegment
from steward.suppliers.models import Supplier


@dataclass(frozen=True)
class SpendScope:
    """``supplier_ids`` None means every vendor; an empty set means no spend at all."""

    supplier_ids: frozenset[int] | None
    cost_centers: bool  # cost-center totals cut across vendors: only for those who see all

    @property
    def everything(self) -> bool:
        return self.supplier_ids is None

    @property
    def nothing(self) -> bool:
        return self.supplier_ids is not None and not self.supplier_ids


NOTHING = SpendScope(supplier_ids=frozenset(), cost_centers=False)


def scope_for(user: Any) -> SpendScope:
    principal = principal_for(user)
    clause = scope(SpendSegment, principal, Action.VIEW)
    if clause is None:
        return NOTHING
    cost_centers = scope(SpendCostCenterCell, principal, Action.VIEW) is EVERYTHING
    if clause is EVERYTHING:
        return SpendScope(supplier_ids=None, cost_centers=cost_centers)
    visible = Supplier.objects.restrict(principal, Action.VIEW).values_list("pk", flat=True)
    return SpendScope(supplier_ids=frozenset(visible), cost_centers=cost_centers)
