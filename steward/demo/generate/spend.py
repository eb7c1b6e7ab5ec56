"""Spend: a year of what we paid our vendors, imported monthly by finance, telling stories.

Finance set up two sources (the ERP's invoice lines and the corporate cards, each with its column
mapping), cost centers, monthly USD and GBP rates, a few category rules and the prices agreed in
two contracts, then imported one file per source and month: the twelve whole months before
today and the current month so far. Each import is kept as an import leaves it (done, the file
it read, its counts) and its lines go through the ledger's own writer, so the segments and
cost-center cells are exactly what a real import writes.

The stories (spend_cast.py chooses who plays them, spend_lines.py writes their lines):

- the demo vendor manager's main vendor (the managed-services agreement of the contract story)
  bills steadily every month on that agreement's price list — hosting above the agreed price
  for months, overtime rates for a few (price variance) — and its statement of work by
  milestones;
- a *maverick* vendor: large spend every month with no contract in force (off-contract);
- a *fragmented* category (MRO and office supplies): a dozen vendors, most of them paid by
  corporate card, none with much of it (HHI near 1,000);
- a *concentrated* category: one vendor, on its contracts, holds 90 % of it or more;
- an agreement used far below what it commits (utilization about 30 %);
- vendors abroad bill in USD or GBP, converted at the month's rate.

Everyone else bills about their contracts' value while one is in force, and vendors without a
contract bill like a tail (at most EUR 80,000 a year), so the maverick vendor stands out from
the rest of the off-contract spend. The ``large`` size writes the same year for its thousands
of vendors with one invoice a month each; its 10-million-line ledger is ``spend_large``'s.
"""

from __future__ import annotations

import importlib

from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.spend_cast import Year, cast_stories, spending_vendors
from steward.demo.generate.spend_imports import Imports, Reference
from steward.demo.generate.spend_lines import LineWriter


def create_spend(ctx: DemoContext) -> None:
    """Reference data, a year of lines with their stories, one import per source and month."""
    year = Year(ctx.today)
    vendors = spending_vendors(ctx, year)
    if not vendors:
        return
    finance = (ctx.users.get("reviewer_finance") or ctx.users["admin"])[0]
    cast = cast_stories(ctx, vendors, year)
    reference = Reference(ctx, year, finance)
    reference.create(vendors, cast)
    lines = LineWriter(ctx, year, cast, reference.prices).write(vendors)
    Imports(ctx, year, reference).run(lines)
    _refresh_vendor_figures()


def describe_logins(ctx: DemoContext) -> None:
    """Finance signs in to all spend; the vendor manager finds their main vendor's spend."""
    ctx.logins = [
        DemoLogin(
            login.role,
            login.username,
            login.sees + "; the spend tab of their main vendor, billed above the agreed prices",
        )
        if login.username == "vendor.manager"
        else login
        for login in ctx.logins
    ]
    finance = ctx.users.get("reviewer_finance")
    if finance:
        ctx.logins.append(
            DemoLogin(
                "Finance",
                finance[0].username,
                "all spend: a year of monthly ERP and card imports, a vendor paid without a "
                "contract, a fragmented and a concentrated category, prices paid above contract",
            )
        )


def _refresh_vendor_figures() -> None:
    """Vendors' annual spend from the ledger, when the spend app offers it."""
    try:
        module = importlib.import_module("steward.spend.services.vendor_figures")
    except ModuleNotFoundError:
        return
    module.refresh_vendor_figures()
