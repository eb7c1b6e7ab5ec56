"""The names behind the ids spend figures carry: one query per kind, through the access policy.

Figures carry vendor, category, contract and cost-center ids. Vendor names come from the
organization directory (every internal user may read it) for vendor ids that are already in the
user's spend scope; contracts the user may not open are named by their number only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from steward.contracts.models import Contract
from steward.core.access import Action
from steward.parties.models import Organization
from steward.spend.models import CostCenter
from steward.spend.money import month_label
from steward.spend.scope import SpendScope
from steward.suppliers.models import Category

NO_CATEGORY = "Uncategorized"
NO_CONTRACT = "No contract"
NO_COST_CENTER = "No cost center"
KINDS = {"suppliers", "categories", "contracts", "cost_centers"}


@dataclass
class Names:
    suppliers: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)
    contracts: dict[int, str] = field(default_factory=dict)
    cost_centers: dict[int, str] = field(default_factory=dict)

    def supplier(self, pk: int | None) -> str:
        if pk is None:
            return "Unknown vendor"
        return self.suppliers.get(pk, f"Vendor {pk}")

    def category(self, pk: int | None) -> str:
        if pk is None:
            return NO_CATEGORY
        return self.categories.get(pk, f"Category {pk}")

    def contract(self, pk: int | None) -> str:
        if pk is None:
            return NO_CONTRACT
        return self.contracts.get(pk, f"Contract {pk}")

    def cost_center(self, pk: int | None) -> str:
        if pk is None:
            return NO_COST_CENTER
        return self.cost_centers.get(pk, f"Cost center {pk}")

    def of(self, dim: str, pk: int | None) -> str:
        """The name of ``pk`` as a key of dimension ``dim`` (a cube dimension name)."""
        if dim == "month":
            return month_label(pk) if pk else ""
        return str(getattr(self, dim)(pk))


def _ids(values: Iterable[int | None]) -> list[int]:
    return sorted({value for value in values if value is not None})


Wanted = Mapping[str, Iterable[int | None]]


def merged(*parts: Wanted) -> dict[str, list[int | None]]:
    """Several requests for names as one (``suppliers``, ``categories``, ``contracts``,
    ``cost_centers``)."""
    result: dict[str, list[int | None]] = {}
    for part in parts:
        for kind, ids in part.items():
            result.setdefault(kind, []).extend(ids)
    return result


def names_for(user: Any, scope: SpendScope, wanted: Wanted) -> Names:
    """Names of the wanted ids, one query per kind (none for a kind without ids).

    Only vendors inside ``scope`` are named: a vendor id from anywhere else stays a number.
    """
    unknown = set(wanted) - KINDS
    if unknown:
        raise ValueError(f"No names of {sorted(unknown)}.")
    names = Names()
    supplier_ids = [
        pk
        for pk in _ids(wanted.get("suppliers", ()))
        if scope.supplier_ids is None or pk in scope.supplier_ids
    ]
    if supplier_ids:
        wanted_suppliers = set(supplier_ids)
        rows = (
            Organization.objects.restrict(user, Action.VIEW)
            .filter(relationships__pk__in=supplier_ids)
            .values_list("relationships__pk", "display_name")
        )
        names.suppliers = {pk: name for pk, name in rows if pk in wanted_suppliers}
    category_ids = _ids(wanted.get("categories", ()))
    if category_ids:
        names.categories = dict(
            Category.objects.restrict(user, Action.VIEW)
            .filter(pk__in=category_ids)
            .values_list("pk", "name")
        )
    contract_ids = _ids(wanted.get("contracts", ()))
    if contract_ids:
        contracts = (
            Contract.objects.restrict(user, Action.VIEW)
            .filter(pk__in=contract_ids)
            .values_list("pk", "title", "reference")
        )
        names.contracts = {
            pk: f"{title} ({reference})" if reference else title
            for pk, title, reference in contracts
        }
    center_ids = _ids(wanted.get("cost_centers", ())) if scope.cost_centers else []
    if center_ids:
        centers = (
            CostCenter.objects.restrict(user, Action.VIEW)
            .filter(pk__in=center_ids)
            .values_list("pk", "code", "name")
        )
        names.cost_centers = {pk: f"{code} {name}".strip() for pk, code, name in centers}
    return names
