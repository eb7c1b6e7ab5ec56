"""What the spend figures answer: records of int cents and Decimal percentages.

Rows are named tuples (cheap to build by the hundred thousand for a full cube); summaries are
frozen dataclasses.

Shares and utilizations are percentages (``Decimal("42.17")`` is 42.17 %), rounded half up to
two places; ABC classes and the HHI are decided on the exact cents, not on rounded shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

AbcClass = Literal["A", "B", "C"]


class CubeRow(NamedTuple):
    keys: tuple[int | None, ...]  # one per asked dimension, in the order asked
    amount_cents: int
    lines: int


class TrendPoint(NamedTuple):
    month: int  # yyyymm
    amount_cents: int
    lines: int
    prior_year_cents: int  # the same month a year before, same filters


class ParetoRow(NamedTuple):
    key: int | None  # supplier or category id (None: lines without a category)
    amount_cents: int
    share: Decimal
    cumulative_share: Decimal
    abc: AbcClass


@dataclass(frozen=True)
class TailSummary:
    vendors: int
    amount_cents: int
    share: Decimal


class KeyTotal(NamedTuple):
    key: int | None
    amount_cents: int
    lines: int


@dataclass(frozen=True)
class MaverickSummary:
    amount_cents: int  # on lines without a contract
    total_cents: int  # all lines matching the filters
    share: Decimal
    by_supplier: list[KeyTotal]  # (supplier_id, amount_cents, lines), largest first
    by_category: list[KeyTotal]  # (category_id | None, amount_cents, lines), largest first


class ConcentrationRow(NamedTuple):
    category_id: int
    amount_cents: int  # the category's spend (all its vendors, credits included)
    vendors: int  # vendors with positive spend in the category
    top_supplier_id: int
    top_share: Decimal
    hhi: int  # 0..10000, sum of the squared shares in percent
    single_source: bool


class UtilizationRow(NamedTuple):
    contract_id: int
    supplier_id: int
    committed_cents: int | None  # None: no value on the contract, or no rate for its currency
    actual_cents: int
    utilization: Decimal | None  # actual / committed in percent; None when nothing committed


class VarianceRow(NamedTuple):
    supplier_id: int
    contract_id: int | None
    variance_cents: int  # positive: paid more than contracted
    priced_lines: int
