"""The year's invoice lines and card payments, story by story.

Amounts are drawn in the base currency (EUR) and written in the currency the vendor bills in,
converted back at the month's rate when they are stored; lines on a contract are in its
currency.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from steward.contracts.choices import ContractKind
from steward.contracts.models import Contract
from steward.demo.generate import spend_vocabulary as words
from steward.demo.generate.context import DemoContext
from steward.demo.generate.spend_cast import Cast, Term, Vendor, Year, maverick_codes, story_codes
from steward.demo.generate.supply_vocabulary import CATEGORY_TREE
from steward.spend.money import month_add, month_end, month_of, month_start

CENT = Decimal("0.01")
TOP_OF = {node.code: node.parent or node.code for node in CATEGORY_TREE}
# A year's spend of a vendor that has no contract, at most: the tail. The maverick buys far
# more than any of them, and more than most vendors on contract.
NO_CONTRACT_CEILING = Decimal(80_000)
MAVERICK_SPEND = (Decimal(600_000), Decimal(800_000))
INVOICE_SIZE = Decimal(2_500)  # more spend in a month means more invoices, up to a limit
CONCENTRATED_SHARE = Decimal("0.90")  # the dominant vendor's share of its category
UNDER_USED = (0.26, 0.34)  # of what the under-used agreement commits, month by month
LEAKAGE = 0.08  # invoices of a vendor with a contract that name none (off-contract)
FRAGMENTED_MONTHLY = (1_200, 3_200)  # what each vendor sells of the fragmented category


@dataclass
class Line:
    source: str  # "erp" or "card"
    invoice: int  # the lines of one invoice (or card payment) share it
    day: dt.date
    vendor: Vendor
    category: str
    cost_center: str
    currency: str
    amount: Decimal  # in ``currency``
    contract: Contract | None = None
    quantity: Decimal | None = None
    item: str = ""
    description: str = ""
    agreed_price: Decimal | None = None  # the contract's unit price for the item
    document: str = ""  # numbered once every line is known
    number: int = 0  # the line's number in its document; 0 until numbered


class LineWriter:
    def __init__(
        self, ctx: DemoContext, year: Year, cast: Cast, prices: dict[tuple[int, str], Decimal]
    ) -> None:
        self.ctx, self.year, self.cast, self.prices = ctx, year, cast, prices
        self.lines: list[Line] = []
        self.invoices = 0

    def write(self, vendors: list[Vendor]) -> list[Line]:
        # Large data sets get fewer lines per vendor: the volume there is spend_large's job.
        dense = len(vendors) <= 300
        rng = self.ctx.rng("spend.crowd")
        for vendor in vendors:
            # The fragmented category's spend is its own story (fragmented() below).
            codes = [c for c in vendor.codes if c != words.FRAGMENTED_CATEGORY]
            if vendor.pk not in self.cast.parts() and codes:
                yearly, tail = _crowd_spend(rng, vendor)
                self.regular(rng, vendor, yearly, codes, dense=dense, uncovered=tail)
        stories = self.ctx.rng("spend.stories")
        self.main(stories)
        self.under_used(stories)
        self.dominant(stories, dense=dense)
        self.maverick(stories, dense=dense)
        self.fragmented(self.ctx.rng("spend.fragmented"))
        self.concentrate()
        return self.lines

    # -- everyone

    def regular(
        self,
        rng: random.Random,
        vendor: Vendor,
        yearly: Decimal,
        codes: list[str],
        *,
        dense: bool,
        on_contract: bool = True,
        uncovered: Decimal | None = None,
    ) -> None:
        """About ``yearly`` over the year, in invoices of a few lines, on a contract in force
        (most of the time); ``uncovered`` a year in the months no contract covers."""
        most = 10 if dense else 1
        for month in self.year.months:
            days = self.year.days_of(month, vendor.first, vendor.last)
            if days is None:
                continue
            covered = any(t.start <= days[1] and days[0] <= t.end for t in vendor.terms)
            rate = uncovered if uncovered is not None and not covered else yearly
            amount = rate / 12 * _share_of_month(month, days) * _season(month)
            amount *= Decimal(rng.uniform(0.85, 1.15))
            count = max(1, min(most, round(amount / INVOICE_SIZE)))
            for _ in range(count):
                day = _day_between(rng, *days)
                term = vendor.billing_term(rng, day) if on_contract else None
                kept = term is not None and rng.random() >= LEAKAGE
                self.invoice(
                    rng,
                    vendor,
                    day,
                    code=codes[0] if len(codes) == 1 or rng.random() < 0.7 else rng.choice(codes),
                    amount=amount / count,
                    parts=rng.randint(1, 3 if dense else 2),
                    contract=term.contract if kept and term is not None else None,
                )

    def invoice(
        self,
        rng: random.Random,
        vendor: Vendor,
        day: dt.date,
        *,
        code: str,
        amount: Decimal,
        parts: int,
        contract: Contract | None,
    ) -> None:
        """One invoice of ``parts`` lines worth ``amount`` in the base currency."""
        currency = contract.currency if contract is not None else vendor.currency
        weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
        total = sum(weights)
        texts = words.LINE_TEXTS.get(code, ("Goods and services",))
        self.invoices += 1
        for weight in weights:
            base = amount * Decimal(weight / total)
            self.lines.append(
                Line(
                    source="erp",
                    invoice=self.invoices,
                    day=day,
                    vendor=vendor,
                    category=code,
                    cost_center=rng.choice(words.COST_CENTERS_BY_TOP[TOP_OF[code]]),
                    currency=currency,
                    amount=self.in_currency(base, currency, day),
                    contract=contract,
                    description=rng.choice(texts),
                )
            )

    def in_currency(self, base: Decimal, currency: str, day: dt.date) -> Decimal:
        return max(CENT, (base / self.year.rate(currency, day)).quantize(CENT))

    # -- the stories

    def main(self, rng: random.Random) -> None:
        """A monthly invoice on the agreement's price list, some items billed above it, and the
        statement of work's milestones."""
        vendor = self.cast.main
        term = vendor.master() if vendor is not None else None
        if vendor is None or term is None:
            if vendor is not None:
                self.regular(rng, vendor, vendor.planned_spend, [words.MAIN_CATEGORY], dense=True)
            return
        for month in self.year.months:
            days = self.year.days_of(month, term.start, term.end)
            if days is None:
                continue
            day = min(days[1], days[0] + dt.timedelta(days=rng.randint(2, 5)))
            self.invoices += 1
            for number, (item, text, _, _, usual) in enumerate(words.MANAGED_SERVICE_PRICES, 1):
                agreed = self.prices[(term.contract.pk, item)]
                quantity = Decimal(max(1, round(usual * rng.uniform(0.85, 1.15))))
                rise, months_back = words.OVERBILLED.get(item, (Decimal(0), range(0)))
                paid = agreed * (1 + rise) if self.year.back(month) in months_back else agreed
                self.priced(
                    vendor,
                    term,
                    day,
                    item=(item, text, number),
                    agreed=agreed,
                    paid=paid.quantize(CENT),
                    quantity=quantity,
                    booked=(words.MAIN_CATEGORY, "CC-2000" if number <= 2 else "CC-2100"),
                )
        self.milestones(vendor)

    def priced(
        self,
        vendor: Vendor,
        term: Term,
        day: dt.date,
        *,
        item: tuple[str, str, int],
        agreed: Decimal,
        paid: Decimal,
        quantity: Decimal,
        booked: tuple[str, str],
    ) -> None:
        """A line of the current invoice for an item with an agreed price: ``item`` is its code,
        text and line number, ``booked`` the category and cost center."""
        code, text, number = item
        category, cost_center = booked
        self.lines.append(
            Line(
                source="erp",
                invoice=self.invoices,
                day=day,
                vendor=vendor,
                category=category,
                cost_center=cost_center,
                currency=term.contract.currency,
                amount=(paid * quantity).quantize(CENT),
                contract=term.contract,
                quantity=quantity,
                item=code,
                description=text,
                agreed_price=agreed,
                number=number,
            )
        )

    def milestones(self, vendor: Vendor) -> None:
        sow = next(
            (t for t in vendor.terms if t.contract.kind == ContractKind.STATEMENT_OF_WORK), None
        )
        if sow is None or not sow.contract.total_value or sow.contract.start_date is None:
            return
        started = month_of(sow.contract.start_date)
        for text, share, months_in in words.SOW_MILESTONES:
            day = month_start(month_add(started, months_in)) + dt.timedelta(days=9)
            if not sow.covers(day) or day > self.year.last:
                continue
            self.invoices += 1
            self.lines.append(
                Line(
                    source="erp",
                    invoice=self.invoices,
                    day=day,
                    vendor=vendor,
                    category=words.MAIN_CATEGORY,
                    cost_center="CC-2000",
                    currency=sow.contract.currency,
                    amount=(sow.contract.total_value * share).quantize(CENT),
                    contract=sow.contract,
                    description=text,
                )
            )

    def under_used(self, rng: random.Random) -> None:
        """Consulting days on the agreement, a third of what it commits; a few at a discount."""
        vendor = self.cast.under_used
        term = vendor.master() if vendor is not None else None
        if vendor is None or term is None:
            return
        code = (story_codes(vendor) or vendor.codes)[0]
        monthly = term.yearly_value / 12
        discounted = set(rng.sample(self.year.months[:-1], 2))
        for month in self.year.months:
            days = self.year.days_of(month, term.start, term.end)
            if days is None:
                continue
            target = monthly * Decimal(rng.uniform(*UNDER_USED)) * _share_of_month(month, days)
            day = _day_between(rng, *days)
            self.invoices += 1
            for number, (item, text, rate) in enumerate(words.DAY_RATES, 1):
                quantity = Decimal(max(1, round(target / 2 / rate)))
                paid = rate - 50 if month in discounted and number == 2 else rate
                self.priced(
                    vendor,
                    term,
                    day,
                    item=(item, text, number),
                    agreed=rate,
                    paid=paid,
                    quantity=quantity,
                    booked=(code, rng.choice(words.COST_CENTERS_BY_TOP[TOP_OF[code]])),
                )

    def dominant(self, rng: random.Random, *, dense: bool) -> None:
        """The concentrated category's vendor bills about its contracts' value, all of it in
        that category."""
        vendor = self.cast.dominant
        if vendor is None:
            return
        yearly = sum((t.yearly_value for t in vendor.terms), Decimal(0))
        yearly *= Decimal(rng.uniform(0.9, 1.0))
        self.regular(rng, vendor, yearly, [self.cast.concentrated], dense=dense)

    def maverick(self, rng: random.Random, *, dense: bool) -> None:
        vendor = self.cast.maverick
        if vendor is None:
            return
        low, high = MAVERICK_SPEND
        yearly = min(max(vendor.planned_spend, low), high) * Decimal(rng.uniform(0.95, 1.05))
        codes = maverick_codes(vendor, self.cast.concentrated)
        self.regular(rng, vendor, yearly, codes, dense=dense, on_contract=False)

    def fragmented(self, rng: random.Random) -> None:
        """Small monthly amounts from many vendors: invoices from those who sell the category,
        card payments at all of them."""
        code = words.FRAGMENTED_CATEGORY
        for vendor in self.cast.fragmented:
            monthly = Decimal(rng.randint(*FRAGMENTED_MONTHLY))
            for month in self.year.months:
                days = self.year.days_of(month, vendor.first, vendor.last)
                if days is None:
                    continue
                budget = monthly * _share_of_month(month, days) * Decimal(rng.uniform(0.8, 1.2))
                if code in vendor.codes:
                    day = _day_between(rng, *days)
                    invoiced = budget * Decimal("0.7")
                    self.invoice(
                        rng, vendor, day, code=code, amount=invoiced, parts=2, contract=None
                    )
                    budget -= invoiced
                self.card(rng, vendor, days, budget)

    def card(
        self, rng: random.Random, vendor: Vendor, days: tuple[dt.date, dt.date], budget: Decimal
    ) -> None:
        count = rng.randint(1, 4)
        for _ in range(count):
            day = _day_between(rng, *days)
            self.invoices += 1
            self.lines.append(
                Line(
                    source="card",
                    invoice=self.invoices,
                    day=day,
                    vendor=vendor,
                    category=words.FRAGMENTED_CATEGORY,
                    cost_center=rng.choice(words.COST_CENTERS_BY_TOP[words.FRAGMENTED_CATEGORY]),
                    currency=vendor.currency,
                    amount=self.in_currency(budget / count, vendor.currency, day),
                    description=rng.choice(words.CARD_TEXTS),
                )
            )

    def concentrate(self) -> None:
        """Shrink what the others sold of the concentrated category until the dominant vendor
        holds its share of it."""
        dominant, code = self.cast.dominant, self.cast.concentrated
        if dominant is None:
            return
        held = Decimal(0)
        others = []
        for line in self.lines:
            if line.category != code:
                continue
            if line.vendor.pk == dominant.pk:
                held += self.base(line)
            else:
                others.append(line)
        rest = sum((self.base(line) for line in others), Decimal(0))
        allowed = held * (1 - CONCENTRATED_SHARE) / CONCENTRATED_SHARE
        if rest <= allowed:
            return
        factor = allowed / rest
        for line in others:
            line.amount = max(CENT, (line.amount * factor).quantize(CENT))

    def base(self, line: Line) -> Decimal:
        return line.amount * self.year.rate(line.currency, line.day)


def _crowd_spend(rng: random.Random, vendor: Vendor) -> tuple[Decimal, Decimal]:
    """A year's spend while a contract is in force (about its value) and while none is (what
    its segmentation inputs say, up to the ceiling of the tail)."""
    planned = vendor.planned_spend or Decimal(rng.randint(20, 150) * 1000)
    tail = min(planned, NO_CONTRACT_CEILING) * Decimal(rng.uniform(0.5, 1.0))
    committed = max((t.yearly_value for t in vendor.terms), default=Decimal(0))
    return (committed * Decimal(rng.uniform(0.75, 1.05)) if committed else tail), tail


def _share_of_month(month: int, days: tuple[dt.date, dt.date]) -> Decimal:
    length = (month_end(month) - month_start(month)).days + 1
    return Decimal((days[1] - days[0]).days + 1) / length


def _season(month: int) -> Decimal:
    """A little more in winter."""
    return Decimal(1 + 0.08 * math.cos(2 * math.pi * (month % 100 - 1) / 12))


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))
