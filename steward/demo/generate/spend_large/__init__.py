"""The large demo's ledger: ten million spend lines over three years, for the benchmarks.

Runs for the ``large`` size only, after the spend story. It tops the reference data up to the
size of a big company's ledger — 10,000 vendors with spend, 200 categories, 500 cost centers,
framework agreements with about a third of the vendors — and then generates the lines in
DuckDB, one month at a time, storing each month through the ledger (``store_lines``) as one
done import, so memory stays bounded whatever the line count.

The shape of the spend: a few hundred vendors hold 80 % of it (vendor sizes fall off as a power
of their rank); each vendor sells in one or two categories; each cost center buys about ten
categories; about a fifth of the spend is maverick (vendors without a contract, or lines
bought around it); an agreement in force that started during the three years replaced an
earlier, expired one, whose lines carry it; goods categories are bought by item and quantity,
and lines under a contract with an agreed price carry their price variance. The vendors the
spend story bills (its year) are among the running vendors the lines are generated for, in
the categories they have; its stories are told at the scale of the ``small`` data and are
small beside these.

Everything is drawn from the step's own random stream and, for the lines, from a hash of the
line's number, so the same seed and day give the same ledger.
"""

from __future__ import annotations

from steward.demo.generate.context import DemoContext
from steward.demo.generate.spend_large.contracts import price_lists, put_under_contract
from steward.demo.generate.spend_large.lines import LineShapes, store_months
from steward.demo.generate.spend_large.reference import (
    assign_cost_centers,
    finance_user,
    ledger_source,
    spending_vendors,
    top_up_categories,
    top_up_cost_centers,
)
from steward.demo.generate.spend_large.shapes import LARGE, SOURCE_NAME, LedgerPlan, Progress

__all__ = ["LARGE", "SOURCE_NAME", "LedgerPlan", "build_ledger", "create_large_ledger"]


def create_large_ledger(ctx: DemoContext) -> None:
    """The ``large`` size's ten-million-line ledger (nothing for other sizes)."""
    if ctx.size.name == "large":
        build_ledger(ctx, LARGE)


def build_ledger(ctx: DemoContext, plan: LedgerPlan, *, progress: Progress | None = None) -> int:
    """Generate and store the ledger ``plan`` describes; answers the lines stored.

    The caller holds the transaction (the demo loader's); each month is a savepoint.
    """
    rng = ctx.rng("spend.large")
    finance = finance_user(ctx)
    categories = top_up_categories(ctx, rng, plan, finance)
    cost_centers = top_up_cost_centers(ctx, plan, finance)
    assign_cost_centers(rng, categories, cost_centers)
    vendors = spending_vendors(ctx, rng, plan, categories)
    put_under_contract(ctx, rng, plan, vendors, categories)
    prices = price_lists(ctx, vendors, categories, finance)
    source = ledger_source(ctx, finance)
    shapes = LineShapes(vendors=vendors, categories=categories, prices=prices)
    return store_months(ctx, plan, shapes, source=source, user=finance, progress=progress)
