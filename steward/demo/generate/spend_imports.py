"""What finance set up and imported: sources, cost centers, rates, rules, agreed prices, card
merchants' aliases, and one import per source and month stored through the ledger."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import duckdb
from django.core.files.base import ContentFile
from django.db import transaction

from steward.contracts.models import Contract
from steward.demo.generate import spend_vocabulary as words
from steward.demo.generate.context import DemoContext
from steward.demo.generate.spend_cast import Cast, Vendor, Year
from steward.demo.generate.spend_lines import Line
from steward.demo.generate.vendor_plan import at_hour
from steward.demo.generate.writes import Revision, insert, revise
from steward.parties.identity import normalize_legal_name
from steward.spend import ledger
from steward.spend.choices import ImportStatus, RuleField, RuleMatch, SourceKind
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendSource,
    VendorAlias,
)
from steward.spend.money import month_end, month_of, month_start, to_cents

CENT = Decimal("0.01")
RATES = {"USD": Decimal("0.9150"), "GBP": Decimal("1.1650")}  # EUR per unit, a year ago
ERP_DOCUMENTS = 5_100_000_000  # the ERP numbers its invoice documents from here


class Reference:
    """What finance set up before the first import, and the monthly rates as they came."""

    def __init__(self, ctx: DemoContext, year: Year, finance: Any) -> None:
        self.ctx, self.year, self.finance = ctx, year, finance
        self.rng = ctx.rng("spend.reference")
        self.set_up = at_hour(year.first - dt.timedelta(days=24), 10)
        self.sources: dict[str, SpendSource] = {}
        self.cost_centers: dict[str, CostCenter] = {}
        self.prices: dict[tuple[int, str], Decimal] = {}  # (contract, item) -> unit price

    def create(self, vendors: list[Vendor], cast: Cast) -> None:
        self.create_sources()
        self.create_cost_centers()
        self.create_rates()
        self.create_rules(vendors, cast)
        self.create_prices(cast)

    def _insert(self, objs: Sequence[Any], at: Callable[[Any], dt.datetime] | None = None) -> None:
        moment = self.set_up
        insert(self.ctx, objs, by=lambda obj: self.finance, at=at or (lambda obj: moment))

    def create_sources(self) -> None:
        erp = SpendSource(
            name=words.ERP_SOURCE,
            kind=SourceKind.INVOICE,
            mapping=words.ERP_MAPPING,
            default_currency="EUR",
        )
        cards = SpendSource(
            name=words.CARD_SOURCE,
            kind=SourceKind.CARD,
            mapping=words.CARD_MAPPING,
            date_format=words.CARD_DATE_FORMAT,
            default_currency="EUR",
        )
        self._insert([erp, cards])
        self.sources = {"erp": erp, "card": cards}

    def create_cost_centers(self) -> None:
        centers = [CostCenter(code=code, name=name) for code, name in words.COST_CENTERS]
        self._insert(centers)
        self.cost_centers = {center.code: center for center in centers}

    def create_rates(self) -> None:
        """USD and GBP on the first of every month, entered that morning: a gentle walk."""
        rates = []
        for currency, start in RATES.items():
            rate = start
            self.year.rates[currency] = {}
            for month in self.year.months:
                drift = Decimal(1 + self.rng.uniform(-0.018, 0.018))
                rate = (rate * drift).quantize(Decimal("0.0001"))
                self.year.rates[currency][month] = rate
                rates.append(
                    ExchangeRate(currency=currency, rate_date=month_start(month), rate=rate)
                )
        latest = self.ctx.now - dt.timedelta(hours=1)
        self._insert(rates, at=lambda rate: min(at_hour(rate.rate_date, 8), latest))

    def create_rules(self, vendors: list[Vendor], cast: Cast) -> None:
        """GL-account and description rules, and the default category of some vendors."""
        category = self.ctx.categories
        rules = [
            CategoryRule(
                field=RuleField.GL_ACCOUNT,
                pattern=words.GL_ACCOUNTS[code],
                category=category[code],
                priority=50,
            )
            for code in (words.FRAGMENTED_CATEGORY, "energy", "telecom")
            if code in category
        ]
        rules += [
            CategoryRule(
                field=RuleField.DESCRIPTION,
                match=match,
                pattern=pattern,
                category=category[code],
                priority=60,
            )
            for pattern, match, code in (
                ("freight", RuleMatch.CONTAINS, "freight"),
                ("Parcel", RuleMatch.STARTS_WITH, "parcel"),
                *((text, RuleMatch.EQUALS, words.FRAGMENTED_CATEGORY) for text in words.CARD_TEXTS),
            )
            if code in category
        ]
        defaults: list[tuple[Vendor, str]] = []
        if cast.main is not None:
            defaults.append((cast.main, words.MAIN_CATEGORY))
        if cast.dominant is not None:
            defaults.append((cast.dominant, cast.concentrated))
        single = [v for v in vendors if len(v.codes) == 1 and v.pk not in cast.parts()]
        defaults += [(vendor, vendor.codes[0]) for vendor in single[:8]]
        rules += [
            CategoryRule(
                field=RuleField.VENDOR,
                supplier=vendor.supplier,
                category=category[code],
                priority=100,
            )
            for vendor, code in defaults
            if code in category
        ]
        self._insert(rules)

    def create_prices(self, cast: Cast) -> None:
        """The managed-services price list, and the under-used agreement's day rates."""
        prices = []
        main = cast.main.master() if cast.main is not None else None
        if main is not None:
            monthly = main.yearly_value / 12
            for item, text, unit, share, usual in words.MANAGED_SERVICE_PRICES:
                price = (monthly * share / usual).quantize(CENT)
                prices.append(_price(main.contract, item, text, unit, price))
        under_used = cast.under_used.master() if cast.under_used is not None else None
        if under_used is not None:
            for item, text, price in words.DAY_RATES:
                prices.append(_price(under_used.contract, item, text, "day", price))
        self._insert(prices)
        self.prices = {(price.contract_id, price.item): price.unit_price for price in prices}


