"""The choices of the filter bar: the vendors, categories and contracts with spend in the period.

They come from the figures (three small cube queries over the user's whole scope), not from
the tables of vendors and contracts: a list of ten thousand vendors is no filter. The vendors
offered are the largest ``VENDOR_CHOICES`` by spend, plus any the query already names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steward.spend import analytics
from steward.spend.views.analytics_common import SpendQuery
from steward.spend.views.analytics_names import Names

VENDOR_CHOICES = 300
CONTRACT_CHOICES = 300


@dataclass(frozen=True)
class FilterChoices:
    supplier_ids: list[int]
    category_ids: list[int]
    contract_ids: list[int]
    vendors_truncated: bool

    def wanted(self) -> dict[str, list[Any]]:
        """The ids to name, as ``names_for`` takes them."""
        return {
            "suppliers": list(self.supplier_ids),
            "categories": list(self.category_ids),
            "contracts": list(self.contract_ids),
        }

    def named(self, names: Names) -> dict[str, Any]:
        def sort(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
            return sorted(pairs, key=lambda pair: pair[1].casefold())

        return {
            "vendors": sort([(str(pk), names.supplier(pk)) for pk in self.supplier_ids]),
            "categories": sort([(str(pk), names.category(pk)) for pk in self.category_ids]),
            "contracts": sort([(str(pk), names.contract(pk)) for pk in self.contract_ids]),
            "vendors_truncated": self.vendors_truncated,
        }


def _keys(query: SpendQuery, dim: str, limit: int | None = None) -> tuple[list[int], bool]:
    rows = analytics.cube(query.visible, query.period, [dim])
    keys = [row.keys[0] for row in rows if row.keys[0] is not None]
    if limit is not None and len(keys) > limit:
        return keys[:limit], True
    return keys, False


def filter_choices(query: SpendQuery) -> FilterChoices:
    if query.visible.nothing:
        return FilterChoices([], [], [], vendors_truncated=False)
    suppliers, truncated = _keys(query, "supplier", VENDOR_CHOICES)
    categories, _ = _keys(query, "category")
    contracts, _ = _keys(query, "contract", CONTRACT_CHOICES)
    named = query.filters
    visible = query.visible.supplier_ids
    chosen_suppliers = tuple(pk for pk in named.suppliers if visible is None or pk in visible)
    return FilterChoices(
        supplier_ids=_with(suppliers, chosen_suppliers),
        category_ids=_with(categories, named.categories),
        contract_ids=_with(contracts, named.contracts),
        vendors_truncated=truncated,
    )


def _with(keys: list[int], chosen: tuple[int, ...]) -> list[int]:
    present = set(keys)
    return keys + [pk for pk in chosen if pk not in present]
