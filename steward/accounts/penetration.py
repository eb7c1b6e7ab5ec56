"""The whitespace arithmetic, as pure functions over per-holder totals (no database).

The selectors sum an account's cells per holder and currency in one query; this module turns
those sums into the account's penetration, converting amounts with the factors it is given:

- eligible cells: cells not "not a fit";
- penetration % = cells we hold ÷ eligible cells x 100 (none without an eligible cell);
- share of wallet = Σ current spend of our cells ÷ Σ current spend of the eligible cells that
  have a spend, x 100 (none when that spend is nothing);
- open potential = Σ potential of the open cells (a competitor's, in-house, unknown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from steward.accounts.choices import OPEN_HOLDERS, Holder

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class HolderTotals:
    """The cells of one holder in one currency: how many, and their sums."""

    holder: str
    currency: str
    cells: int
    spend: Decimal = Decimal(0)  # Σ current spend of the cells that have one
    potential: Decimal = Decimal(0)  # Σ potential of the cells that have one


@dataclass(frozen=True)
class Penetration:
    eligible: int
    held: int
    percent: Decimal | None
    share_of_wallet: Decimal | None
    open_potential: Decimal
    currency: str


def penetration_of(
    totals: Iterable[HolderTotals], *, currency: str, factors: Mapping[str, Decimal]
) -> Penetration:
    """The penetration of the cells summed in ``totals``, amounts in ``currency``.

    ``factors[c]`` converts one unit of currency ``c`` into ``currency`` (1 for ``currency``
    itself); the sums are converted, never the single cells.
    """
    eligible = held = 0
    our_spend = eligible_spend = open_potential = Decimal(0)
    for row in totals:
        factor = Decimal(1) if row.currency == currency else factors[row.currency]
        if row.holder == Holder.NOT_A_FIT:
            continue
        eligible += row.cells
        eligible_spend += row.spend * factor
        if row.holder == Holder.US:
            held += row.cells
            our_spend += row.spend * factor
        elif row.holder in OPEN_HOLDERS:
            open_potential += row.potential * factor
    percent = (Decimal(held) * HUNDRED / eligible).quantize(CENT) if eligible else None
    share = (our_spend * HUNDRED / eligible_spend).quantize(CENT) if eligible_spend else None
    return Penetration(
        eligible=eligible,
        held=held,
        percent=percent,
        share_of_wallet=share,
        open_potential=open_potential.quantize(CENT),
        currency=currency,
    )