def _price(contract: Contract, item: str, text: str, unit: str, price: Decimal) -> ContractPrice:
    return ContractPrice(
        contract=contract,
        item=item,
        description=text,
        unit=unit,
        unit_price=price,
        currency=contract.currency,
        valid_from=contract.start_date,
    )


class Imports:
    """One file per source and month, imported by finance early the next month (the current
    month's last evening), each stored through the ledger."""

    def __init__(self, ctx: DemoContext, year: Year, reference: Reference) -> None:
        self.ctx, self.year, self.reference = ctx, year, reference
        self.finance = reference.finance

    def run(self, lines: list[Line]) -> None:
        number(lines)
        groups: dict[tuple[str, int], list[Line]] = defaultdict(list)
        for line in lines:
            groups[(line.source, month_of(line.day))].append(line)
        keys = sorted(groups, key=lambda key: (key[1], key[0] != "erp"))
        batches = [self.batch(key, groups[key]) for key in keys]
        insert(self.ctx, batches, by=lambda batch: self.finance, at=lambda batch: batch.created_at)
        self.aliases(lines, dict(zip(keys, batches, strict=True)))
        con = duckdb.connect()
        try:
            revisions = [
                self.done(batch, len(groups[key]), self.store(con, batch, groups[key]))
                for key, batch in zip(keys, batches, strict=True)
            ]
        finally:
            con.close()
        revise(self.ctx, revisions)

    def batch(self, key: tuple[str, int], lines: list[Line]) -> SpendImport:
        source, month = self.reference.sources[key[0]], key[1]
        later = dt.timedelta(minutes=40 if source.kind == SourceKind.CARD else 0)
        if month == self.year.months[-1]:
            created = self.ctx.now - dt.timedelta(hours=7) + later
        else:
            planned = at_hour(month_end(month) + dt.timedelta(days=3), 9) + later
            created = min(planned, self.ctx.now - dt.timedelta(hours=9) + later)
        name = f"{'-'.join(source.name.lower().split())}-{month // 100}-{month % 100:02d}.csv"
        content = _csv(source, lines)
        batch = SpendImport(
            source=source,
            created_by=self.finance,
            filename=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            status=ImportStatus.QUEUED,
            stage="Queued",
        )
        storage = SpendImport._meta.get_field("file").storage
        folder = f"spend/imports/{created:%Y/%m}"  # as the upload path names it
        batch.file.name = storage.save(f"{folder}/{name}", ContentFile(content))
        batch.created_at = created
        return batch

    def aliases(self, lines: list[Line], batches: dict[tuple[str, int], SpendImport]) -> None:
        """Finance confirmed each card merchant's name once, at the import that first had it."""
        first_seen: dict[str, Line] = {}
        for line in sorted(lines, key=lambda line: (line.day, line.invoice)):
            if line.source == "card":
                first_seen.setdefault(merchant(line.vendor), line)
        aliases, moments = [], {}
        for name, line in first_seen.items():
            key = normalize_legal_name(name)
            if not key or key == line.vendor.organization.name_key:
                continue
            alias = VendorAlias(
                name_key=key,
                raw_name=name,
                supplier=line.vendor.supplier,
                confirmed_by=self.finance,
            )
            aliases.append(alias)
            first_import = batches[("card", month_of(line.day))]
            moments[id(alias)] = first_import.created_at + dt.timedelta(minutes=5)
        insert(self.ctx, aliases, by=lambda alias: self.finance, at=lambda a: moments[id(a)])

    def store(
        self, con: duckdb.DuckDBPyConnection, batch: SpendImport, lines: list[Line]
    ) -> ledger.StoreResult:
        """The lines of one file, prepared in DuckDB as the import prepares them, then stored."""
        name = ledger.prepared_schema(con)
        columns: list[list[Any]] = [[] for _ in ledger.LINE_COLUMNS]
        for line in lines:
            for column, value in zip(columns, self.row(batch, line), strict=True):
                column.append(value)
        selects = []
        for index, (field, kind) in enumerate(ledger.LINE_COLUMNS, 1):
            if kind.startswith("DECIMAL"):  # exact: the driver would pass floats
                selects.append(f"CAST(unnest(${index}::VARCHAR[]) AS {kind}) AS {field}")
            else:
                selects.append(f"unnest(${index}::{kind}[]) AS {field}")
        con.execute(f"INSERT INTO {name} SELECT {', '.join(selects)}", columns)
        with transaction.atomic():
            result = ledger.store_lines(con, name, batch=batch)
        self.ctx.counts["spend.SpendLine"] += result.lines_added
        return result

    def row(self, batch: SpendImport, line: Line) -> tuple[Any, ...]:
        rate = self.year.rate(line.currency, line.day)
        variance = None
        if line.agreed_price is not None and line.quantity:
            variance = to_cents((line.amount - line.agreed_price * line.quantity) * rate)
        return (
            month_of(line.day),
            line_key(batch.source.name, line.document, line.number),
            line.day,
            line.vendor.pk,
            self.ctx.categories[line.category].pk,
            self.reference.cost_centers[line.cost_center].pk,
            line.contract.pk if line.contract is not None else None,
            line.currency,
            str(line.amount),
            to_cents(line.amount * rate),
            None if line.quantity is None else str(line.quantity),
            line.item,
            line.description,
            words.GL_ACCOUNTS.get(line.category, words.OTHER_GL_ACCOUNT),
            line.document,
            variance,
        )

    def done(self, batch: SpendImport, rows: int, result: ledger.StoreResult) -> Revision:
        started = batch.created_at + dt.timedelta(seconds=20)
        finished = started + dt.timedelta(seconds=2 + rows // 500)
        return Revision(
            batch,
            {
                "status": ImportStatus.DONE,
                "progress": 100,
                "stage": "Done",
                "rows_read": rows,
                "lines_added": result.lines_added,
                "lines_skipped": result.lines_skipped,
                "amount_base_cents": result.amount_base_cents,
                "started_at": started,
                "finished_at": finished,
                "first_line_id": result.first_line_id,
                "last_line_id": result.last_line_id,
            },
            finished,
            self.finance,
            "Imported",
        )


def number(lines: list[Line]) -> None:
    """Document numbers in posting order (the ERP's invoices, the card provider's payments),
    and line numbers within each document."""
    firsts: dict[int, Line] = {}
    for line in lines:
        firsts.setdefault(line.invoice, line)
    counters = {"erp": ERP_DOCUMENTS, "card": 0}
    documents = {}
    for invoice, line in sorted(firsts.items(), key=lambda item: (item[1].day, item[0])):
        counters[line.source] += 1
        count = counters[line.source]
        documents[invoice] = str(count) if line.source == "erp" else f"CT{line.day:%y%m}{count:06d}"
    numbered: dict[int, int] = defaultdict(int)
    for line in lines:
        line.document = documents[line.invoice]
        if not line.number:
            numbered[line.invoice] += 1
            line.number = numbered[line.invoice]


def line_key(source: str, document: str, number: int) -> int:
    """The line's identity in its source: a 63-bit hash of the source, document and line."""
    digest = hashlib.blake2b(f"{source}|{document}|{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & (2**63 - 1)


def merchant(vendor: Vendor) -> str:
    """How a card statement spells a vendor: capitals, cut short, with a store number."""
    name = str(vendor.organization.display_name or vendor.organization.legal_name)
    store = int(hashlib.blake2b(name.encode(), digest_size=2).hexdigest(), 16) % 1000
    return f"{name.upper()[:16].rstrip()}*{store:04d}"


def _csv(source: SpendSource, lines: list[Line]) -> bytes:
    """The file as the source exports it, under the headers of its mapping."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(source.mapping.values()))
    card = source.kind == SourceKind.CARD
    for line in sorted(lines, key=lambda line: (line.day, line.document, line.number)):
        organization = line.vendor.organization
        values = {
            "date": line.day.strftime(source.date_format or "%Y-%m-%d"),
            "vendor_name": merchant(line.vendor) if card else organization.legal_name,
            "vendor_tax_id": organization.tax_id,
            "reference": line.document,
            "line_number": line.number,
            "amount": line.amount,
            "currency": line.currency,
            "quantity": "" if line.quantity is None else line.quantity,
            "item": line.item,
            "description": line.description,
            "gl_account": words.GL_ACCOUNTS.get(line.category, words.OTHER_GL_ACCOUNT),
            "cost_center": line.cost_center,
            "category": line.category,
            "contract": line.contract.reference if line.contract is not None else "",
        }
        writer.writerow([values[field] for field in source.mapping])
    return buffer.getvalue().encode()
