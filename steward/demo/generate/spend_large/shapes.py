"""What the large ledger is made of: its plan, and the vendors and categories its lines draw
from (decided by ``reference`` and ``contracts``, read by ``lines``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LedgerPlan:
    """How big a generated ledger is; the counts are totals in the database afterwards."""

    vendors: int  # vendors with spend
    categories: int
    cost_centers: int
    lines: int
    months: int = 36  # ending with the month of the demo's yesterday
    contracted_share: float = 1 / 3  # vendors with a framework agreement
    maverick_share: float = 0.20  # of the spend, on lines without a contract


LARGE = LedgerPlan(vendors=10_000, categories=200, cost_centers=500, lines=10_000_000)
SOURCE_NAME = "Group ERP (ledger history)"  # the imports the lines arrive in
Progress = Callable[[int, int, int], None]  # months done, months, lines stored


@dataclass
class VendorShape:
    supplier_id: int
    owner: Any
    categories: list[int]
    score: float  # ranks vendors by size, largest first
    contract_id: int | None = None
    contract_start: dt.date | None = None
    earlier_contract_id: int | None = None  # the expired agreement the one in force replaced
    earlier_start: dt.date | None = None
    off_contract: float = 0.0  # share of its contract lines bought around the contract
    price_per_mille: int = 1000  # its list prices against the items' reference prices
    second_share: float = 0.0  # share of its lines in its second category


@dataclass
class CategoryShape:
    pk: int
    name: str
    goods: bool
    gl_account: str
    cost_centers: list[int] = field(default_factory=list)
    items: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, unit cents
